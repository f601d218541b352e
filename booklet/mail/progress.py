"""A progress bar for a mail-out: messages sent of all, the rate a minute, the time left.

Shown only on a terminal (and not with -q), like the build's (`booklet.progress`).
"""

from __future__ import annotations

import contextlib
import sys


@contextlib.contextmanager
def send_progress(*, enabled: bool = True, console=None):
    """Yield a `progress(done, total)` callback for `mail_out`, or None."""
    if not enabled or (console is None and not sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class PerMinute(ProgressColumn):
        def render(self, task):
            speed = task.finished_speed or task.speed
            return Text("" if speed is None else f"{speed * 60:.0f}/min")

    progress = Progress(
        TextColumn("mail"),
        BarColumn(bar_width=30),
        MofNCompleteColumn(),
        PerMinute(),
        TimeRemainingColumn(),
        console=console or Console(stderr=True),
    )
    task = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if task is None:  # shown from the first message on, not over the confirmation
            progress.start()
            task = progress.add_task("mail", total=total)
        progress.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        if task is not None:
            progress.stop()
