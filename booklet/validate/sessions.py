"""event.yaml `tracks:` and programme.yaml `- session:` entries -> `model.Track` and
`model.Session`: each session's chairs resolved against people.yaml, its items read like any
other (they take the session's rooms and track), items of the day named by id gathered
into it, and its span and rooms taken from its items unless given.

A session in a day's `items:` list:

    - session:
        title: Compilers
        chairs: [christophe-dubach]
        track: compilers
        room: hall-a
        items:
          - {start: "09:00", end: "09:30", title: ..., speakers: [...]}
          - opening-talk          # an item of the same day, by its id
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

from booklet import model
from booklet.errors import Location
from booklet.sources import Mapping
from booklet.validate.checker import join_key, unknown_ref

_COLOUR = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
# Colours for tracks that give none: distinct, dark enough for white text, light enough
# for a tint.
TRACK_PALETTE = (
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
    "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
)  # fmt: skip


@dataclass
class SessionDraft:
    """A session while its day is read: its items come in before its span is known."""

    id: str
    title: str
    loc: Location
    where: str
    start: dt.time | None
    end: dt.time | None
    rooms: tuple[model.Room, ...]  # as given; () takes them from the items
    all_rooms: bool
    chairs: tuple[model.Person, ...]
    chair_role: str
    track: model.Track | None
    abstract: str | None
    items: list[model.Item] = field(default_factory=list)
    # (item id, where it is named, its location): items of the day named by id
    refs: list[tuple[str, Location, str]] = field(default_factory=list)


class SessionReader:
    """Reads tracks and sessions, for the validator (`Builder`)."""

    # -- event.yaml ------------------------------------------------------------------------
    def read_tracks(self, m: Mapping) -> tuple[model.Track, ...]:
        c = self.c
        tracks: dict[str, model.Track] = {}
        for i, (value, loc) in enumerate(self.list_of(m, "tracks", "")):
            where = f"tracks[{i}]"
            if not c.mapping(value, loc, where, {"id": True, "name": True, "colour": False}):
                continue
            tid = c.ident(value, "id", where)
            name = c.text(value, "name", where, required=True)
            colour = c.text(value, "colour", where)
            if colour is not None and not _COLOUR.match(colour):
                c.error(
                    value.value_locs["colour"],
                    join_key(where, "colour"),
                    f"colour {colour!r} is not a #rrggbb colour",
                    "write it like '#1f77b4' (quoted: '#' starts a YAML comment)",
                )
                colour = None
            if tid in tracks:
                c.error(
                    value.value_locs["id"], join_key(where, "id"), f"duplicate track id {tid!r}"
                )
                continue
            if tid and name:
                tracks[tid] = model.Track(tid, name, normalise_colour(colour, len(tracks)))
        self.tracks = tracks
        return tuple(tracks.values())

    def read_chair_role(self, m: Mapping, where: str, default: str) -> str:
        word = self.c.text(m, "chair_role", where, required=True)
        return word.strip().lower() if word else default

    # -- programme.yaml --------------------------------------------------------------------
    def read_track_ref(self, m: Mapping, where: str) -> model.Track | None:
        ref = self.c.text(m, "track", where)
        if ref is None:
            return None
        track = self.tracks.get(ref) or next(
            (t for t in self.tracks.values() if t.name.casefold() == ref.casefold()), None
        )
        if track is None:
            what, hint = unknown_ref("track", ref, self.tracks)
            self.c.error(
                m.value_locs["track"],
                join_key(where, "track"),
                what,
                hint + " (tracks are defined in event.yaml)" if not self.tracks else hint,
            )
        return track

    def read_session(
        self, entry: Mapping, loc: Location, where: str, date: dt.date | None, ids: dict[str, str]
    ) -> SessionDraft | None:
        """A `- session: {...}` entry of a day's items, with the items it holds."""
        c = self.c
        if not c.mapping(entry, loc, where, {"session": True}):
            return None
        m, loc, where = entry["session"], entry.value_locs["session"], join_key(where, "session")
        keys = {
            "id": False,
            "title": True,
            "chairs": False,
            "chair_role": False,
            "track": False,
            "room": False,
            "rooms": False,
            "abstract": False,
            "abstract_file": False,
            "start": False,
            "end": False,
            "items": True,
        }
        if not c.mapping(m, loc, where, keys):
            return None
        title = c.text(m, "title", where, required=True)
        start, end = c.time(m, "start", where), c.time(m, "end", where)
        if start is not None and end is not None and end <= start:
            c.error(
                m.value_locs["end"],
                join_key(where, "end"),
                f"end {end:%H:%M} is not after start {start:%H:%M}",
                "sessions end on the day they start; check am/pm",
            )
            end = None
        chairs: list[model.Person] = []
        for ref, ref_loc, ref_where in c.names(m, "chairs", where):
            person = self.people.get(ref)
            if person is None:
                what, hint = unknown_ref("person", ref, self.people)
                if hint.startswith(("known", "no ")):
                    hint += " (chairs are people of people.yaml)"
                c.error(ref_loc, ref_where, what, hint)
            elif person in chairs:
                c.error(ref_loc, ref_where, f"person {ref!r} is listed twice")
            else:
                chairs.append(person)
        given_rooms = "room" in m or "rooms" in m
        rooms, all_rooms = self.read_rooms(m, where) if given_rooms else ([], False)
        abstract = c.text(m, "abstract", where, multiline=True)
        if "abstract" in m and "abstract_file" in m:
            c.error(
                m.key_locs["abstract_file"],
                join_key(where, "abstract_file"),
                "both 'abstract' and 'abstract_file' given",
                "keep one",
            )
        elif "abstract_file" in m:
            abstract = c.read_markdown(m, "abstract_file", where, self.limits)
        sid = c.ident(m, "id", where)
        if sid is not None and sid in self.session_ids:
            c.error(
                m.value_locs["id"],
                join_key(where, "id"),
                f"duplicate session id {sid!r}",
                f"already used by {self.session_ids[sid]}",
            )
            sid = None
        if sid is None and date is not None:
            sid, n = f"{date:%Y%m%d}-session-1", 2
            while sid in self.session_ids:
                sid, n = f"{date:%Y%m%d}-session-{n}", n + 1
        if sid is not None:
            self.session_ids[sid] = where
        draft = SessionDraft(
            id=sid or "",
            title=title or "",
            loc=loc,
            where=where,
            start=start,
            end=end,
            rooms=tuple(rooms),
            all_rooms=all_rooms,
            chairs=tuple(chairs),
            chair_role=self.read_chair_role(m, where, self.chair_role),
            track=self.read_track_ref(m, where),
            abstract=abstract,
        )
        for j, (raw_item, item_loc) in enumerate(self.list_of(m, "items", where)):
            item_where = f"{join_key(where, 'items')}[{j}]"
            if isinstance(raw_item, (str, int)) and not isinstance(raw_item, bool):
                draft.refs.append((str(raw_item), item_loc, item_where))
                continue
            if isinstance(raw_item, Mapping) and "session" in raw_item:
                c.error(item_loc, item_where, "a session inside a session", "sessions do not nest")
                continue
            item = self.read_item(raw_item, item_loc, item_where, date, ids, draft)
            if item is not None:
                draft.items.append(item)
        return draft

    def finish_sessions(
        self, drafts: list[SessionDraft], items: list[model.Item], date: dt.date
    ) -> list[model.Session]:
        """The day's sessions, once all its items are read: items named by id are moved
        into their session (`items` is updated in place), each session's span and rooms
        are known and checked against its items."""
        c = self.c
        by_id = {item.id: k for k, item in enumerate(items)}
        holder = {item.id: d for d in drafts for item in d.items}
        for draft in drafts:
            for ref, ref_loc, ref_where in draft.refs:
                k = by_id.get(ref)
                if k is None:
                    elsewhere = self.item_locs.get(ref)
                    if elsewhere is not None:
                        c.error(
                            ref_loc,
                            ref_where,
                            f"item {ref!r} is on another day ({elsewhere[1]})",
                            "a session holds items of its own day",
                        )
                    else:
                        what, hint = unknown_ref("item", ref, by_id)
                        c.error(ref_loc, ref_where, what, hint)
                    continue
                if ref in holder:
                    c.error(
                        ref_loc,
                        ref_where,
                        f"item {ref!r} is already in session '{holder[ref].title}'",
                        "an item belongs to one session",
                    )
                    continue
                item = items[k]
                moved = dataclasses.replace(item, session=draft.id, track=item.track or draft.track)
                items[k] = moved
                holder[ref] = draft
                draft.items.append(moved)
        sessions = []
        room_order = {r.id: k for k, r in enumerate(self.rooms.values())}
        for draft in drafts:
            session = self.finish_session(draft, date, room_order)
            if session is not None:
                sessions.append(session)
        sessions.sort(
            key=lambda s: (s.start, min((room_order.get(r.id, 0) for r in s.rooms), default=0))
        )
        return sessions

    def finish_session(
        self, draft: SessionDraft, date: dt.date, room_order: dict[str, int]
    ) -> model.Session | None:
        c = self.c
        items = sorted(draft.items, key=lambda it: (it.start, it.id))
        if all(it.is_poster for it in items):
            items.sort(key=lambda it: (board_key(it.board), it.start))
        if not items and draft.start is None:
            c.error(draft.loc, draft.where, f"session '{draft.title}' has no items and no start")
            return None
        start = draft.start or min(it.start for it in items)
        ends = [it.end or it.start for it in items]
        end = draft.end or (max(ends) if ends and max(ends) > start else None)
        if draft.rooms:
            rooms = draft.rooms
        else:
            found = {r.id: r for it in items for r in it.rooms}
            rooms = tuple(sorted(found.values(), key=lambda r: room_order.get(r.id, 0)))
        boards: dict[str, str] = {}
        for item in items:
            loc, where = self.item_locs.get(item.id, (draft.loc, draft.where))
            if draft.rooms and not item.all_rooms:
                outside = [r.name for r in item.rooms if r not in draft.rooms]
                if outside:
                    c.warn(
                        loc,
                        where,
                        f"'{item.display_title}' is in {outside[0]}, not in its session "
                        f"'{draft.title}' ({', '.join(r.name for r in draft.rooms)})",
                        "move the item to the session's room or out of the session",
                    )
            if (
                draft.start is not None
                and item.start < draft.start
                or (draft.end is not None and (item.end or item.start) > draft.end)
            ):
                span = f"{start:%H:%M}-{end:%H:%M}" if end else f"from {start:%H:%M}"
                c.warn(
                    loc,
                    where,
                    f"'{item.display_title}' ({_span(item)}) is outside its session "
                    f"'{draft.title}' ({span})",
                    "check the times of the item and of the session",
                )
            if item.is_poster:
                if item.board is None:
                    c.warn(loc, where, f"poster '{item.display_title}' has no board number")
                elif item.board in boards:
                    c.error(
                        loc,
                        where,
                        f"board {item.board!r} is taken twice in session '{draft.title}'",
                        f"already used by {boards[item.board]}",
                    )
                else:
                    boards[item.board] = where
        return model.Session(
            id=draft.id,
            day=date,
            title=draft.title,
            start=start,
            end=end,
            rooms=tuple(rooms),
            chairs=draft.chairs,
            chair_role=draft.chair_role,
            track=draft.track,
            abstract=draft.abstract,
            items=tuple(items),
        )


def normalise_colour(colour: str | None, index: int) -> str:
    """'#abc' -> '#aabbcc', lower case; none given -> the palette's colour for `index`."""
    if colour is None:
        return TRACK_PALETTE[index % len(TRACK_PALETTE)]
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits.lower()


def board_key(board: str | None) -> tuple:
    """Boards in natural order: 2 before 10, 'A2' before 'A10'; none last."""
    if board is None:
        return ((2, ""),)
    return tuple(
        (0, f"{int(part):09d}") if part.isdigit() else (1, part.casefold())
        for part in re.findall(r"\d+|\D+", board)
    )


def _span(item: model.Item) -> str:
    return f"{item.start:%H:%M}-{item.end:%H:%M}" if item.end else f"{item.start:%H:%M}"
