"""Attendee lists (CSV or YAML), or the programme's people -> `Attendee`s for badges.

CSV files have a header line and one attendee a line; columns may come in any order, and
commas, semicolons or tabs separate them (whichever the header uses). Column names ignore
case and spaces: `name` (or `given_name` and `family_name`), `affiliation`, `role`,
`pronouns`, `extra`, `id` (a person id of people.yaml, whose talks go on the badge's back),
`email` (for `booklet mail`, which checks it).
Common spellings such as `First name`, `Surname` or `Organization` are understood. YAML files
hold a list of mappings with the same keys, at the top or under `attendees:`.

Every problem names `file:line`; all are collected, then raised as one `ContentError`.
"""

from __future__ import annotations

import csv
import difflib
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from booklet import model
from booklet.cleaning import clean_text, derive_sort_name, removed_warning, unsafe_chars
from booklet.errors import ContentError, Diagnostic, Location
from booklet.model import ROLES
from booklet.sources import (
    DEFAULT_LIMITS,
    Limits,
    Mapping,
    Sequence,
    decode_text,
    not_regular,
    read_bytes,
)
from booklet.sources import load_yaml as _load_yaml

COLUMNS = (
    "name",
    "given_name",
    "family_name",
    "affiliation",
    "role",
    "pronouns",
    "extra",
    "id",
    "email",
)
ALIASES = {
    "full_name": "name",
    "first_name": "given_name",
    "firstname": "given_name",
    "given": "given_name",
    "forename": "given_name",
    "last_name": "family_name",
    "lastname": "family_name",
    "surname": "family_name",
    "family": "family_name",
    "organisation": "affiliation",
    "organization": "affiliation",
    "institution": "affiliation",
    "company": "affiliation",
    "e_mail": "email",
    "email_address": "email",
    "mail": "email",
}
DEFAULT_ROLE = "attendee"
# The hint of the warning about a name listed twice: a badge matter (mail checks addresses).
TWICE_HINT = "they get two badges; remove one line if that is a mistake"
_HEADER_HINT = "the first line names the columns, e.g. name,affiliation,role"


@dataclass(frozen=True)
class Attendee:
    name: str
    given_name: str  # the large line of the badge
    family_name: str
    affiliation: str | None = None
    role: str = DEFAULT_ROLE
    pronouns: str | None = None
    extra: str | None = None
    id: str | None = None  # person id in people.yaml, if this is one of them
    email: str | None = None  # as written; `booklet mail` checks it
    location: Location | None = field(default=None, compare=False)
    where: str = field(default="", compare=False)

    @property
    def given_first(self) -> bool:
        """Is the name written as its given name, then its family name? Only then is it
        printed in two lines; any other name (family name first, another script than its
        sort name's) is printed as written."""
        given, family = self.given_name, self.family_name
        return bool(given and family) and " ".join(self.name.split()) == f"{given} {family}"

    @property
    def big_name(self) -> str:
        """The line printed largest: the given name, or the whole name as written."""
        if self.given_first:
            return self.given_name
        return self.name or self.given_name or self.family_name

    @property
    def small_name(self) -> str:
        return self.family_name if self.given_first else ""


@dataclass
class AttendeeList:
    attendees: list[Attendee]
    warnings: list[Diagnostic] = field(default_factory=list)


def split_name(name: str) -> tuple[str, str]:
    """'Ada King Lovelace' -> ('Ada King', 'Lovelace'); one word is a given name."""
    family, _, given = derive_sort_name(name).partition(", ")
    return (given, family) if given else (name, "")


def make_attendee(
    name: str | None,
    given: str | None = None,
    family: str | None = None,
    **fields,
) -> Attendee:
    """An attendee from either a full name or its parts (the parts win when both are given)."""
    if given or family:
        given, family = given or "", family or ""
        name = name or " ".join(p for p in (given, family) if p)
    else:
        given, family = split_name(name or "")
    return Attendee(name=name or "", given_name=given, family_name=family, **fields)


def from_programme(programme: model.Programme, content_dir: Path | None = None) -> list[Attendee]:
    """Badges for everyone in people.yaml and every organizer named in event.yaml."""
    people_file = Path(content_dir) / "people.yaml" if content_dir else None
    out = [
        Attendee(
            name=p.name,
            given_name=p.given_name or p.family_name,
            family_name=p.family_name if p.given_name else "",
            affiliation=p.affiliation,
            role=p.role,
            id=p.id,
            location=Location(people_file) if people_file else None,
            where=f"people[{i}]",
        )
        for i, p in enumerate(programme.people)
    ]
    known = {p.name.casefold() for p in programme.people}
    event_file = Path(content_dir) / "event.yaml" if content_dir else None
    for i, name in enumerate(programme.event.organizers):
        if name.casefold() not in known:
            known.add(name.casefold())
            out.append(
                make_attendee(
                    name,
                    role="organizer",
                    location=Location(event_file) if event_file else None,
                    where=f"organizers[{i}]",
                )
            )
    return sorted(out, key=_sort_key)


