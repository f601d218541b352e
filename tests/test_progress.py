"""The build's progress display: which outputs, how far, only those that take a while."""

import io

from rich.console import Console

from booklet.progress import SHOWN_AFTER, make_progress, tracker


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def _shown(progress) -> str:
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None, force_terminal=False)
    console.print(*progress.get_renderables())
    return out.getvalue()


def test_progress_shows_how_far_each_slow_output_is():
    clock = Clock()
    out = Console(file=io.StringIO())
    progress = make_progress(out, get_time=clock)
    update = tracker(progress)
    for job in ("booklet", "badges", "exports"):
        update(job, "start")
    assert _shown(progress).strip() == ""  # nothing has taken a second yet
    clock.now += SHOWN_AFTER / 2
    update("exports", "done")  # quick: never shown
    update("booklet", (7, 28))
    clock.now += SHOWN_AFTER
    shown = _shown(progress)
    assert "booklet" in shown and "25%" in shown
    assert "badges" in shown and "%" not in shown.split("badges")[1].splitlines()[0]
    assert "exports" not in shown
    update("badges", "failed")
    update("booklet", (28, 28))
    update("booklet", "done")
    update("booklet", (27, 28))  # a step that arrives late changes nothing
    clock.now += 10
    lines = {line.split()[1]: line for line in _shown(progress).splitlines() if line.strip()}
    assert set(lines) == {"booklet", "badges"}
    assert "✓" in lines["booklet"] and "100%" in lines["booklet"]
    assert "0:00:01" in lines["booklet"]  # its time stopped when it ended
    assert "✗" in lines["badges"] and "failed" in lines["badges"]


def test_a_start_told_after_the_end_shows_nothing():
    clock = Clock()
    progress = make_progress(Console(file=io.StringIO()), get_time=clock)
    update = tracker(progress)
    update("signs", "done")  # its process told its start, the queue had not passed it on
    update("signs", "start")
    clock.now += 5
    assert _shown(progress).strip() == ""
