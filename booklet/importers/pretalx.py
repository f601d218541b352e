"""pretalx's (and frab's) schedule JSON export -> `ImportedProgramme`.

The JSON flavour of schedule.xml (pretalx: Schedule > Exports > JSON, `schedule.json`):
`{"schedule": {"conference": {"title", "time_zone_name", "rooms": [...], "days": [{"date",
"day_start", "rooms": {room name: [events]}}]}}}`. This module reads that shape into the
`RawSchedule` of `frab.py`, which builds the programme for both formats. Values of the wrong
type are treated as missing, so one odd field costs one event at most, never the import.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from booklet.importers import ImportedProgramme, Note
from booklet.importers.frab import (
    RawEvent,
    RawPerson,
    RawSchedule,
    ScheduleError,
    ScheduleOptions,
    build_programme,
)
from booklet.sources import read_bytes

HINT = "export the schedule as JSON from pretalx (Schedule > Exports) or frab (schedule.json)"


class PretalxReader:
    """schedule.json -> `ImportedProgramme`."""

    def __init__(self, options: ScheduleOptions | None = None):
        self.options = options or ScheduleOptions()

    def read(self, path: Path) -> ImportedProgramme:
        path = Path(path)
        return self.parse(read_bytes(path), path.name)

    def parse(self, data: bytes, source: str = "schedule.json") -> ImportedProgramme:
        return build_programme(read_json(data, source), self.options)


def read_json(data: bytes, source: str = "schedule.json") -> RawSchedule:
    try:
        text = data.decode("utf-8-sig")
        root = json.loads(text, parse_int=_parse_int)
    except UnicodeDecodeError:
        raise ScheduleError(f"{source}: not UTF-8 text", HINT) from None
    except _LongNumber as exc:
        at = re.search(rf"(?<![0-9.eE])-?{exc.args[0]}", text)
        index = at.start() if at else 0
        line, col = text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)
        raise ScheduleError(
            f"{source}:{line}:{col}: JSON error: a number of {len(exc.args[0]):,} digits", HINT
        ) from None
    except RecursionError:  # arrays or objects nested thousands deep: no schedule is
        raise ScheduleError(f"{source}: the JSON is nested too deeply", HINT) from None
    except json.JSONDecodeError as exc:
        raise ScheduleError(
            f"{source}:{exc.lineno}:{exc.colno}: JSON error: {exc.msg}",
            "this looks like XML: try --format frab"
            if data.lstrip().startswith(b"<")
            else "is the file complete? download it again",
        ) from None
    schedule = root.get("schedule") if isinstance(root, dict) else None
    if schedule is None and isinstance(root, dict) and "conference" in root:
        schedule = root  # some tools drop the outer object
    conference = schedule.get("conference") if isinstance(schedule, dict) else None
    if not isinstance(conference, dict):
        raise ScheduleError(f"{source}: no 'schedule' with a 'conference' object", HINT)
    days = conference.get("days")
    if not isinstance(days, list):
        raise ScheduleError(f"{source}: the conference has no 'days' list", HINT)

    raw = RawSchedule(
        source,
        title=_s(conference.get("title")),
        time_zone_name=_s(conference.get("time_zone_name")),
        url=_s(conference.get("url")),
    )
    for track in _list(conference.get("tracks")):
        name = _s(track.get("name")) if isinstance(track, dict) else _s(track)
        if name:
            colour = (
                _s(track.get("color") or track.get("colour")) if isinstance(track, dict) else None
            )
            raw.tracks.setdefault(name, colour)
    for room in _list(conference.get("rooms")):
        name = _s(room.get("name")) if isinstance(room, dict) else _s(room)
        if name and name not in raw.rooms:
            raw.rooms.append(name)
    skipped = 0
    for d, day in enumerate(days, 1):
        if not isinstance(day, dict):
            skipped += 1
            continue
        rooms = day.get("rooms")
        if not isinstance(rooms, dict):
            rooms = {}
            raw.notes.append(Note(None, f"day {day.get('date') or d} has no rooms", "warning"))
        for room_name, events in rooms.items():
            if room_name not in raw.rooms:
                raw.rooms.append(room_name)
            for e, event in enumerate(_list(events), 1):
                if not isinstance(event, dict):
                    skipped += 1
                    continue
                raw.events.append(_event(event, day, d, room_name, e))
    if skipped:
        what = "entry that is not an object" if skipped == 1 else "entries that are not objects"
        raw.notes.append(Note(None, f"skipped {skipped} {what}", "warning"))
    return raw


def _event(event: dict[str, Any], day: dict[str, Any], d: int, room: str, e: int) -> RawEvent:
    title = _s(event.get("title"))
    label = f"day {_s(day.get('date')) or d}, room {room}, event {_s(event.get('id')) or f'#{e}'}"
    return RawEvent(
        where=f"{label} ({title!r})" if title else label,
        title=title,
        subtitle=_s(event.get("subtitle")),
        type=_s(event.get("type")),
        room=_s(event.get("room")) or room,
        date=_s(event.get("date")),
        start=_s(event.get("start")),
        end=_s(event.get("end")),
        duration=_s(event.get("duration")),
        day_date=_s(day.get("date")),
        day_start=_s(day.get("day_start")),
        abstract=_s(event.get("abstract"), multiline=True),
        description=_s(event.get("description"), multiline=True),
        language=_s(event.get("language")),
        track=_track(event.get("track")),
        persons=[
            RawPerson(
                _s(p.get("code")) or _s(p.get("guid")) or _s(p.get("id")),
                _s(p.get("name")) or _s(p.get("public_name")) or "",
            )
            for p in _list(event.get("persons"))
            if isinstance(p, dict) and (_s(p.get("name")) or _s(p.get("public_name")))
        ],
    )


def _track(value: Any) -> str | None:
    """An event's track: a name, or (in some pretalx versions) an object with one."""
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, dict):  # translated: {"en": ...}
            name = next(iter(name.values()), None)
        return _s(name)
    return _s(value)


# Digits a whole number may have: ids and durations need a few; Python refuses to convert
# over 4,300, and converting takes time quadratic in the digits.
MAX_DIGITS = 100


class _LongNumber(ValueError):
    pass


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _LongNumber(text.lstrip("-"))
    return int(text)


def _s(value: Any, *, multiline: bool = False) -> str | None:
    """A string field, trimmed; numbers as text; anything else (null, lists) as missing."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = value.replace("\r\n", "\n").strip() if multiline else " ".join(value.split())
    return text or None


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []
