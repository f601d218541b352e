"""Programme -> one self-contained, responsive HTML page (`index.html`) for a website or email.

The page is its own template, `styles/web.html.j2` with `styles/web.css` inlined (the
booklet's templates are for print), found through the same `Theme` search path, so an event
overrides either by a file of the same name in its `styles/` folder. It makes no request of
any kind: no web fonts, no images, no scripts, and a Content-Security-Policy that forbids
them, so it opens the same offline, in a mail client, or on a phone.

Items that start together in different rooms sit in one row, side by side on a wide screen
and stacked on a phone; abstracts are Markdown through the Theme's sanitising `markdown`
filter. A day with sessions lists each session under a heading (title, time, rooms,
chairs), its items after it; with tracks, each item carries its track's colour and a row of
radio buttons above the programme shows one track at a time, by CSS alone (the page runs no
script).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from booklet import i18n, model
from booklet.themes import Theme

TEMPLATE = "web.html.j2"
STYLESHEET = "web.css"


@dataclass(frozen=True)
class Row:
    """Items of one day that start at the same time (parallel sessions)."""

    start: dt.time
    items: tuple[model.Item, ...]
    session: model.Session | None = None  # a session's heading (then `items` is empty)

    @property
    def parallel(self) -> bool:
        """Side by side only when the items are in different rooms: two items of one room
        that start together (opening words and a talk) follow one another."""
        rooms = [frozenset(r.id for r in i.rooms) for i in self.items]
        return len(self.items) > 1 and all(
            not (a & b) for k, a in enumerate(rooms) for b in rooms[k + 1 :]
        )


@dataclass(frozen=True)
class WebDay:
    day: model.Day
    rows: tuple[Row, ...]

    @property
    def anchor(self) -> str:
        return f"day-{self.day.date.isoformat()}"


def rows(day: model.Day) -> tuple[Row, ...]:
    """Items starting together, in rows; on a day with sessions, each session's heading
    then its items, sessions and items of none in time order."""
    if not day.sessions:
        return _rows(day.items)
    rank = {item.id: k for k, item in enumerate(day.items)}
    units: list[tuple[int, tuple[Row, ...]]] = []
    for session in day.sessions:
        first = min((rank[i.id] for i in session.items), default=len(rank))
        units.append((first, (Row(session.start, (), session), *_rows(session.items))))
    loose = [i for i in day.items if i.session is None]
    for row in _rows(tuple(loose)):
        units.append((rank[row.items[0].id], (row,)))
    units.sort(key=lambda unit: unit[0])
    return tuple(row for _, unit in units for row in unit)


def _rows(items: tuple[model.Item, ...]) -> tuple[Row, ...]:
    out: list[Row] = []
    for item in items:
        if out and out[-1].start == item.start:
            out[-1] = Row(item.start, (*out[-1].items, item))
        else:
            out.append(Row(item.start, (item,)))
    return tuple(out)


def track_keys(programme: model.Programme) -> dict[str, str]:
    """Track id -> a name safe in CSS selectors and HTML ids (track ids may hold dots)."""
    return {track.id: f"t{k}" for k, track in enumerate(programme.tracks, 1)}


def room_label(programme: model.Programme, item: model.Item) -> str | None:
    """The rooms worth naming: none in a one-room event or for an item in every room."""
    if len(programme.rooms) <= 1 or item.all_rooms:
        return None
    return ", ".join(r.name for r in item.rooms)


def render_web(programme: model.Programme, content_dir: Path | None = None) -> str:
    theme = Theme(content_dir, i18n.language_of(programme.event))
    return theme.render(
        TEMPLATE,
        programme=programme,
        event=programme.event,
        days=[WebDay(day, rows(day)) for day in programme.days],
        css=theme.stylesheet(STYLESHEET),
        room_label=lambda item: room_label(programme, item),
        tracks=programme.tracks,
        track_key=track_keys(programme),
    )
