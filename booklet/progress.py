"""A progress display for long builds: one line per job with a spinner and its time.

Shown only on a terminal (and not with -q); builds in scripts and tests print nothing here.
"""

from __future__ import annotations

import contextlib
import sys
import time


@contextlib.contextmanager
def job_progress(*, enabled: bool = True):
    """Yield a `progress(job, state)` callback for `booklet.build.build`."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(
        SpinnerColumn(finished_text="[green]✓"),
        TextColumn("{task.description:<10}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    )
    tasks: dict[str, int] = {}
    started = time.perf_counter()

    def update(job: str, state: str) -> None:
        if state == "start":
            tasks[job] = progress.add_task(job, total=1)
        else:
            label = job if state == "done" else f"{job} [red]failed"
            progress.update(tasks[job], completed=1, description=label)

    with progress:
        yield update
    del started
