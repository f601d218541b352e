"""Sessions, chairs, tracks and posters in the booklet: bands in the day grids, headings
over the abstracts, posters by board, chairs in the index, tracks with a legend."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from booklet.render import grid, sessions
from booklet.render.booklet import has_entry, speaker_index
from booklet.validate import load_programme

from .conftest import FIXTURES
from .pdfutil import Pdf, squash


def test_the_week_counts_a_poster_sessions_posters(sessions_build):
    out, _ = sessions_build
    pdf = Pdf(out / "programme.pdf")
    text = squash(pdf.text(pdf._named["week"]))
    assert squash("Poster session · 3 posters") in text
    assert squash("Poster session · 3 talks") not in text


def test_day_grid_shows_session_bands_and_posters(sessions_build):
    out, _ = sessions_build
    pdf = Pdf(out / "programme.pdf")
    text = squash(pdf.text(pdf._named["grid-2025-09-15"]))
    for needle in (
        "Session 1: Compilers",
        "Chair: Christophe Dubach",
        "Moderators: Kit Barton and J. Nelson Amaral",
        "Poster session",
        "3 posters, boards 2–10",
        "Compilers",  # the legend
        "Systems",
    ):
        assert squash(needle) in text, needle
    # the posters are one slot, not three
    assert squash("Garbage collection pauses") not in text
    html = (out / "programme.html").read_text(encoding="utf-8")
    grid_html = html[html.index('id="grid-2025-09-15"') : html.index('id="grid-2025-09-16"')]
    assert grid_html.count('class="session-band"') == 3
    assert 'style="background: #1f6fb4"' in grid_html  # the track's colour on its band


def test_abstracts_are_grouped_under_session_headings(sessions_build):
    out, _ = sessions_build
    pdf = Pdf(out / "programme.pdf")
    text = squash(" ".join(pdf.texts[pdf._named["abstracts-2025-09-15"] - 1 :]))
    order = [
        "Session 1: Compilers",
        "Tiling for caches",
        "Vectorising loops",
        "Session 2: Operating systems",
        "Schedulers",
        "File systems",
        "Panel on kernels",
        "Poster session",
        "Board 2",
        "Garbage collection pauses",
        "Board 3",
        "Typed assembly",
        "Board 10",
        "Register allocation by graph colouring",
        "Keynote session",
        "The next compiler",
        "A talk of no session",
    ]
    positions = [text.find(squash(needle)) for needle in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert positions == sorted(positions)
    assert squash("Four views of code generation.") in text  # the session's abstract


def layout_text(path, page: int) -> str:
    """A page's text as laid out (names and their page numbers on one line)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is missing")
    args = ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_index_lists_chairs_with_marked_pages(sessions_build):
    out, _ = sessions_build
    pdf = Pdf(out / "programme.pdf")
    text = layout_text(out / "programme.pdf", pdf._named["index"])
    assert squash("An asterisk marks the page of a session the person chairs.") in squash(text)
    session_page = pdf._named["session-s1"]
    dubach = next(line for line in text.splitlines() if "Dubach" in line)
    assert re.search(rf"\b{session_page}\*", dubach), dubach
    # a chair who speaks nowhere is in the index all the same
    assert "Hopper" in text
    # poster authors are in the index, their poster's page unmarked
    allen = next(line for line in text.splitlines() if "Allen" in line)
    assert "*" not in allen
    assert str(pdf._named["item-p-10"]) in allen
    # a chair speaking on the page of the session chaired: the page is marked
    amaral = next(line for line in text.splitlines() if "Amaral" in line)
    assert re.search(rf"\b{pdf._named['session-s2']}\*", amaral), amaral


def test_week_draws_tracks_with_a_legend(sessions_build):
    out, _ = sessions_build
    pdf = Pdf(out / "programme.pdf")
    text = squash(pdf.text(pdf._named["week"]))
    assert "Compilers" in text and "Systems" in text
    html = (out / "programme.html").read_text(encoding="utf-8")
    week = html[html.index('id="week"') : html.index("</section>", html.index('id="week"'))]
    assert 'class="track-legend"' in week and "#c0392b" in week


def test_crowded_days_are_drawn_by_session_in_the_week(monkeypatch):
    p = load_programme(FIXTURES / "sessions").programme
    # three rooms and few items: titles fit, the talks stay single blocks; the posters
    # are one block
    few = grid.build_week(p, merge=sessions.week_merge)
    titled = [b.session.title for d in few.days for b in d.blocks if b.session]
    assert titled == ["Poster session"]
    assert sum(len(d.blocks) for d in few.days) == len(p.items) - 2
    # more items than fit: one block a session
    monkeypatch.setattr(sessions, "WEEK_SESSION_ITEMS", 6)
    by_session = grid.build_week(p, merge=sessions.week_merge)
    blocks = by_session.days[0].blocks
    titled = [b.session.title for b in blocks if b.session is not None]
    assert titled == ["Session 1: Compilers", "Session 2: Operating systems", "Poster session"]
    s2 = next(b for b in blocks if b.session is not None and b.session.id == "s2")
    assert s2.count == 3 and s2.height == 90
    assert not any(b.item.id == "t-fs" for b in blocks)  # inside its session's block


def test_entry_order_and_grid_day_leave_a_day_without_sessions_alone():
    p = load_programme(FIXTURES / "multiroom").programme
    for day in p.days:
        assert sessions.entry_order(day, has_entry) == [i for i in day.items if has_entry(i)]
        assert sessions.grid_day(day) is day
        assert sessions.day_tracks(p, day) == []


def test_speaker_index_entries_of_chairs():
    p = load_programme(FIXTURES / "sessions").programme
    entries = {e.person.id: e for e in speaker_index(p)}
    assert entries["grace"].chaired == frozenset({"k1"})
    assert entries["christophe"].chaired == frozenset({"t-tiling"})
    assert entries["frances"].chaired == frozenset()


def test_tint():
    assert sessions.tint("#000000", 0.5) == "#80807f" or sessions.tint("#000000", 0.5) == "#808080"
    assert sessions.tint("#ffffff") == "#ffffff"
    assert sessions.tint(None) == "#ffffff"


def test_a_poster_session_slot_takes_its_sessions_colour_not_a_posters(sessions_build):
    out, _ = sessions_build
    html = (out / "programme.html").read_text(encoding="utf-8")
    slot = html.index('class="slot kind-poster posters"')
    cell = html.rindex("<td", 0, slot)
    # the posters' session has no track: its cell is not tinted by the first poster's
    assert "border-left: 0.9mm solid" not in html[cell:slot]
