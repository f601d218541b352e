"""Programme -> the frab/C3VOC schedule: `schedule.xml` and its JSON flavour `schedule.json`.

Conference apps (Giggity, EventFahrplan, info-beamer, the C3VOC tools) and pretalx read this
format. It has one room per event, so an item spanning several rooms is listed once, in the
first of its rooms; an open-ended item gets the duration 00:00. `type` is the item's kind and
`track` the name of its track (event.yaml `tracks:`, with their colours), or for an item of
no track its capitalised kind (apps colour by track, so breaks stand out from talks).

Every id is derived from the content, never random: `guid` is a UUID5 of the event's slug and
the item's id, the numeric `id` a hash of the same, so a talk keeps both across rebuilds. The
schedule's `version` is a hash of the schedule itself: it changes exactly when the programme
does, which is what apps compare to announce an update.

`check_xml` checks the structure the XSD requires (elements, attributes, value patterns,
unique ids) without the XSD or lxml, so any check can run it with the standard library.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from booklet import __version__, model
from booklet.export import (
    event_slug,
    item_guid,
    local_datetime,
    person_guid,
    room_guid,
)

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
DEFAULT_ROOM = "Main room"  # for events that name no room: frab needs one
# Track colours for the kinds (the booklet's palette, darkened enough for white text).
TRACK_COLOURS = {
    "talk": "#1f5f9e",
    "tutorial": "#2f7d4a",
    "keynote": "#7a1f3d",
    "poster": "#1f6f6f",
    "break": "#6b6b6b",
    "meal": "#8a5a14",
    "social": "#6a3d9a",
    "other": "#44546a",
}
_MAX_ID = 2**31 - 1  # apps store ids as 32-bit ints


@dataclass(frozen=True)
class Slot:
    """One item as a schedule event, with everything both flavours write."""

    item: model.Item
    room: str
    id: int
    guid: str
    slug: str
    start: dt.datetime  # aware, in the event's time zone
    end: dt.datetime | None

    @property
    def minutes(self) -> int:
        """How long it lasts, in real minutes: across a clock change (02:00 to 03:30 on the
        night the clocks go forward lasts 30 minutes) the clock's difference is wrong."""
        if self.end is None:
            return 0
        utc = dt.timezone.utc
        return int((self.end.astimezone(utc) - self.start.astimezone(utc)).total_seconds() // 60)


def acronym(event: model.Event) -> str:
    """'MLIR Winter School 2025' -> 'mlir_winter_school_2025' (both schemas' patterns)."""
    # The JSON schema allows no '-' inside an acronym, the XSD needs 4 characters or more.
    text = event_slug(event).replace("-", "_")
    return text if len(text) >= 4 else f"{text}_event"


def _hash_id(key: str) -> int:
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    # >= 1000 so that slugs built from it always have the 4 characters the XSD wants.
    return 1000 + int.from_bytes(digest[:4], "big") % (_MAX_ID - 1000)


def _unique_ids(keys: list[str]) -> dict[str, int]:
    """key -> a stable positive id; a (rare) hash collision takes the next free number."""
    ids: dict[str, int] = {}
    used: set[int] = set()
    for key in keys:
        n = _hash_id(key)
        while n in used:
            n = n + 1 if n < _MAX_ID else 1000
        used.add(n)
        ids[key] = n
    return ids


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _room_names(programme: model.Programme) -> list[str]:
    return [r.name for r in programme.rooms] or [DEFAULT_ROOM]


def slots(programme: model.Programme) -> list[list[Slot]]:
    """Per day, its items as `Slot`s, in time order."""
    from booklet.importers import slugify

    event = programme.event
    prefix = acronym(event)
    ids = _unique_ids([f"{event_slug(event)}/item:{i.id}" for i in programme.items])
    days = []
    for day in programme.days:
        out = []
        for item in day.items:
            frab_id = ids[f"{event_slug(event)}/item:{item.id}"]
            title = slugify(item.display_title, 40)
            start = local_datetime(programme, day.date, item.start)
            end = local_datetime(programme, day.date, item.end) if item.end else None
            out.append(
                Slot(
                    item=item,
                    room=item.rooms[0].name if item.rooms else _room_names(programme)[0],
                    id=frab_id,
                    guid=str(item_guid(event, item)),
                    slug=f"{prefix}-{frab_id}" + (f"-{title}" if title else ""),
                    start=start,
                    end=end,
                )
            )
        days.append(out)
    return days


def _iso(moment: dt.datetime) -> str:
    """An aware time as xs:dateTime, whose offsets are whole minutes: a local mean time
    (Paris before 1911 was 9 min 21 s ahead of UTC) is written in UTC instead."""
    offset = moment.utcoffset()
    if offset is not None and offset.total_seconds() % 60:
        moment = moment.astimezone(dt.timezone.utc)
    return moment.isoformat()


def _day_bounds(date: dt.date, day_slots: list[Slot], programme) -> tuple[str, str]:
    if not day_slots:
        return (
            _iso(local_datetime(programme, date, dt.time(0, 0))),
            _iso(local_datetime(programme, date, dt.time(23, 59))),
        )
    start = min(s.start for s in day_slots)
    end = max(s.end or s.start for s in day_slots)
    return _iso(start), _iso(end)


def _timeslot(programme: model.Programme) -> str:
    """The coarsest grid every start and duration falls on (60, 30, 15, 10, 5 or 1 min)."""
    values = [i.start_minutes for i in programme.items]
    values += [i.duration_minutes for i in programme.items if i.duration_minutes]
    step = math.gcd(*values) if values else 5
    for minutes in (60, 30, 15, 10, 5):
        if step % minutes == 0:
            return _hhmm(minutes)
    return "00:01"


def _kinds(programme: model.Programme) -> list[str]:
    """The kinds of the items of no track (each a track of the schedule)."""
    used = {i.kind for i in programme.items if i.track is None}
    return [k for k in model.KINDS if k in used]


def track_name(item: model.Item) -> str:
    return item.track.name if item.track is not None else item.kind.capitalize()


def track_slug(track_id: str) -> str:
    """A track id as the XSD's slug: lower case letters, digits and hyphens, from a letter."""
    slug = re.sub(r"[^a-z0-9-]+", "-", track_id.lower()).strip("-")
    return slug if re.fullmatch(r"[a-z][a-z0-9-]+", slug) else f"track-{slug}".rstrip("-")


def _tracks(programme: model.Programme) -> list[dict[str, str]]:
    """The event's tracks, then the kinds of items of none, once by name."""
    found: dict[str, dict[str, str]] = {}
    for track in programme.tracks:
        colour = track.colour or TRACK_COLOURS["talk"]
        found.setdefault(track.name, {"name": track.name, "slug": track_slug(track.id)})
        found[track.name]["color"] = colour
    for kind in _kinds(programme):
        found.setdefault(
            kind.capitalize(),
            {"name": kind.capitalize(), "slug": kind, "color": TRACK_COLOURS[kind]},
        )
    return list(found.values())


# -- JSON flavour --------------------------------------------------------------------------


def to_data(programme: model.Programme) -> dict[str, Any]:
    """The JSON flavour as plain data (schedule.schema.json)."""
    event = programme.event
    all_slots = slots(programme)
    days = []
    for index, (day, day_slots) in enumerate(zip(programme.days, all_slots, strict=True), 1):
        day_start, day_end = _day_bounds(day.date, day_slots, programme)
        rooms: dict[str, list[dict[str, Any]]] = {name: [] for name in _room_names(programme)}
        for slot in day_slots:
            rooms[slot.room].append(_json_event(programme, slot, _event_url(programme, slot)))
        days.append(
            {
                "index": index,
                "date": day.date.isoformat(),
                "day_start": day_start,
                "day_end": day_end,
                "rooms": rooms,
            }
        )
    conference: dict[str, Any] = {
        "acronym": acronym(event),
        "title": event.title,
        "start": programme.start_date.isoformat() if programme.start_date else "",
        "end": programme.end_date.isoformat() if programme.end_date else "",
        "daysCount": len(programme.days),
        "timeslot_duration": _timeslot(programme),
        "time_zone_name": event.timezone,
    }
    if event.website:
        conference["url"] = event.website
    conference["tracks"] = _tracks(programme)
    conference["rooms"] = [
        {"name": r.name, "guid": str(room_guid(event, r)), "capacity": r.capacity}
        for r in programme.rooms
    ] or [{"name": DEFAULT_ROOM, "guid": str(_default_room_guid(event)), "capacity": None}]
    conference["days"] = days
    return {
        "$schema": SCHEMA_URL,
        "generator": {"name": "booklet", "version": __version__},
        "schedule": {"version": _version(conference), "conference": conference},
    }


def _default_room_guid(event: model.Event):
    return room_guid(event, model.Room(id="main", name=DEFAULT_ROOM))


def _version(conference: dict[str, Any]) -> str:
    canonical = json.dumps(conference, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(canonical).hexdigest()[:12]


def _event_url(programme: model.Programme, slot: Slot) -> str:
    """The `url` the JSON flavour requires: the event's website, else the item's URN."""
    # A URN names the item without pointing at a page we would have to invent.
    return programme.event.website or f"urn:uuid:{slot.guid}"


def _json_event(programme: model.Programme, slot: Slot, url: str) -> dict[str, Any]:
    item = slot.item
    event = programme.event
    data: dict[str, Any] = {
        "guid": slot.guid,
        "id": slot.id,
        "date": _iso(slot.start),
        "start": f"{item.start:%H:%M}",
        "duration": _hhmm(slot.minutes),
        "room": slot.room,
        "slug": slot.slug,
        "url": url,
        "title": item.display_title,
        "subtitle": "",
        "track": track_name(item),
        "type": item.kind,
        "language": event.language,
        "abstract": item.abstract or "",
        "persons": [
            {
                "guid": str(person_guid(event, p)),
                "name": p.name,
                # Older readers look for public_name; with no numeric `id` beside it the
                # person still matches only the schema's pretalx shape (a oneOf).
                "public_name": p.name,
                "biography": p.bio,
            }
            for p in item.speakers
        ],
        "links": [{"url": link.url, "title": link.title} for link in item.links],
    }
    if slot.end is not None:
        data["end"] = _iso(slot.end)
    return data


def to_json(programme: model.Programme, data: dict[str, Any] | None = None) -> str:
    """schedule.json; `data` is `to_data(programme)` when the caller has it already."""
    data = to_data(programme) if data is None else data
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# -- XML -----------------------------------------------------------------------------------


def to_xml(programme: model.Programme, data: dict[str, Any] | None = None) -> str:
    """schedule.xml (valid against the C3VOC schedule.xml.xsd); `data` as in `to_json`."""
    data = to_data(programme) if data is None else data
    conf = data["schedule"]["conference"]
    people = _unique_ids([f"person:{p.id}" for p in programme.people])

    root = ET.Element("schedule")
    ET.SubElement(root, "generator", name="booklet", version=__version__)
    _text(root, "version", data["schedule"]["version"])
    conference = ET.SubElement(root, "conference")
    for key in ("title", "acronym", "start", "end"):
        if conf[key]:
            _text(conference, key, conf[key])
    _text(conference, "days", str(conf["daysCount"]))
    _text(conference, "timeslot_duration", conf["timeslot_duration"])
    _text(conference, "time_zone_name", conf["time_zone_name"])
    if "url" in conf:
        _text(conference, "url", conf["url"])
    for track in conf["tracks"]:
        ET.SubElement(
            conference, "track", name=track["name"], slug=track["slug"], color=track["color"]
        )
    rooms_guid = {r["name"]: r["guid"] for r in conf["rooms"]}
    all_slots = slots(programme)
    for day, day_slots in zip(conf["days"], all_slots, strict=True):
        day_el = ET.SubElement(
            root,
            "day",
            index=str(day["index"]),
            date=day["date"],
            start=day["day_start"],
            end=day["day_end"],
        )
        by_room: dict[str, list[Slot]] = {name: [] for name in day["rooms"]}
        for slot in day_slots:
            by_room[slot.room].append(slot)
        for name, room_slots in by_room.items():
            room_el = ET.SubElement(day_el, "room", name=name, guid=rooms_guid[name])
            for slot in room_slots:
                _xml_event(room_el, programme, slot, people)
    ET.indent(root, "  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, **attrs)
    el.text = text
    return el


def _xml_event(parent: ET.Element, programme, slot: Slot, people: dict[str, int]) -> None:
    item = slot.item
    event = programme.event
    el = ET.SubElement(parent, "event", guid=slot.guid, id=str(slot.id))
    _text(el, "date", _iso(slot.start))
    _text(el, "start", f"{item.start:%H:%M}")
    _text(el, "duration", _hhmm(slot.minutes))
    _text(el, "room", slot.room)
    _text(el, "slug", slot.slug)
    _text(el, "title", item.display_title)
    _text(el, "subtitle", "")
    _text(el, "track", track_name(item))
    _text(el, "type", item.kind)
    _text(el, "language", event.language)
    _text(el, "abstract", item.abstract or "")
    persons = ET.SubElement(el, "persons")
    for p in item.speakers:
        _text(
            persons,
            "person",
            p.name,
            id=str(people[f"person:{p.id}"]),
            guid=str(person_guid(event, p)),
        )
    links = ET.SubElement(el, "links")
    for link in item.links:
        _text(links, "link", link.title, href=link.url)
    if event.website:
        _text(el, "url", event.website)


# -- structure check -----------------------------------------------------------------------

_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
# xs:dateTime needs the seconds; the XSD adds a required offset.
_DATETIME_TZ = re.compile(
    _DATE + r"T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{1,2}:[0-9]{2})"
)
_PATTERNS = {
    "date": re.compile(_DATE),
    "datetime": _DATETIME_TZ,
    "date_or_datetime": re.compile(f"({_DATE})|({_DATETIME_TZ.pattern})"),
    "start": re.compile(r"[0-2][0-9]:[0-5][0-9](:[0-5][0-9])?"),
    "duration": re.compile(r"[0-9]{1,2}:[0-9]{2}(:[0-9]{1,2})?"),
    "uuid": re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"),
    "acronym": re.compile(r"[a-z0-9_-]{4,}"),
    "slug": re.compile(r"[a-z0-9_]{4,}-[a-z0-9\-_]{4,}"),
    "positive": re.compile(r"[1-9][0-9]*"),
    "integer": re.compile(r"[+-]?[0-9]+"),
    "http": re.compile(r"https?://.*"),
}  # fmt: skip
# Elements of <event> (an xs:all): required ones and the pattern each must match, if any.
_EVENT_REQUIRED = {
    "room": None, "title": None, "type": None, "date": "datetime", "start": "start",
    "duration": "duration", "abstract": None, "track": None,
}  # fmt: skip
_EVENT_OPTIONAL = {
    "subtitle": None, "slug": "slug", "logo": None, "persons": None, "language": None,
    "description": None, "recording": None, "links": None, "attachments": None,
    "video_download_url": "http", "url": "http", "feedback_url": "http", "origin_url": "http",
}  # fmt: skip
_CONFERENCE = {
    "title": None, "acronym": "acronym", "start": "date_or_datetime",
    "end": "date_or_datetime", "days": "integer", "timeslot_duration": "duration",
    "base_url": "http", "logo": "http", "url": "http", "time_zone_name": None, "color": None,
    "track": None,
}  # fmt: skip


def check_xml(data: bytes | str) -> list[str]:
    """Problems with a schedule.xml's structure, as the XSD requires it; [] if none."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    problems: list[str] = []
    if root.tag != "schedule":
        return [f"root element is <{root.tag}>, not <schedule>"]

    def match(where: str, value: str | None, pattern: str | None) -> None:
        if pattern and not _PATTERNS[pattern].fullmatch((value or "").strip()):
            problems.append(f"{where}: {value!r} is not a valid {pattern}")

    children = [c.tag for c in root]
    order = [t for t in children if t in ("generator", "url", "version", "conference", "day")]
    expected = sorted(order, key=["generator", "url", "version", "conference", "day"].index)
    if order != expected or len(order) != len(children):
        problems.append(f"schedule: children {children} are not in the order the XSD sets")
    for tag in ("version", "conference"):
        if children.count(tag) != 1:
            problems.append(f"schedule: needs exactly one <{tag}>, found {children.count(tag)}")
    if "day" not in children:
        problems.append("schedule: needs at least one <day>")
    conference = root.find("conference")
    for child in conference if conference is not None else []:
        where = f"conference/{child.tag}"
        if child.tag not in _CONFERENCE:
            problems.append(f"{where}: unknown element")
        elif child.tag == "track":
            if not child.get("name"):
                problems.append(f"{where}: missing attribute 'name'")
        else:
            match(where, child.text, _CONFERENCE[child.tag])
    seen: dict[str, set[str]] = {"guid": set(), "id": set(), "slug": set(), "index": set()}

    def unique(kind: str, where: str, value: str | None) -> None:
        if value is None:
            return
        if value in seen[kind]:
            problems.append(f"{where}: duplicate {kind} {value!r}")
        seen[kind].add(value)

    for d, day in enumerate(root.findall("day"), 1):
        where = f"day[{d}]"
        for attr, pattern in (("index", "positive"), ("start", "datetime"), ("end", "datetime")):
            if day.get(attr) is None:
                problems.append(f"{where}: missing attribute '{attr}'")
            else:
                match(f"{where}@{attr}", day.get(attr), pattern)
        if day.get("date") is not None:
            match(f"{where}@date", day.get("date"), "date")
        unique("index", where, day.get("index"))
        for r, room in enumerate(day, 1):
            rwhere = f"{where}/room[{r}]"
            if room.tag != "room":
                problems.append(f"{rwhere}: <{room.tag}> where <room> belongs")
                continue
            if not room.get("name"):
                problems.append(f"{rwhere}: missing attribute 'name'")
            if room.get("guid") is not None:
                match(f"{rwhere}@guid", room.get("guid"), "uuid")
            for e, event in enumerate(room, 1):
                ewhere = f"{rwhere}/event[{e}]"
                if event.tag != "event":
                    problems.append(f"{ewhere}: <{event.tag}> where <event> belongs")
                    continue
                problems.extend(_check_event(event, ewhere, match))
                unique("guid", ewhere, event.get("guid"))
                unique("id", ewhere, event.get("id"))
                slug = event.find("slug")
                unique("slug", ewhere, slug.text if slug is not None else None)
    return problems


def _check_event(event: ET.Element, where: str, match) -> list[str]:
    problems: list[str] = []
    for attr, pattern in (("id", "positive"), ("guid", "uuid")):
        if event.get(attr) is None:
            problems.append(f"{where}: missing attribute '{attr}'")
        else:
            match(f"{where}@{attr}", event.get(attr), pattern)
    tags = [c.tag for c in event]
    for tag, pattern in (_EVENT_REQUIRED | _EVENT_OPTIONAL).items():
        count = tags.count(tag)
        if count == 0 and tag in _EVENT_REQUIRED:
            problems.append(f"{where}: missing <{tag}>")
        elif count > 1:
            problems.append(f"{where}: <{tag}> appears {count} times")
        elif count == 1 and pattern:
            match(f"{where}/{tag}", event.find(tag).text, pattern)
    for tag in tags:
        if tag not in _EVENT_REQUIRED and tag not in _EVENT_OPTIONAL:
            problems.append(f"{where}: unknown element <{tag}>")
    for p, person in enumerate(event.findall("persons/person"), 1):
        if person.get("id") is not None:
            match(f"{where}/persons/person[{p}]@id", person.get("id"), "integer")
        if person.get("guid") is not None:
            match(f"{where}/persons/person[{p}]@guid", person.get("guid"), "uuid")
    return problems