def _sort_key(a: Attendee) -> tuple[str, str]:
    """Family name, then given name, ignoring case and accents: the registration desk order."""

    def fold(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text)
        return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()

    return fold(a.family_name or a.given_name), fold(a.given_name)


def load_attendees(
    programme: model.Programme,
    content_dir: Path,
    path: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> AttendeeList:
    """The attendees of `path`, else of `badges.attendees` in event.yaml, else the people."""
    if path is None and programme.event.badges.attendees:
        path = Path(content_dir) / programme.event.badges.attendees
    if path is None:
        return AttendeeList(from_programme(programme, content_dir))
    return read_attendees(path, limits)


def read_attendees(path: Path, limits: Limits = DEFAULT_LIMITS) -> AttendeeList:
    """Read a CSV (.csv, .tsv, .txt) or YAML (.yaml, .yml) attendee file."""
    path = Path(path)
    problem = not_regular(path)
    if problem is not None:
        what = (
            "attendee file not found" if problem == "not found" else f"attendee file is {problem}"
        )
        raise _error(Location(path), what, "give a CSV or YAML file")
    suffix = path.suffix.casefold()
    if suffix in (".yaml", ".yml"):
        reader = _YamlReader(path, limits)
    elif suffix in (".csv", ".tsv", ".txt"):
        reader = _CsvReader(path, limits)
    else:
        raise _error(
            Location(path),
            f"cannot read attendees from a '{suffix or path.name}' file",
            "save the list as CSV (UTF-8) or YAML",
        )
    return reader.read()


def _error(loc: Location, what: str, hint: str | None = None, where: str = "") -> ContentError:
    return ContentError(diagnostics=[Diagnostic(loc, where, what, hint)])


class _Reader:
    """Shared checks of both formats: names, roles, duplicates, collected diagnostics."""

    def __init__(self, path: Path, limits: Limits):
        self.path = path
        self.limits = limits
        self.diagnostics: list[Diagnostic] = []
        self.seen: dict[str, Location] = {}

    def error(self, loc: Location, what: str, hint: str | None = None, where: str = "") -> None:
        self.diagnostics.append(Diagnostic(loc, where, what, hint))

    def warn(self, loc: Location, what: str, hint: str | None = None, where: str = "") -> None:
        self.diagnostics.append(Diagnostic(loc, where, what, hint, "warning"))

    def column(self, raw: str, loc: Location, where: str = "") -> str | None:
        """A header or key -> its canonical column name; None (with a diagnostic) if unknown."""
        key = "_".join(raw.strip().casefold().replace("-", " ").split())
        key = ALIASES.get(key, key)
        if key in COLUMNS:
            return key
        close = difflib.get_close_matches(key, COLUMNS, n=1, cutoff=0.75)
        if close:
            self.error(loc, f"unknown column {raw!r}", f"did you mean '{close[0]}'?", where)
        else:
            self.warn(loc, f"column {raw!r} is not used", "known: " + ", ".join(COLUMNS), where)
        return None

    def attendee(self, values: dict[str, str], loc: Location, where: str) -> Attendee | None:
        for key, value in values.items():
            removed = unsafe_chars(value) if value is not None else []
            if removed:
                what, hint = removed_warning(removed)
                self.warn(loc, f"{key}: {what}", hint, where)
        clean = {k: clean_text(v) for k, v in values.items() if v is not None}
        clean = {k: v for k, v in clean.items() if v}
        if not any(clean.get(k) for k in ("name", "given_name", "family_name")):
            if clean:
                self.error(loc, "attendee without a name", "fill in the name column", where)
            return None
        role = clean.get("role", DEFAULT_ROLE).casefold()
        if role not in ROLES:
            close = difflib.get_close_matches(role, ROLES, n=1, cutoff=0.75)
            if close:
                self.warn(loc, f"unknown role {role!r}", f"did you mean '{close[0]}'?", where)
        attendee = make_attendee(
            clean.get("name"),
            clean.get("given_name"),
            clean.get("family_name"),
            affiliation=clean.get("affiliation"),
            role=role,
            pronouns=clean.get("pronouns"),
            extra=clean.get("extra"),
            id=clean.get("id"),
            email=clean.get("email"),
            location=loc,
            where=where,
        )
        key = attendee.name.casefold()
        if key in self.seen:
            self.warn(
                loc,
                f"{attendee.name} is listed twice (also at line {self.seen[key].line})",
                TWICE_HINT,
                where,
            )
        else:
            self.seen[key] = loc
        return attendee

    def too_many(self, loc: Location) -> ContentError:
        """The error for the attendee past the limit (the rest is not read)."""
        return _error(
            loc,
            f"the attendee list has over {self.limits.max_attendees:,} attendees",
            "raise the limit with --max-attendees if this is intended",
        )

    def finish(self, attendees: list[Attendee]) -> AttendeeList:
        if not attendees and not any(d.is_error for d in self.diagnostics):
            self.error(Location(self.path), "no attendees in the file", _HEADER_HINT)
        if any(d.is_error for d in self.diagnostics):
            raise ContentError(diagnostics=self.diagnostics)
        return AttendeeList(attendees, self.diagnostics)


class _CsvReader(_Reader):
    def read(self) -> AttendeeList:
        text = decode_text(read_bytes(self.path, self.limits), self.path)
        if not text.strip():
            raise _error(Location(self.path), "the attendee file is empty", _HEADER_HINT)
        first = text.lstrip("\r\n").splitlines()[0]
        delimiter = max("\t;,", key=first.count) if any(d in first for d in "\t;,") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        columns: list[str | None] = []
        attendees: list[Attendee] = []
        end = 0  # last physical line read so far; a record starts on the next one
        counted = 0  # attendee lines
        try:
            for row in reader:
                start, end = end + 1, reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if not columns:
                    columns = self.header(row, start)
                    if not columns:
                        break
                    continue
                loc = Location(self.path, start)
                if len(row) > len(columns):
                    self.error(
                        loc,
                        f"line has {len(row)} fields, the header has {len(columns)}",
                        f"put quotes around values that contain '{delimiter}'",
                    )
                    continue
                counted += 1
                if counted > self.limits.max_attendees:
                    raise self.too_many(loc)
                values = {c: cell for c, cell in zip(columns, row, strict=False) if c}
                attendee = self.attendee(values, loc, "")
                if attendee is not None:
                    attendees.append(attendee)
        except csv.Error as exc:
            self.error(
                Location(self.path, reader.line_num),
                f"CSV syntax error: {exc}",
                "check the quotes on this line",
            )
        return self.finish(attendees)

    def header(self, row: list[str], line: int) -> list[str | None]:
        columns: list[str | None] = []
        for i, raw in enumerate(row):
            loc = Location(self.path, line, None)
            column = self.column(raw, loc, f"column {i + 1}") if raw.strip() else None
            if column is not None and column in columns:
                self.error(loc, f"column {column!r} appears twice", "keep one")
            columns.append(column)
        if "name" not in columns and not {"given_name", "family_name"} & set(columns):
            found = ", ".join(repr(c.strip()) for c in row if c.strip()) or "nothing"
            self.error(
                Location(self.path, line),
                "missing column 'name'",
                f"the header needs 'name' (or 'given_name' and 'family_name'); found {found}",
            )
            return []
        return columns


class _YamlReader(_Reader):
    def read(self) -> AttendeeList:
        data = _load_yaml(self.path, self.limits)
        if isinstance(data, Mapping) and set(data) == {"attendees"}:
            data = data["attendees"]
        if data is None:
            raise _error(Location(self.path), "the attendee file is empty", "list the attendees")
        if not isinstance(data, Sequence):
            raise _error(
                getattr(data, "loc", Location(self.path, 1, 1)),
                "expected a list of attendees",
                "write '- name: Ada Lovelace' entries, at the top or under 'attendees:'",
            )
        if len(data) > self.limits.max_attendees:
            raise self.too_many(data.item_locs[self.limits.max_attendees])
        attendees = []
        for i, (entry, loc) in enumerate(zip(data, data.item_locs, strict=True)):
            where = f"attendees[{i}]"
            if isinstance(entry, str):  # a bare name is enough
                entry_values = {"name": entry}
            elif isinstance(entry, Mapping):
                entry_values = {}
                for key, value in entry.items():
                    column = self.column(key, entry.key_locs[key], f"{where}.{key}")
                    if column is None:
                        continue
                    if isinstance(value, (Mapping, Sequence, bool)):
                        self.error(entry.value_locs[key], "expected text", None, f"{where}.{key}")
                        continue
                    entry_values[column] = None if value is None else str(value)
            else:
                self.error(loc, "expected a name or a mapping", None, where)
                continue
            attendee = self.attendee(entry_values, loc, where)
            if attendee is not None:
                attendees.append(attendee)
        return self.finish(attendees)
