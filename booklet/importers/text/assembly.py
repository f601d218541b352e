"""Classified lines -> draft days of items (`Draft`), each item placed in time.

Walks the lines with their neighbours: a day heading opens a day, a timed line opens an item,
the text after it gives the title, the speakers and then the abstract; a break named alone
becomes an item of its own. Then, day by day, times written without am/pm are set in the
afternoon where the programme says so, and untimed items are placed between their neighbours.
Nothing is dropped silently: a line that fits nowhere becomes a warning with its number.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from booklet.importers import Note
from booklet.importers.text.dates import DayHeading
from booklet.importers.text.kinds import is_breakish
from booklet.importers.text.lines import Line
from booklet.importers.text.names import people_list, split_title_people
from booklet.importers.text.options import NoteTaker, NothingToImport, TextOptions
from booklet.importers.text.rooms import split_room
from booklet.importers.text.tidy import shorten
from booklet.importers.text.times import MERIDIEM, hhmm


@dataclass
class DraftItem:
    line: int
    start: int | None  # minutes; None until an untimed item is placed
    end: int | None = None
    explicit: bool = True
    title: str | None = None
    speakers: list[tuple[str, str | None, int]] = field(default_factory=list)
    abstract: list[tuple[int, str, bool]] = field(default_factory=list)  # line, text, blank before
    stage: str = "head"  # "head" takes titles and speakers; "body" only abstract text
    session: bool = False
    comments: list[str] = field(default_factory=list)
    room: str | None = None  # as written: a table's cell, "@ Hall", "(amphi 2)"

    @property
    def empty(self) -> bool:
        return not (self.title or self.speakers or self.abstract)

    def label(self) -> str:
        if self.title:
            return f"'{shorten(self.title, 50)}'"
        if self.speakers:
            return "the item of " + " and ".join(name for name, _, _ in self.speakers[:2])
        return "the item"


@dataclass
class DraftDay:
    line: int | None
    heading: DayHeading | None
    title: str | None
    heading_text: str | None = None  # the heading as written, to name the day in notes
    items: list[DraftItem] = field(default_factory=list)
    date: dt.date | None = None
    placeholder: bool = False


@dataclass
class Draft:
    """What the walk over the lines yields: days of placed items, and the lines above them."""

    days: list[DraftDay]
    event_lines: list[Line]  # text above the first day: the event's title and dates


class Assembler(NoteTaker):
    """Classified lines in order -> draft days of items, every item placed in time."""

    def __init__(self, lines: list[Line], notes: list[Note], options: TextOptions, source: str):
        self.lines = lines
        self.notes = notes
        self.options = options
        self.source = source
        self.days: list[DraftDay] = []
        self.preamble: list[Line] = []
        self.event_lines: list[Line] = []
        self.item: DraftItem | None = None
        self.blank_before = False
        self.session_line: int | None = None  # the last session heading, for its chair lines
        self.has_headings = any(line.kind == "day" for line in lines)
        self.twelve_hour = any(re.search(rf"\d\s?{MERIDIEM}", line.clean, re.I) for line in lines)
        self.known = self._known_names()
        self.speaker_first = self._speaker_first()
        self.next_start = self._next_starts()

    # -- whole-text conventions --------------------------------------------------------------
    def _known_names(self) -> set[str]:
        """Names on lines that hold nothing but names: they help split 'Title Name' lines."""
        return {
            name
            for line in self.lines
            if line.kind == "text" and (people := people_list(line.clean, evidence=True))
            for name, _ in people
        }

    def _next_nonblank(self, index: int) -> int | None:
        for k in range(index + 1, len(self.lines)):
            if self.lines[k].kind != "blank":
                return k
        return None

    def _speaker_first(self) -> bool:
        """Does this programme put speakers (not titles) right after its time lines?"""
        speaker_after_time = title_then_speaker = 0

        def people_at(k: int | None) -> bool:
            line = self.lines[k] if k is not None else None
            return (
                line is not None
                and line.kind == "text"
                and bool(people_list(line.clean, evidence=True))
            )

        for i, line in enumerate(self.lines):
            if line.kind != "timed":
                continue
            k = self._next_nonblank(i)
            nxt = self.lines[k] if k is not None else None
            if nxt is None or nxt.kind != "text":
                continue
            if not line.rest and people_at(k):
                speaker_after_time += 1
            elif not line.rest and not is_breakish(nxt.clean):
                title_then_speaker += people_at(self._next_nonblank(k))
            elif line.rest and not is_breakish(line.rest) and people_at(k):
                title_then_speaker += 1
        return speaker_after_time > 0 and title_then_speaker == 0

    def _next_starts(self) -> list[int | None]:
        """For each line, the start of the next timed line of the same day."""
        out: list[int | None] = [None] * len(self.lines)
        upcoming: int | None = None
        for i in range(len(self.lines) - 1, -1, -1):
            out[i] = upcoming
            line = self.lines[i]
            if line.kind == "day":
                upcoming = None
            elif line.kind == "timed" and line.span:
                upcoming = line.span.start
        return out

    # -- the walk ----------------------------------------------------------------------------
    def run(self) -> Draft:
        for index, line in enumerate(self.lines):
            getattr(self, f"on_{line.kind}")(index, line)
            if line.kind != "blank":
                self.blank_before = False
        self.close_item()
        if not self.days and self.preamble:
            self.event_lines = self.preamble
        if not any(item.start is not None for day in self.days for item in day.items):
            raise NothingToImport(
                f"found no time in {self.source}, so nothing to import",
                "each item needs a time such as '10:30', '2 pm to 3:30pm' or '9h30'",
            )
        for day in self.days:
            self.fix_half_days(day)
            self.place_untimed(day)
        return Draft(self.days, self.event_lines)

    def on_blank(self, index: int, line: Line) -> None:
        self.blank_before = True

    def on_day(self, index: int, line: Line) -> None:
        self.close_item()
        if not self.days and self.preamble:
            self.event_lines = self.preamble
            self.preamble = []
        heading = line.heading
        self.days.append(
            DraftDay(line.number, heading, heading.title if heading else None, line.clean)
        )

    def on_dates(self, index: int, line: Line) -> None:
        if not self.days and self.item is None:
            self.preamble.append(line)
        else:
            self.on_text(index, line)

    def ensure_day(self, line: Line) -> DraftDay:
        if self.days:
            return self.days[-1]
        # Items before any heading: the first day. When later days have headings, the line
        # just above the first item is this day's heading ("ML Compilation ... Workshop").
        title, number = None, line.number
        preamble = [p for p in self.preamble if p.kind == "text"]
        if self.has_headings and preamble:
            first = preamble[-1]
            title, number = first.clean, first.number
            self.note(
                first.number,
                f"took '{shorten(title, 60)}' as the title of the first day: it comes "
                "before the first item, and later days have headings",
            )
            self.preamble.remove(first)
        self.event_lines = self.preamble
        self.preamble = []
        day = DraftDay(number, None, title, title)
        self.days.append(day)
        return day

    def on_timed(self, index: int, line: Line) -> None:
        self.close_item()
        self.ensure_day(line)
        span = line.span
        assert span is not None
        item = DraftItem(line.number, span.start, span.end, span.explicit, room=line.room)
        for message in span.notes:
            self.note(line.number, message)
        for message in span.warnings:
            self.warn(line.number, message)
        self.item = item
        if line.rest:
            self.head_text(index, line, line.rest, inline=True)

    def on_session(self, index: int, line: Line) -> None:
        """A session heading ("Session 2: Chair: J. Nelson Amaral - University of Alberta").

        The booklet's sessions are not imported yet, so the heading becomes no item: it is
        reported with its chairs for the organizer to add. A "Session 1 - Topic - Speakers"
        line right after a bare time is that slot's title, not a heading."""
        item = self.item
        if item is not None and item.stage == "head" and item.empty and item.start is not None:
            self.head_text(index, line, line.clean, inline=False)
            return
        self.close_item()
        self.ensure_day(line)
        chairs = " and ".join(name + (f" ({aff})" if aff else "") for name, aff in line.chairs)
        when = f" at {hhmm(line.span.start)}" if line.span else ""
        self.note(
            line.number,
            f"session heading '{line.rest}'{when}"
            + (f" with its chair {chairs}" if chairs else "")
            + ": not imported as an item (sessions are not imported yet; add it to "
            "programme.yaml by hand)",
        )
        self.session_line = line.number

    def on_chair(self, index: int, line: Line) -> None:
        item = self.item
        if not line.chairs:
            self.on_text(index, line)
            return
        chairs = " and ".join(name for name, _ in line.chairs)
        if item is None and self.session_line is not None:
            self.note(
                line.number,
                f"{chairs} chairs the session of line {self.session_line}: not imported "
                "(sessions are not imported yet)",
            )
            return
        if item is None and not self.days:
            self.warn(line.number, f"not imported: '{line.clean}' (no session or item before it)")
            return
        if item is None:
            self.note(
                line.number,
                f"{chairs} chairs what follows: not imported (sessions are not imported yet)",
            )
            return
        item.speakers += [(name, aff, line.number) for name, aff in line.chairs]
        self.note(line.number, f"listed the chair or moderator as a speaker of {item.label()}")

    def on_text(self, index: int, line: Line) -> None:
        text = line.clean
        item = self.item
        if item is None:
            if not self.days:
                self.preamble.append(line)
            elif is_breakish(text):
                self.start_untimed(line)
            else:
                self.warn(
                    line.number,
                    f"not imported: '{shorten(text, 60)}' (text between a day heading and "
                    "its first item; add it by hand if it matters)",
                )
            return
        if is_breakish(text):
            self.break_line(index, line)
            return
        if item.stage == "head":
            self.head_text(index, line, text, inline=False)
        else:
            self.body_text(line)

    def break_line(self, index: int, line: Line) -> None:
        """'Coffee break' after an item: the title of an empty slot, or an item of its own."""
        item = self.item
        assert item is not None
        if item.empty and item.start is not None and not item.session:
            following = self.next_start[index]
            gap = following is not None and item.end is not None and following > item.end
            if not (self.speaker_first and gap):
                item.title = line.clean
                return
            self.note(
                line.number,
                f"'{line.clean}' is not the title of the {span_text(item)} slot above: this "
                "programme puts speakers after times, and it fits the gap after that slot",
            )
        self.start_untimed(line)

    def start_untimed(self, line: Line) -> None:
        self.close_item()
        self.ensure_day(line)
        self.item = DraftItem(line.number, None, title=line.clean, stage="body")

    def head_text(self, index: int, line: Line, text: str, *, inline: bool) -> None:
        """A line (or the rest of a time line) while the item still takes title and speakers."""
        item = self.item
        assert item is not None
        if item.room is None and not item.title:
            # A room at the end of the whole line, before names are looked for in it:
            # "Talk – Signy Today by Matt Jobson – in the Auditorium".
            text, item.room = split_room(text)
        # A line of capitalized words alone is a speaker only with some sign of a person, or
        # where the programme puts speakers after its times ("2pm to 3:30pm" / "Kunwar Grover").
        people = people_list(text, evidence=not (self.speaker_first and not inline))
        if people and not item.abstract:
            item.speakers += [(name, aff, line.number) for name, aff in people]
            return
        if not item.title and not item.speakers:
            split = split_title_people(text, self.known)
            if split:
                item.title = split.title or None
                item.speakers += [(name, aff, line.number) for name, aff in split.people]
                if split.doubt:
                    self.warn(line.number, split.doubt + "; check it")
                elif split.how:
                    self.note(line.number, split.how)
                return
            if inline or is_breakish(text):
                item.title = text
                return
            if self.speaker_first and item.start is not None:
                self.note(
                    line.number,
                    f"took '{shorten(text, 50)}' as the description of the {span_text(item)} "
                    "slot, not its title: this programme puts speakers, not titles, after times",
                )
                self.body_text(line)
                return
            if _titleish(text):
                item.title = text
                return
        elif not item.title and item.speakers and _titleish(text):
            item.title = text
            return
        self.body_text(line)

    def body_text(self, line: Line) -> None:
        item = self.item
        assert item is not None
        text = line.text
        if item.abstract and not self.blank_before:
            previous = item.abstract[-1][1]
            if (
                len(text) <= 50
                and len(previous) > 100
                and not re.search(r"[.!?…:;)]$", text)
                and not text.startswith(("-", "*", "•"))
            ):
                self.warn(
                    line.number,
                    f"kept '{text}' in the abstract of {item.label()}; if it is an item of "
                    "its own, give it a time",
                )
        item.abstract.append((line.number, text, self.blank_before and bool(item.abstract)))
        item.stage = "body"

    def close_item(self) -> None:
        item = self.item
        self.item = None
        if item is None:
            return
        self.days[-1].items.append(item)
        if item.start is None or item.session:
            return
        if item.empty:
            self.warn(
                item.line,
                f"the text names nothing for the {span_text(item)} slot; imported as an "
                "untitled item of kind 'other'",
            )
            item.comments.append(f"line {item.line}: TODO: the text names nothing for this slot")
        elif item.end is None:
            self.note(
                item.line,
                f"{item.label()} starts at {hhmm(item.start)} with no end; left open-ended",
            )

    # -- placing, per day ------------------------------------------------------------------
    def fix_half_days(self, day: DraftDay) -> None:
        """In an am/pm programme, '2:30' after a 1 pm item is 14:30. So it is in a day whose
        times are all ambiguous ('9:00', '12:00-1:00', '3:30-4:00': never '14:00' or '09:00'):
        a programme's times do not go back."""
        timed = [item for item in day.items if item.start is not None]
        ambiguous_day = bool(timed) and all(
            not item.explicit and item.start < 780 for item in timed
        )
        if not (self.twelve_hour or ambiguous_day):
            return
        why = "in a programme written with am/pm" if self.twelve_hour else "times do not go back"
        latest = None
        for item in day.items:
            if item.start is None:
                continue
            if (
                latest is not None
                and not item.explicit
                and item.start < 720
                and item.start + 60 < latest <= item.start + 720
            ):
                old = item.start
                item.start += 720
                if item.end is not None and item.end < 720:
                    item.end += 720
                self.note(
                    item.line,
                    f"read {hhmm(old)} as {hhmm(item.start)} (after {hhmm(latest)}, {why})",
                )
            latest = max(latest or 0, item.start)

    def place_untimed(self, day: DraftDay) -> None:
        """Give untimed items (breaks, session headings) a time from their neighbours."""
        items = day.items
        i = 0
        while i < len(items):
            if items[i].start is not None:
                i += 1
                continue
            j = i
            while j < len(items) and items[j].start is None:
                j += 1
            run = items[i:j]
            before = next((it for it in reversed(items[:i]) if it.start is not None), None)
            after = items[j] if j < len(items) else None
            self.place_run(run, before, after)
            i = j
        for item in list(items):
            if item.start is None:
                items.remove(item)

    def place_run(
        self, run: list[DraftItem], before: DraftItem | None, after: DraftItem | None
    ) -> None:
        sessions = [it for it in run if it.session]
        for item in sessions:
            anchor = after or before
            if anchor is None:
                self.drop(item)
                continue
            item.start = anchor.start if after or anchor.end is None else anchor.end
        run = [it for it in run if not it.session]
        if not run:
            return
        if before is None and after is None:
            for item in run:
                self.drop(item)
            return
        if before is None:
            assert after is not None and after.start is not None
            for item in run:
                item.start = after.start
                self.warn(
                    item.line,
                    f"{item.label()} has no time and comes before the day's "
                    f"first timed item; placed at {hhmm(after.start)}, "
                    "open-ended",
                )
                item.comments.append(f"line {item.line}: TODO: no time in the text")
            return
        begin = before.end if before.end is not None else before.start
        assert begin is not None
        if after is None or after.start is None or after.start <= begin:
            for item in run:
                item.start = begin
                reason = "after the day's last timed item" if after is None else "with no gap"
                self.note(
                    item.line,
                    f"{item.label()} has no time; placed at {hhmm(begin)} ({reason}), open-ended",
                )
                item.comments.append(f"line {item.line}: no time in the text; open-ended")
            return
        step = (after.start - begin) / len(run)
        for k, item in enumerate(run):
            item.start = begin + round(step * k / 5) * 5
            item.end = after.start if k == len(run) - 1 else begin + round(step * (k + 1) / 5) * 5
            self.note(
                item.line,
                f"{item.label()} has no time; placed between its neighbours at {span_text(item)}",
            )
            item.comments.append(
                f"line {item.line}: no time in the text; placed between its neighbours"
            )

    def drop(self, item: DraftItem) -> None:
        """An item that cannot be placed: report it and every line that went with it."""
        lines = [item.line, *(number for number, _, _ in item.abstract)]
        shown = f"line {lines[0]}" if len(lines) == 1 else f"lines {lines[0]}-{lines[-1]}"
        self.warn(item.line, f"not imported: {item.label()} ({shown}; its day has no times)")


def _titleish(text: str) -> bool:
    return len(text) <= 150 and len(text.split()) <= 20 and not text.endswith(".")


def span_text(item: DraftItem) -> str:
    if item.start is None:
        return "untimed"
    return hhmm(item.start) + (f"-{hhmm(item.end)}" if item.end is not None else "")
