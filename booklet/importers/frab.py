"""A frab/pretalx `schedule.xml` -> `ImportedProgramme`; and the part both schedule formats share.

frab, pretalx, osem and others write the same schedule in XML (here) and JSON (`pretalx.py`).
Each reader only turns its syntax into `RawSchedule` (conference fields and a flat list of
`RawEvent`s, values as written); `build_programme` then does the work for both: local times
and days, durations, rooms, kinds, people, abstracts.

Real exports vary, so reading is lenient with what the booklet can do without (a missing
track, subtitle, language, abstract or even room) and strict with what it needs (a date and
a start time for each talk): an event without them is skipped with a warning naming it, and a
file with no usable event at all is an error. Everything guessed is a `Note`.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from booklet.errors import BookletError
from booklet.importers import (
    ImportedDay,
    ImportedItem,
    ImportedPerson,
    ImportedProgramme,
    Note,
    slugify,
)
from booklet.sources import read_bytes


@dataclass
class ScheduleOptions:
    """What `booklet import` may set; the same names as the text importer's options."""

    timezone: str | None = None  # overrides the file's time zone
    title: str | None = None  # overrides the conference title
    start_date: dt.date | None = None  # schedules carry dates: ignored, with a note
    today: dt.date | None = None  # unused; accepted so callers treat importers alike


@dataclass
class RawPerson:
    key: str | None  # code, guid or id: the same person across talks
    name: str


@dataclass
class RawEvent:
    """One event as the file gives it; every value a string (or None when absent)."""

    where: str  # names the event in messages
    id: str | None = None  # the file's event id: the same event listed in several rooms
    title: str | None = None
    subtitle: str | None = None
    type: str | None = None
    room: str | None = None
    date: str | None = None  # start with offset, e.g. 2020-12-14T09:00:00+01:00
    start: str | None = None  # HH:MM local
    end: str | None = None  # end with offset (JSON flavour only)
    duration: str | None = None  # HH:MM
    day_date: str | None = None  # the enclosing day's date ...
    day_start: str | None = None  # ... and start, for files without `date`
    abstract: str | None = None
    description: str | None = None
    language: str | None = None
    persons: list[RawPerson] = field(default_factory=list)
    track: str | None = None


@dataclass
class RawSchedule:
    source: str
    title: str | None = None
    time_zone_name: str | None = None
    url: str | None = None
    rooms: list[str] = field(default_factory=list)  # in the order the file declares them
    # track name -> its colour as the file gives it (None if it gives none), in file order
    tracks: dict[str, str | None] = field(default_factory=dict)
    events: list[RawEvent] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


class ScheduleError(BookletError):
    """The file is not a schedule the booklet can read."""


# == XML ===================================================================================


class FrabReader:
    """schedule.xml (frab, pretalx, osem, the C3VOC tools) -> `ImportedProgramme`."""

    def __init__(self, options: ScheduleOptions | None = None):
        self.options = options or ScheduleOptions()

    def read(self, path: Path) -> ImportedProgramme:
        path = Path(path)
        return self.parse(read_bytes(path), path.name)

    def parse(self, data: bytes, source: str = "schedule.xml") -> ImportedProgramme:
        return build_programme(read_xml(data, source), self.options)


