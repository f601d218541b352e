"""schedule.xml and schedule.json: valid against the C3VOC schemas, complete, stable ids.

The XSD and JSON schema are reference files in ../shared/vendor/c3voc-schedule; tests that
need them skip when that folder is absent. The project's own structure check (`check_xml`)
runs everywhere.
"""

from __future__ import annotations

import json
import re
import uuid
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from booklet.build import build
from booklet.cli import cli
from booklet.export import item_guid
from booklet.export.frab import check_xml, to_data, to_json, to_xml
from booklet.validate import load_programme

from .conftest import CONTENT, FIXTURES, SHARED

VENDOR = SHARED / "vendor" / "c3voc-schedule"
XSD = VENDOR / "schedule.xml.xsd"
JSON_SCHEMA = VENDOR / "schedule.schema.json"


@pytest.fixture(scope="module")
def default():
    return load_programme(CONTENT).programme


@pytest.fixture(scope="module")
def multiroom():
    return load_programme(FIXTURES / "multiroom").programme


def events(xml: str) -> list[ET.Element]:
    return ET.fromstring(xml).findall("day/room/event")


def test_xml_valid_against_the_c3voc_xsd(default, multiroom):
    if not XSD.is_file():
        pytest.skip(f"the C3VOC XSD is not at {XSD} (../shared is absent)")
    etree = pytest.importorskip("lxml.etree", reason="lxml (a test dependency) is missing")
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    for programme in (default, multiroom):
        doc = etree.fromstring(to_xml(programme).encode("utf-8"))
        assert schema.validate(doc), schema.error_log
    # The schema does reject a schedule missing what it requires.
    broken = etree.fromstring(to_xml(default).encode("utf-8"))
    first = broken.find("day/room/event")
    first.remove(first.find("duration"))
    assert not schema.validate(broken)


def test_json_valid_against_the_c3voc_schema(default, multiroom):
    if not JSON_SCHEMA.is_file():
        pytest.skip(f"the C3VOC JSON schema is not at {JSON_SCHEMA} (../shared is absent)")
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema (test dependency) missing")
    validator = jsonschema.Draft6Validator(json.loads(JSON_SCHEMA.read_text(encoding="utf-8")))
    for programme in (default, multiroom):
        errors = [e.message for e in validator.iter_errors(json.loads(to_json(programme)))]
        assert errors == []
    data = json.loads(to_json(default))
    del data["schedule"]["conference"]["days"][0]["rooms"]["Main room"][0]["guid"]
    assert any("'guid' is a required property" in e.message for e in validator.iter_errors(data))


def test_own_structure_check_passes_ours_and_catches_breakage(default, multiroom):
    assert check_xml(to_xml(default)) == []
    assert check_xml(to_xml(multiroom)) == []
    xml = to_xml(default)
    first_guid = events(xml)[0].get("guid")
    second_guid = events(xml)[1].get("guid")
    broken = (
        xml.replace("<duration>01:15</duration>", "", 1)
        .replace(second_guid, first_guid)
        .replace("<start>10:40</start>", "<start>10h40</start>", 1)
    )
    problems = check_xml(broken)
    assert any(p.endswith("missing <duration>") for p in problems), problems
    assert any(f"duplicate guid '{first_guid}'" in p for p in problems), problems
    assert any("'10h40' is not a valid start" in p for p in problems), problems
    assert check_xml("<html><body/></html>") == ["root element is <html>, not <schedule>"]
    assert check_xml("<schedule>")[0].startswith("not well-formed XML")


def test_conference_and_days(default):
    root = ET.fromstring(to_xml(default))
    conference = root.find("conference")
    assert conference.findtext("title") == "MLIR Winter School 2025"
    assert conference.findtext("acronym") == "mlir_winter_school_2025"
    assert conference.findtext("start") == "2025-01-27"
    assert conference.findtext("end") == "2025-01-31"
    assert conference.findtext("days") == "5"
    assert conference.findtext("time_zone_name") == "Europe/Paris"
    days = root.findall("day")
    assert [d.get("date") for d in days] == [f"2025-01-{n}" for n in range(27, 32)]
    assert [d.get("index") for d in days] == ["1", "2", "3", "4", "5"]
    assert days[0].get("start") == "2025-01-27T08:45:00+01:00"
    assert [r.get("name") for r in days[0].findall("room")] == ["Main room"]


def test_every_item_is_an_event_with_its_times_and_people(default):
    rows = [
        (
            e.findtext("date"),
            e.findtext("start"),
            e.findtext("duration"),
            e.findtext("title"),
            e.findtext("type"),
            [p.text for p in e.findall("persons/person")],
        )
        for e in events(to_xml(default))
    ]
    assert len(rows) == len(default.items) == 48
    expected = [
        (
            f"{item.day}T{item.start:%H:%M}:00+01:00",  # Paris in January
            f"{item.start:%H:%M}",
            "{:02d}:{:02d}".format(*divmod(item.duration_minutes or 0, 60)),
            item.display_title,
            item.kind,
            [p.name for p in item.speakers],
        )
        for item in default.items
    ]
    assert rows == expected
    opening = next(e for e in events(to_xml(default)) if e.findtext("title") == "Opening words")
    assert opening.findtext("duration") == "00:00"  # open-ended
    talk = next(e for e in events(to_xml(default)) if e.findtext("title").startswith("Formal"))
    assert talk.findtext("track") == "Talk"
    assert talk.findtext("abstract").startswith("MLIR is designed to be modular")
    assert talk.findtext("room") == "Main room"


