"""booklet import of frab/pretalx schedules: schedule.xml and pretalx's schedule JSON.

The fixtures in tests/fixtures/import/ (frab-meetup-days.xml, pretalx-pycamp.json) are
made up for these tests, each in the style of real exports; pretalx's own demo export is read
from ../shared when it is there (its licence keeps it out of the project).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import cli
from booklet.export.frab import to_json, to_xml
from booklet.importers import ImportedProgramme, detect_format, read_programme
from booklet.importers.frab import FrabReader, ScheduleError, ScheduleOptions
from booklet.importers.pretalx import PretalxReader
from booklet.importers.write import write_content
from booklet.model import Programme
from booklet.validate import load_programme

from .conftest import CONTENT, FIXTURES, SHARED

IMPORTS = FIXTURES / "import"
DEMOCON = SHARED / "vendor" / "c3voc-schedule" / "example-pretalx-democon.json"


def rows(programme: ImportedProgramme) -> list[str]:
    """One line per item: 'date start-end | kind | title | @speaker ... | rooms'."""
    out = []
    for day in programme.days:
        for i in day.items:
            when = f"{day.date} {i.start:%H:%M}" + (f"-{i.end:%H:%M}" if i.end else "")
            parts = [when, i.kind, i.title or "-", *(f"@{s}" for s in i.speakers)]
            out.append(" | ".join([*parts, ",".join(i.rooms) or "all"]))
    return out


def items(programme: Programme) -> list[tuple]:
    return [
        (i.day, i.start, i.end, i.kind, i.display_title, [p.name for p in i.speakers],
         [r.name for r in i.rooms])
        for i in programme.items
    ]  # fmt: skip


def import_into(path: Path, folder: Path, **options) -> Programme:
    write_content(read_programme(path, **options), folder)
    return load_programme(folder).programme


def warnings(programme: ImportedProgramme) -> list[str]:
    return [n.message for n in programme.warnings]


@pytest.mark.parametrize(("name", "export"), [("schedule.xml", to_xml), ("schedule.json", to_json)])
def test_round_trip_of_the_default_event(name, export, tmp_path):
    original = load_programme(CONTENT).programme
    exported = tmp_path / name
    exported.write_text(export(original), encoding="utf-8")
    imported = read_programme(exported)
    assert imported.warnings == []
    write_content(imported, tmp_path / "content")
    again = load_programme(tmp_path / "content").programme
    assert items(again) == items(original)
    assert len(again.items) == 48 and len(again.days) == 5
    assert again.event.title == original.event.title and again.event.timezone == "Europe/Paris"
    # Same items, times, speakers and rooms: exporting again gives the very same file,
    # guids included (they come from the item ids, which come from dates, times and rooms).
    assert export(again) == export(original)


def test_round_trip_of_parallel_rooms(tmp_path):
    original = load_programme(FIXTURES / "multiroom").programme
    exported = tmp_path / "schedule.xml"
    exported.write_text(to_xml(original), encoding="utf-8")
    again = import_into(exported, tmp_path / "content")
    assert [r.name for r in again.rooms] == ["Hall A", "Hall B", "Room C"]
    before, after = items(original), items(again)
    assert [row[:6] for row in after] == [row[:6] for row in before]  # all but rooms
    # A schedule has one room per event: an item in several rooms comes back in the first,
    # except breaks, meals and social events alone at their time, which span every room.
    changed = {
        row[4]: (row[6], new[6]) for row, new in zip(before, after, strict=True) if row != new
    }
    assert changed == {
        "Welcome": (["Hall A", "Hall B", "Room C"], ["Hall A"]),
        "Keynote across A and B": (["Hall A", "Hall B"], ["Hall A"]),
    }


def test_older_frab_xml(tmp_path):
    path = IMPORTS / "frab-meetup-days.xml"
    assert detect_format(path) == "frab"
    programme = read_programme(path)
    assert programme.event == {
        "title": "Rust Meetup Days 2024",
        "timezone": "Europe/Amsterdam",
        "rooms": [{"id": "aula", "name": "Aula"}, {"id": "workshop-room", "name": "Workshop Room"}],
        "tracks": [{"id": "basics", "name": "Basics"}],  # an event's <track>
    }  # the empty room is left out
    assert rows(programme) == [
        "2024-10-11 09:30-10:15 | talk | Ownership without tears | @anna-kowalska | aula",
        "2024-10-11 09:30-10:15 | tutorial | Async from scratch | @bram-van-der-berg "
        "| workshop-room",
        "2024-10-11 10:30-11:00 | break | Coffee break | all",  # type 'other', a break's title
        "2024-10-11 11:00 | talk | Open lab | @anna-kowalska | workshop-room",  # no duration
        "2024-10-11 12:00-13:00 | meal | Lunch | all",  # no type at all
        "2024-10-11 13:00-14:30 | tutorial | Unsafe Rust, carefully | @bram-van-der-berg "
        "| @chiara-rossi | aula",
        "2024-10-11 23:30 | other | Late night hacking | aula",  # would end after midnight
        # 01:00 on the conference's first "day" (04:00 to 03:59) is the next calendar date.
        "2024-10-12 01:00-01:30 | talk | Night owls | @chiara-rossi | aula",
        "2024-10-12 10:00-10:45 | talk | - | @anna-kowalska | aula",  # titled with her name
    ]  # fmt: skip
    first = programme.days[0].items[0]
    assert first.abstract == (
        "*A gentle start*\n\nBorrowing, *moving* and lifetimes.\n\nBring a laptop."
    )
    assert [(p.name, p.sort_name) for p in programme.people] == [
        ("Anna Kowalska", "Kowalska, Anna"),
        ("Bram van der Berg", "van der Berg, Bram"),
        ("Chiara Rossi", "Rossi, Chiara"),
    ]
    assert warnings(programme) == [
        "day 2024-10-11, room Aula, event 105 ('Late night hacking'): runs past midnight "
        "(23:30 + 60 min, to 00:30); imported without an end time, the end kept in a comment",
        "day 2024-10-11, room Workshop Room, event 108 ('Not yet scheduled'): skipped, no "
        "usable date and start time",
        "day 2024-10-11, room Workshop Room, event 109 ('Open lab'): no duration; imported "
        "without an end time",
    ]
    write_content(programme, tmp_path / "content")
    built = load_programme(tmp_path / "content").programme
    assert len(built.items) == 9 and [r.name for r in built.rooms] == ["Aula", "Workshop Room"]


def test_pretalx_json(tmp_path):
    path = IMPORTS / "pretalx-pycamp.json"
    assert detect_format(path) == "pretalx"
    programme = read_programme(path)
    assert programme.event == {
        "title": "PyCamp Lyon",
        "timezone": "Europe/Paris",
        "language": "fr",
        "website": "https://pycamp.example.org/",
        "rooms": [{"id": "amphi", "name": "Amphi"}, {"id": "salle-2", "name": "Salle 2"}],
    }
    assert rows(programme) == [
        # 07:00Z is 09:00 in Paris, as the file's own "start" says.
        "2025-04-03 09:00-09:45 | talk | Typage progressif | @elodie-martin | amphi",
        "2025-04-03 09:00-10:00 | talk | Lightning talks | @sam-lee | salle-2",
        "2025-04-03 10:00-10:20 | break | Pause café | all",
        # No duration: the end comes from "end". Élodie is known by her pretalx code.
        "2025-04-03 10:20-11:50 | tutorial | Atelier asyncio | @elodie-martin | @jean-dupont "
        "| amphi",
    ]
    assert programme.days[0].items[-1].abstract == "Apportez un portable."
    assert [p.name for p in programme.people] == ["Élodie Martin", "Jean Dupont", "Sam Lee"]
    assert warnings(programme) == [
        "skipped 1 entry that is not an object",
        "day 2025-04-03, room Salle 2, event 5 ('Talk without a slot'): skipped, no usable "
        "date and start time",
    ]
    write_content(programme, tmp_path / "content")
    assert load_programme(tmp_path / "content").programme.event.language == "fr"


def test_real_pretalx_export(tmp_path):
    if not DEMOCON.is_file():
        pytest.skip(f"pretalx's demo export is not at {DEMOCON} (../shared is absent)")
    programme = read_programme(DEMOCON)
    assert programme.event["title"] == "DemoCon"
    assert [r["name"] for r in programme.event["rooms"]] == ["Gray Room", "Tan Room"]
    assert [str(d.date) for d in programme.days] == ["2020-12-14", "2020-12-15", "2020-12-16"]
    assert len(programme.items) == 36
    assert sum(i.kind == "tutorial" for i in programme.items) == 9  # pretalx "Workshop"
    assert "2020-12-14 15:00-15:30 | talk | Networked modular help-desk | @maria-williams " \
        "| @mariah-estrada | gray-room" in rows(programme)  # fmt: skip
    # The demo says UTC but writes +01:00 offsets: its local times are kept, and said so.
    assert len(warnings(programme)) == 1 and "carry a UTC offset" in warnings(programme)[0]
    assert "TODO" in programme.event_comments["timezone"]
    loaded = import_into(DEMOCON, tmp_path / "content")
    assert len(loaded.items) == 36 and len(loaded.speakers) == 27


def test_options_override_the_file():
    options = ScheduleOptions(timezone="Europe/Warsaw", title="Meetup", start_date=None)
    programme = FrabReader(options).read(IMPORTS / "frab-meetup-days.xml")
    assert programme.event["title"] == "Meetup" and programme.event["timezone"] == "Europe/Warsaw"
    assert rows(programme)[0].startswith("2024-10-11 09:30-10:15")  # local times as written


def test_offsets_converted_to_the_event_time_zone():
    schedule = {
        "schedule": {
            "conference": {
                "title": "T",
                "time_zone_name": "Europe/Paris",
                "days": [
                    {
                        "date": "2025-07-01",
                        "rooms": {
                            "R": [
                                {"date": "2025-07-01T08:00:00Z", "duration": "00:30",
                                 "title": "From UTC", "type": "talk"},
                                {"date": "2025-07-01T10:00:00+01:00", "start": "10:00",
                                 "duration": "00:30", "title": "Wrong offset", "type": "talk"},
                            ]
                        },
                    }
                ],
            }
        }
    }  # fmt: skip
    programme = PretalxReader().parse(json.dumps(schedule).encode("utf-8"))
    assert rows(programme) == [
        "2025-07-01 10:00-10:30 | talk | From UTC | all",  # 08:00Z is 10:00 in Paris
        "2025-07-01 10:00-10:30 | talk | Wrong offset | all",  # the file's 10:00 kept ...
    ]
    assert "carry a UTC offset" in warnings(programme)[0]  # ... and reported


def test_format_detection_and_choice(tmp_path):
    assert detect_format(IMPORTS / "mlir-winter-school-2025.txt") == "text"
    bom = tmp_path / "schedule.xml"
    bom.write_bytes(b"\xef\xbb\xbf\n  " + (IMPORTS / "frab-meetup-days.xml").read_bytes())
    assert detect_format(bom) == "frab"
    assert len(read_programme(bom).items) == 9
    with pytest.raises(ScheduleError, match="1:1: XML error.*try --format pretalx"):
        read_programme(IMPORTS / "pretalx-pycamp.json", fmt="frab")
    with pytest.raises(ScheduleError, match="JSON error.*try --format frab"):
        read_programme(IMPORTS / "frab-meetup-days.xml", fmt="pretalx")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"<schedule><day>",
            r"schedule.xml:1:16: XML error: no element found \(is the file complete",
        ),
        (b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaa">]><schedule/>', "DOCTYPE"),
        (b"<html><body>Programme</body></html>", "root element is <html>, not <schedule>"),
        (b"<schedule><day date='2025-01-01'/></schedule>", "no event with a date and start"),
    ],
)
def test_xml_errors_say_what_is_wrong(data, message):
    with pytest.raises(ScheduleError, match=message):
        FrabReader().parse(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"schedule": {', r"schedule.json:1:15: JSON error: Expecting property name"),
        (b"[1, 2]", "no 'schedule' with a 'conference' object"),
        (b'{"talks": []}', "no 'schedule' with a 'conference' object"),
        (b'{"schedule": {"conference": {"title": "X"}}}', "the conference has no 'days' list"),
    ],
)
def test_json_errors_say_what_is_wrong(data, message):
    with pytest.raises(ScheduleError, match=message):
        PretalxReader().parse(data)


@pytest.mark.skipif(
    "import" not in cli.commands, reason="cli.py has no 'booklet import' command at the moment"
)
def test_cli_import_detects_or_takes_the_format(tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        cli, ["import", str(IMPORTS / "pretalx-pycamp.json"), "--out", str(tmp_path / "a")], obj={}
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Imported 'PyCamp Lyon' from ")
    assert "4 items" in result.output and "skipped 1 entry that is not an object" in result.output
    assert load_programme(tmp_path / "a").programme.event.title == "PyCamp Lyon"
    result = runner.invoke(
        cli,
        ["import", str(IMPORTS / "pretalx-pycamp.json"), "--out", str(tmp_path / "b"),
         "--format", "frab"],
        obj={},
    )  # fmt: skip
    assert result.exit_code == 1
    assert "XML error" in result.output and "try --format pretalx" in result.output
    assert not (tmp_path / "b").exists()


# -- what real exports get wrong ----------------------------------------------------------

GAPS_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <conference><title>Gaps</title><time_zone_name>Europe/Berlin</time_zone_name></conference>
  <day index="1" date="2024-03-01" start="2024-03-01T06:00:00+01:00"
       end="2024-03-02T05:59:00+01:00">
    <room name="Hall A">
      <event id="1">
        <date>2024-03-01T10:00:00+01:00</date><start>10:00</start><duration>00:30</duration>
        <room>Hall A</room><title>Opening</title>
        <person>Prof. Dr. Jane Doe, Max Mustermann</person>
      </event>
      <event id="9">
        <date>2024-03-01T11:00:00+01:00</date><start>11:00</start><duration>00:20</duration>
        <room>Hall A</room><title>Coffee Break</title><track>Pause</track>
      </event>
      <event id="2">
        <date>2024-03-01T11:30:00+01:00</date><start>11:30</start><duration>00:30</duration>
        <room>Hall A</room><title>Small caps</title>
        <abstract>&lt;p&gt;Read &lt;b&gt;this&lt;/b&gt; and &lt;a href="https://example.org"&gt;that&lt;/a&gt;.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;one&lt;/li&gt;&lt;/ul&gt;</abstract>
        <persons><person id="11">Anna Berg</person></persons>
      </event>
      <event id="3">
        <date>2024-03-01T23:30:00+01:00</date><start>23:30</start><duration>01:00</duration>
        <room>Hall A</room><title>Late show</title>
        <persons><person id="12">anna berg</person></persons>
      </event>
    </room>
    <room name="Hall B">
      <event id="9">
        <date>2024-03-01T11:00:00+01:00</date><start>11:00</start><duration>00:20</duration>
        <room>Hall B</room><title>Coffee Break</title><track>Pause</track>
      </event>
      <event id="4">
        <date>2024-03-01T11:00:00+01:00</date><start>11:00</start><duration>00:20</duration>
        <room>Hall B</room><title>Parallel talk</title>
        <persons><person id="13">Carl Dahl</person></persons>
      </event>
    </room>
  </day>
</schedule>
"""


