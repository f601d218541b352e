"""The week at a glance's layout (booklet/render/grid.py): every item placed, overlaps in
lanes, empty hours cut out of the axis, a second page when the days are too many."""

from __future__ import annotations

import pytest

from booklet.render import grid
from booklet.validate import load_programme

from .conftest import CONTENT, FIXTURES


@pytest.fixture(scope="module")
def default():
    return load_programme(CONTENT).programme


def test_every_item_has_a_block(default):
    week = grid.build_week(default)
    for day in default.days:
        (placed,) = [d for d in week.days if d.day == day]
        assert sorted(b.item.id for b in placed.blocks) == sorted(i.id for i in day.items)


def test_open_ended_item_shares_its_column_with_the_talk_it_starts_with(default):
    """ "Opening words" (10:00, open-ended) and the 10:00 talk: side by side, half each."""
    week = grid.build_week(default)
    blocks = {b.item.display_title: b for d in week.days for b in d.blocks}
    words, talk = blocks["Opening words"], blocks["Machine Learning and Compiler Optimization"]
    assert words.top == talk.top and words.height > 0
    assert words.width == talk.width == 0.5 and {words.left, talk.left} == {0.0, 0.5}


def test_parallel_rooms_are_columns_with_their_names():
    programme = load_programme(FIXTURES / "multiroom").programme
    week = grid.build_week(programme)
    assert [[r.name for c in d.columns for r in c] for d in week.days] == [
        ["Hall A", "Hall B", "Room C"],
        ["Hall B"],
    ]
    monday = week.days[0].blocks
    keynote = next(b for b in monday if b.item.title == "Keynote across A and B")
    assert (keynote.left, keynote.width) == (0.0, pytest.approx(2 / 3))


def test_an_empty_evening_is_cut_out_of_the_axis(content_factory):
    programme = load_programme(
        content_factory(
            programme="""\
            days:
              - date: 2025-03-01
                items:
                  - {start: "09:00", end: "17:00", title: Long day, speakers: [ada]}
                  - {start: "21:00", kind: social, title: Reception}
              - date: 2025-03-02
                items:
                  - {start: "09:00", end: "12:00", title: Short day, speakers: [alan]}
                  - {start: "19:00", end: "23:30", kind: social, title: Dinner}
            """
        )
    ).programme
    week = grid.build_week(programme)
    # 09:00-17:00, 19:00-20:00 (a dinner shows its first hour), 21:00-21:30: two cuts
    assert [(s.start, s.end) for s in week.segments] == [(540, 1020), (1140, 1200), (1260, 1290)]
    assert [(before, after) for _, before, after in week.breaks] == [(1020, 1140), (1200, 1260)]
    assert week.span < 1290 - 540 - 2 * 60
    dinner = next(b for d in week.days for b in d.blocks if b.item.title == "Dinner")
    assert dinner.height == 60  # ends at the cut, not hours below
    assert [h for h, _ in week.ticks] == list(range(9, 18)) + [20]  # 19:00, 21:00: breaks


def test_seven_days_take_two_pages(content_factory):
    days = "".join(
        f"  - date: 2025-03-0{n}\n    items:\n"
        f'      - {{start: "09:00", end: "10:00", title: Talk {n}, speakers: [ada]}}\n'
        for n in range(1, 8)
    )
    programme = load_programme(content_factory(programme="days:\n" + days)).programme
    week = grid.build_week(programme)
    assert sorted(len(p.days) for p in week.pages) == [3, 4]
    assert [d.day for d in week.days] == list(programme.days)  # in order, none twice
    assert len(grid.build_week(load_programme(CONTENT).programme).pages) == 1