def read_xml(data: bytes, source: str = "schedule.xml") -> RawSchedule:
    # A schedule never needs a DTD; refusing one rules out entity expansion attacks.
    # Lenient with what editors and downloads add before the declaration, which XML forbids.
    data = data.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data:
        raise ScheduleError(
            f"{source}: the XML declares a DOCTYPE or entities",
            "schedule.xml files have none; export the schedule again from frab or pretalx",
        )
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, col = exc.position
        raise ScheduleError(
            f"{source}:{line}:{col + 1}: XML error: {_reason(exc)}",
            "this looks like JSON: try --format pretalx"
            if data.startswith(b"{")
            else "is the file complete? download it again",
        ) from None
    if root.tag != "schedule":
        hint = "an HTML page?" if head[:5].lower() in (b"<!doc", b"<html") else None
        raise ScheduleError(
            f"{source}: the root element is <{root.tag}>, not <schedule>",
            hint or "export the frab/pretalx schedule.xml (Schedule > Exports > XML)",
        )
    raw = RawSchedule(source)
    conference = root.find("conference")
    if conference is None:
        raw.notes.append(Note(None, "no <conference> element: title and time zone unknown"))
    else:
        raw.title = _text(conference, "title")
        raw.time_zone_name = _text(conference, "time_zone_name")
        raw.url = _text(conference, "url") or _text(conference, "base_url")
        for track in conference.findall("track"):
            name = " ".join((track.get("name") or track.text or "").split())
            if name:
                raw.tracks.setdefault(name, track.get("color"))
    for d, day in enumerate(root.findall("day"), 1):
        for r, room in enumerate(day.findall("room"), 1):
            room_name = (room.get("name") or "").strip() or None
            if room_name and room_name not in raw.rooms:
                raw.rooms.append(room_name)
            for e, event in enumerate(room.findall("event"), 1):
                title = _text(event, "title")
                label = f"day {day.get('date') or d}, room {room_name or r}, "
                label += f"event {event.get('id') or f'#{e}'}"
                raw.events.append(
                    RawEvent(
                        where=f"{label} ({title!r})" if title else label,
                        id=event.get("guid") or event.get("id"),
                        title=title,
                        subtitle=_text(event, "subtitle"),
                        type=_text(event, "type"),
                        room=_text(event, "room") or room_name,
                        date=_text(event, "date"),
                        start=_text(event, "start"),
                        duration=_text(event, "duration"),
                        day_date=day.get("date"),
                        day_start=day.get("start"),
                        abstract=_text(event, "abstract", multiline=True),
                        description=_text(event, "description", multiline=True),
                        language=_text(event, "language"),
                        persons=_persons(event, raw),
                        track=_text(event, "track"),
                    )
                )
    return raw


def _persons(event: ET.Element, raw: RawSchedule) -> list[RawPerson]:
    """<persons><person id="7">Name</person></persons>, or the singular <person> some
    generators write, often with several names in it ("Dr. A, B"): one person each."""
    from booklet.importers.text.names import split_names

    persons = [
        RawPerson(p.get("guid") or p.get("id"), " ".join(p.text.split()))
        for p in event.findall("persons/person")
        if p.text and p.text.strip()
    ]
    for p in event.findall("person"):
        text = " ".join((p.text or "").split())
        if not text:
            continue
        names = split_names(text)
        if len(names) > 1:
            raw.notes.append(
                Note(
                    None,
                    f"event {event.get('id') or '?'}: read <person>{text}</person> as "
                    f"{len(names)} people: {'; '.join(names)}",
                )
            )
        key = p.get("guid") or p.get("id")
        persons += [RawPerson(key if len(names) == 1 else None, name) for name in names]
    return persons


_HTML_TAG = re.compile(r"<(?:p|br|a|b|i|em|strong|ul|ol|li|h[1-6]|div|span|code|pre)\b[^>]*>", re.I)


def html_to_markdown(text: str | None) -> str | None:
    """An abstract written in HTML -> Markdown (markdownify); text without tags as it is."""
    if not text or not _HTML_TAG.search(text):
        return text
    from markdownify import markdownify

    markdown = markdownify(text, heading_style="ATX", bullets="*", strip=["img", "script", "style"])
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() or None


def _reason(exc: ET.ParseError) -> str:
    return str(exc).split(":", 1)[0]


def _text(parent: ET.Element, tag: str, *, multiline: bool = False) -> str | None:
    el = parent.find(tag)
    if el is None or el.text is None:
        return None
    text = el.text.strip() if multiline else " ".join(el.text.split())
    return text or None


# == shared: RawSchedule -> ImportedProgramme ===============================================

