"""Programmes kept elsewhere -> a neutral in-memory `ImportedProgramme` -> content files.

Each importer reads one format (plain text in the `text/` pipeline; frab XML and pretalx JSON
beside it) into the dataclasses below, and `write.py` turns any of them into event.yaml,
people.yaml, programme.yaml and abstracts/*.md. An importer never writes files and never
fails silently: whatever it guessed or could not decide becomes a `Note` with the source
line, for the organizer to check.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from booklet.errors import printable

# Letters NFKD does not decompose into ASCII, so slugs of such names stay readable.
_TRANSLITERATE = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ł": "l",
     "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "TH", "ð": "d", "ı": "i"}
)  # fmt: skip


@dataclass
class Note:
    """One thing an importer inferred ("note") or could not decide ("warning")."""

    line: int | None  # 1-based line of the source; None for the file as a whole
    message: str
    severity: str = "note"

    def format(self, source: str) -> str:
        where = f"{source}:{self.line}" if self.line is not None else source
        return printable(f"{where}: {self.severity}: {self.message}")  # one line, always


@dataclass
class ImportedPerson:
    id: str
    name: str
    sort_name: str
    affiliation: str | None = None
    role: str = "speaker"


@dataclass(eq=False)  # items point at one session object: compared by identity
class ImportedSession:
    """Items that follow a session heading ("Session 2: Compilers", "Chair: A. Name")."""

    title: str
    chairs: list[str] = field(default_factory=list)  # person ids
    chair_role: str | None = None  # chair, moderator, convener...; None: the event's word
    track: str | None = None
    comment: str | None = None  # written above the session, for the organizer


@dataclass
class ImportedItem:
    start: dt.time
    end: dt.time | None
    kind: str
    title: str | None = None
    speakers: list[str] = field(default_factory=list)  # person ids
    abstract: str | None = None  # Markdown
    rooms: list[str] = field(default_factory=list)  # room ids; empty: every room
    comment: str | None = None  # written above the item, for the organizer
    line: int | None = None
    track: str | None = None  # a track id of the event's `tracks`
    # the session it is in: the items of a session follow one another in their day
    session: ImportedSession | None = None


@dataclass
class ImportedDay:
    date: dt.date
    title: str | None = None
    items: list[ImportedItem] = field(default_factory=list)
    comment: str | None = None  # e.g. "TODO: set the date"
    line: int | None = None


@dataclass
class ImportedProgramme:
    source: str  # the file name, quoted in the files' header comments
    event: dict[str, Any]  # event.yaml keys in the order they are written
    people: list[ImportedPerson] = field(default_factory=list)
    days: list[ImportedDay] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    event_comments: dict[str, str] = field(default_factory=dict)  # key -> trailing comment

    @property
    def items(self) -> list[ImportedItem]:
        return [item for day in self.days for item in day.items]

    @property
    def warnings(self) -> list[Note]:
        return [n for n in self.notes if n.severity == "warning"]


def slugify(text: str, max_length: int = 60) -> str:
    """'Hélène Dupré-Noël' -> 'helene-dupre-noel': lowercase ASCII words joined by '-'."""
    ascii_text = (
        unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


FORMATS = ("text", "frab", "pretalx")


def detect_format(path: Path) -> str:
    """'frab' (schedule.xml), 'pretalx' (schedule JSON) or 'text', from the file's start."""
    with open(path, "rb") as f:
        head = f.read(4096)
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<") and (b"<schedule" in head or head.startswith(b"<?xml")):
        return "frab"
    if head.startswith(b"{") and b'"' in head:
        return "pretalx"
    return "text"


def read_programme(path: Path, fmt: str | None = None, **options: Any) -> ImportedProgramme:
    """Read any supported file into an `ImportedProgramme`; plain text is the fallback.

    `fmt` is one of FORMATS, or None to detect it from the content."""
    fmt = fmt or detect_format(Path(path))
    if fmt in ("frab", "pretalx"):
        from booklet.importers.frab import FrabReader, ScheduleOptions
        from booklet.importers.pretalx import PretalxReader

        reader = FrabReader if fmt == "frab" else PretalxReader
        return reader(ScheduleOptions(**options)).read(Path(path))
    from booklet.importers.text import TextOptions, TextReader

    return TextReader(TextOptions(**options)).read(Path(path))