def test_frab_gaps_of_real_exports():
    programme = FrabReader().parse(GAPS_XML, "gaps.xml")
    people = {p.id: p.name for p in programme.people}
    by_title = {i.title: i for i in programme.items}
    # A singular <person> holding several names, honorifics taken off.
    assert [people[s] for s in by_title["Opening"].speakers] == ["Jane Doe", "Max Mustermann"]
    # One event id listed in two rooms: one break across both.
    breaks = [i for i in programme.items if i.title == "Coffee Break"]
    assert len(breaks) == 1 and breaks[0].rooms == []
    # Two people whose names differ only in case, with their own ids, stay two people.
    assert people[by_title["Small caps"].speakers[0]] == "Anna Berg"
    assert people[by_title["Late show"].speakers[0]] == "anna berg"
    # An end past midnight is kept, not dropped: on the item's comment and in a warning.
    assert "00:30" in (by_title["Late show"].comment or "")
    # HTML abstracts become Markdown.
    assert by_title["Small caps"].abstract == (
        "Read **this** and [that](https://example.org).\n\n* one"
    )


def test_singular_person_of_a_real_jekyll_export():
    programme = read_programme(IMPORTS / "real" / "lswt2019-schedule.xml")
    people = {p.id: p.name for p in programme.people}
    first = programme.items[0]
    assert [people[s] for s in first.speakers] == ["Sebastian Tramp", "Andreas Heinecke"]
    assert "Dr.-Ing. Sebastian Hellmann" not in people.values()
    assert "Sebastian Hellmann" in people.values()