# Event types (lowercase) of frab, pretalx and their users -> the booklet's kinds.
TYPE_KINDS = {
    "talk": "talk", "lecture": "talk", "presentation": "talk", "lightning talk": "talk",
    "lightningtalk": "talk", "short talk": "talk", "long talk": "talk", "paper": "talk",
    "contributed talk": "talk", "vortrag": "talk", "podium": "talk", "discussion": "talk",
    "panel": "other", "meeting": "other", "other": "other", "game": "social",
    "workshop": "tutorial", "tutorial": "tutorial", "hands-on": "tutorial", "lab": "tutorial",
    "keynote": "keynote", "invited talk": "keynote", "plenary": "keynote",
    "break": "break", "pause": "break", "coffee break": "break",
    "meal": "meal", "lunch": "meal", "dinner": "meal", "breakfast": "meal",
    "social": "social", "party": "social", "reception": "social", "concert": "social",
    "poster": "poster",
}  # fmt: skip
# Kinds that, alone at their time, are for the whole event rather than for one room.
PLENARY_KINDS = frozenset({"break", "meal", "social"})
_DURATION = re.compile(r"^(?:(\d+):)?(\d{1,3}):(\d{2})(?::(\d{2}))?$")
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")


def build_programme(raw: RawSchedule, options: ScheduleOptions) -> ImportedProgramme:
    return _Builder(raw, options).build()


@dataclass
class _Placed:
    date: dt.date
    start: dt.time
    item: ImportedItem
    room_order: int