def test_summer_offsets_and_parallel_rooms(multiroom):
    root = ET.fromstring(to_xml(multiroom))
    day = root.find("day")
    rooms = {r.get("name"): [e.findtext("title") for e in r] for r in day.findall("room")}
    assert rooms == {
        "Hall A": ["Welcome", "Parallel talk in A", "Coffee break", "Keynote across A and B",
                   "Reception"],
        "Hall B": ["Short talk in B", "Second talk in B"],
        "Room C": ["Tutorial in C", "Talk in C"],
    }  # fmt: skip
    first = day.find("room/event")
    assert first.findtext("date") == "2025-06-02T09:00:00+02:00"  # Berlin in June
    assert root.find("conference/time_zone_name").text == "Europe/Berlin"


def test_ids_are_stable_unique_and_derived_from_the_content(content_factory):
    content = content_factory()
    before = load_programme(content).programme
    first = events(to_xml(before))[0]
    assert first.get("guid") == str(item_guid(before.event, before.items[0]))
    assert uuid.UUID(first.get("guid")).version == 5
    assert to_xml(before) == to_xml(load_programme(content).programme)  # rebuild: same bytes
    # Another talk added before it: the first talk keeps its guid and id.
    programme_yaml = (content / "programme.yaml").read_text(encoding="utf-8")
    (content / "programme.yaml").write_text(
        programme_yaml.replace(
            "    items:\n",
            '    items:\n      - {start: "08:00", end: "08:30", title: Early, room: b}\n',
        ),
        encoding="utf-8",
    )
    after = load_programme(content).programme
    moved = next(e for e in events(to_xml(after)) if e.findtext("title") == "First talk")
    assert (moved.get("guid"), moved.get("id")) == (first.get("guid"), first.get("id"))
    all_events = events(to_xml(after))
    assert len({e.get("guid") for e in all_events}) == len({e.get("id") for e in all_events}) == 2
    # The version names the content: it changed with it.
    assert to_data(after)["schedule"]["version"] != to_data(before)["schedule"]["version"]


def test_json_flavour_mirrors_the_xml(multiroom):
    data = json.loads(to_json(multiroom))
    conference = data["schedule"]["conference"]
    assert conference["daysCount"] == 2
    assert [r["name"] for r in conference["rooms"]] == ["Hall A", "Hall B", "Room C"]
    day = conference["days"][0]
    assert list(day["rooms"]) == ["Hall A", "Hall B", "Room C"]
    talk = day["rooms"]["Hall A"][1]
    assert talk["title"] == "Parallel talk in A"
    assert (talk["date"], talk["end"], talk["duration"]) == (
        "2025-06-02T09:30:00+02:00",
        "2025-06-02T10:30:00+02:00",
        "01:00",
    )
    assert [p["name"] for p in talk["persons"]] == ["Alan Turing"]
    reception = day["rooms"]["Hall A"][-1]
    assert reception["title"] == "Reception" and "end" not in reception
    xml_guids = [e.get("guid") for e in events(to_xml(multiroom))]
    json_guids = [e["guid"] for d in conference["days"] for es in d["rooms"].values() for e in es]
    assert sorted(xml_guids) == sorted(json_guids)


def test_cli_prints_or_writes_each_format(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "xml", str(CONTENT)], obj={})
    assert result.exit_code == 0, result.output
    assert result.stdout == to_xml(load_programme(CONTENT).programme)
    target = tmp_path / "out" / "schedule.json"
    result = runner.invoke(
        cli, ["export", "schedule-json", str(FIXTURES / "multiroom"), "--out", str(target)], obj={}
    )
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8"))["schedule"]["conference"]["title"] == (
        "Parallel Test Conference"
    )


def test_the_exports_output_writes_all_four(tmp_path):
    written = build(FIXTURES / "multiroom", tmp_path / "build", only="exports").outputs
    assert {name: path.name for name, path in written.items()} == {
        "xml": "schedule.xml",
        "schedule-json": "schedule.json",
        "ics": "programme.ics",
        "html": "index.html",
    }
    assert check_xml(written["xml"].read_bytes()) == []
    assert written["ics"].read_text(encoding="utf-8").count("BEGIN:VEVENT") == 12
    assert "Keynote across A and B" in written["html"].read_text(encoding="utf-8")
    assert re.search(r'"title": "Tutorial in C"', written["schedule-json"].read_text("utf-8"))
