"""Raw content (from `sources`) -> `model.Programme`, or every problem found.

`load_programme(content_dir)` reads `event.yaml`, `people.yaml`, `programme.yaml` and the
Markdown files they reference, checks everything, and returns the programme with its
warnings. Errors are collected (not raised one by one) and raised together as one
`ContentError`, so the organizer fixes them in one pass.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from booklet import glyphs, model, paper
from booklet.errors import ContentError, Diagnostic, Location
from booklet.sources import (
    DEFAULT_LIMITS,
    Limits,
    Mapping,
    Sequence,
    decode_text,
    load_yaml,
    read_bytes,
    resolve_inside,
)

EVENT_FILE = "event.yaml"
PEOPLE_FILE = "people.yaml"
PROGRAMME_FILE = "programme.yaml"

ROLES = ("speaker", "organizer", "staff", "attendee", "volunteer", "sponsor", "press")

# Gap after which an item looks misplaced (a typo such as 03:00 for 15:00).
OUTLIER_GAP_MINUTES = 180
# Overlap warnings listed for one day at most.
MAX_OVERLAP_WARNINGS = 100

_TIME = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# C0/C1 controls (but tab and newline), bidirectional embedding/override/isolate marks, and
# Unicode noncharacters (U+FFFE, U+FDD0, ...: not text, and invalid in XML exports). Those
# beyond the BMP have their own pattern, used only on text that has such characters: one
# class mixing both searches a 20 MB abstract ten times slower.
_UNSAFE_BMP = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
    "\ufdd0-\ufdef\ufffe\uffff]"
)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_UNSAFE_ASTRAL = re.compile(
    "["
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
    )
    + "]"
)


def _unsafe_patterns(text: str) -> tuple[re.Pattern, ...]:
    return (_UNSAFE_BMP, _UNSAFE_ASTRAL) if _ASTRAL.search(text) else (_UNSAFE_BMP,)


def _first_unsafe(text: str) -> int:
    """Index of the first character `clean_text` removes, or 0 if none."""
    found = [m.start() for p in _unsafe_patterns(text) if (m := p.search(text))]
    return min(found, default=0)


# Keys whose text is printed (booklet, signs): checked against the booklet's fonts.
PRINTED_KEYS = frozenset(
    ("title", "subtitle", "city", "funding", "name", "affiliation", "address", "floor")
    + ("building", "body", "abstract", "website", "organizers")
)
# Longest value quoted in a message; longer ones are cut.
_QUOTE_MAX = 60


@dataclass
class Result:
    programme: model.Programme
    warnings: list[Diagnostic] = field(default_factory=list)


class _Checker:
    """Collects diagnostics while reading raw values of known shapes."""

    def __init__(self, root: Path):
        self.root = root
        self.diagnostics: list[Diagnostic] = []
        self.errors = 0  # errors among the diagnostics
        self.coverage = glyphs.Coverage(root)

    # -- reporting -------------------------------------------------------------------------
    def error(self, loc: Location, where: str, what: str, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(loc, where, what, hint, "error"))
        self.errors += 1

    def warn(self, loc: Location, where: str, what: str, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(loc, where, what, hint, "warning"))

    def extend(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)
        self.errors += sum(1 for d in diagnostics if d.is_error)

    def error_count(self) -> int:
        return self.errors

    # -- shapes ----------------------------------------------------------------------------
    def mapping(self, value: Any, loc: Location, where: str, keys: dict[str, bool]) -> bool:
        """Is `value` a mapping whose keys are known and whose required keys are present?"""
        if not isinstance(value, Mapping):
            self.error(loc, where, f"expected a mapping of keys, got {_describe(value)}")
            return False
        ok = True
        for key in value:
            if key not in keys:
                close = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(keys)
                self.error(value.key_locs[key], _join(where, key), f"unknown key '{key}'", hint)
                ok = False
        for key, required in keys.items():
            if required and value.get(key) is None:
                self.error(value.loc, where, f"missing required key '{key}'")
                ok = False
        return ok

    def sequence(self, value: Any, loc: Location, where: str) -> Sequence | None:
        if isinstance(value, Sequence):
            return value
        self.error(loc, where, f"expected a list, got {_describe(value)}")
        return None

    def text(
        self,
        m: Mapping,
        key: str,
        where: str,
        *,
        multiline: bool = False,
        default=None,
        required: bool = False,
    ) -> str | None:
        """A text value, cleaned; `required`: an error if nothing visible is left of it."""
        value = m.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(
                m.value_locs[key], _join(where, key), f"expected text, got {_describe(value)}"
            )
            return default
        text = str(value)
        cleaned = self.clean(text, m.value_locs[key], _join(where, key), multiline=multiline)
        if cleaned and key in PRINTED_KEYS:
            self.glyphs(cleaned, m.value_locs[key], _join(where, key))
        if not cleaned.strip() and required:
            self.error(
                m.value_locs[key],
                _join(where, key),
                f"{key} is empty"
                + (" once control characters are removed" if text.strip() else ""),
                "give some visible text",
            )
        return cleaned if cleaned else default

    def clean(self, text: str, loc: Location, where: str, *, multiline: bool = False) -> str:
        """`clean_text`, with a warning naming the control characters it removed."""
        removed = unsafe_chars(text)
        if removed:
            self.warn(loc, where, *removed_warning(removed))
        return clean_text(text, multiline=multiline)

    def glyphs(self, text: str, loc: Location, where: str) -> None:
        missing = self.coverage.missing(text)
        if missing:
            self.warn(
                loc,
                where,
                f"no font has {glyphs.describe(missing)}",
                "it prints as an empty box, or in a system font if one has it; put a font "
                "that has it in the content's fonts/ folder",
            )

    def time(self, m: Mapping, key: str, where: str) -> dt.time | None:
        value = m.get(key)
        if value is None:
            return None
        match = _TIME.match(str(value).strip()) if isinstance(value, str) else None
        if match and int(match[1]) < 24 and int(match[2]) < 60:
            return dt.time(int(match[1]), int(match[2]))
        self.error(
            m.value_locs[key],
            _join(where, key),
            f"bad time {str(value)!r}",
            'use HH:MM on the 24-hour clock, in quotes, e.g. "14:30"',
        )
        return None

    def date(self, m: Mapping, key: str, where: str) -> dt.date | None:
        value = m.get(key)
        if value is None:
            return None
        match = _DATE.match(str(value).strip()) if isinstance(value, str) else None
        if match:
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                pass
        self.error(
            m.value_locs[key], _join(where, key), f"bad date {str(value)!r}", "use YYYY-MM-DD"
        )
        return None

    def ident(self, m: Mapping, key: str, where: str) -> str | None:
        value = self.text(m, key, where, required=True)
        if value is not None and not _ID.match(value):
            self.error(
                m.value_locs[key],
                _join(where, key),
                f"bad id {value!r}",
                "use letters, digits, '-', '_' or '.', e.g. 'ada-lovelace'",
            )
            return None
        return value

    def names(self, m: Mapping, key: str, where: str) -> list[tuple[str, Location, str]]:
        """A string or a list of strings -> [(value, location, where)]."""
        value = m.get(key)
        if value is None:
            return []
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return [(str(value), m.value_locs[key], _join(where, key))]
        seq = self.sequence(value, m.value_locs[key], _join(where, key))
        out = []
        for i, entry in enumerate(seq or []):
            w = f"{_join(where, key)}[{i}]"
            if isinstance(entry, (str, int)) and not isinstance(entry, bool):
                out.append((str(entry), seq.item_locs[i], w))
            else:
                self.error(seq.item_locs[i], w, f"expected an id, got {_describe(entry)}")
        return out

    def read_markdown(self, m: Mapping, key: str, where: str, limits: Limits) -> str | None:
        relative = self.text(m, key, where)
        if relative is None:
            return None
        loc, where = m.value_locs[key], _join(where, key)
        path = self.inside(relative, loc, where)
        if path is None:
            return None
        if not path.is_file():
            self.error(loc, where, f"file {relative!r} not found")
            return None
        try:
            text = decode_text(read_bytes(path, limits), path)
        except ContentError as exc:
            self.extend(exc.diagnostics)
            return None
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        at = _position(path, text, _first_unsafe(text))
        cleaned = self.clean(text, at, where, multiline=True)
        missing = self.coverage.missing(cleaned)
        if missing:
            self.glyphs(cleaned, _position(path, text, text.find(missing[0])), where)
        return cleaned or None

    def inside(self, relative: str, loc: Location, where: str) -> Path | None:
        """The file a content value names, if it is inside the content folder."""
        path = resolve_inside(self.root, relative)
        if path is not None:
            return path
        if resolve_inside(self.root, relative, follow_links=False) is not None:
            self.error(
                loc,
                where,
                f"file {relative!r} is a link to a file outside the content folder",
                "copy the file into the content folder",
            )
        else:
            self.error(
                loc,
                where,
                f"file {relative!r} is outside the content folder",
                "give a path relative to the content folder, without '..'",
            )
        return None


class SectionReader:
    """An output's section of event.yaml, for its `parse_section`: typed values with their
    problems reported as `event.yaml:line:col: section.key: what (hint)`, like the rest of
    the content. A value with a problem reads as None (or the default)."""

    def __init__(self, checker: _Checker, raw: Mapping, name: str):
        self.checker, self.raw, self.name = checker, raw, name

    def __contains__(self, key: str) -> bool:
        return key in self.raw

    def keys(self) -> list[str]:
        return list(self.raw)

    def allow(self, *keys: str) -> bool:
        """Report every key but `keys` as unknown; True if there was none."""
        return self.checker.mapping(self.raw, self.raw.loc, self.name, dict.fromkeys(keys, False))

    def location(self, key: str | None = None) -> Location:
        return self.raw.loc if key is None else self.raw.value_locs[key]

    def error(self, key: str | None, what: str, hint: str | None = None) -> None:
        self.checker.error(self.location(key), _join(self.name, key or ""), what, hint)

    def warn(self, key: str | None, what: str, hint: str | None = None) -> None:
        self.checker.warn(self.location(key), _join(self.name, key or ""), what, hint)

    def text(self, key: str, default: str | None = None, *, required: bool = False):
        return self.checker.text(self.raw, key, self.name, default=default, required=required)

    def number(self, key: str, default: float | None = None, *, minimum=None, maximum=None):
        value = self.raw.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(key, f"expected a number, got {_describe(value)}")
            return default
        low = minimum is not None and value < minimum
        if low or (maximum is not None and value > maximum):
            self.error(key, f"{value} is out of range", f"give one from {minimum} to {maximum}")
            return default
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.raw.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, f"expected true or false, got {_describe(value)}")
            return default
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None):
        value = self.text(key)
        if value is None:
            return default
        for known in choices:
            if known.casefold() == value.casefold():
                return known
        what, hint = _unknown(key, value, dict.fromkeys(choices))
        self.error(key, what, hint)
        return default

    def file(self, key: str) -> Path | None:
        """A file of the content folder the value names (relative, inside it)."""
        relative = self.text(key)
        if relative is None:
            return None
        path = self.checker.inside(relative, self.location(key), _join(self.name, key))
        if path is not None and not path.is_file():
            self.error(key, f"file {relative!r} not found in the content folder")
            return None
        return path


def unsafe_chars(text: str) -> list[str]:
    """The control and bidi-override characters `clean_text` removes, as sorted U+XXXX."""
    found = {c for pattern in _unsafe_patterns(text) for c in pattern.findall(text)}
    return sorted(f"U+{ord(c):04X}" for c in found)


def removed_warning(removed: list[str]) -> tuple[str, str]:
    """What and hint of the warning for removed characters."""
    return (
        "removed invisible control characters " + ", ".join(removed),
        "they can reorder or hide text when printed",
    )


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Drop control and bidi-override characters; normalise to NFC; trim single lines."""
    for pattern in _unsafe_patterns(text):
        text = pattern.sub("", text)
    text = unicodedata.normalize("NFC", text)
    if multiline:
        return text.replace("\r\n", "\n").strip("\n")
    return " ".join(text.split())


