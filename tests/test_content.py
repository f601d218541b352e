"""The default content (MLIR Winter School 2025) loads cleanly and matches its sources."""

import datetime as dt
import json
import re

import pytest

from booklet.export.json import dumps
from booklet.validate import load_programme

from .conftest import CONTENT, SHARED


@pytest.fixture(scope="module")
def programme():
    return load_programme(CONTENT).programme


def test_counts(programme):
    assert [d.date for d in programme.days] == [dt.date(2025, 1, d) for d in range(27, 32)]
    assert programme.event.timezone == "Europe/Paris"
    assert len(programme.rooms) == 1
    assert len(programme.speakers) == 17
    assert len(programme.items) == 48
    assert len([i for i in programme.items if i.is_presentation]) == 23


def test_only_warnings_are_talks_without_abstract():
    warnings = load_programme(CONTENT).warnings
    assert warnings and all("has no abstract" in w.what for w in warnings)


def test_repeated_speakers_are_one_person_each(programme):
    counts = {}
    for item in programme.items:
        for person in item.speakers:
            counts[person.name] = counts.get(person.name, 0) + 1
    assert counts["Mathieu Fehr"] == 4
    assert counts["Sasha Lopoukhine"] == 4
    assert counts["Kunwar Grover"] == 2
    assert counts["Mehdi Amini"] == 2
    assert counts["Alex Zinenko"] == 3
    names = [p.name for p in programme.people]
    assert len(names) == len(set(names))
    hands_on = [i for i in programme.items if i.title and "xDSL (hands-on)" in i.title]
    assert [[p.name for p in i.speakers] for i in hands_on] == [
        ["Mathieu Fehr", "Sasha Lopoukhine"]
    ] * 2


def test_no_encoding_artefacts():
    for path in CONTENT.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "Â" not in text and "\u00a0" not in text and "Ã" not in text, path


def test_titles_and_times_match_event_facts(programme):
    facts = SHARED / "inputs" / "event-facts.md"
    if not facts.exists():
        pytest.skip("../shared/inputs/event-facts.md is absent (a clone without shared/)")
    rows = re.findall(
        r"^\| (\d\d-\d\d) \| ([\d:]+)(?:-([\d:]+))? \| [^|]* \| (.+?) \|$",
        facts.read_text(encoding="utf-8"),
        re.M,
    )
    assert len(rows) == 31
    by_slot = {(f"{i.day:%m-%d}", f"{i.start:%H:%M}", i.title): i for i in programme.items}
    for date, start, end, title in rows:
        item = by_slot.get((date, start, title))
        assert item is not None, (date, start, title)
        assert (f"{item.end:%H:%M}" if item.end else None) == (end or None), title


def test_abstracts_come_from_the_programme(programme):
    source = SHARED / "inputs" / "mlir-winter-school-2025.txt"
    if not source.exists():
        pytest.skip("../shared/inputs is absent (a clone without shared/)")
    text = source.read_text(encoding="utf-8").replace("\u00a0", " ").replace("Â", "")
    lines = {line.strip() for line in text.splitlines()}
    abstracts = [i.abstract for i in programme.items if i.abstract and i.kind != "other"]
    assert len(abstracts) == 18
    for abstract in abstracts:
        for paragraph in abstract.split("\n\n"):
            assert paragraph in lines, paragraph[:60]


def test_export_json_shape(programme):
    data = json.loads(dumps(programme))
    assert data["event"]["title"] == "MLIR Winter School 2025"
    assert data["event"]["timezone"] == "Europe/Paris"
    day = data["days"][0]
    assert day["date"] == "2025-01-27"
    assert day["title"] == "ML Compilation Infrastructure Workshop"
    first_talk = next(i for i in day["items"] if i["kind"] == "talk")
    assert first_talk["start"] == "10:00" and first_talk["end"] == "10:40"
    assert first_talk["speakers"] == [
        {"id": "saday-sadayappan", "name": "Saday Sadayappan", "affiliation": "University of Utah"}
    ]
    assert first_talk["rooms"] == ["Main room"]
    assert first_talk["abstract"].startswith("A fundamental challenge")
    dinners = [i for d in data["days"] for i in d["items"] if i["title"] == "Dinner"]
    assert dinners[1]["start"] == "19:00" and dinners[1]["end"] is None
    for d in data["days"]:
        starts = [i["start"] for i in d["items"]]
        assert starts == sorted(starts)
