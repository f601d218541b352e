"""A programme's sessions and tracks -> what the booklet draws of them (no I/O, no HTML):
the order of a day's abstracts (each session's entries together, under its heading), a
day's items for its grid (a poster session as one slot), the week at a glance by session
on crowded days, and track colours as tints.

An event without sessions gets exactly what it got before: every function here leaves its
input as it is when no item belongs to a session.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from booklet import model

# A day drawn session by session on the week page: more room columns than this, or more
# items than that.
WEEK_SESSION_COLUMNS = 3
WEEK_SESSION_ITEMS = 16


def entry_order(day: model.Day, has_entry: Callable[[model.Item], bool]) -> list[model.Item]:
    """The day's items with an abstract entry: loose items and sessions in time order (then
    room order), each session's items together in its own order (posters by board)."""
    if not day.sessions:
        return [i for i in day.items if has_entry(i)]
    rank = {item.id: k for k, item in enumerate(day.items)}  # time, then room order
    units: list[tuple[int, list[model.Item]]] = []
    for session in day.sessions:
        items = [i for i in session.items if has_entry(i)]
        if items:
            units.append((min(rank[i.id] for i in session.items), items))
    units += [(rank[i.id], [i]) for i in day.items if i.session is None and has_entry(i)]
    units.sort(key=lambda unit: unit[0])
    return [item for _, items in units for item in items]


def grid_day(day: model.Day) -> model.Day:
    """The day as its grid shows it: a poster session's posters as one slot (its first
    board), which the template draws as the count of posters."""
    drop = {i.id for s in day.sessions if s.is_poster_session for i in s.items[1:]}
    if not drop:
        return day
    return dataclasses.replace(day, items=tuple(i for i in day.items if i.id not in drop))


def week_merge(day: model.Day, columns: list) -> list[model.Session]:
    """For `grid.build_week`: the sessions of a day drawn as one block each on the week
    page. On a crowded day (more room columns than WEEK_SESSION_COLUMNS, or more items
    than WEEK_SESSION_ITEMS) every session, its first item standing for it; on any day a
    poster session, whose posters share one place."""
    crowded = len(columns) > WEEK_SESSION_COLUMNS or len(day.items) > WEEK_SESSION_ITEMS
    return [s for s in day.sessions if crowded or s.is_poster_session]


def tint(colour: str | None, strength: float = 0.18) -> str:
    """A light tint of a '#rrggbb' colour on white: backgrounds that keep text legible."""
    if not colour or len(colour) != 7:
        return "#ffffff"
    rgb = [int(colour[k : k + 2], 16) for k in (1, 3, 5)]
    mixed = [round(255 - (255 - c) * strength) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def day_tracks(programme: model.Programme, day: model.Day | None = None) -> list[model.Track]:
    """The tracks with an item (that day, or at all), in the event's order: the legend."""
    items = day.items if day is not None else programme.items
    used = {i.track.id for i in items if i.track is not None}
    return [t for t in programme.tracks if t.id in used]