def _position(path: Path, text: str, index: int) -> Location:
    """Line and column of `text[index]` in the file it was read from."""
    index = max(0, index)
    line = text.count("\n", 0, index) + 1
    return Location(path, line, index - (text.rfind("\n", 0, index) + 1) + 1)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, Sequence):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return quote(value)


def quote(text: str) -> str:
    """repr() of a value for a message, cut short if it is long."""
    if len(text) > _QUOTE_MAX:
        return f"{text[: _QUOTE_MAX - 3]!r}... ({len(text):,} characters)"
    return repr(text)


def _unknown(kind: str, ref: str, known: dict[str, Any]) -> tuple[str, str]:
    close = difflib.get_close_matches(ref, list(known), n=1, cutoff=0.6)
    if close:
        return f"unknown {kind} {ref!r}", f"did you mean '{close[0]}'?"
    names = list(known)
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    return f"unknown {kind} {ref!r}", f"known: {shown}" if names else f"no {kind}s are defined"


def derive_sort_name(name: str) -> str:
    """'Ada King Lovelace' -> 'Lovelace, Ada King'; one word stays as it is."""
    parts = name.split()
    if len(parts) < 2:
        return name
    return f"{parts[-1]}, {' '.join(parts[:-1])}"


# -----------------------------------------------------------------------------------------


