"""The validated programme: frozen dataclasses, no I/O.

Renderers and exporters read these; only `validate.py` makes them.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

KINDS = ("talk", "tutorial", "keynote", "poster", "break", "meal", "social", "other")
# Items whose content is the speaker's: they get abstract pages, index entries, warnings
# when untitled or without abstract.
PRESENTATION_KINDS = frozenset({"talk", "tutorial", "keynote", "poster"})
PAUSE_KINDS = frozenset({"break", "meal"})
# People's roles (badge colours); other words are roles of the event's own.
ROLES = ("speaker", "organizer", "staff", "attendee", "volunteer", "sponsor", "press")


@dataclass(frozen=True)
class Venue:
    id: str
    name: str
    address: str | None = None


@dataclass(frozen=True)
class Room:
    id: str
    name: str
    capacity: int | None = None
    floor: str | None = None
    building: str | None = None


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    sort_name: str  # "Family, Given" - the speaker index sorts on this
    affiliation: str | None = None
    bio: str | None = None
    role: str = "speaker"
    email: str | None = None  # checked, domain in ASCII; for `booklet mail`, never printed

    @property
    def family_name(self) -> str:
        return self.sort_name.split(",", 1)[0].strip()

    @property
    def given_name(self) -> str:
        parts = self.sort_name.split(",", 1)
        return parts[1].strip() if len(parts) > 1 else ""

    @property
    def given_first(self) -> bool:
        """Is the name written as the sort name's given name, then its family name? Then
        an index may print it 'Family, Given'; any other name is printed as written."""
        given, family = self.given_name, self.family_name
        return bool(given and family) and " ".join(self.name.split()) == f"{given} {family}"


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Track:
    """A thread of the programme (event.yaml `tracks:`), with the colour that marks it."""

    id: str
    name: str
    colour: str | None = None  # "#rrggbb"


@dataclass(frozen=True)
class Item:
    id: str
    day: dt.date
    start: dt.time
    end: dt.time | None
    kind: str
    title: str | None
    speakers: tuple[Person, ...]
    rooms: tuple[Room, ...]  # every room of the event when `all_rooms`
    all_rooms: bool
    abstract: str | None  # Markdown
    links: tuple[Link, ...] = ()
    # What stands for a missing title in the event's language (the speakers, or the kind's
    # name), filled by `i18n.localise`; None: the English fallback below.
    untitled: str | None = None
    session: str | None = None  # the id of the session holding it
    track: Track | None = None  # its own, or its session's
    board: str | None = None  # a poster's board number or label

    @property
    def is_poster(self) -> bool:
        return self.kind == "poster"

    @property
    def is_presentation(self) -> bool:
        return self.kind in PRESENTATION_KINDS

    @property
    def is_pause(self) -> bool:
        return self.kind in PAUSE_KINDS

    @property
    def display_title(self) -> str:
        """The title, or the speakers when the item has none."""
        if self.title:
            return self.title
        if self.untitled is not None:
            return self.untitled
        if self.speakers:
            return join_names([p.name for p in self.speakers])
        return self.kind.capitalize()

    @property
    def start_minutes(self) -> int:
        return minutes(self.start)

    @property
    def end_minutes(self) -> int | None:
        return None if self.end is None else minutes(self.end)

    @property
    def duration_minutes(self) -> int | None:
        end = self.end_minutes
        return None if end is None else end - self.start_minutes


@dataclass(frozen=True)
class Session:
    """Items grouped under a title, a time span, rooms, chairs and perhaps a track."""

    id: str
    day: dt.date
    title: str
    start: dt.time
    end: dt.time | None
    rooms: tuple[Room, ...]
    chairs: tuple[Person, ...]
    chair_role: str  # the word for what chairs do: chair, moderator, convener, ...
    track: Track | None
    abstract: str | None  # Markdown
    items: tuple[Item, ...]  # in programme order (posters by board)

    @property
    def is_poster_session(self) -> bool:
        return bool(self.items) and all(item.is_poster for item in self.items)

    @property
    def start_minutes(self) -> int:
        return minutes(self.start)

    @property
    def end_minutes(self) -> int | None:
        return None if self.end is None else minutes(self.end)

    @property
    def chairs_line(self) -> str:
        """ "Chair: A and B" ("Chairs: ..." for more than one), or "" without chairs."""
        if not self.chairs:
            return ""
        word = self.chair_role.capitalize() + ("s" if len(self.chairs) > 1 else "")
        return f"{word}: " + join_names([p.name for p in self.chairs])


@dataclass(frozen=True)
class Day:
    date: dt.date
    title: str | None
    venue: Venue | None
    items: tuple[Item, ...]
    # The weekday's name in the event's language, filled by `i18n.localise`.
    weekday: str | None = None
    sessions: tuple[Session, ...] = ()

    @property
    def label(self) -> str:
        from booklet.dates import WEEKDAYS

        return self.title or self.weekday or WEEKDAYS[self.date.weekday()]


@dataclass(frozen=True)
class InfoSection:
    title: str
    body: str  # Markdown


@dataclass(frozen=True)
class Settings:
    page_size: str = "A5"
    bleed_mm: float = 3.0  # the print variant's bleed beyond the trimmed page


BADGE_LAYOUTS = ("a6", "a6-4up", "a7-8up", "card-90x54", "letter-4x3", "custom")
BADGE_BACKS = ("auto", "talks", "info")  # what `booklet badges --duplex` prints on the back


@dataclass(frozen=True)
class BadgeGrid:
    """A custom badge stock: badge size and grid on a sheet, in millimetres."""

    width: float
    height: float
    columns: int
    rows: int
    paper: str = "A4"
    gap: float = 0.0  # between badges; cut marks need room between them to sit outside


@dataclass(frozen=True)
class BadgeSettings:
    layout: str = "a6-4up"
    custom: BadgeGrid | None = None
    colours: tuple[tuple[str, str], ...] = ()  # (role, "#rrggbb"): overrides the defaults
    qr: str = "vcard"  # "vcard", "none", or a URL pattern with {id}, {name}, ... fields
    logo: bytes | None = field(default=None, repr=False)  # PNG or JPEG, read when loading
    attendees: str | None = None  # CSV or YAML file, relative to the content folder
    back: str = "auto"


@dataclass(frozen=True)
class SignSettings:
    page_size: str = "A4"


@dataclass(frozen=True)
class Event:
    title: str
    timezone: str
    subtitle: str | None = None
    city: str | None = None
    website: str | None = None
    language: str = "en"
    organizers: tuple[str, ...] = ()
    funding: str | None = None
    venues: tuple[Venue, ...] = ()
    info: tuple[InfoSection, ...] = ()
    # The event's own wording of labels (styles/labels.yaml): (English label, text), the
    # text a string or (singular, plural).
    labels: tuple[tuple[str, str | tuple[str, str]], ...] = ()
    tracks: tuple[Track, ...] = ()
    chair_role: str = "chair"  # the default word for what a session's chairs do
    # (output name, its settings): each output's section of event.yaml, as that output
    # parsed it (`booklet.outputs.Output.parse_section`): a frozen dataclass, or sorted
    # (key, value) pairs when it gave a mapping
    sections: tuple[tuple[str, object], ...] = ()

    def section(self, output: str, default: object = None) -> object:
        return dict(self.sections).get(output, default)

    def output_settings(self, output: str) -> dict[str, object]:
        """An output's settings given as a mapping ({} if it has none)."""
        found = self.section(output, ())
        return dict(found) if isinstance(found, tuple) else {}

    @property
    def settings(self) -> Settings:
        """The booklet's `settings:` (page size, bleed)."""
        return self.section("booklet") or Settings()

    @property
    def badges(self) -> BadgeSettings:
        return self.section("badges") or BadgeSettings()

    @property
    def signs(self) -> SignSettings:
        return self.section("signs") or SignSettings()


