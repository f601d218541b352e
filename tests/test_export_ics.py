"""programme.ics: parsed back with the icalendar library; times checked in UTC through the
file's own VTIMEZONE, stable UIDs, reproducible DTSTAMP, breaks on request."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from booklet.cli import cli
from booklet.export.ics import fold, plain_text, to_calendar, to_ics
from booklet.validate import load_programme

from .conftest import CONTENT, FIXTURES

UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def default():
    return load_programme(CONTENT).programme


def parse(text: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text)


def utc_times(cal: icalendar.Calendar) -> dict[str, tuple[dt.datetime, dt.datetime | None]]:
    """SUMMARY -> (start, end) in UTC, converted with the VTIMEZONE the file carries."""
    zones = {tz["TZID"]: tz.to_tz() for tz in cal.walk("VTIMEZONE")}
    out = {}
    for event in cal.walk("VEVENT"):
        times = []
        for key in ("DTSTART", "DTEND"):
            if key not in event:
                times.append(None)
                continue
            prop = event[key]
            value = prop.dt
            if "TZID" in prop.params:  # local time: the file's own zone rules say the offset
                value = value.replace(tzinfo=None).replace(tzinfo=zones[prop.params["TZID"]])
            times.append(value.astimezone(UTC))
        out[str(event["SUMMARY"])] = tuple(times)
    return out


def test_one_event_per_item_with_utc_times_from_the_vtimezone(default):
    cal = parse(to_ics(default))
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert len(cal.walk("VEVENT")) == len(default.items) == 48
    times = utc_times(cal)
    # Paris is UTC+1 in January.
    assert times["Machine Learning and Compiler Optimization"] == (
        dt.datetime(2025, 1, 27, 9, 0, tzinfo=UTC),
        dt.datetime(2025, 1, 27, 9, 40, tzinfo=UTC),
    )
    assert times["Opening words"] == (dt.datetime(2025, 1, 27, 9, 0, tzinfo=UTC), None)
    multiroom = parse(to_ics(load_programme(FIXTURES / "multiroom").programme))
    # Berlin is UTC+2 in June.
    assert utc_times(multiroom)["Parallel talk in A"] == (
        dt.datetime(2025, 6, 2, 7, 30, tzinfo=UTC),
        dt.datetime(2025, 6, 2, 8, 30, tzinfo=UTC),
    )


def test_times_across_a_daylight_saving_change(content_factory):
    # Paris moves from UTC+1 to UTC+2 in the night of 29 to 30 March 2025.
    content = content_factory(
        programme="""\
        days:
          - date: 2025-03-29
            items:
              - {start: "09:00", end: "10:00", title: Before, speakers: [ada], room: a}
          - date: 2025-03-31
            items:
              - {start: "09:00", end: "10:00", title: After, speakers: [alan], room: a}
        """
    )
    times = utc_times(parse(to_ics(load_programme(content).programme)))
    assert times["Before"][0] == dt.datetime(2025, 3, 29, 8, 0, tzinfo=UTC)
    assert times["After"][0] == dt.datetime(2025, 3, 31, 7, 0, tzinfo=UTC)


def test_events_in_utc_need_no_vtimezone(content_factory):
    content = content_factory(
        event="title: Online Day\ntimezone: UTC\nrooms: [{id: a, name: Room A}]\n"
    )
    text = to_ics(load_programme(content).programme)
    assert "BEGIN:VTIMEZONE" not in text
    assert "DTSTART:20250301T090000Z" in text


def test_uids_are_stable_and_unique(default):
    first = parse(to_ics(default))
    uids = [str(e["UID"]) for e in first.walk("VEVENT")]
    assert len(set(uids)) == len(uids)
    assert uids[:3] == [
        "20250127-0845-all@mlir-winter-school-2025",
        "20250127-1000-all@mlir-winter-school-2025",
        "20250127-1000-all-2@mlir-winter-school-2025",
    ]
    again = parse(to_ics(load_programme(CONTENT).programme))
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == uids


def test_dtstamp_is_reproducible(default, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    text = to_ics(default)
    assert to_ics(default) == text  # no clock in it
    assert parse(text).walk("VEVENT")[0]["DTSTAMP"].dt == dt.datetime(2025, 1, 27, tzinfo=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735732800")  # 2025-01-01 12:00 UTC
    stamps = {e["DTSTAMP"].dt for e in parse(to_ics(default)).walk("VEVENT")}
    assert stamps == {dt.datetime(2025, 1, 1, 12, 0, tzinfo=UTC)}


def test_location_and_description(default):
    events = {str(e["SUMMARY"]): e for e in parse(to_ics(default)).walk("VEVENT")}
    talk = events["Machine Learning and Compiler Optimization"]
    assert str(talk["LOCATION"]) == "Main room, Google Paris"
    description = str(talk["DESCRIPTION"])
    assert description.startswith("Speaker: Saday Sadayappan (University of Utah)\n\n")
    assert "performance models" in description
    assert [str(c) for c in talk["CATEGORIES"].cats] == ["Talk"]
    assert "DTEND" not in events["Opening words"] and "DURATION" not in events["Opening words"]
    multiroom = parse(to_ics(load_programme(FIXTURES / "multiroom").programme))
    keynote = next(e for e in multiroom.walk("VEVENT") if e["SUMMARY"].startswith("Keynote"))
    assert str(keynote["LOCATION"]) == "Hall A, Hall B"
    parallel = next(e for e in multiroom.walk("VEVENT") if e["SUMMARY"] == "Parallel talk in A")
    assert str(parallel["DESCRIPTION"]).endswith("Alan talks in Hall A.")  # Markdown as text


def test_breaks_can_be_left_out(default):
    kept = parse(to_ics(default, breaks=False)).walk("VEVENT")
    pauses = [i for i in default.items if i.is_pause]
    assert len(pauses) == 20
    assert len(kept) == len(default.items) - len(pauses)
    assert not {str(c) for e in kept for c in e["CATEGORIES"].cats} & {"Break", "Meal"}
    result = CliRunner().invoke(cli, ["export", "ics", str(CONTENT), "--no-breaks"], obj={})
    assert result.exit_code == 0, result.output
    assert result.stdout.count("BEGIN:VEVENT") == len(kept)


def test_rfc5545_lines():
    text = to_ics(load_programme(FIXTURES / "multiroom").programme)
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    assert max(len(line.encode("utf-8")) for line in lines) <= 75  # folded
    assert "PRODID:-//booklet//booklet " in text and "VERSION:2.0" in text


@pytest.mark.parametrize("folder", [CONTENT, FIXTURES / "multiroom"], ids=["default", "multiroom"])
def test_calendar_is_what_icalendar_writes(folder):
    """`to_ics` folds the lines itself: the text is the library's own, character for
    character (abstracts with accents, dashes and long links are folded on the way)."""
    programme = load_programme(folder).programme
    text = to_ics(programme)
    assert text == to_calendar(programme).to_ical().decode("utf-8")
    assert any(line.startswith(" ") for line in text.split("\r\n"))  # some lines folded


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab;,:\\^é€\u0301\U0001f600 "), min_size=40, max_size=400))
def test_fold_keeps_each_line_within_75_octets(line):
    folded = fold(line)
    parts = folded.split("\r\n ")
    assert "".join(parts) == line  # unfolding gives the line back
    assert all(len(p.encode("utf-8")) <= 74 for p in parts)  # 75 with the space
    assert all(parts)  # no empty part
    # and folds where the library does (a backslash ending a part goes on to the next)
    assert folded == icalendar.parser.Contentline(line).to_ical().decode("utf-8")


def test_plain_text_of_markdown():
    assert plain_text("Some **bold** and a [link](https://x.org).\n\n- one\n- two") == (
        "Some bold and a link (https://x.org).\n\n- one\n- two"
    )
    assert plain_text("<script>x</script> & co") == "<script>x</script> & co"