def load_programme(
    content_dir: Path | str, limits: Limits = DEFAULT_LIMITS, registry=None
) -> Result:
    """Read and check a content folder. Raises `ContentError` listing every error. The
    sections of event.yaml that configure an output are parsed by that output
    (`registry`, default: the installed outputs)."""
    root = Path(content_dir)
    check = _Checker(root)
    if not root.is_dir():
        raise ContentError(
            diagnostics=[
                Diagnostic(
                    Location(root),
                    "",
                    "content folder not found",
                    "pass the folder holding event.yaml, or create one with 'booklet import'",
                )
            ]
        )
    raw: dict[str, Any] = {}
    for name in (EVENT_FILE, PEOPLE_FILE, PROGRAMME_FILE):
        path = root / name
        if not path.is_file():
            if name != PEOPLE_FILE:
                check.error(
                    Location(path),
                    "",
                    f"{name} not found",
                    "every content folder needs event.yaml and programme.yaml "
                    "(start one with 'booklet import' or copy the example in the README)",
                )
            continue
        if resolve_inside(root, name) is None:
            check.error(
                Location(path),
                "",
                f"{name} is a link to a file outside the content folder",
                "copy the file into the content folder",
            )
            continue
        try:
            items_at = ("days", "items") if name == PROGRAMME_FILE else ()
            raw[name] = load_yaml(path, limits, items_at=items_at)
        except ContentError as exc:
            check.extend(exc.diagnostics)
    if any(d.is_error for d in check.diagnostics):
        raise ContentError(diagnostics=check.diagnostics)

    if registry is None:
        from booklet.outputs import load_registry

        registry = load_registry()
    builder = _Builder(check, root, limits, raw, registry)
    programme = builder.build()
    if any(d.is_error for d in check.diagnostics) or programme is None:
        raise ContentError(diagnostics=check.diagnostics)
    return Result(programme, [d for d in check.diagnostics if not d.is_error])


