"""A programme pasted as plain text -> `ImportedProgramme`, with a note for every guess.

The text is what organizers have at hand: a programme copied from an email, a web page or a
word processor. Day headings ("Friday, May 10", "MLIR Winter School, Day 1"), time lines
("10am to 10:40 am", "9h30–10h30", "Dinner at 7 pm"), speaker lines ("Ada Lovelace (Analytical
Engines) & Alan Turing"), session headings with chairs, and abstract paragraphs. Reading is a
pipeline, one module per stage:

1. `repair`: bytes or text -> lines, with encoding damage repaired and odd spaces made plain;
2. `lines`: each line on its own -> one class (blank, day heading, session heading, chair
   line, timed line, event dates, plain text), using `times` (times and ranges), `dates`
   (day headings), `names` (people and titles with speakers) and `kinds` (breaks, meals...);
3. `assembly`: the classified lines with their neighbours -> draft days of placed items;
4. `dating`: draft days -> dated days;
5. `result`: dated days -> the `ImportedProgramme` (kinds, people, the event).

Nothing is dropped silently: a line that fits nowhere becomes a warning with its number.
"""

from __future__ import annotations

from pathlib import Path

from booklet.importers import ImportedProgramme, Note
from booklet.importers.text.assembly import Assembler
from booklet.importers.text.dates import DayHeading, event_dates, parse_heading
from booklet.importers.text.dating import DayDater
from booklet.importers.text.kinds import UNTIMED_KINDS, is_breakish, word_kind
from booklet.importers.text.lines import Line, classify
from booklet.importers.text.names import (
    is_name,
    people_list,
    sort_name,
    split_title_people,
)
from booklet.importers.text.options import NothingToImport, TextOptions
from booklet.importers.text.repair import decode, repair_lines
from booklet.importers.text.result import ProgrammeBuilder
from booklet.importers.text.tidy import fold
from booklet.importers.text.times import MILITARY_RANGE, TimeSpan, find_time
from booklet.sources import read_bytes

__all__ = [
    "UNTIMED_KINDS",
    "DayHeading",
    "Line",
    "NothingToImport",
    "TextOptions",
    "TextReader",
    "TimeSpan",
    "classify",
    "decode",
    "event_dates",
    "find_time",
    "fold",
    "is_breakish",
    "is_name",
    "parse_heading",
    "people_list",
    "repair_lines",
    "sort_name",
    "split_title_people",
    "word_kind",
]


class TextReader:
    """Reads a plain-text programme: `read(path)` or `parse(text, source_name)`."""

    def __init__(self, options: TextOptions | None = None):
        self.options = options or TextOptions()

    def read(self, path: Path) -> ImportedProgramme:
        notes: list[Note] = []
        text = decode(read_bytes(Path(path)), notes, Path(path).name)
        return self.parse(text, Path(path).name, notes)

    def parse(
        self, text: str, source: str = "programme.txt", notes: list[Note] | None = None
    ) -> ImportedProgramme:
        notes = list(notes or [])
        lines = repair_lines(text, notes)
        mil_style = any(MILITARY_RANGE.search(line) for line in lines)
        classified = [classify(n, t, mil_style=mil_style) for n, t in enumerate(lines, 1)]
        draft = Assembler(classified, notes, self.options, source).run()
        args = (classified, draft.event_lines, self.options, source, notes)
        days = DayDater(draft.days, *args).run()
        return ProgrammeBuilder(days, *args).build()
