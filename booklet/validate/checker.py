"""Raw YAML values with their locations -> checked values, or located problems.

`Checker` collects every error and warning (`path:line:col: where: what (hint)`) while the
validator reads values of known shapes: mappings with known keys, text (cleaned, its glyphs
checked against the booklet's fonts), times, dates, ids, Markdown files inside the content
folder. `SectionReader` gives an output's own section of event.yaml the same checks.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

from booklet import glyphs
from booklet.cleaning import clean_text, first_unsafe, quote, removed_warning, unsafe_chars
from booklet.errors import ContentError, Diagnostic, Location
from booklet.sources import (
    Limits,
    Mapping,
    Sequence,
    decode_text,
    not_regular,
    read_bytes,
    resolve_inside,
)

_TIME = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

# Keys whose text is printed (booklet, signs): checked against the booklet's fonts.
PRINTED_KEYS = frozenset(
    ("title", "subtitle", "city", "funding", "name", "affiliation", "address", "floor")
    + ("building", "body", "abstract", "website", "organizers")
)


class Checker:
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
            self.error(loc, where, f"expected a mapping of keys, got {describe_value(value)}")
            return False
        ok = True
        for key in value:
            if key not in keys:
                close = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(keys)
                self.error(value.key_locs[key], join_key(where, key), f"unknown key '{key}'", hint)
                ok = False
        for key, required in keys.items():
            if required and value.get(key) is None:
                self.error(value.loc, where, f"missing required key '{key}'")
                ok = False
        return ok

    def sequence(self, value: Any, loc: Location, where: str) -> Sequence | None:
        if isinstance(value, Sequence):
            return value
        self.error(loc, where, f"expected a list, got {describe_value(value)}")
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
            what = f"expected text, got {describe_value(value)}"
            self.error(m.value_locs[key], join_key(where, key), what)
            return default
        text = str(value)
        cleaned = self.clean(text, m.value_locs[key], join_key(where, key), multiline=multiline)
        if cleaned and key in PRINTED_KEYS:
            self.glyphs(cleaned, m.value_locs[key], join_key(where, key))
        if not cleaned.strip() and required:
            self.error(
                m.value_locs[key],
                join_key(where, key),
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
            join_key(where, key),
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
            year, month, day = int(match[1]), int(match[2]), int(match[3])
            try:
                date = dt.date(year, month, day)
            except ValueError:  # written right, but no such day: say which part is wrong
                self.error(
                    m.value_locs[key],
                    join_key(where, key),
                    f"no such date {str(value)!r}: {_no_such_date(year, month, day)}",
                    "it is written YYYY-MM-DD: check the month and the day",
                )
                return None
            # Outputs reach past a day (the calendar's time zone rules run to the next
            # year's start): the last year Python's dates have is out of their reach.
            if date.year >= dt.MAXYEAR:
                self.error(
                    m.value_locs[key],
                    join_key(where, key),
                    f"date {date} is too late",
                    f"use a year before {dt.MAXYEAR}",
                )
                return None
            return date
        self.error(
            m.value_locs[key], join_key(where, key), f"bad date {str(value)!r}", "use YYYY-MM-DD"
        )
        return None

    def ident(self, m: Mapping, key: str, where: str) -> str | None:
        value = self.text(m, key, where, required=True)
        if value is not None and not _ID.match(value):
            self.error(
                m.value_locs[key],
                join_key(where, key),
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
            return [(str(value), m.value_locs[key], join_key(where, key))]
        seq = self.sequence(value, m.value_locs[key], join_key(where, key))
        out = []
        for i, entry in enumerate(seq or []):
            w = f"{join_key(where, key)}[{i}]"
            if isinstance(entry, (str, int)) and not isinstance(entry, bool):
                out.append((str(entry), seq.item_locs[i], w))
            else:
                self.error(seq.item_locs[i], w, f"expected an id, got {describe_value(entry)}")
        return out

    def read_markdown(self, m: Mapping, key: str, where: str, limits: Limits) -> str | None:
        relative = self.text(m, key, where)
        if relative is None:
            return None
        loc, where = m.value_locs[key], join_key(where, key)
        path = self.inside(relative, loc, where)
        if path is None:
            return None
        problem = not_regular(path)
        if problem is not None:
            verb = "" if problem == "not found" else "is "
            self.error(loc, where, f"file {relative!r} {verb}{problem}")
            return None
        try:
            text = decode_text(read_bytes(path, limits), path)
        except ContentError as exc:
            self.extend(exc.diagnostics)
            return None
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        at = position_in(path, text, first_unsafe(text))
        cleaned = self.clean(text, at, where, multiline=True)
        missing = self.coverage.missing(cleaned)
        if missing:
            self.glyphs(cleaned, position_in(path, text, text.find(missing[0])), where)
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
    the content. A value with a problem reads as None (or the default). `checker` and `raw`
    (the mapping, with `value_locs`) are there for checks of shapes of one's own."""

    def __init__(self, checker: Checker, raw: Mapping, name: str, limits: Limits):
        self.checker, self.raw, self.name, self.limits = checker, raw, name, limits

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
        self.checker.error(self.location(key), join_key(self.name, key or ""), what, hint)

    def warn(self, key: str | None, what: str, hint: str | None = None) -> None:
        self.checker.warn(self.location(key), join_key(self.name, key or ""), what, hint)

    def text(self, key: str, default: str | None = None, *, required: bool = False):
        return self.checker.text(self.raw, key, self.name, default=default, required=required)

    def number(self, key: str, default: float | None = None, *, minimum=None, maximum=None):
        value = self.raw.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(key, f"expected a number, got {describe_value(value)}")
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
            self.error(key, f"expected true or false, got {describe_value(value)}")
            return default
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None):
        value = self.text(key)
        if value is None:
            return default
        for known in choices:
            if known.casefold() == value.casefold():
                return known
        what, hint = unknown_ref(key, value, dict.fromkeys(choices))
        self.error(key, what, hint)
        return default

    def file(self, key: str) -> Path | None:
        """A file of the content folder the value names (relative, inside it)."""
        relative = self.text(key)
        if relative is None:
            return None
        path = self.checker.inside(relative, self.location(key), join_key(self.name, key))
        problem = not_regular(path) if path is not None else None
        if problem == "not found":
            self.error(key, f"file {relative!r} not found in the content folder")
            return None
        if problem is not None:
            self.error(key, f"file {relative!r} is {problem}")
            return None
        return path