class _Builder:
    def __init__(self, check: _Checker, root: Path, limits: Limits, raw: dict[str, Any], registry):
        self.c = check
        self.registry = registry
        self.root = root
        self.limits = limits
        self.raw = raw
        self.venues: dict[str, model.Venue] = {}
        self.rooms: dict[str, model.Room] = {}
        self.room_names: dict[str, model.Room] = {}
        self.people: dict[str, model.Person] = {}
        self.item_locs: dict[str, tuple[Location, str]] = {}
        self.next_suffix: dict[str, int] = {}

    def file_loc(self, name: str) -> Location:
        return Location(self.root / name, 1, 1)

    def top(self, name: str, keys: dict[str, bool]) -> Mapping | None:
        data = self.raw.get(name)
        if data is None:
            if name in self.raw:
                self.c.error(self.file_loc(name), "", f"{name} is empty")
            return None
        if not self.c.mapping(data, self.file_loc(name), "", keys):
            return data if isinstance(data, Mapping) else None
        return data

    def build(self) -> model.Programme | None:
        event = self.event()
        people_raw = self.top(PEOPLE_FILE, {"people": False}) if PEOPLE_FILE in self.raw else None
        if people_raw is not None:
            self.read_people(people_raw)
        programme_raw = self.top(PROGRAMME_FILE, {"days": True})
        days = self.read_days(programme_raw) if programme_raw is not None else []
        if event is None:
            return None
        programme = model.Programme(
            event=event,
            days=tuple(days),
            people=tuple(self.people.values()),
            rooms=tuple(self.rooms.values()),
        )
        if not any(d.is_error for d in self.c.diagnostics):
            self.schedule_warnings(programme)
        return programme

    # -- event -----------------------------------------------------------------------------
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
            "settings": False,
            "badges": False,
            "signs": False,
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
                        value.value_locs["id"], _join(where, "id"), f"duplicate venue id {vid!r}"
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
                    _join(where, "capacity"),
                    f"expected a whole number of seats, got {_describe(capacity)}",
                )
                capacity = None
            if rid in self.rooms:
                c.error(value.value_locs["id"], _join(where, "id"), f"duplicate room id {rid!r}")
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
        settings = model.Settings()
        raw_settings = m.get("settings")
        if raw_settings is not None and c.mapping(
            raw_settings, m.value_locs["settings"], "settings", {"page_size": False, "bleed": False}
        ):
            bleed = raw_settings.get("bleed")
            if bleed is not None:
                mm = _millimetres(bleed)
                if mm is None or not 0 <= mm <= 20:
                    c.error(
                        raw_settings.value_locs["bleed"],
                        "settings.bleed",
                        f"bad bleed {bleed!r}",
                        "give millimetres between 0 and 20, e.g. 3mm",
                    )
                else:
                    settings = model.Settings(page_size=settings.page_size, bleed_mm=mm)
            size = c.text(raw_settings, "page_size", "settings")
            if size is not None:
                canonical = normalise_page_size(size)
                if canonical is None:
                    c.error(
                        raw_settings.value_locs["page_size"],
                        "settings.page_size",
                        f"unknown page size {size!r}",
                        "use one of " + ", ".join(paper.BOOKLET_SIZES),
                    )
                else:
                    settings = model.Settings(page_size=canonical, bleed_mm=settings.bleed_mm)
        language = c.text(m, "language", "", default="en")
        if not re.match(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", language):
            c.error(
                m.value_locs["language"],
                "language",
                f"bad language tag {language!r}",
                "use a BCP 47 tag such as 'en' or 'fr-FR'",
            )
            language = "en"
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
            settings=settings,
            badges=self.badge_settings(m),
            signs=self.sign_settings(m),
            sections=self.output_sections(m, parsers),
        )

    def output_sections(self, m: Mapping, parsers: dict) -> tuple:
        """The sections of event.yaml that outputs parse themselves (plug-ins' among
        them), each as (output name, its settings as sorted (key, value) pairs)."""
        found = []
        for output in self.registry:
            raw = m.get(output.section) if output.section in parsers else None
            if raw is None:
                continue
            where = output.section
            if not isinstance(raw, Mapping):
                what = f"expected a mapping, got {_describe(raw)}"
                self.c.error(m.value_locs[where], where, what)
                continue
            settings = parsers[where](SectionReader(self.c, raw, where)) or {}
            found.append((output.name, tuple(sorted(dict(settings).items()))))
        return tuple(found)

    def sign_settings(self, m: Mapping) -> model.SignSettings:
        """The optional `signs:` mapping of event.yaml: the door signs' paper."""
        raw = m.get("signs")
        keys = {"page_size": False}
        if raw is None or not self.c.mapping(raw, m.value_locs["signs"], "signs", keys):
            return model.SignSettings()
        size = self.c.text(raw, "page_size", "signs")
        if size is None:
            return model.SignSettings()
        found = paper.find(size, paper.SIGN_SIZES)
        if found is not None:
            return model.SignSettings(page_size=found.name)
        self.c.error(
            raw.value_locs["page_size"],
            "signs.page_size",
            f"unknown page size {size!r} for door signs",
            "use one of " + ", ".join(paper.SIGN_SIZES) + "; signs are printed landscape",
        )
        return model.SignSettings()

    # -- badges ----------------------------------------------------------------------------
    def badge_settings(self, m: Mapping) -> model.BadgeSettings:
        """The optional `badges:` mapping of event.yaml: layout, stock, colours, QR, logo."""
        c, w = self.c, "badges"
        keys = dict.fromkeys(("layout", "custom", "colours", "qr", "logo", "attendees", "back"))
        raw = m.get("badges")
        if raw is None or not c.mapping(raw, m.value_locs["badges"], w, keys):
            return model.BadgeSettings()
        settings: dict[str, Any] = {}
        for key, known in (("layout", model.BADGE_LAYOUTS), ("back", model.BADGE_BACKS)):
            value = c.text(raw, key, w)
            if value is not None and value.casefold() in known:
                settings[key] = value.casefold()
            elif value is not None:
                what, hint = _unknown(f"badge {key}", value, dict.fromkeys(known))
                c.error(raw.value_locs[key], _join(w, key), what, hint)
        if raw.get("custom") is not None:
            settings["custom"] = self.badge_grid(raw["custom"], raw.value_locs["custom"])
        elif settings.get("layout") == "custom":
            c.error(
                raw.value_locs["layout"],
                "badges.layout",
                "layout 'custom' needs a 'custom:' mapping",
                "give the badge width, height, columns and rows, e.g. {width: 85mm, height: "
                "55mm, columns: 2, rows: 5, paper: A4}",
            )
        colours = raw.get("colours")
        if colours is not None and c.mapping(
            colours,
            raw.value_locs["colours"],
            "badges.colours",
            dict.fromkeys(colours) if isinstance(colours, Mapping) else {},
        ):
            pairs = []
            for role in colours:
                where, loc = f"badges.colours.{role}", colours.key_locs[role]
                close = difflib.get_close_matches(role, ROLES, n=1, cutoff=0.75)
                if role not in ROLES and close:  # a typo; other words are custom roles
                    c.error(loc, where, f"unknown role {role!r}", f"did you mean '{close[0]}'?")
                colour = c.text(colours, role, "badges.colours")
                if colour is not None and not re.match(r"^#([0-9a-fA-F]{3}){1,2}$", colour):
                    c.error(
                        colours.value_locs[role],
                        where,
                        f"bad colour {colour!r}",
                        'write it as "#rrggbb" in quotes, e.g. "#0b5cad"',
                    )
                elif colour is not None:
                    pairs.append((role, _long_hex(colour)))
            settings["colours"] = tuple(pairs)
        qr = c.text(raw, "qr", w)
        if qr is not None:
            problem = _qr_problem(qr)
            if problem:
                c.error(raw.value_locs["qr"], "badges.qr", problem[0], problem[1])
            else:
                settings["qr"] = qr if qr.casefold() not in ("vcard", "none") else qr.casefold()
        for key in ("logo", "attendees"):
            relative = c.text(raw, key, w)
            if relative is None:
                continue
            path = c.inside(relative, raw.value_locs[key], _join(w, key))
            if path is None:
                continue
            if not path.is_file():
                c.error(
                    raw.value_locs[key],
                    _join(w, key),
                    f"file {relative!r} not found in the content folder",
                    "give a path relative to the content folder, without '..'",
                )
            elif key == "attendees":
                settings[key] = relative
            else:
                settings[key] = self.badge_logo(path, raw.value_locs[key])
        return model.BadgeSettings(**settings)

    def badge_grid(self, raw: Any, loc: Location) -> model.BadgeGrid | None:
        c, w = self.c, "badges.custom"
        keys = {"width": True, "height": True, "columns": True, "rows": True}
        if not c.mapping(raw, loc, w, keys | {"paper": False, "gap": False}):
            return None
        values: dict[str, Any] = {}
        for key in ("width", "height", "gap", "columns", "rows"):
            value = raw.get(key)
            if value is None:
                continue
            if key in ("columns", "rows"):
                ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 20
                parsed = value if ok else None
            else:
                parsed = _millimetres(value)
                parsed = parsed if parsed is not None and parsed > 0 else None
            if parsed is None:
                c.error(
                    raw.value_locs[key],
                    _join(w, key),
                    f"bad {key} {str(value)!r}",
                    "a whole number from 1 to 20"
                    if key in ("columns", "rows")
                    else "a length such as 85mm or 3.5in (a plain number is mm)",
                )
                return None
            values[key] = parsed
        sheet_name = c.text(raw, "paper", w, default="A4")
        sheet = paper.find(sheet_name, paper.BADGE_SHEETS)
        if sheet is None:
            c.error(
                raw.value_locs["paper"],
                _join(w, "paper"),
                f"unknown paper {sheet_name!r}",
                "use one of " + ", ".join(paper.BADGE_SHEETS),
            )
            return None
        grid = model.BadgeGrid(paper=sheet.name, **values)
        if min(grid.width, grid.height) < 30 or max(grid.width, grid.height) < 50:
            c.error(
                loc,
                w,
                f"badges of {grid.width:g} x {grid.height:g} mm are too small for a readable name",
                "make them at least 50 x 30 mm",
            )
            return None
        paper_w, paper_h = paper.paper(grid.paper).portrait_mm
        need_w = grid.columns * grid.width + (grid.columns - 1) * grid.gap
        need_h = grid.rows * grid.height + (grid.rows - 1) * grid.gap
        if need_w > paper_w + 0.01 or need_h > paper_h + 0.01:
            c.error(
                loc,
                w,
                f"{grid.columns} x {grid.rows} badges of {grid.width:g} x {grid.height:g} mm "
                f"need {need_w:g} x {need_h:g} mm, more than {grid.paper} "
                f"({paper_w:g} x {paper_h:g} mm)",
                "use fewer columns or rows, smaller badges or a smaller gap",
            )
            return None
        return grid

    def badge_logo(self, path: Path, loc: Location) -> bytes | None:
        try:
            data = read_bytes(path, self.limits)
        except ContentError as exc:
            self.c.extend(exc.diagnostics)
            return None
        if not data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
            self.c.error(
                loc, "badges.logo", "the logo is not a PNG or JPEG image", "convert it to PNG"
            )
            return None
        return data

    def list_of(self, m: Mapping, key: str, where: str) -> list[tuple[Any, Location]]:
        value = m.get(key)
        if value is None:
            return []
        seq = self.c.sequence(value, m.value_locs[key], _join(where, key))
        return list(zip(seq, seq.item_locs, strict=True)) if seq is not None else []

    # -- people ----------------------------------------------------------------------------
    def read_people(self, m: Mapping) -> None:
        c = self.c
        keys = {
            "id": True,
            "name": True,
            "sort_name": False,
            "affiliation": False,
            "bio": False,
            "role": False,
        }
        for i, (value, loc) in enumerate(self.list_of(m, "people", "")):
            where = f"people[{i}]"
            if not c.mapping(value, loc, where, keys):
                continue
            pid = c.ident(value, "id", where)
            name = c.text(value, "name", where, required=True)
            if pid in self.people:
                c.error(
                    value.value_locs["id"],
                    _join(where, "id"),
                    f"duplicate person id {pid!r}",
                    "each person is defined once; refer to them by id",
                )
                continue
            role = c.text(value, "role", where, default="speaker")
            if role not in ROLES:
                close = difflib.get_close_matches(role, ROLES, n=1)
                c.error(
                    value.value_locs["role"],
                    _join(where, "role"),
                    f"unknown role {role!r}",
                    f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(ROLES),
                )
            if pid and name:
                self.people[pid] = model.Person(
                    id=pid,
                    name=name,
                    sort_name=c.text(value, "sort_name", where) or derive_sort_name(name),
                    affiliation=c.text(value, "affiliation", where),
                    bio=c.text(value, "bio", where, multiline=True),
                    role=role,
                )

    # -- days and items --------------------------------------------------------------------
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
                    _join(where, "date"),
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
                    what, hint = _unknown("venue", vref, self.venues)
                    c.error(value.value_locs["venue"], _join(where, "venue"), what, hint)
            raw_items = self.list_of(value, "items", where)
            total_items += len(raw_items)
            if total_items > self.limits.max_items:
                c.error(
                    value.value_locs["items"],
                    _join(where, "items"),
                    f"the programme has over {self.limits.max_items:,} items",
                    "raise the limit with --max-items if this is intended",
                )
                break
            items = []
            for j, (raw_item, item_loc) in enumerate(raw_items):
                item = self.read_item(raw_item, item_loc, f"{where}.items[{j}]", date, item_ids)
                if item is not None:
                    items.append(item)
            if date is not None:
                room_order = {r.id: k for k, r in enumerate(self.rooms.values())}
                items.sort(
                    key=lambda it: (
                        it.start,
                        0 if it.all_rooms else 1,
                        min((room_order.get(r.id, 0) for r in it.rooms), default=0),
                    )
                )
                days.append(model.Day(date, c.text(value, "title", where), venue, tuple(items)))
        days.sort(key=lambda d: d.date)
        return days

    def read_item(
        self,
        m: Any,
        loc: Location,
        where: str,
        date: dt.date | None,
        ids: dict[str, str],
    ) -> model.Item | None:
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
        }
        if not c.mapping(m, loc, where, keys):
            return None
        start = c.time(m, "start", where)
        end = c.time(m, "end", where)
        if start is not None and end is not None and end <= start:
            c.error(
                m.value_locs["end"],
                _join(where, "end"),
                f"end {end:%H:%M} is not after start {start:%H:%M}",
                "items end on the day they start; check am/pm",
            )
            end = None
        kind = c.text(m, "kind", where, default="talk")
        if kind not in model.KINDS:
            close = difflib.get_close_matches(kind, model.KINDS, n=1)
            c.error(
                m.value_locs["kind"],
                _join(where, "kind"),
                f"unknown kind {kind!r}",
                f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(model.KINDS),
            )
        speakers = []
        for ref, ref_loc, ref_where in c.names(m, "speakers", where):
            person = self.people.get(ref)
            if person is None:
                what, hint = _unknown("person", ref, self.people)
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
        if "room" in m and "rooms" in m:
            c.error(
                m.key_locs["rooms"],
                _join(where, "rooms"),
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
                    what, hint = _unknown("room", ref, known | self.rooms)
                    c.error(ref_loc, ref_where, what, hint)
                elif room not in rooms:
                    rooms.append(room)
            all_rooms = bool(rooms) and len(rooms) == len(self.rooms)
        if "abstract" in m and "abstract_file" in m:
            c.error(
                m.key_locs["abstract_file"],
                _join(where, "abstract_file"),
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
                _join(where, "id"),
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
    def schedule_warnings(self, programme: model.Programme) -> None:
        for day in programme.days:
            self.overlap_warnings(day)
            self.outlier_warnings(day.items)

    def overlap_warnings(self, day: model.Day) -> None:
        """Items sharing a room or a speaker at the same time. A day's items are sorted by
        start, so each is compared only with those starting before it ends; and a day lists
        at most MAX_OVERLAP_WARNINGS, so a hostile programme cannot make this quadratic."""
        items = day.items
        warned = 0
        for a_index, a in enumerate(items):
            a_end = a.end_minutes
            if a_end is None:  # a moment overlaps only what started before it (seen there)
                continue
            for b_index in range(a_index + 1, len(items)):
                b = items[b_index]
                if b.start_minutes >= a_end:
                    break
                if not _overlap(a, b):
                    continue
                shared = [r.name for r in a.rooms if r in b.rooms]
                both = [p.name for p in a.speakers if p in b.speakers]
                if (shared or both) and warned >= MAX_OVERLAP_WARNINGS:
                    self.warn_item(
                        b,
                        f"more items overlap on {day.date}; only the first "
                        f"{MAX_OVERLAP_WARNINGS} overlaps are listed",
                        "fix those first",
                    )
                    return
                if shared:
                    warned += 1
                    self.warn_item(
                        b,
                        f"overlaps '{a.display_title}' ({_span(a)}) in {shared[0]}",
                        "two items cannot share a room at the same time",
                    )
                for name in both:
                    warned += 1
                    self.warn_item(
                        b,
                        f"{name} is also in '{a.display_title}' ({_span(a)}) at that time",
                        "a speaker cannot be in two places at once",
                    )

    def outlier_warnings(self, items: tuple[model.Item, ...]) -> None:
        if len(items) < 3:
            return
        # The earliest start and latest end of the others: the two extremes of the day
        # suffice (linear, not quadratic, in the number of items).
        starts = [o.start_minutes for o in items]
        ends = [o.end_minutes or o.start_minutes for o in items]
        by_start = sorted(range(len(items)), key=starts.__getitem__)[:2]
        by_end = sorted(range(len(items)), key=ends.__getitem__, reverse=True)[:2]
        for i, item in enumerate(items):
            if item.kind in ("social", "meal"):  # evening receptions and dinners are normal
                continue
            first = starts[by_start[1] if i == by_start[0] else by_start[0]]
            last = ends[by_end[1] if i == by_end[0] else by_end[0]]
            end = ends[i]
            if item.start_minutes - last > OUTLIER_GAP_MINUTES:
                gap = item.start_minutes - last
            elif first - end > OUTLIER_GAP_MINUTES:
                gap = first - end
            else:
                continue
            self.warn_item(
                item,
                f"starts at {item.start:%H:%M}, {gap // 60} h {gap % 60:02d} min away from "
                "the day's other items",
                "check the time (am/pm?)",
            )

    def warn_item(self, item: model.Item, what: str, hint: str) -> None:
        loc, where = self.item_locs[item.id]
        self.c.warn(loc, where, what, hint)


def _overlap(a: model.Item, b: model.Item) -> bool:
    """Do two items take place at the same time? Open-ended items are moments."""
    a0, b0 = a.start_minutes, b.start_minutes
    a1, b1 = a.end_minutes, b.end_minutes
    if a1 is not None and b1 is not None:
        return a0 < b1 and b0 < a1
    if a1 is not None:
        return a0 < b0 < a1
    if b1 is not None:
        return b0 < a0 < b1
    return False


def _span(item: model.Item) -> str:
    return f"{item.start:%H:%M}-{item.end:%H:%M}" if item.end else f"{item.start:%H:%M}"


def _millimetres(value: Any) -> float | None:
    """3, 3.5, "3mm", "0.125in" -> millimetres."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    match = re.match(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(mm|in|pt)?\s*$", str(value))
    if not match:
        return None
    factor = {"mm": 1.0, None: 1.0, "in": 25.4, "pt": 25.4 / 72}[match[2]]
    return float(match[1]) * factor


def normalise_page_size(value: str) -> str | None:
    """The booklet page size `value` names ('a5', 'half letter'), or None."""
    found = paper.find(value, paper.BOOKLET_SIZES)
    return found.name if found is not None else None


def _long_hex(colour: str) -> str:
    """Turn "#AbC" into "#aabbcc"."""
    digits = colour[1:].lower()
    return "#" + (digits if len(digits) == 6 else "".join(d * 2 for d in digits))


QR_FIELDS = ("id", "name", "given_name", "family_name", "role")


def _qr_problem(qr: str) -> tuple[str, str] | None:
    """Why a `badges.qr` setting is unusable, or None: vcard, none, or an http(s) pattern."""
    import string

    if qr.casefold() in ("vcard", "none"):
        return None
    if not re.match(r"^https?://", qr):
        return f"bad QR setting {qr!r}", "use vcard, none, or a URL such as https://x.org/{id}"
    try:
        names = [f for _, f, _, _ in string.Formatter().parse(qr) if f is not None]
    except ValueError:
        return f"bad URL pattern {qr!r}", "braces must pair up: {id}"
    for name in names:
        if name not in QR_FIELDS:
            return f"unknown field {{{name}}} in the QR URL", "known: " + ", ".join(QR_FIELDS)
    return None
