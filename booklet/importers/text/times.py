"""A line of text -> the time or time range it is about (`TimeSpan`), in minutes after midnight.

Reads the usual spellings: `10am`, `2 pm to 3:30pm`, `Noon to 12:40`, `10:35-11:00`,
`0800 – 0830`, `9h30`, `6.30pm`, `14.00 Uhr`, `9:00 bis 15:40`, `ab 17:30`, `08:30 – 10.00`.
A time counts only where schedules put times (first or last on a line, in the middle only of
a short one); what it guessed (an end read as pm) and what it could not use (an end before
the start) travel with the span as notes and warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from booklet.importers.text.tidy import TRIM

MERIDIEM = r"(?:[ap]\.?\s?m\b\.?)"


def _clock(p: str) -> str:
    """One time of day; group names carry the prefix `p` so a range can hold two."""
    return (
        rf"(?P<{p}word>noon|midday|midi|midnight|minuit)\b"
        rf"|(?P<{p}fh>[01]?\d|2[0-3])\s?h\s?(?P<{p}fm>[0-5]\d)?(?![^\W\d_])"
        rf"|(?P<{p}ch>[01]?\d|2[0-3]):(?P<{p}cm>[0-5]\d)(?:\s?(?P<{p}cmer>{MERIDIEM}))?"
        rf"|(?P<{p}dh>1[0-2]|0?[1-9])\.(?P<{p}dm>[0-5]\d)\s?(?P<{p}dmer>{MERIDIEM})"
        # "14.00", "9.30": a dot between hours and minutes, never part of a date "2.9.2022".
        rf"|(?P<{p}oh>[01]?\d|2[0-3])\.(?P<{p}om>[0-5]\d)(?!\.?\d)"
        rf"|(?P<{p}mh>1[0-2]|0?[1-9])\s?(?P<{p}mmer>{MERIDIEM})"
        rf"|(?P<{p}mil>(?:[01]\d|2[0-3])[0-5]\d)(?!\d)"
        rf"|(?P<{p}bare>1[0-2]|0?[1-9])(?![\d:.h])"
    )


_PRE = (
    r"(?:(?P<pre>\b(?:from|between|starting at|starts at|at|de|dès|à|entre|ab|um|von|gegen)\b"
    r"|@)\s*)?"
)
_SEP = (
    r"\s*(?:-{1,2}|[–—‒−~→]|->|\bto\b|\btill\b|\buntil\b|\bà\b|\bau\b|\bjusqu'à\b"
    r"|\bbis\b)\s*"
)
# German times may carry "Uhr" ("10 Uhr", "14.00 Uhr"), which also makes them 24-hour.
_NOT_BEFORE = r"(?<![\w:.,/-])"


def _uhr(p: str) -> str:
    return rf"(?:\s?(?P<{p}uhr>uhr)\b)?"


# What follows a time: not a letter or digit glued to it; a colon only before a space
# ("10.00 am: Film"), never before digits ("10:30:00").
_AFTER = r"(?!\w|:\d)"
_RANGE = re.compile(
    rf"{_PRE}{_NOT_BEFORE}(?:{_clock('s')}){_uhr('s')}{_SEP}(?:{_clock('e')}){_uhr('e')}{_AFTER}",
    re.I,
)
_SINGLE = re.compile(rf"{_PRE}{_NOT_BEFORE}(?:{_clock('s')}){_uhr('s')}{_AFTER}", re.I)
# Two four-digit times in a range ("0800 – 0830"): the programme writes military times.
MILITARY_RANGE = re.compile(
    r"(?<!\d)(?:[01]\d|2[0-3])[0-5]\d\s*[-–—]\s*(?:[01]\d|2[0-3])[0-5]\d(?!\d)"
)


@dataclass
class _Clock:
    hour: int
    minute: int
    meridiem: str | None  # "am" or "pm" when written
    fixed: bool  # unambiguous on the 24-hour clock: "14:00", "09:00", "9h30", "0800", "noon"
    kind: str  # which alternative matched: word, fh, ch, dh, mh, mil, bare
    text: str

    def minutes(self, meridiem: str | None = None) -> int:
        hour, mer = self.hour, self.meridiem or meridiem
        if mer == "am" and hour == 12:
            hour = 0
        elif mer == "pm" and hour < 12:
            hour += 12
        return hour * 60 + self.minute


@dataclass
class TimeSpan:
    start: int  # minutes after midnight
    end: int | None
    explicit: bool  # am/pm written or 24-hour evident: never shifted by 12 hours
    begin: int  # where the time expression sits in the line
    finish: int
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _clock_of(m: re.Match, p: str) -> _Clock | None:
    g = m.groupdict()
    spans = [m.span(name) for name, value in g.items() if name.startswith(p) and value]
    text = m.string[min(a for a, _ in spans) : max(b for _, b in spans)] if spans else ""
    if g[f"{p}word"]:
        word = g[f"{p}word"].lower()
        hour = 24 if word in ("midnight", "minuit") else 12
        return _Clock(hour, 0, None, True, "word", word)
    uhr = bool(g.get(f"{p}uhr"))
    for kind, h, mnt, mer in (
        ("fh", "fh", "fm", None),
        ("ch", "ch", "cm", "cmer"),
        ("dh", "dh", "dm", "dmer"),
        ("oh", "oh", "om", None),
        ("mh", "mh", None, "mmer"),
    ):
        if g[f"{p}{h}"] is None:
            continue
        hour_text = g[f"{p}{h}"]
        meridiem = g[f"{p}{mer}"] if mer else None
        meridiem = meridiem.lower().replace(".", "").replace(" ", "") if meridiem else None
        hour = int(hour_text)
        fixed = (
            kind == "fh"
            or uhr
            or (meridiem is None and (hour == 0 or hour > 12 or hour_text.startswith("0")))
        )
        return _Clock(hour, int(g[f"{p}{mnt}"] or 0) if mnt else 0, meridiem, fixed, kind, text)
    if g[f"{p}mil"]:
        digits = g[f"{p}mil"]
        return _Clock(int(digits[:2]), int(digits[2:]), None, True, "mil", digits)
    if g[f"{p}bare"]:
        # "10 Uhr" is a time of its own; a bare "10" is one only beside another time.
        return _Clock(int(g[f"{p}bare"]), 0, None, uhr, "uhr" if uhr else "bare", g[f"{p}bare"])
    return None


def find_time(text: str, *, mil_style: bool = False) -> TimeSpan | None:
    """The time or time range a line is about, if it sits where a schedule puts times."""
    for m in _RANGE.finditer(text):
        start, end = _clock_of(m, "s"), _clock_of(m, "e")
        if start is None or end is None or not _range_plausible(start, end):
            continue
        if _well_placed(text, m, is_range=True):
            return _resolve_range(start, end, m)
    for m in _SINGLE.finditer(text):
        start = _clock_of(m, "s")
        if start is None or start.kind == "bare" or (start.kind == "mil" and not mil_style):
            continue
        if start.kind == "mil" and start.minute % 5:
            continue
        # "3.14" in a sentence is no time: a dotted time alone opens its line ("14.00 Lunch").
        if start.kind == "oh" and text[: m.start()].strip(TRIM + "(") and not m["suhr"]:
            continue
        if _well_placed(text, m, is_range=False):
            minutes = start.minutes()
            if minutes >= 24 * 60:
                minutes = 0
            return TimeSpan(minutes, None, start.fixed or bool(start.meridiem), m.start(), m.end())
    return None


def _range_plausible(start: _Clock, end: _Clock) -> bool:
    if start.kind == "bare" and end.kind == "bare":
        return False  # "2025-01-20", "pages 3-10": not a time without minutes or am/pm
    if (start.kind == "mil") != (end.kind == "mil"):
        return start.kind == "word" or end.kind == "word"
    # Schedules use round minutes; "2022-2023" is a span of years, not 20:22-20:23.
    return not (start.kind == "mil" and (start.minute % 5 or end.minute % 5))


def _well_placed(text: str, m: re.Match, *, is_range: bool) -> bool:
    """Schedules put times first or last on a line; in the middle only of a short line."""
    before = text[: m.start()].strip(TRIM + "(")
    after = text[m.end() :].strip(TRIM + ")")
    if not before:
        return True
    if not after:  # "Dinner at 7 pm", but not the end of an abstract's long sentence
        return len(text) <= 140
    return len(text) <= (100 if is_range else 60)


def _resolve_range(start: _Clock, end: _Clock, m: re.Match) -> TimeSpan:
    span = TimeSpan(0, None, True, m.start(), m.end())
    s_min, e_min = start.minutes(), end.minutes()
    if start.meridiem is None and not start.fixed and end.meridiem:
        # "10-11am", "2 to 3:30pm": the start shares the end's half of the day, unless that
        # puts it after the end ("11-1pm").
        s_min = start.minutes(end.meridiem)
        if s_min >= e_min:
            s_min = start.minutes("am" if end.meridiem == "pm" else "pm")
    span.explicit = bool(start.meridiem or start.fixed or end.meridiem)
    if s_min >= 24 * 60:
        s_min = 0
    if end.meridiem is None and not end.fixed and e_min <= s_min < e_min + 720 and end.hour < 12:
        e_min += 720
        span.notes.append(f"read the end '{end.text.strip()}' as {hhmm(e_min)}")
    span.start = s_min
    if e_min >= 24 * 60:
        span.warnings.append(f"the end '{end.text.strip()}' is midnight or later; left open-ended")
    elif e_min <= s_min:
        span.warnings.append(
            f"the end {hhmm(e_min)} is not after the start {hhmm(s_min)}; left open-ended"
        )
    else:
        span.end = e_min
    return span


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
