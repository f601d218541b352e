"""event.yaml -> the event (`model.Event`): title, time zone, language, venues, rooms,
practical information; each output's own section (the booklet's `settings:`, `badges:`,
`signs:`, a plug-in's) is parsed by that output, found in the registry."""

from __future__ import annotations

import re
import zoneinfo

from booklet import i18n, model
from booklet.sources import Mapping
from booklet.validate.checker import SectionReader, describe_value, join_key

EVENT_FILE = "event.yaml"


class EventReader:
    """Reads event.yaml, for the validator (`Builder`)."""

    def event(self) -> model.Event | None:
        keys = {
            "title": True,
            "subtitle": False,
            "city": False,
            "timezone": True,
            "language": False,
            "website": False,
            "organizers": False,
            "funding": False,
            "venues": False,
            "rooms": False,
            "info": False,
            "tracks": False,
            "chair_role": False,
        }
        parsers = {
            o.section: o.parse_section
            for o in self.registry
            if o.section and o.parse_section and o.section not in keys
        }
        keys.update(dict.fromkeys(parsers, False))
        m = self.top(EVENT_FILE, keys)
        if m is None:
            return None
        c = self.c
        tz = c.text(m, "timezone", "")
        if tz is not None:
            try:
                zoneinfo.ZoneInfo(tz)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                c.error(
                    m.value_locs["timezone"],
                    "timezone",
                    f"unknown time zone {tz!r}",
                    "use an IANA name such as 'Europe/Paris' or 'America/New_York'",
                )
        website = c.text(m, "website", "")
        if website is not None and not re.match(r"^https?://", website):
            c.error(
                m.value_locs["website"], "website", f"website {website!r} is not an http(s) URL"
            )
            website = None
        organizers = []
        for name, loc, where in c.names(m, "organizers", ""):
            name = c.clean(name, loc, where)
            if name:
                c.glyphs(name, loc, where)
                organizers.append(name)
        for i, venue in enumerate(self.list_of(m, "venues", "")):
            where = f"venues[{i}]"
            value, loc = venue
            if c.mapping(value, loc, where, {"id": True, "name": True, "address": False}):
                vid = c.ident(value, "id", where)
                if vid in self.venues:
                    c.error(
                        value.value_locs["id"], join_key(where, "id"), f"duplicate venue id {vid!r}"
                    )
                elif vid:
                    self.venues[vid] = model.Venue(
                        vid,
                        c.text(value, "name", where, required=True),
                        c.text(value, "address", where),
                    )
        for i, (value, loc) in enumerate(self.list_of(m, "rooms", "")):
            where = f"rooms[{i}]"
            keys_r = {
                "id": True,
                "name": True,
                "capacity": False,
                "floor": False,
                "building": False,
            }
            if not c.mapping(value, loc, where, keys_r):
                continue
            rid = c.ident(value, "id", where)
            name = c.text(value, "name", where, required=True)
            capacity = value.get("capacity")
            if capacity is not None and (
                not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 0
            ):
                c.error(
                    value.value_locs["capacity"],
                    join_key(where, "capacity"),
                    f"expected a whole number of seats, got {describe_value(capacity)}",
                )
                capacity = None
            if rid in self.rooms:
                c.error(value.value_locs["id"], join_key(where, "id"), f"duplicate room id {rid!r}")
                continue
            if rid and name:
                room = model.Room(
                    rid,
                    name,
                    capacity,
                    c.text(value, "floor", where),
                    c.text(value, "building", where),
                )
                self.rooms[rid] = room
                self.room_locs[rid] = (loc, where)
                self.room_names.setdefault(name.casefold(), room)
        info = []
        for i, (value, loc) in enumerate(self.list_of(m, "info", "")):
            where = f"info[{i}]"
            if c.mapping(value, loc, where, {"title": True, "body": True}):
                info.append(
                    model.InfoSection(
                        c.text(value, "title", where, required=True) or "",
                        c.text(value, "body", where, multiline=True, required=True) or "",
                    )
                )
        tracks = self.read_tracks(m)
        self.chair_role = self.read_chair_role(m, "", "chair")
        language = c.text(m, "language", "", default="en")
        if not re.match(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", language):
            c.error(
                m.value_locs["language"],
                "language",
                f"bad language tag {language!r}",
                "use a BCP 47 tag such as 'en' or 'fr-FR'",
            )
            language = "en"
        elif "language" in m.value_locs:
            c.extend(i18n.check_language(language, m.value_locs["language"]))
        return model.Event(
            title=c.text(m, "title", "", required=True) or "",
            timezone=tz or "UTC",
            subtitle=c.text(m, "subtitle", ""),
            city=c.text(m, "city", ""),
            website=website,
            language=language,
            organizers=tuple(organizers),
            funding=c.text(m, "funding", "", multiline=True),
            venues=tuple(self.venues.values()),
            info=tuple(info),
            tracks=tracks,
            chair_role=self.chair_role,
            sections=self.output_sections(m, parsers),
        )

    def output_sections(self, m: Mapping, parsers: dict) -> tuple:
        """The sections of event.yaml that configure an output, each parsed by that output
        (`Output.parse_section`): (output name, its settings), the settings as the output
        made them (a frozen dataclass) or, given as a mapping, as sorted (key, value)
        pairs."""
        found = []
        for output in self.registry:
            raw = m.get(output.section) if output.section in parsers else None
            if raw is None:
                continue
            where = output.section
            if not isinstance(raw, Mapping):
                what = f"expected a mapping of keys, got {describe_value(raw)}"
                self.c.error(m.value_locs[where], where, what)
                continue
            settings = parsers[where](SectionReader(self.c, raw, where, self.limits))
            if settings is None or isinstance(settings, dict):
                settings = tuple(sorted((settings or {}).items()))
            found.append((output.name, settings))
        return tuple(found)
