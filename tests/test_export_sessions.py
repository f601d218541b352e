"""Sessions and tracks in the exports: JSON, schedule.xml/json, the calendar."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import icalendar
import pytest
from click.testing import CliRunner

from booklet.cli import cli
from booklet.export.frab import check_xml, to_json, to_xml, track_slug
from booklet.export.ics import to_calendar
from booklet.validate import load_programme

from .conftest import CONTENT, FIXTURES, SHARED

SESSIONS = FIXTURES / "sessions"
VENDOR = SHARED / "vendor" / "c3voc-schedule"


@pytest.fixture(scope="module")
def programme():
    return load_programme(SESSIONS).programme


def export_json(content, tmp_path):
    out = tmp_path / "programme.json"
    result = CliRunner().invoke(cli, ["export", "json", str(content), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


def test_json_export_has_sessions_and_tracks(tmp_path):
    data = export_json(SESSIONS, tmp_path)
    assert data["tracks"] == [
        {"id": "compilers", "name": "Compilers", "colour": "#1f6fb4"},
        {"id": "systems", "name": "Systems", "colour": "#c0392b"},
    ]
    sessions = {s["id"]: s for s in data["sessions"]}
    assert list(sessions) == ["s1", "s2", "posters", "20250916-session-1"]
    s2 = sessions["s2"]
    assert (s2["title"], s2["start"], s2["end"]) == (
        "Session 2: Operating systems",
        "09:30",
        "11:00",
    )
    assert s2["rooms"] == ["Hall B"] and s2["track"] == "systems"
    assert [c["name"] for c in s2["chairs"]] == ["Kit Barton", "J. Nelson Amaral"]
    assert s2["chair_role"] == "moderator"
    assert s2["items"] == ["t-sched", "t-fs", "t-panel"]
    assert sessions["posters"]["posters"] is True
    assert sessions["posters"]["items"] == ["p-2", "p-3", "p-10"]
    items = {i["id"]: i for day in data["days"] for i in day["items"]}
    assert (items["t-panel"]["session"], items["t-panel"]["track"]) == ("s2", "systems")
    assert (items["welcome"]["session"], items["welcome"]["track"]) == (None, None)
    assert items["p-10"]["board"] == "10" and items["p-10"]["kind"] == "poster"
    # every session's items exist and say they are in it
    for s in data["sessions"]:
        assert all(items[i]["session"] == s["id"] for i in s["items"])


def test_json_export_of_an_event_without_sessions(tmp_path):
    data = export_json(CONTENT, tmp_path)
    assert data["sessions"] == [] and data["tracks"] == []
    assert all(
        i["session"] is None and i["track"] is None for d in data["days"] for i in d["items"]
    )


def test_schedule_tracks_are_the_event_tracks(programme):
    xml = to_xml(programme)
    assert check_xml(xml) == []
    root = ET.fromstring(xml)
    tracks = {
        t.get("name"): (t.get("slug"), t.get("color")) for t in root.findall("conference/track")
    }
    assert tracks["Compilers"] == ("compilers", "#1f6fb4")
    assert tracks["Systems"] == ("systems", "#c0392b")
    # items of no track keep their kind as track
    assert tracks["Other"][0] == "other" and "Talk" not in tracks
    by_title = {e.findtext("title"): e for e in root.findall("day/room/event")}
    assert by_title["Schedulers"].findtext("track") == "Systems"
    assert by_title["Typed assembly"].findtext("track") == "Compilers"
    assert by_title["Welcome"].findtext("track") == "Other"
    data = json.loads(to_json(programme))
    events = [
        e for d in data["schedule"]["conference"]["days"] for r in d["rooms"].values() for e in r
    ]
    assert {e["title"]: e["track"] for e in events}["Panel on kernels"] == "Systems"
    assert {"name": "Systems", "slug": "systems", "color": "#c0392b"} in data["schedule"][
        "conference"
    ]["tracks"]


def test_track_slugs_fit_the_xsd():
    assert track_slug("Compilers_2025") == "compilers-2025"
    assert track_slug("3d") == "track-3d"
    assert track_slug("a") == "track-a"


def test_schedule_with_tracks_is_valid_against_the_c3voc_schemas(programme):
    xsd, schema_json = VENDOR / "schedule.xml.xsd", VENDOR / "schedule.schema.json"
    if not xsd.is_file():
        pytest.skip(f"the C3VOC XSD is not at {xsd} (../shared is absent)")
    etree = pytest.importorskip("lxml.etree", reason="lxml (a test dependency) is missing")
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    assert schema.validate(etree.fromstring(to_xml(programme).encode("utf-8"))), schema.error_log
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema (test dependency) missing")
    validator = jsonschema.Draft6Validator(json.loads(schema_json.read_text(encoding="utf-8")))
    assert [e.message for e in validator.iter_errors(json.loads(to_json(programme)))] == []


def test_calendar_carries_session_and_track(programme):
    cal = icalendar.Calendar.from_ical(to_calendar(programme).to_ical())
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    tiling = events["Tiling for caches"]
    assert [str(c) for c in tiling["categories"].cats] == [
        "Talk",
        "Session 1: Compilers",
        "Compilers",
    ]
    assert "Session: Session 1: Compilers (Chair: Christophe Dubach)" in str(tiling["description"])
    poster = events["Register allocation by graph colouring"]
    assert "Board 10" in str(poster["description"])
    assert [str(c) for c in events["Welcome"]["categories"].cats] == ["Other"]


def test_web_page_groups_by_session_and_filters_by_track(programme):
    from booklet.export.web import render_web, rows

    html = render_web(programme)
    assert "<script" not in html
    # each session's heading, then its items, in order
    order = [
        'id="session-s1"',
        'id="item-t-tiling"',
        'id="item-t-vector"',
        'id="session-s2"',
        'id="item-t-sched"',
        'id="item-t-panel"',
        'id="session-posters"',
        'id="item-p-2"',
        'id="item-p-3"',
        'id="item-p-10"',
    ]
    positions = [html.index(needle) for needle in order]
    assert positions == sorted(positions)
    assert "Moderators: Kit Barton and J. Nelson Amaral" in html
    assert "Board 10" in html
    # one radio button a track, and a rule hiding the other tracks' items when it is checked
    assert '<input type="radio" name="track" id="track-all" class="track-radio" checked>' in html
    assert (
        '<label for="track-t2"><span class="swatch" style="background: #c0392b"></span>Systems'
        in html
    )
    assert (
        "#track-t2:checked ~ main .item:not(.pause):not(.track-t2), "
        "#track-t2:checked ~ main .session-head:not(.track-t2) { display: none; }"
    ) in html
    assert (
        'class="item kind-talk track-t2" id="item-t-panel" style="border-left-color: #c0392b"'
        in html
    )
    day_rows = rows(programme.days[0])
    assert [r.session.id for r in day_rows if r.session] == ["s1", "s2", "posters"]


def test_web_page_of_an_event_without_tracks_has_no_filter():
    from booklet.export.web import render_web

    html = render_web(load_programme(CONTENT).programme)
    assert "track-radio" not in html and "session-head" not in html