@dataclass(frozen=True)
class Programme:
    event: Event
    days: tuple[Day, ...]
    people: tuple[Person, ...]
    rooms: tuple[Room, ...]
    # where each item and room is written ("item:<id>", "room:<id>" -> (Location, key
    # path)), for messages about them from the outputs; not part of the programme's value
    locations: dict[str, tuple[Any, str]] = field(default_factory=dict, compare=False, repr=False)

    def location(self, key: str) -> tuple[Any, str] | None:
        return self.locations.get(key)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for day in self.days for item in day.items)

    @property
    def sessions(self) -> tuple[Session, ...]:
        return tuple(session for day in self.days for session in day.sessions)

    @property
    def tracks(self) -> tuple[Track, ...]:
        return self.event.tracks

    def session(self, session_id: str | None) -> Session | None:
        return self._sessions_by_id.get(session_id) if session_id else None

    @functools.cached_property
    def _sessions_by_id(self) -> dict[str, Session]:
        return {session.id: session for session in self.sessions}

    def sessions_chaired_by(self, person: Person) -> tuple[Session, ...]:
        """The sessions `person` chairs, in programme order."""
        return tuple(s for s in self.sessions if any(p.id == person.id for p in s.chairs))

    @property
    def start_date(self) -> dt.date | None:
        return self.days[0].date if self.days else None

    @property
    def end_date(self) -> dt.date | None:
        return self.days[-1].date if self.days else None

    @property
    def speakers(self) -> tuple[Person, ...]:
        """People who speak at least once, in the order they are defined."""
        speaking = {p.id for item in self.items for p in item.speakers}
        return tuple(p for p in self.people if p.id in speaking)

    @property
    def chairs(self) -> tuple[Person, ...]:
        """People who chair at least one session, in the order they are defined."""
        chairing = {p.id for session in self.sessions for p in session.chairs}
        return tuple(p for p in self.people if p.id in chairing)

    def items_of(self, person: Person) -> tuple[Item, ...]:
        """The items `person` speaks in, in programme order."""
        return self._items_by_speaker.get(person.id, ())

    @functools.cached_property
    def _items_by_speaker(self) -> dict[str, tuple[Item, ...]]:
        found: dict[str, list[Item]] = {}
        for item in self.items:
            for person_id in dict.fromkeys(p.id for p in item.speakers):
                found.setdefault(person_id, []).append(item)
        return {person_id: tuple(items) for person_id, items in found.items()}


def minutes(time: dt.time) -> int:
    """Minutes after midnight."""
    return time.hour * 60 + time.minute


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
