"""The completeness rule on every output: see tests/completeness.py."""

from __future__ import annotations

import dataclasses
import re

import pytest

from booklet.render import grid
from booklet.validate import load_programme
from tests.completeness import check_build
from tests.conftest import CONTENT, FIXTURES

pytestmark = pytest.mark.slow


def test_default_event_is_complete(default_build):
    out, _ = default_build
    assert check_build(load_programme(CONTENT).programme, out) == []


def test_multiroom_event_is_complete(multiroom_build):
    out, _ = multiroom_build
    assert check_build(load_programme(FIXTURES / "multiroom").programme, out) == []


def test_generated_event_is_complete(generated_build):
    content, out = generated_build
    assert check_build(load_programme(content).programme, out) == []


def _without(items, title):
    return tuple(i for i in items if i.display_title != title)


def test_the_check_finds_an_item_each_view_drops(tmp_path, monkeypatch):
    """Each view drops one item (its renderer patched, or its file edited): the check names
    that item in that view, and nothing else."""
    from booklet.build import build
    from booklet.render import pieces, signs

    build_week, build_grids = grid.build_week, grid.build_grids
    resolve_index, signs_for = pieces.resolve_index, signs.signs_for

    def week(programme, *args, **kwargs):
        result = build_week(programme, *args, **kwargs)
        pages = tuple(
            dataclasses.replace(
                page,
                days=tuple(
                    dataclasses.replace(
                        d, blocks=tuple(b for b in d.blocks if b.item.title != "Talk in C")
                    )
                    for d in page.days
                ),
            )
            for page in result.pages
        )
        return dataclasses.replace(result, pages=pages)

    def grids(day, *args, **kwargs):
        day = dataclasses.replace(day, items=_without(day.items, "Second talk in B"))
        return build_grids(day, *args, **kwargs)

    def index(entries, pages):
        resolved = resolve_index(entries, pages)
        return [
            dataclasses.replace(e, pages=e.pages[1:]) if e.person.name == "Alan Turing" else e
            for e in resolved
        ]

    def door_signs(programme):
        return [
            dataclasses.replace(s, items=_without(s.items, "Welcome"))
            if s.room.name == "Hall A"
            else s
            for s in signs_for(programme)
        ]

    monkeypatch.setattr(grid, "build_week", week)
    monkeypatch.setattr(grid, "build_grids", grids)
    monkeypatch.setattr(pieces, "resolve_index", index)
    monkeypatch.setattr(signs, "signs_for", door_signs)
    content = FIXTURES / "multiroom"
    out = tmp_path / "build"
    build(content, out, jobs=1)
    # the exports lose one item each
    ics = (out / "programme.ics").read_text(encoding="utf-8")
    ics = re.sub(r"BEGIN:VEVENT\r?\nSUMMARY:Coffee\r?\n.*?END:VEVENT\r?\n", "", ics, flags=re.S)
    (out / "programme.ics").write_text(ics, encoding="utf-8", newline="")
    xml = (out / "schedule.xml").read_text(encoding="utf-8")
    xml = re.sub(r"<event [^>]*>(?:(?!</event>).)*<title>Tutorial in C</title>.*?</event>", "",
                 xml, flags=re.S)  # fmt: skip
    (out / "schedule.xml").write_text(xml, encoding="utf-8")
    web = (out / "index.html").read_text(encoding="utf-8")
    web = re.sub(r"<article(?:(?!</article>).)*>Untitled slot<.*?</article>", "", web, flags=re.S)
    web = web.replace("Alan Turing", "A. Turing")  # the untitled slot leads with its speakers
    (out / "index.html").write_text(web, encoding="utf-8")

    problems = check_build(load_programme(content).programme, out)
    found = {(p.split(":", 1)[0], re.search(r"'([^']+)'", p)[1]) for p in problems}
    assert found == {
        ("week", "Talk in C"),
        ("grid", "Second talk in B"),
        ("index", "Alan Turing"),
        ("signs", "Welcome"),
        ("ics", "Coffee"),
        ("xml", "Tutorial in C"),
        ("web", "Untitled slot"),
        ("web", "Parallel talk in A"),  # Alan Turing's name is gone from the page too
    }, problems