class _Builder:
    def __init__(self, raw: RawSchedule, options: ScheduleOptions):
        self.raw = raw
        self.options = options
        self.notes: list[Note] = list(raw.notes)
        self.people: dict[str, ImportedPerson] = {}  # id -> person
        self.person_ids: dict[str, str] = {}  # file's person key -> id
        self.person_keys: dict[str, str] = {}  # id -> the file's person key it was made for
        self.names_cleaned: list[str] = []  # "'Prof. Dr. A B' -> 'A B'", for one note
        self.comments: dict[str, str] = {}
        self.timezone, self.zone = self.choose_timezone()
        self.offset_mismatch: list[str] = []
        self.unknown_types: Counter[tuple[str, str]] = Counter()
        self.tracks: dict[str, dict[str, str]] = {}  # track name -> its event.yaml entry

    def note(self, message: str) -> None:
        self.notes.append(Note(None, message))

    def warn(self, message: str) -> None:
        self.notes.append(Note(None, message, "warning"))

    # -- event-wide ------------------------------------------------------------------------
    def choose_timezone(self) -> tuple[str, zoneinfo.ZoneInfo | None]:
        if self.options.timezone:
            return self.options.timezone, _zone(self.options.timezone)
        name = self.raw.time_zone_name
        if name and _zone(name) is not None:
            return name, _zone(name)
        if name:
            self.warn(f"unknown time zone {name!r} in the file; assumed UTC (use --timezone)")
        else:
            self.note("the file names no time zone; assumed UTC (use --timezone)")
        self.comments["timezone"] = "TODO: assumed; set the event's, e.g. Europe/Paris"
        return "UTC", _zone("UTC")

    def build(self) -> ImportedProgramme:
        if self.options.start_date is not None:
            self.note("--start-date is ignored: the schedule gives every date")
        rooms = self.rooms()
        placed: list[_Placed] = []
        seen: set[tuple] = set()
        by_id: dict[tuple, _Placed] = {}
        for event in self.raw.events:
            result = self.place(event, rooms)
            if result is None:
                continue
            key = (result.date, result.start, tuple(result.item.rooms), result.item.title)
            if key in seen:
                self.note(f"{event.where}: listed twice; imported once")
                continue
            seen.add(key)
            # One event id in several rooms (a break some generators repeat per room): one
            # item across those rooms.
            same = (event.id, result.date, result.start, result.item.title)
            first = by_id.get(same) if event.id else None
            if first is not None:
                first.item.rooms = sorted(set(first.item.rooms) | set(result.item.rooms))
                self.note(f"{event.where}: the same event as in another room; imported once")
                continue
            if event.id:
                by_id[same] = result
            placed.append(result)
        for p in placed:  # an item listed in every room is for every room
            if len(rooms) > 1 and set(p.item.rooms) == set(rooms.values()):
                p.item.rooms = []
        if not placed:
            raise ScheduleError(
                f"{self.raw.source}: no event with a date and start time to import",
                "is this the full schedule export (with talks scheduled)?",
            )
        if len(rooms) > 1:
            self.widen_pauses(placed)
        self.report()
        days: dict[dt.date, list[_Placed]] = {}
        for p in sorted(placed, key=lambda p: (p.date, p.start, p.room_order)):
            days.setdefault(p.date, []).append(p)
        imported_days = [ImportedDay(date, items=[p.item for p in ps]) for date, ps in days.items()]
        used = {r for p in placed for r in p.item.rooms}
        if len(rooms) > 1:
            room_list = [{"id": rid, "name": name} for name, rid in rooms.items() if rid in used]
        else:
            room_list = [{"id": rid, "name": name} for name, rid in rooms.items()]
        return ImportedProgramme(
            self.raw.source,
            self.event(room_list),
            list(self.people.values()),
            imported_days,
            self.notes,
            self.comments,
        )

    def event(self, rooms: list[dict]) -> dict:
        title = self.options.title or self.raw.title
        if not title:
            stem = re.sub(r"[-_]+", " ", Path(self.raw.source).stem).strip()
            title = stem[:1].upper() + stem[1:] if stem else "Untitled event"
            self.warn(f"the file gives no conference title; used '{title}' (--title sets one)")
            self.comments["title"] = "TODO: from the file name; --title sets another"
        event: dict = {"title": title, "timezone": self.timezone}
        languages = Counter(e.language for e in self.raw.events if e.language)
        if languages:
            language = languages.most_common(1)[0][0]
            if language != "en" and re.match(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", language):
                event["language"] = language
        if self.raw.url and re.match(r"^https?://", self.raw.url):
            event["website"] = self.raw.url
        event["rooms"] = rooms
        if self.tracks:
            # in the file's order of tracks where it lists them, else in order of use
            order = list(self.raw.tracks)
            event["tracks"] = sorted(
                self.tracks.values(),
                key=lambda t: order.index(t["name"]) if t["name"] in order else len(order),
            )
        return event

    def rooms(self) -> dict[str, str]:
        """Room name -> id, in the file's order; a default room when the file names none."""
        names = list(self.raw.rooms)
        for event in self.raw.events:
            if event.room and event.room not in names:
                names.append(event.room)
        if not names:
            names = ["Main room"]
            self.comments["rooms"] = "the file names no room"
        ids: dict[str, str] = {}
        for n, name in enumerate(names, 1):
            base = slugify(name) or f"room-{n}"
            rid, k = base, 2
            while rid in ids.values():
                rid, k = f"{base}-{k}", k + 1
            ids[name] = rid
        return ids

    def widen_pauses(self, placed: list[_Placed]) -> None:
        """A break, meal or social event with nothing beside it is for everyone: in frab it
        has to sit in one room, in the booklet it spans them all."""
        widened = 0
        for p in placed:
            if p.item.kind not in PLENARY_KINDS:
                continue
            if not any(o is not p and o.date == p.date and _overlap(o, p) for o in placed):
                p.item.rooms = []
                widened += 1
        if widened:
            self.note(
                f"{widened} break, meal or social event{'s' if widened > 1 else ''} with "
                "nothing in parallel now span every room (a schedule puts them in one room)"
            )

    # -- one event -------------------------------------------------------------------------
    def place(self, event: RawEvent, rooms: dict[str, str]) -> _Placed | None:
        when = self.start_of(event)
        if when is None:
            self.warn(f"{event.where}: skipped, no usable date and start time")
            return None
        minutes = self.duration_of(event, when)
        end = None
        comment = None
        if minutes:
            finish = when + dt.timedelta(minutes=minutes)
            if finish.date() != when.date() or finish.time() == dt.time(0, 0):
                # The booklet's items end on their day: the end is kept in the comment.
                comment = f"ends at {finish:%H:%M} the next day ({minutes} min)"
                self.warn(
                    f"{event.where}: runs past midnight ({when:%H:%M} + {minutes} min, "
                    f"to {finish:%H:%M}); imported without an end time, the end kept in a comment"
                )
            else:
                end = finish.time()
        room_name = event.room or next(iter(rooms))
        if not event.room and len(rooms) > 1:
            self.warn(f"{event.where}: no room given; put in '{room_name}'")
        people = self.speakers(event)
        names = [self.people[pid].name for pid in people]
        title = event.title
        if title and names and title == _join_names(names):
            title = None  # the booklet's way of writing an untitled talk: it leads with them
        kind = self.kind_of(event, title, bool(people))
        if not title and not people:
            self.warn(f"{event.where}: neither title nor speakers; imported as '{kind}'")
        abstract = "\n\n".join(
            part
            for part in (
                f"*{event.subtitle}*" if event.subtitle else None,
                html_to_markdown(event.abstract),
                html_to_markdown(event.description)
                if event.description != event.abstract
                else None,
            )
            if part
        )
        item = ImportedItem(
            start=when.time(),
            end=end,
            kind=kind,
            title=title,
            speakers=people,
            abstract=abstract or None,
            rooms=[rooms[room_name]] if len(rooms) > 1 else [],
            comment=comment,
            track=self.track_of(event, kind),
        )
        order = list(rooms).index(room_name)
        return _Placed(when.date(), when.time(), item, order)

    def track_of(self, event: RawEvent, kind: str) -> str | None:
        """The id of the event's track, defined on first use; none for a track that only
        repeats the event's type ('Break' for a break), as exports of kinds write them."""
        name = event.track
        if not name or name.casefold() in {kind, (event.type or "").casefold()}:
            return None
        if name not in self.tracks:
            taken = {t["id"] for t in self.tracks.values()}
            base = slugify(name, 40) or "track"
            tid, n = base, 2
            while tid in taken:
                tid, n = f"{base}-{n}", n + 1
            entry = {"id": tid, "name": name}
            colour = (self.raw.tracks.get(name) or "").strip()
            if re.fullmatch(r"#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}", colour):
                entry["colour"] = colour.lower()
            self.tracks[name] = entry
        return self.tracks[name]["id"]

    def start_of(self, event: RawEvent) -> dt.datetime | None:
        """The local (wall clock) start, naive, in the event's time zone."""
        written = _datetime(event.date)
        start = _clock(event.start)
        if written is not None:
            wall = written.replace(tzinfo=None)
            if written.tzinfo is None or self.zone is None:
                return wall
            zoned = written.astimezone(self.zone)
            if zoned.utcoffset() == written.utcoffset():
                return wall
            local = zoned.replace(tzinfo=None)
            if start is None or start == local.time():
                return local  # the instant, in the time zone (the file's HH:MM agrees)
            # The file's own local time disagrees with its time zone (pretalx writes the
            # server's offset with some zones): keep the times as the file shows them.
            self.offset_mismatch.append(f"{event.date} in {self.timezone} is {local:%H:%M}")
            return wall
        day = _date(event.day_date)
        if day is None or start is None:
            return None
        when = dt.datetime.combine(day, start)
        day_start = _datetime(event.day_start)
        if day_start is not None and start < day_start.time():
            when += dt.timedelta(days=1)  # after midnight, still on the conference "day"
        return when

    def duration_of(self, event: RawEvent, when: dt.datetime) -> int | None:
        match = _DURATION.match(event.duration.strip()) if event.duration else None
        if match:
            days, hours, minutes = int(match[1] or 0), int(match[2]), int(match[3])
            return days * 1440 + hours * 60 + minutes
        end = _datetime(event.end)
        if end is not None:
            start = _datetime(event.date)
            if start is not None and (start.tzinfo is None) == (end.tzinfo is None):
                return max(0, int((end - start).total_seconds() // 60))
        if event.duration:
            self.warn(f"{event.where}: bad duration {event.duration!r}; imported without end")
        else:
            self.warn(f"{event.where}: no duration; imported without an end time")
        return None

    def kind_of(self, event: RawEvent, title: str | None, has_people: bool) -> str:
        from booklet.importers.text import word_kind

        label = " ".join((event.type or "").lower().replace("_", " ").split())
        known = TYPE_KINDS.get(label)
        kind = known or (word_kind(label) if label else None)
        title_kind = word_kind(title) if title else None
        # Untyped or 'other' entries are how frab users write 'Coffee break', 'Lunch'; with
        # speakers, only an opening, a keynote or a workshop keeps its word's kind.
        if (
            kind in (None, "other", "registration")
            and title_kind
            and (not has_people or title_kind in ("other", "keynote", "tutorial"))
        ):
            kind = title_kind
        if kind in (None, "registration"):
            kind = "talk" if has_people else "other"
        if label and known is None:
            self.unknown_types[(event.type or "", kind)] += 1
        return kind

    def speakers(self, event: RawEvent) -> list[str]:
        from booklet.importers.text.names import sort_name, strip_name

        ids: list[str] = []
        for person in event.persons:
            pid = self.person_ids.get(person.key) if person.key else None
            if pid is None:
                name = strip_name(person.name)[0]
                if name != person.name:
                    self.names_cleaned.append(f"'{person.name}' -> '{name}'")
                pid = slugify(name) or f"person-{len(self.people) + 1}"
                # Two ids, one slug ("Anna Berg", "anna berg"): the file says they are two.
                owner = self.person_keys.get(pid)
                if person.key and pid in self.people and owner and owner != person.key:
                    base, k = pid, 2
                    while pid in self.people:
                        pid, k = f"{base}-{k}", k + 1
                    self.warn(
                        f"{event.where}: '{name}' has its own id in the file but the name of "
                        f"'{self.people[base].name}'; kept apart as {pid}"
                    )
                if pid not in self.people:
                    self.people[pid] = ImportedPerson(pid, name, sort_name(name))
                    if person.key:
                        self.person_keys[pid] = person.key
                if person.key:
                    self.person_ids[person.key] = pid
            if pid not in ids:
                ids.append(pid)
        return ids

    def report(self) -> None:
        if self.names_cleaned:
            shown = ", ".join(self.names_cleaned[:3]) + (", ..." if self.names_cleaned[3:] else "")
            self.note(
                f"took honorifics and degrees off {len(self.names_cleaned)} "
                f"name{'s' if len(self.names_cleaned) > 1 else ''}: {shown}"
            )
        if self.offset_mismatch:
            self.warn(
                f"{len(self.offset_mismatch)} start times carry a UTC offset that is not "
                f"{self.timezone}'s (e.g. {self.offset_mismatch[0]}); kept the local times "
                "as the file shows them: check 'timezone' in event.yaml"
            )
            self.comments.setdefault(
                "timezone", "TODO: check; the file's times carry another UTC offset"
            )
        for (label, kind), count in sorted(self.unknown_types.items()):
            events = f"{count} event{'s' if count > 1 else ''}"
            self.note(f"event type '{label}' ({events}) is not a booklet kind: imported as {kind}")


def _overlap(a: _Placed, b: _Placed) -> bool:
    """Do two items share a moment? An open-ended item is an instant."""
    a0, b0 = _minutes(a.start), _minutes(b.start)
    a1 = _minutes(a.item.end) if a.item.end else a0
    b1 = _minutes(b.item.end) if b.item.end else b0
    if a0 == a1 and b0 == b1:
        return a0 == b0
    if a0 == a1:
        return b0 <= a0 < b1
    if b0 == b1:
        return a0 <= b0 < a1
    return a0 < b1 and b0 < a1


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _join_names(names: list[str]) -> str:
    from booklet.model import join_names

    return join_names(names)


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _datetime(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        # Python 3.10 reads no 'Z'; some exports write it.
        return dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _clock(text: str | None) -> dt.time | None:
    match = _HHMM.match(text.strip()) if text else None
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return dt.time(int(match[1]), int(match[2]))
    return None
