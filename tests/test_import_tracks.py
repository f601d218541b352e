"""frab and pretalx tracks become the event's tracks, with their colours where given."""

from __future__ import annotations

from booklet.importers import read_programme
from booklet.importers.write import write_content
from booklet.validate import load_programme

from .conftest import FIXTURES

IMPORTS = FIXTURES / "sessions" / "import"


def imported(tmp_path, name):
    programme = read_programme(IMPORTS / name)
    write_content(programme, tmp_path / "content")
    return programme, load_programme(tmp_path / "content").programme


def test_frab_tracks_become_tracks_with_their_colours(tmp_path):
    raw, p = imported(tmp_path, "tracks.xml")
    # the file's order; a colour given is kept (in lower case); 'Break' only repeats a type
    assert raw.event["tracks"] == [
        {"id": "security", "name": "Security", "colour": "#b03a2e"},
        {"id": "kernel-and-drivers", "name": "Kernel and Drivers", "colour": "#2e6f73"},
        {"id": "kernel-friends", "name": "Kernel & Friends"},
    ]
    tracks = {i.title: i.track for i in p.items}
    assert tracks["Fuzzing the kernel"].name == "Kernel and Drivers"
    assert tracks["Side channels"].colour == "#b03a2e"
    assert tracks["Coffee"] is None and tracks["Untracked talk"] is None
    # a track the conference does not list: defined all the same, with a palette colour
    assert tracks["Rust in drivers"].id == "kernel-friends"
    assert tracks["Rust in drivers"].colour.startswith("#")
    text = (tmp_path / "content" / "event.yaml").read_text(encoding="utf-8")
    assert "colour: '#b03a2e'" in text or 'colour: "#b03a2e"' in text


def test_pretalx_tracks_become_tracks(tmp_path):
    raw, p = imported(tmp_path, "tracks-pretalx.json")
    assert raw.event["tracks"] == [
        {"id": "data", "name": "Data", "colour": "#1f77b4"},
        {"id": "web", "name": "Web"},  # its colour is not one
    ]
    tracks = {i.title: i.track for i in p.items}
    assert tracks["Pandas at scale"].id == "data"
    assert tracks["Web of things"].id == "web"  # a track given as an object
    assert tracks["Notebooks"] is None


def test_a_schedule_without_tracks_imports_none(tmp_path):
    raw = read_programme(FIXTURES / "import" / "pretalx-pycamp.json")
    assert "tracks" not in raw.event
    assert raw.items and all(i.track is None for i in raw.items)


def test_roundtrip_of_our_schedule_keeps_the_tracks(tmp_path):
    from booklet.export.frab import to_xml

    source = load_programme(FIXTURES / "sessions").programme
    (tmp_path / "schedule.xml").write_text(to_xml(source), encoding="utf-8")
    raw = read_programme(tmp_path / "schedule.xml")
    assert [(t["name"], t.get("colour")) for t in raw.event["tracks"]] == [
        ("Compilers", "#1f6fb4"),
        ("Systems", "#c0392b"),
    ]
    assert {i.kind for i in raw.items} >= {"poster", "talk", "keynote"}


def test_imported_sessions_are_written_as_sessions(tmp_path):
    import datetime as dt

    from booklet.importers import (
        ImportedDay,
        ImportedItem,
        ImportedPerson,
        ImportedProgramme,
        ImportedSession,
    )

    session = ImportedSession("Session 2: Compilers", chairs=["nelson"], chair_role="moderator")
    talks = [
        ImportedItem(dt.time(9), dt.time(9, 30), "talk", "Tiling", ["ada"], "x", session=session),
        ImportedItem(dt.time(9, 30), dt.time(10), "talk", "Vectors", ["ada"], "y", session=session),
    ]
    coffee = ImportedItem(dt.time(10), dt.time(10, 30), "break", "Coffee")
    imported = ImportedProgramme(
        "programme.txt",
        {"title": "Imported", "timezone": "UTC"},
        [
            ImportedPerson("ada", "Ada Lovelace", "Lovelace, Ada"),
            ImportedPerson("nelson", "J. Nelson Amaral", "Amaral, J. Nelson"),
        ],
        [ImportedDay(dt.date(2025, 3, 1), items=[*talks, coffee])],
    )
    write_content(imported, tmp_path / "content")
    p = load_programme(tmp_path / "content").programme
    (written,) = p.sessions
    assert written.title == "Session 2: Compilers"
    assert [c.name for c in written.chairs] == ["J. Nelson Amaral"]
    assert written.chairs_line == "Moderator: J. Nelson Amaral"
    assert [i.title for i in written.items] == ["Tiling", "Vectors"]
    assert [i.session for i in p.items] == [written.id, written.id, None]
