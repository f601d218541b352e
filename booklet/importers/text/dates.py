"""A line -> the day heading it is (`DayHeading`: date, weekday, "Day N"), or an event's dates.

Headings such as "Friday, May 10", "15 November 2022", "Monday" or "MLIR Winter School, Day 1";
ranges such as "27–31 January 2025" above a programme. Also the calendar helpers the dating of
days uses.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from booklet.importers.text.kinds import UNTIMED_KINDS, word_kind
from booklet.importers.text.tidy import fold, remove_spans

_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4,
    "samedi": 5, "dimanche": 6, "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3,
    "freitag": 4, "samstag": 5, "sonnabend": 5, "sonntag": 6,
}  # fmt: skip
_WEEKDAY_ABBR = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
                 "fri": 4, "sat": 5, "sun": 6}  # fmt: skip
_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12, "janvier": 1, "fevrier": 2, "mars": 3,
    "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8, "septembre": 9, "octobre": 10,
    "novembre": 11, "decembre": 12, "januar": 1, "februar": 2, "marz": 3, "maerz": 3,
    "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
}  # fmt: skip
FRENCH_DATE_WORDS = {w for w, _ in _WEEKDAYS.items() if w.endswith("di") or w == "dimanche"}
FRENCH_DATE_WORDS |= {"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
                       "septembre", "octobre", "novembre", "decembre"}  # fmt: skip
GERMAN_DATE_WORDS = {"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag",
                     "sonntag", "januar", "februar", "marz", "juni", "juli", "oktober",
                     "dezember"}  # fmt: skip
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5}  # fmt: skip

_M = "|".join(sorted(_MONTHS, key=len, reverse=True))
_W = "|".join(sorted([*_WEEKDAYS, *_WEEKDAY_ABBR], key=len, reverse=True))
YEAR = r"(?:19|20)\d\d"
_DATE_PATTERNS = (
    re.compile(rf"\b(?P<y>{YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
    re.compile(
        rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th|er|\.)?\s+(?:of\s+)?(?P<mn>{_M})\b\.?(?:,?\s+(?P<y>{YEAR})\b)?"
    ),
    re.compile(
        rf"\b(?P<mn>{_M})\b\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>{YEAR})\b)?"
    ),
    re.compile(rf"\b(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>{YEAR})\b"),
)
# "Friday 9.3", "Freitag, 2.9.": day and month with no year, a date only beside a weekday.
_SHORT_NUMERIC_DATE = re.compile(r"(?<![\d.:])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\b\.?(?![\d:])")
# A revision stamp ("Stand 29.07.2022", "updated 3 May") or an end of day is not a heading.
_NOT_A_HEADING = re.compile(
    r"\b(?:stand|as of|last updated|updated|aktualisiert|mis a jour|mise a jour|revised"
    r"|revision|version)\b|^\W*(?:end of|fin de|ende)\b"
)
_DATE_RANGE = re.compile(
    rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th|er)?\s*(?:-|–|—|to|au)\s*[0-3]?\d(?:st|nd|rd|th)?\s+"
    rf"(?P<mn>{_M})\b\.?(?:,?\s+(?P<y>{YEAR}))?"
    rf"|\b(?P<mn2>{_M})\b\.?\s+(?P<d2>[0-3]?\d)\s*(?:-|–|—|to)\s*[0-3]?\d\b(?:,?\s+(?P<y2>{YEAR}))?"
)
_WEEKDAY = re.compile(rf"\b(?P<w>{_W})\b\.?")
_DAY_NUMBER = re.compile(
    r"(?:^|(?<=[,:;–—(|-])|(?<=\s))(?P<label>(?:day|jour|journee|tag)\s+"
    r"(?P<n>\d{1,2}|one|two|three|four|five|six|seven|un|deux|trois|quatre|cinq))"
    r"\s*(?=$|[,:;–—()|-])"
)


@dataclass
class DayHeading:
    title: str | None
    date: dt.date | None = None
    month_day: tuple[int, int] | None = None  # when the year is missing
    weekday: int | None = None
    day_number: int | None = None
    series: str | None = None  # the heading without "Day N": "MLIR Winter School"
    spans: list[tuple[int, int]] = field(default_factory=list)  # date and weekday, in the line


def parse_heading(text: str) -> DayHeading | None:
    """A day heading ("Friday, May 10", "15 November 2022", "Monday", "X, Day 1") or None."""
    if not text or len(text) > 80 or _DATE_RANGE.search(fold(text)):
        return None
    folded = fold(text)
    if _NOT_A_HEADING.search(folded):
        return None
    heading = DayHeading(None)
    for pattern in _DATE_PATTERNS:
        m = pattern.search(folded)
        if not m:
            continue
        g = m.groupdict()
        month = _MONTHS[g["mn"]] if g.get("mn") else int(g["m"])
        day = int(g["d"])
        if pattern is _DATE_PATTERNS[3] and month > 12 >= day:  # 05/13/2024: month first
            month, day = day, month
        try:
            dt.date(2000, month, day)  # a leap year: any real month/day passes
        except ValueError:
            continue
        if g.get("y"):
            try:
                heading.date = dt.date(int(g["y"]), month, day)
            except ValueError:
                continue
        else:
            heading.month_day = (month, day)
        heading.spans.append(m.span())
        break
    w = _WEEKDAY.search(folded)
    if w and not heading.spans and w["w"] in _WEEKDAYS:
        m = _SHORT_NUMERIC_DATE.search(folded)
        if m and 1 <= int(m["m"]) <= 12 and 1 <= int(m["d"]) <= 31:
            heading.month_day = (int(m["m"]), int(m["d"]))
            heading.spans.append(m.span())
    if w and (w["w"] in _WEEKDAYS or heading.spans):
        heading.weekday = {**_WEEKDAYS, **_WEEKDAY_ABBR}[w["w"]]
        heading.spans.append(w.span())
    n = _DAY_NUMBER.search(folded)
    if n:
        number = n["n"]
        heading.day_number = int(number) if number.isdigit() else _NUMBERS[number]
    if not heading.spans and n is None:
        return None
    words = text.split()
    if text.endswith(".") and len(words) > 6:
        return None  # a sentence that happens to name a day
    if heading.weekday is not None and not heading.spans[:-1] and n is None and len(words) > 6:
        return None
    heading.title = remove_spans(text, heading.spans) or None
    if heading.title and re.fullmatch(r"\([^()]*\)", heading.title):
        heading.title = heading.title[1:-1].strip() or None  # "Samstag, 3.9. (Alte Mensa)"
    weekday_only = heading.weekday is not None and len(heading.spans) == 1 and n is None
    if weekday_only and word_kind(heading.title or "") in UNTIMED_KINDS:
        return None  # "Sunday brunch at the venue" is an item, not a day
    if n is not None:
        heading.series = remove_spans(text, [*heading.spans, n.span("label")]) or None
    return heading


def event_dates(text: str) -> tuple[int, int, int | None, tuple[int, int]] | None:
    """'27–31 January 2025' -> (day, month, year, span) of the first day of a date range."""
    m = _DATE_RANGE.search(fold(text))
    if not m:
        return None
    if m["mn"]:
        return int(m["d"]), _MONTHS[m["mn"]], int(m["y"]) if m["y"] else None, m.span()
    return int(m["d2"]), _MONTHS[m["mn2"]], int(m["y2"]) if m["y2"] else None, m.span()


def next_date(after: dt.date, weekday: int | None) -> dt.date:
    date = after + dt.timedelta(days=1)
    while weekday is not None and date.weekday() != weekday:
        date += dt.timedelta(days=1)
    return date


def weekday_name(weekday: int) -> str:
    return ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[weekday]
