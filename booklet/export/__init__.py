"""Exporters: the model into other formats (JSON, iCalendar, frab schedule.xml, a web page).

`booklet.outputs.exports` writes them beside the booklet. The helpers below are what the
exports share so that they agree with each other:
the event's slug, stable UUIDs and the one timestamp a build may use.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import uuid

from booklet import model

# Fixed for ever: changing it would change every guid and UID ever exported.
NAMESPACE = uuid.UUID("6f0c3f4e-2b0a-5d8e-9a61-0b1d4c7e2a55")


def event_slug(event: model.Event) -> str:
    """'MLIR Winter School 2025' -> 'mlir-winter-school-2025': names the event in ids."""
    return _slug(event.title)


@functools.lru_cache(maxsize=16)
def _slug(title: str) -> str:  # asked for every id of every export: thousands of times
    from booklet.importers import slugify

    return slugify(title) or "event"


def event_namespace(event: model.Event) -> uuid.UUID:
    # Ids are unique per event, not worldwide ('20250127-1000-all' recurs in every event), so
    # the event's slug is part of every UUID: two events' exports never share a guid.
    return uuid.uuid5(NAMESPACE, event_slug(event))


def item_guid(event: model.Event, item: model.Item) -> uuid.UUID:
    """The same item (same id in the same event) keeps its UUID across rebuilds."""
    return uuid.uuid5(event_namespace(event), f"item:{item.id}")


def person_guid(event: model.Event, person: model.Person) -> uuid.UUID:
    return uuid.uuid5(event_namespace(event), f"person:{person.id}")


def room_guid(event: model.Event, room: model.Room) -> uuid.UUID:
    # By name: schedules know rooms only by name, so the guid survives an import.
    return uuid.uuid5(event_namespace(event), f"room:{room.name}")


def build_time(programme: model.Programme) -> dt.datetime:
    """The time a build says it was made: SOURCE_DATE_EPOCH when set, else a fixed value.

    Never the clock: builds are reproducible (the same content gives the same bytes). The
    fallback is midnight UTC at the start of the programme's first day, a value that only
    changes when the programme moves.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    first = programme.start_date or dt.date(2000, 1, 1)
    return dt.datetime(first.year, first.month, first.day, tzinfo=dt.timezone.utc)


def local_datetime(programme: model.Programme, day: dt.date, time: dt.time) -> dt.datetime:
    """A programme time (local wall clock of the event's time zone) as an aware datetime."""
    import zoneinfo

    return dt.datetime.combine(day, time, zoneinfo.ZoneInfo(programme.event.timezone))