def position_in(path: Path, text: str, index: int) -> Location:
    """Line and column of `text[index]` in the file it was read from."""
    index = max(0, index)
    line = text.count("\n", 0, index) + 1
    return Location(path, line, index - (text.rfind("\n", 0, index) + 1) + 1)


def join_key(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def describe_value(value: Any) -> str:
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


def unknown_ref(kind: str, ref: str, known: dict[str, Any]) -> tuple[str, str]:
    close = difflib.get_close_matches(ref, list(known), n=1, cutoff=0.6)
    if close:
        return f"unknown {kind} {ref!r}", f"did you mean '{close[0]}'?"
    names = list(known)
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    return f"unknown {kind} {ref!r}", f"known: {shown}" if names else f"no {kind}s are defined"


def millimetres(value: Any) -> float | None:
    """3, 3.5, "3mm", "0.125in" -> millimetres."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    match = re.match(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(mm|in|pt)?\s*$", str(value))
    if not match:
        return None
    factor = {"mm": 1.0, None: 1.0, "in": 25.4, "pt": 25.4 / 72}[match[2]]
    return float(match[1]) * factor


def _no_such_date(year: int, month: int, day: int) -> str:
    """Why a date written YYYY-MM-DD is not one: 'February 2027 has 28 days'."""
    import calendar

    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return f"there is no year {year}"
    if day == 0:
        return "days are numbered from 1"
    return f"{calendar.month_name[month]} {year} has {calendar.monthrange(year, month)[1]} days"
