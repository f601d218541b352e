"""programme.yaml -> the days and their items (`model.Day`, `model.Item`), each item's
speakers and rooms resolved against people.yaml and event.yaml, its abstract read from its
Markdown file."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zoneinfo
from typing import Any

from booklet import model
from booklet.errors import Location
from booklet.sources import Mapping
from booklet.validate.checker import join_key, unknown_ref
from booklet.validate.event import EVENT_FILE


class ProgrammeReader:
    """Reads programme.yaml, for the validator (`Builder`)."""

    def read_days(self, m: Mapping) -> list[model.Day]:
        c = self.c
        days: list[model.Day] = []
        seen_dates: dict[dt.date, str] = {}
        item_ids: dict[str, str] = {}
        total_items = 0
        for i, (value, loc) in enumerate(self.list_of(m, "days", "")):
            where = f"days[{i}]"
            if not c.mapping(
                value, loc, where, {"date": True, "title": False, "venue": False, "items": False}
            ):
                continue
            date = c.date(value, "date", where)
            if date is not None and date in seen_dates:
                c.error(
                    value.value_locs["date"],
                    join_key(where, "date"),
                    f"date {date} appears twice",
                    f"already used by {seen_dates[date]}; put all of a day's items under one entry",
                )
                continue
            if date is not None:
                seen_dates[date] = where
            venue = None
            vref = c.text(value, "venue", where)
            if vref is not None:
                venue = self.venues.get(vref)
                if venue is None:
                    what, hint = unknown_ref("venue", vref, self.venues)
                    c.error(value.value_locs["venue"], join_key(where, "venue"), what, hint)
            raw_items = self.list_of(value, "items", where)
            total_items += len(raw_items)
            if total_items > self.limits.max_items:
                c.error(
                    value.value_locs["items"],
                    join_key(where, "items"),
                    f"the programme has over {self.limits.max_items:,} items",
                    "raise the limit with --max-items if this is intended",
                )
                break
            items = []
            drafts = []
            for j, (raw_item, item_loc) in enumerate(raw_items):
                if isinstance(raw_item, Mapping) and "session" in raw_item:
                    # A session's items count toward the limit like any other.
                    inner = raw_item["session"]
                    held = inner.get("items") if isinstance(inner, Mapping) else None
                    total_items += len(held) if isinstance(held, list) else 0
                    if total_items > self.limits.max_items:
                        c.error(
                            item_loc,
                            f"{where}.items[{j}]",
                            f"the programme has over {self.limits.max_items:,} items",
                            "raise the limit with --max-items if this is intended",
                        )
                        break
                    draft = self.read_session(
                        raw_item, item_loc, f"{where}.items[{j}]", date, item_ids
                    )
                    if draft is not None:
                        drafts.append(draft)
                        items.extend(draft.items)
                    continue
                item = self.read_item(raw_item, item_loc, f"{where}.items[{j}]", date, item_ids)
                if item is not None:
                    items.append(item)
            sessions = self.finish_sessions(drafts, items, date) if date is not None else []
            if date is not None:
                room_order = {r.id: k for k, r in enumerate(self.rooms.values())}
                items.sort(
                    key=lambda it: (
                        it.start,
                        0 if it.all_rooms else 1,
                        min((room_order.get(r.id, 0) for r in it.rooms), default=0),
                    )
                )
                days.append(
                    model.Day(
                        date,
                        c.text(value, "title", where),
                        venue,
                        tuple(items),
                        sessions=tuple(sessions),
                    )
                )
        days.sort(key=lambda d: d.date)
        return days

    def read_item(
        self,
        m: Any,
        loc: Location,
        where: str,
        date: dt.date | None,
        ids: dict[str, str],
        session: Any = None,
    ) -> model.Item | None:
        """One item; inside a session (`SessionDraft`), it takes the session's rooms and
        track unless it gives its own."""
        c = self.c
        keys = {
            "id": False,
            "start": True,
            "end": False,
            "kind": False,
            "title": False,
            "speakers": False,
            "room": False,
            "rooms": False,
            "abstract": False,
            "abstract_file": False,
            "links": False,
            "track": False,
            "board": False,
        }
        if not c.mapping(m, loc, where, keys):
            return None
        start = c.time(m, "start", where)
        end = c.time(m, "end", where)
        for key, time in (("start", start), ("end", end)):
            if time is not None and date is not None:
                self.clock_warning(date, time, m.value_locs[key], join_key(where, key))
        if start is not None and end is not None and end <= start:
            c.error(
                m.value_locs["end"],
                join_key(where, "end"),
                f"end {end:%H:%M} is not after start {start:%H:%M}",
                "items end on the day they start; check am/pm",
            )
            end = None
        kind = c.text(m, "kind", where, default="talk")
        if kind not in model.KINDS:
            close = difflib.get_close_matches(kind, model.KINDS, n=1)
            c.error(
                m.value_locs["kind"],
                join_key(where, "kind"),
                f"unknown kind {kind!r}",
                f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(model.KINDS),
            )
        speakers = []
        for ref, ref_loc, ref_where in c.names(m, "speakers", where):
            person = self.people.get(ref)
            if person is None:
                what, hint = unknown_ref("person", ref, self.people)
                c.error(
                    ref_loc,
                    ref_where,
                    what,
                    hint + " (people are defined in people.yaml)"
                    if hint.startswith("known") or hint.startswith("no ")
                    else hint,
                )
            elif person in speakers:
                c.error(ref_loc, ref_where, f"person {ref!r} is listed twice")
            else:
                speakers.append(person)
        if session is not None and session.rooms and "room" not in m and "rooms" not in m:
            rooms, all_rooms = list(session.rooms), session.all_rooms
        else:
            rooms, all_rooms = self.read_rooms(m, where)
        if "abstract" in m and "abstract_file" in m:
            c.error(
                m.key_locs["abstract_file"],
                join_key(where, "abstract_file"),
                "both 'abstract' and 'abstract_file' given",
                "keep one",
            )
        # A title or abstract given but unusable has its own error: no warning on top.
        errors = c.error_count()
        abstract = c.text(m, "abstract", where, multiline=True)
        if "abstract_file" in m:
            abstract = c.read_markdown(m, "abstract_file", where, self.limits)
        abstract_failed = c.error_count() > errors
        links = self.read_links(m, where)
        item_id = c.ident(m, "id", where)
        if item_id is not None and item_id in ids:
            c.error(
                m.value_locs["id"],
                join_key(where, "id"),
                f"duplicate item id {item_id!r}",
                f"already used by {ids[item_id]}",
            )
            return None
        if start is None or date is None or kind not in model.KINDS:
            return None
        if item_id is None:
            suffix = "all" if all_rooms else "-".join(r.id for r in rooms)
            base = (
                f"{date:%Y%m%d}-{start:%H%M}-{suffix}" if suffix else f"{date:%Y%m%d}-{start:%H%M}"
            )
            # Items at one time and place: base, base-2, base-3, ... (the next number is
            # remembered, so many of them take linear, not quadratic, time).
            item_id, n = base, self.next_suffix.get(base, 2)
            while item_id in ids:
                item_id, n = f"{base}-{n}", n + 1
            self.next_suffix[base] = n
        ids[item_id] = where
        track = self.read_track_ref(m, where)
        if track is None and session is not None:
            track = session.track
        board = c.text(m, "board", where)
        if board is not None and kind != "poster":
            c.error(
                m.value_locs["board"],
                join_key(where, "board"),
                f"a board number on a {kind}",
                "boards are for posters: add 'kind: poster' or remove 'board'",
            )
            board = None
        errors = c.error_count()
        title = c.text(m, "title", where)
        title_failed = c.error_count() > errors
        item = model.Item(
            id=item_id,
            day=date,
            start=start,
            end=end,
            kind=kind,
            title=title,
            speakers=tuple(speakers),
            rooms=tuple(rooms),
            all_rooms=all_rooms,
            abstract=abstract,
            links=tuple(links),
            session=session.id if session is not None else None,
            track=track,
            board=board,
        )
        self.item_locs[item_id] = (loc, where)
        if item.is_presentation:
            if title is None and not title_failed:
                c.warn(
                    loc,
                    where,
                    f"{kind} has no title",
                    "the booklet will lead with the speaker's name",
                )
            if abstract is None and not abstract_failed:
                c.warn(
                    loc,
                    where,
                    f"{kind} '{item.display_title}' has no abstract",
                    "add 'abstract' or 'abstract_file'",
                )
        return item

    def read_rooms(self, m: Mapping, where: str) -> tuple[list[model.Room], bool]:
        """An entry's `room` or `rooms`: (the rooms, whether that is every room). None
        given means every room."""
        c = self.c
        if "room" in m and "rooms" in m:
            c.error(
                m.key_locs["rooms"],
                join_key(where, "rooms"),
                "both 'room' and 'rooms' given",
                "keep one",
            )
        room_key = "rooms" if "rooms" in m else "room"
        refs = c.names(m, room_key, where)
        all_rooms = not refs or (len(refs) == 1 and refs[0][0].casefold() == "all")
        rooms: list[model.Room] = []
        if all_rooms:
            rooms = list(self.rooms.values())
        else:
            for ref, ref_loc, ref_where in refs:
                room = self.rooms.get(ref) or self.room_names.get(ref.casefold())
                if room is None:
                    known = {r.name: r for r in self.rooms.values()}
                    what, hint = unknown_ref("room", ref, known | self.rooms)
                    c.error(ref_loc, ref_where, what, hint)
                elif room not in rooms:
                    rooms.append(room)
            all_rooms = bool(rooms) and len(rooms) == len(self.rooms)
        return rooms, all_rooms

    def clock_warning(self, date: dt.date, time: dt.time, loc: Location, where: str) -> None:
        """A warning for a time the event's clocks skip or show twice (a change to or from
        summer time): exports take it with the offset before the change."""
        tz = self.zone()
        if tz is None:
            return
        first = dt.datetime.combine(date, time, tz)
        second = first.replace(fold=1)
        if first.utcoffset() == second.utcoffset():
            return
        back = first.astimezone(dt.timezone.utc).astimezone(tz)
        if back.replace(tzinfo=None) != first.replace(tzinfo=None):
            self.c.warn(
                loc,
                where,
                f"{time:%H:%M} does not exist on {date} in {tz.key} (the clocks go forward): "
                f"it is taken as {back:%H:%M}",
                "write the time the clocks show after the change",
            )
        else:
            self.c.warn(
                loc,
                where,
                f"{time:%H:%M} happens twice on {date} in {tz.key} (the clocks go back)",
                f"it is taken as the first, at UTC{first:%z}; check which one is meant",
            )

    def zone(self) -> zoneinfo.ZoneInfo | None:
        """The event's time zone, once it is known to be valid."""
        event = self.raw.get(EVENT_FILE)
        name = event.get("timezone") if isinstance(event, Mapping) else None
        try:
            return zoneinfo.ZoneInfo(name) if isinstance(name, str) else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None

    def read_links(self, m: Mapping, where: str) -> list[model.Link]:
        out = []
        for i, (value, loc) in enumerate(self.list_of(m, "links", where)):
            w = f"{where}.links[{i}]"
            if isinstance(value, str):
                title, url, url_loc = value, value, loc
            elif self.c.mapping(value, loc, w, {"title": False, "url": True}):
                url = self.c.text(value, "url", w) or ""
                title = self.c.text(value, "title", w) or url
                url_loc = value.value_locs["url"]
            else:
                continue
            if not re.match(r"^(https?://|mailto:)", url):
                self.c.error(url_loc, w, f"link {url!r} is not an http(s) or mailto URL")
                continue
            out.append(model.Link(title, url))
        return out

    # -- whole-schedule warnings -----------------------------------------------------------
