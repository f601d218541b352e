"""The build's progress display: which outputs, how far, only those that take a while."""

import io

import pytest
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


def test_the_booklet_bar_weighs_each_piece_by_its_work(tmp_path):
    """On a big event the five pieces of abstracts take about two thirds of the booklet's
    time (the 600-talk benchmark event: 45 of 67 s of one core), though they are five of
    its thirteen pieces: the bar moves by their words, the grids' items, the index entries."""
    from bench.make_event import make_event
    from booklet.render.pieces import piece_work
    from booklet.validate import load_programme

    make_event(tmp_path, talks=600, rooms=8, days=5, attendees=0, seed=11)
    programme = load_programme(tmp_path).programme
    days = [(day.date,) for day in programme.days]
    order = ["front", "week", *(("schedule", d) for d in days)]
    order += [*(("abstracts", d) for d in days), "index"]
    work = {key: piece_work(programme, key) for key in order}
    abstracts = sum(w for key, w in work.items() if key[0] == "abstracts")
    assert 0.55 < abstracts / sum(work.values()) < 0.8
    assert work["index"] > max(work[("schedule", d)] for d in days) > work["week"]
    two_days = piece_work(programme, ("abstracts", days[0] + days[1]))
    own = piece_work(programme, "notes")  # what any piece costs, words or not
    assert two_days == pytest.approx(
        work[("abstracts", days[0])] + work[("abstracts", days[1])] - own
    )
