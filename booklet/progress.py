"""A progress display for long builds: a line for each output that takes over a second,
with a bar of how far it is, the share done and its time.

Shown only on a terminal (and not with -q); builds in scripts and tests print nothing here.
"""

from __future__ import annotations

import contextlib
import sys
import threading

# An output shows its line once it has taken this long: a build whose outputs are quick
# (or kept from the last build) prints none.
SHOWN_AFTER = 1.0  # seconds


@contextlib.contextmanager
def job_progress(*, enabled: bool = True):
    """Yield a `progress(job, state)` callback for `booklet.build.build`, or None."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console

    progress = make_progress(Console(stderr=True))
    with progress:
        yield tracker(progress)


def make_progress(console, get_time=None):
    """A rich Progress that shows only the tasks that took over `SHOWN_AFTER` seconds."""
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    class Slow(Progress):
        def get_renderables(self):
            yield self.make_tasks_table([t for t in self.tasks if (t.elapsed or 0) >= SHOWN_AFTER])

    class Mark(SpinnerColumn):  # a spinner, then ✓, or ✗ for a job that failed
        def render(self, task):
            return "[red]✗" if task.fields.get("failed") else super().render(task)

    return Slow(
        Mark(finished_text="[green]✓"),
        TextColumn("{task.description:<10}"),
        BarColumn(bar_width=30),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        get_time=get_time,
    )


def tracker(progress):
    """`progress(job, state)` for a build: state "start", "done" or "failed", or
    (done, total), how far a job is (a bar; a job that never says runs a pulsing one)."""
    tasks: dict[str, int] = {}
    ended: set[str] = set()  # a job's start, told from its process, may arrive after its end
    lock = threading.Lock()  # the build tells ends from one thread, starts and steps another

    def update(job: str, state) -> None:
        with lock:
            _update(job, state)

    def _update(job: str, state) -> None:
        if state == "start":
            if job not in ended and job not in tasks:
                tasks[job] = progress.add_task(job, total=None)
            return
        task_id = tasks.get(job)
        if task_id is None:
            if not isinstance(state, tuple):
                ended.add(job)
            return
        task = next(t for t in progress.tasks if t.id == task_id)
        if task.stop_time is not None:
            return  # a step that arrives after the job ended
        if isinstance(state, tuple):
            done, total = state
            progress.update(task_id, completed=done, total=total)
        elif state == "done":
            total = task.total or 1
            progress.update(task_id, completed=total, total=total)
            progress.stop_task(task_id)
        else:
            progress.update(task_id, description=f"{job} [red]failed", failed=True)
            progress.stop_task(task_id)

    return update
