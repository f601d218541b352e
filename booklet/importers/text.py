"""A programme pasted as plain text -> `ImportedProgramme`, with a note for every guess.

The text is what organizers have at hand: a programme copied from an email, a web page or a
word processor. Day headings ("Friday, May 10", "MLIR Winter School, Day 1"), time lines
("10am to 10:40 am", "9h30–10h30", "Dinner at 7 pm"), speaker lines ("Ada Lovelace (Analytical
Engines) & Alan Turing"), session headings with chairs, and abstract paragraphs. Reading goes
in three steps:

1. `repair_lines`: text -> lines, with encoding damage repaired (ftfy, plus the lone 'Â' that
   a mis-encoded non-breaking space leaves behind) and odd spaces made plain;
2. `classify`: each line on its own -> blank, day heading, session heading, chair line,
   timed line, event dates or plain text;
3. `_Assembler`: walks the lines with their neighbours -> days of items. Then untimed items
   are placed between their neighbours, dates are assigned and people merged.

Nothing is dropped silently: a line that fits nowhere becomes a warning with its number.
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import ftfy

from booklet.errors import BookletError
from booklet.importers import (
    ImportedDay,
    ImportedItem,
    ImportedPerson,
    ImportedProgramme,
    Note,
    slugify,
)
from booklet.sources import read_bytes


@dataclass
class TextOptions:
    start_date: dt.date | None = None  # date of the first day when the text gives none
    timezone: str | None = None  # None: UTC, reported as an assumption
    title: str | None = None  # the event's title; otherwise inferred and reported
    today: dt.date | None = None  # for placeholder dates; tests pin it


class NothingToImport(BookletError):
    """The text holds no timed item at all."""


# == 1. Repair ==============================================================================

_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_line_breaks=False)
_ODD_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
# 'Â' not followed by a letter: what stays of a mis-encoded non-breaking space (C2 A0 read
# as Latin-1) once the space itself was trimmed. ftfy leaves it, having no space to pair.
_LONE_A_CIRCUMFLEX = re.compile(r"Â(?![^\W\d_])")


def decode(data: bytes, notes: list[Note], source: str = "the file") -> str:
    """Bytes -> text: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        notes.append(Note(None, "read as UTF-16 (the file starts with its byte-order mark)"))
        return data.decode("utf-16")
    if b"\x00" in data:
        raise BookletError(f"{source} holds NUL bytes", "is it a binary file? export it as text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        notes.append(
            Note(line, "the file is not UTF-8; read it as Windows-1252 (check accents)", "warning")
        )
        return data.decode("cp1252", errors="replace")


def repair_lines(text: str, notes: list[Note]) -> list[str]:
    """Text -> lines with mojibake repaired and spaces made plain; every repair noted."""
    lines = []
    odd_space_lines = []
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), 1):
        fixed = _LONE_A_CIRCUMFLEX.sub("", ftfy.fix_text(raw, config=_FTFY))
        # Composing accents (NFC) changes no visible letter: not worth a note.
        if fixed != unicodedata.normalize("NFC", raw):
            notes.append(Note(number, f"repaired mis-encoded text: {_excerpt(raw, fixed)}"))
        if _ODD_SPACES.search(fixed):
            odd_space_lines.append(number)
        fixed = _INVISIBLE.sub("", _ODD_SPACES.sub(" ", fixed))
        lines.append(" ".join(fixed.split()))
    if odd_space_lines:
        shown = ", ".join(map(str, odd_space_lines[:8])) + (", ..." if odd_space_lines[8:] else "")
        notes.append(
            Note(
                odd_space_lines[0],
                "replaced non-breaking or other special spaces with plain ones "
                f"(line{'s' if len(odd_space_lines) > 1 else ''} {shown})",
            )
        )
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _excerpt(before: str, after: str, context: int = 12) -> str:
    """The changed part of a line, with a little context: "'pmÂ' -> 'pm'"."""
    ops = [
        op for op in difflib.SequenceMatcher(None, before, after).get_opcodes() if op[0] != "equal"
    ]
    i1, i2, j1, j2 = ops[0][1], ops[-1][2], ops[0][3], ops[-1][4]
    lead = before[max(0, i1 - context) : i1]
    tail = before[i2 : i2 + context]
    old = _shorten(lead + before[i1:i2] + tail, 60)
    new = _shorten(lead + after[j1:j2] + tail, 60)
    return f"'{old}' -> '{new}'" if new.strip() else f"removed stray '{old.strip()}'"


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# == 2. Classify: times ====================================================================

_MER = r"(?:[ap]\.?\s?m\b\.?)"


def _clock(p: str) -> str:
    """One time of day; group names carry the prefix `p` so a range can hold two."""
    return (
        rf"(?P<{p}word>noon|midday|midi|midnight|minuit)\b"
        rf"|(?P<{p}fh>[01]?\d|2[0-3])\s?h\s?(?P<{p}fm>[0-5]\d)?(?![^\W\d_])"
        rf"|(?P<{p}ch>[01]?\d|2[0-3]):(?P<{p}cm>[0-5]\d)(?:\s?(?P<{p}cmer>{_MER}))?"
        rf"|(?P<{p}dh>1[0-2]|0?[1-9])\.(?P<{p}dm>[0-5]\d)\s?(?P<{p}dmer>{_MER})"
        rf"|(?P<{p}mh>1[0-2]|0?[1-9])\s?(?P<{p}mmer>{_MER})"
        rf"|(?P<{p}mil>(?:[01]\d|2[0-3])[0-5]\d)(?!\d)"
        rf"|(?P<{p}bare>1[0-2]|0?[1-9])(?![\d:.h])"
    )


_PRE = r"(?:(?P<pre>\b(?:from|between|starting at|starts at|at|de|dès|à|entre)\b|@)\s*)?"
_SEP = r"\s*(?:-{1,2}|[–—‒−~→]|->|\bto\b|\btill\b|\buntil\b|\bà\b|\bau\b|\bjusqu'à\b)\s*"
_NOT_BEFORE = r"(?<![\w:.,/-])"
_RANGE = re.compile(rf"{_PRE}{_NOT_BEFORE}(?:{_clock('s')}){_SEP}(?:{_clock('e')})(?![\w:])", re.I)
_SINGLE = re.compile(rf"{_PRE}{_NOT_BEFORE}(?:{_clock('s')})(?![\w:])", re.I)
_MIL_RANGE = re.compile(r"(?<!\d)(?:[01]\d|2[0-3])[0-5]\d\s*[-–—]\s*(?:[01]\d|2[0-3])[0-5]\d(?!\d)")
_TRIM = " \t:;,.-–—|/>•*"


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
class _Span:
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
    for kind, h, mnt, mer in (
        ("fh", "fh", "fm", None),
        ("ch", "ch", "cm", "cmer"),
        ("dh", "dh", "dm", "dmer"),
        ("mh", "mh", None, "mmer"),
    ):
        if g[f"{p}{h}"] is None:
            continue
        hour_text = g[f"{p}{h}"]
        meridiem = g[f"{p}{mer}"] if mer else None
        meridiem = meridiem.lower().replace(".", "").replace(" ", "") if meridiem else None
        hour = int(hour_text)
        fixed = kind == "fh" or (
            meridiem is None and (hour == 0 or hour > 12 or hour_text.startswith("0"))
        )
        return _Clock(hour, int(g[f"{p}{mnt}"] or 0) if mnt else 0, meridiem, fixed, kind, text)
    if g[f"{p}mil"]:
        digits = g[f"{p}mil"]
        return _Clock(int(digits[:2]), int(digits[2:]), None, True, "mil", digits)
    if g[f"{p}bare"]:
        return _Clock(int(g[f"{p}bare"]), 0, None, False, "bare", g[f"{p}bare"])
    return None


def find_time(text: str, *, mil_style: bool = False) -> _Span | None:
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
        if _well_placed(text, m, is_range=False):
            minutes = start.minutes()
            if minutes >= 24 * 60:
                minutes = 0
            return _Span(minutes, None, start.fixed or bool(start.meridiem), m.start(), m.end())
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
    before = text[: m.start()].strip(_TRIM + "(")
    after = text[m.end() :].strip(_TRIM + ")")
    if not before:
        return True
    if not after:  # "Dinner at 7 pm", but not the end of an abstract's long sentence
        return len(text) <= 140
    return len(text) <= (100 if is_range else 60)


def _resolve_range(start: _Clock, end: _Clock, m: re.Match) -> _Span:
    span = _Span(0, None, True, m.start(), m.end())
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
        span.notes.append(f"read the end '{end.text.strip()}' as {_hhmm(e_min)}")
    span.start = s_min
    if e_min >= 24 * 60:
        span.warnings.append(f"the end '{end.text.strip()}' is midnight or later; left open-ended")
    elif e_min <= s_min:
        span.warnings.append(
            f"the end {_hhmm(e_min)} is not after the start {_hhmm(s_min)}; left open-ended"
        )
    else:
        span.end = e_min
    return span


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# == 2. Classify: day headings ============================================================

_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4,
    "samedi": 5, "dimanche": 6,
}  # fmt: skip
_WEEKDAY_ABBR = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
                 "fri": 4, "sat": 5, "sun": 6}  # fmt: skip
_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12, "janvier": 1, "fevrier": 2, "mars": 3,
    "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8, "septembre": 9, "octobre": 10,
    "novembre": 11, "decembre": 12,
}  # fmt: skip
_FRENCH_DATE_WORDS = {w for w, _ in _WEEKDAYS.items() if w.endswith("di") or w == "dimanche"}
_FRENCH_DATE_WORDS |= {"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
                       "septembre", "octobre", "novembre", "decembre"}  # fmt: skip
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5}  # fmt: skip

_M = "|".join(sorted(_MONTHS, key=len, reverse=True))
_W = "|".join(sorted([*_WEEKDAYS, *_WEEKDAY_ABBR], key=len, reverse=True))
_YEAR = r"(?:19|20)\d\d"
_DATE_PATTERNS = (
    re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
    re.compile(
        rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th|er)?\s+(?:of\s+)?(?P<mn>{_M})\b\.?(?:,?\s+(?P<y>{_YEAR})\b)?"
    ),
    re.compile(
        rf"\b(?P<mn>{_M})\b\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>{_YEAR})\b)?"
    ),
    re.compile(rf"\b(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>{_YEAR})\b"),
)
_DATE_RANGE = re.compile(
    rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th|er)?\s*(?:-|–|—|to|au)\s*[0-3]?\d(?:st|nd|rd|th)?\s+"
    rf"(?P<mn>{_M})\b\.?(?:,?\s+(?P<y>{_YEAR}))?"
    rf"|\b(?P<mn2>{_M})\b\.?\s+(?P<d2>[0-3]?\d)\s*(?:-|–|—|to)\s*[0-3]?\d\b(?:,?\s+(?P<y2>{_YEAR}))?"
)
_WEEKDAY = re.compile(rf"\b(?P<w>{_W})\b\.?")
_DAY_NUMBER = re.compile(
    r"(?:^|(?<=[,:;–—(|-])|(?<=\s))(?P<label>(?:day|jour|journee)\s+"
    r"(?P<n>\d{1,2}|one|two|three|four|five|six|seven|un|deux|trois|quatre|cinq))"
    r"\s*(?=$|[,:;–—()|-])"
)


def fold(text: str) -> str:
    """Lowercase without accents, one character for one: positions stay valid."""
    return "".join(unicodedata.normalize("NFD", c)[0].lower()[0] for c in text)


@dataclass
class _Heading:
    title: str | None
    date: dt.date | None = None
    month_day: tuple[int, int] | None = None  # when the year is missing
    weekday: int | None = None
    day_number: int | None = None
    series: str | None = None  # the heading without "Day N": "MLIR Winter School"
    spans: list[tuple[int, int]] = field(default_factory=list)  # date and weekday, in the line


def parse_heading(text: str) -> _Heading | None:
    """A day heading ("Friday, May 10", "15 November 2022", "Monday", "X, Day 1") or None."""
    if not text or len(text) > 80 or _DATE_RANGE.search(fold(text)):
        return None
    folded = fold(text)
    heading = _Heading(None)
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
    heading.title = _remove(text, heading.spans) or None
    weekday_only = heading.weekday is not None and len(heading.spans) == 1 and n is None
    if weekday_only and word_kind(heading.title or "") in UNTIMED_KINDS:
        return None  # "Sunday brunch at the venue" is an item, not a day
    if n is not None:
        heading.series = _remove(text, [*heading.spans, n.span("label")]) or None
    return heading


def _remove(text: str, spans: list[tuple[int, int]]) -> str:
    for a, b in sorted(spans, reverse=True):
        text = text[:a] + " " + text[b:]
    return _tidy(text)


def _tidy(text: str) -> str:
    text = re.sub(r"\(\s*\)", " ", text)
    # Only what removing a date or a time leaves behind: "Workshop , Paris", ", ,".
    text = re.sub(r"\s+,", ",", " ".join(text.split()))
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    return text.strip(_TRIM + " ")


def event_dates(text: str) -> tuple[int, int, int | None, tuple[int, int]] | None:
    """'27–31 January 2025' -> (day, month, year, span) of the first day of a date range."""
    m = _DATE_RANGE.search(fold(text))
    if not m:
        return None
    if m["mn"]:
        return int(m["d"]), _MONTHS[m["mn"]], int(m["y"]) if m["y"] else None, m.span()
    return int(m["d2"]), _MONTHS[m["mn2"]], int(m["y2"]) if m["y2"] else None, m.span()


# == 2. Classify: kinds and people ========================================================

_KIND_WORDS = (
    ("meal", r"lunch|dinner|breakfast|brunch|banquet|buffet|supper|petit[- ]dejeuner|dejeuner"
             r"|diner|repas"),
    ("break", r"coffee|break|tea|pause|cafe|refreshments?|snacks?"),
    ("social", r"reception|cocktail|aperitif|apero|drinks|social event|excursion|get[- ]together"
               r"|soiree"),
    ("registration", r"registration|check[- ]in|badge pick[- ]?up|accueil|inscriptions?"),
    ("keynote", r"keynote|invited talk|plenary|pleniere|conference invitee"),
    ("tutorial", r"tutorials?|hands[- ]on|atelier|tutoriel"),
    ("other", r"opening|closing|welcome|bienvenue|ouverture|cloture|panel|round ?table"
              r"|table ronde|wrap[- ]up|awards?|remise des prix|hackathon|poster session"),
)  # fmt: skip
_KIND_RES = [(kind, re.compile(rf"\b(?:{words})\b")) for kind, words in _KIND_WORDS]
UNTIMED_KINDS = frozenset({"meal", "break", "social", "registration"})


def word_kind(text: str) -> str | None:
    """The kind a title's words name ('Coffee break' -> 'break'), or None."""
    folded = fold(text)
    for kind, regex in _KIND_RES:
        if regex.search(folded):
            return kind
    return None


def is_breakish(text: str) -> bool:
    """A short line that names a break, meal, reception or registration."""
    words = text.split()
    return (
        0 < len(words) <= 8
        and not text.endswith(".")
        and word_kind(text) in UNTIMED_KINDS
        and not people_list(text)
    )


_PARTICLES = {"de", "del", "della", "der", "den", "di", "da", "das", "do", "dos", "du",
              "la", "le", "van", "von", "ter", "ten", "zu", "y", "bin", "ibn", "al", "el",
              "st."}  # fmt: skip
# Words that make a capitalized phrase a title or an organization rather than a person.
_NOT_NAME_WORDS = """
    a an the of for with in on to and or at by from into via using towards toward how why
    what when where is are be my our your new next its it this that we you i part
    introduction intro opening closing remarks words word welcome session sessions keynote panel
    discussion discussions talk talks lightning poster posters demo demos tutorial tutorials
    workshop hackathon break coffee lunch dinner breakfast reception registration social event
    awards award best paper papers questions summary wrap-up conclusion conclusions overview
    invited day days morning afternoon evening room hall track chair chairs keynotes plenary
    university universite universität universidad univ institute institut school college
    lab labs laboratory laboratoire inc inc. ltd ltd. corp corp. gmbh sa department dept centre
    center group team research national foundation company project programme program
    community roundtable meeting forum conference symposium networking machine learning
    compiler compilers data deep open source language languages system systems
    accueil ouverture clôture cloture pause déjeuner dejeuner dîner diner séance seance
    présentation presentation atelier conférence conference table ronde mot bienvenue remise
    prix et le la les des du pour avec sur dans une un
    everyone all participants attendees speakers tba tbd"""
_NOT_NAME = set(_NOT_NAME_WORDS.split())
_ORG_WORDS = re.compile(
    r"\b(?:univ\w*|u\.|institut\w*|inria|cnrs|cea|lab\w*|college|school|inc|ltd|corp\w*|gmbh"
    r"|centre|center|research|foundation|company|group|team|ag|sas?|llc|ecole|ens|epfl|eth)\b"
)
_LEAD_IN = re.compile(
    r"^(?:speakers?|presenters?|intervenant(?:e)?s?|orateurs?|by|par|with|avec|presented by"
    r"|présenté(?:e)?s? par)\s*:?\s+",
    re.I,
)
_LIST_SEP = re.compile(r"\s*(?:,|;|&|\+|\band\b|\bet\b|\bund\b)\s*")
_AFFILIATION = re.compile(r"^(?P<name>.+?)\s*\((?P<aff>[^()]+)\)$")
_DASH_AFFILIATION = re.compile(r"^(?P<name>.+?)\s+[-–—]\s+(?P<aff>.+)$")


def is_name(text: str) -> bool:
    """Does this look like one person's name: 2-5 capitalized words, no title words?"""
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or len(text) > 60:
        return False
    for i, token in enumerate(tokens):
        low = token.casefold()
        if low in _NOT_NAME:
            return False
        if low in _PARTICLES and 0 < i < len(tokens) - 1:
            continue
        if not (token[0].isupper() and all(c.isalpha() or c in "-'’." for c in token)):
            return False
    # "INRIA KAIROS", "MLIR Jane Doe": an acronym, not a given name. ("Jean DUPONT" is fine.)
    first = tokens[0].rstrip(".")
    return not (first.isupper() and len(first) > 1 and "." not in first)


def _split_top(text: str) -> list[str]:
    """Split a list of names on , ; & and et, but never inside parentheses."""
    hidden: list[str] = []

    def hide(m: re.Match) -> str:
        hidden.append(m.group(0))
        return f"\x00{len(hidden) - 1}\x00"

    masked = re.sub(r"\([^()]*\)", hide, text)
    parts = [p for p in _LIST_SEP.split(masked) if p.strip()]
    return [re.sub(r"\x00(\d+)\x00", lambda m: hidden[int(m[1])], p).strip() for p in parts]


def _is_org(text: str) -> bool:
    words = text.split()
    acronyms = [w for w in words if len(w) > 1 and w.isupper()]
    return bool(_ORG_WORDS.search(fold(text))) or (0 < len(words) <= 3 and len(acronyms) >= 1)


def people_list(text: str) -> list[tuple[str, str | None]] | None:
    """'A (X) & B, C and D (Y)' -> [(name, affiliation or None)]; None if it is not that."""
    text = _LEAD_IN.sub("", text.strip().rstrip(".;,"))
    if not text or len(text) > 300:
        return None
    people: list[tuple[str, str | None]] = []
    for part in _split_top(text):
        m = _AFFILIATION.match(part)
        name, affiliation = (m["name"].strip(), m["aff"].strip()) if m else (part, None)
        if not is_name(name):
            m = _DASH_AFFILIATION.match(part)
            if m and is_name(m["name"]) and _is_org(m["aff"]) and len(_split_top(text)) == 1:
                name, affiliation = m["name"], m["aff"]
            elif people and people[-1][1] is None and _is_org(part):
                people[-1] = (people[-1][0], part)  # "Jane Doe, MIT"
                continue
            else:
                return None
        people.append((name, affiliation))
    return people or None


_BY = re.compile(r"\s+(?:by|par|with|avec|presented by|présenté par)\s+", re.I)
_TITLE_SEPS = (" — ", " – ", " - ", " | ", ": ", " / ")


def split_title_people(
    text: str, known: set[str]
) -> tuple[str, list[tuple[str, str | None]], str | None] | None:
    """'Title — Speaker (X)', 'Welcome by Name', 'Title A, B and C' -> (title, people, doubt).

    `doubt` says how a speaker glued to the title was cut off, for the organizer to check.
    """
    whole = people_list(text)
    if whole:
        return "", whole, None
    for m in reversed(list(_BY.finditer(text))):
        people = people_list(text[m.end() :])
        if people and text[: m.start()].strip():
            return _tidy(text[: m.start()]), people, None
    for sep in _TITLE_SEPS:
        at = text.rfind(sep)
        while at > 0:
            left, right = text[:at].strip(), text[at + len(sep) :].strip()
            people = people_list(right)
            if people and left:
                return _tidy(left), people, None
            people = people_list(left)
            if people and right and not people_list(right):
                return _tidy(right), people, None
            at = text.rfind(sep, 0, at)
    m = re.match(r"^(?P<title>.*\S)\s*\((?P<who>[^()]+)\)$", text)
    if m and (people := people_list(m["who"])):
        return _tidy(m["title"]), people, None
    return _glued(text, known)


def _glued(text: str, known: set[str]):
    """'Title Ada Lovelace, Alan Turing and Grace Hopper': cut the first name off the title."""
    m = _AFFILIATION.match(text)
    bare, affiliation = (m["name"], m["aff"]) if m else (text, None)
    for name in sorted(known, key=len, reverse=True):
        if bare.endswith(" " + name) and (title := _tidy(bare[: -len(name)])):
            doubt = f"took '{name}' (named alone on another line) as the speaker"
            return title, [(name, affiliation)], doubt
    parts = _split_top(text)
    rest = people_list(", ".join(parts[1:])) if len(parts) >= 2 else None
    if not rest:
        return None
    m = _AFFILIATION.match(parts[0])
    head_text, head_aff = (m["name"], m["aff"]) if m else (parts[0], None)
    tokens = head_text.split()
    size = 2
    while size < len(tokens) - 1 and tokens[-size - 1].casefold() in _PARTICLES:
        size += 1  # "Ludwig van Beethoven"
    if len(tokens) <= size:
        return None
    name = " ".join(tokens[-size:])
    title = _tidy(" ".join(tokens[:-size]))
    if not is_name(name) or not title:
        return None
    doubt = f"split '{text}' into the title '{title}' and the speaker '{name}'"
    return title, [(name, head_aff), *rest], doubt


# == 2. Classify: lines ===================================================================

_SESSION = re.compile(
    r"^(?P<label>(?:session|séance|seance|track)(?:\s+(?:\d+|[IVX]+|[A-Z])\b)?)\s*(?P<rest>[:(–—-].*|$)",
    re.I,
)
_CHAIR = re.compile(
    r"(?:^|(?<=[\s(:,;–—-]))(?:chairs?|chaired by|chairman|chairwoman|chairperson|moderators?"
    r"|moderated by|présidente?(?: de séance)?|modérat(?:eur|rice)s?)\s*:?\s*(?P<who>[^()]+?)"
    r"\)?\s*$",
    re.I,
)
_MARKUP = re.compile(r"^(?:#{1,6}\s+|[-*•·▪◦]\s+|>\s*)")


@dataclass
class Line:
    number: int
    text: str  # as repaired, for abstracts
    clean: str  # without Markdown heading marks, bullets or bold, for everything else
    kind: str  # blank, day, session, chair, timed, dates, text
    heading: _Heading | None = None
    span: _Span | None = None
    rest: str = ""  # the line without its time
    chairs: list[tuple[str, str | None]] = field(default_factory=list)


def classify(number: int, text: str, *, mil_style: bool) -> Line:
    """One line on its own -> a `Line` of one kind."""
    clean = _MARKUP.sub("", text).replace("**", "").replace("__", "").strip()
    line = Line(number, text, clean, "text")
    if not clean:
        line.kind = "blank"
        return line
    session = _SESSION.match(clean)
    if session and (session["rest"] or re.search(r"\d|[IVX]$", session["label"])):
        line.kind = "session"
        rest = session["rest"]
        chair = _CHAIR.search(rest)
        if chair:
            line.chairs = _chairs_with_affiliation(chair["who"])
            rest = rest[: chair.start()]
        line.span = find_time(rest, mil_style=mil_style)
        if line.span:
            rest = rest[: line.span.begin] + rest[line.span.finish :]
        topic = _tidy(rest.rstrip(" ("))
        line.rest = session["label"] + (f": {topic}" if topic else "")
        return line
    chair = _CHAIR.match(clean)
    if chair and clean.split()[0].casefold().startswith(("chair", "moderat", "présid", "modérat")):
        line.kind = "chair"
        line.chairs = _chairs_with_affiliation(chair["who"])
        return line
    heading = parse_heading(clean)
    masked = _mask(clean, heading.spans) if heading else clean
    span = find_time(masked, mil_style=mil_style)
    if span:
        line.kind = "timed"
        line.span = span
        line.rest = _tidy(clean[: span.begin] + " " + clean[span.finish :])
        return line
    if heading:
        line.kind = "day"
        line.heading = heading
        return line
    if event_dates(clean):
        line.kind = "dates"
    return line


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    for a, b in spans:
        text = text[:a] + "#" * (b - a) + text[b:]
    return text


def _chairs_with_affiliation(who: str) -> list[tuple[str, str | None]]:
    """'Name - Affiliation' or 'Name (Affiliation)' or a list of names -> people."""
    who = who.strip().rstrip(".")
    people = people_list(who)
    if people:
        return people
    m = _DASH_AFFILIATION.match(who)
    if m and is_name(m["name"].strip()):
        return [(m["name"].strip(), m["aff"].strip())]
    return []


# == 3. Assemble ==========================================================================


@dataclass
class _Item:
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

    @property
    def empty(self) -> bool:
        return not (self.title or self.speakers or self.abstract)

    def label(self) -> str:
        if self.title:
            return f"'{_shorten(self.title, 50)}'"
        if self.speakers:
            return "the item of " + " and ".join(name for name, _, _ in self.speakers[:2])
        return "the item"


@dataclass
class _Day:
    line: int | None
    heading: _Heading | None
    title: str | None
    heading_text: str | None = None  # the heading as written, to name the day in notes
    items: list[_Item] = field(default_factory=list)
    date: dt.date | None = None
    placeholder: bool = False


class TextReader:
    """Reads a plain-text programme: `read(path)` or `parse(text, source_name)`."""

    def __init__(self, options: TextOptions | None = None):
        self.options = options or TextOptions()

    def read(self, path: Path) -> ImportedProgramme:
        notes: list[Note] = []
        text = decode(read_bytes(Path(path)), notes, Path(path).name)
        return self.parse(text, Path(path).name, notes)

    def parse(self, text: str, source: str = "programme.txt", notes=None) -> ImportedProgramme:
        notes = list(notes or [])
        lines = repair_lines(text, notes)
        mil_style = any(_MIL_RANGE.search(line) for line in lines)
        classified = [classify(n, t, mil_style=mil_style) for n, t in enumerate(lines, 1)]
        assembler = _Assembler(classified, notes, self.options, source)
        return assembler.run()


class _Assembler:
    """Lines in order -> days of items; then placement, dates, people, the event."""

    def __init__(self, lines: list[Line], notes: list[Note], options: TextOptions, source: str):
        self.lines = lines
        self.notes = notes
        self.options = options
        self.source = source
        self.today = options.today or dt.date.today()
        self.days: list[_Day] = []
        self.preamble: list[Line] = []
        self.event_lines: list[Line] = []
        self.item: _Item | None = None
        self.blank_before = False
        self.has_headings = any(line.kind == "day" for line in lines)
        self.twelve_hour = any(re.search(rf"\d\s?{_MER}", line.clean, re.I) for line in lines)
        self.known = self._known_names()
        self.speaker_first = self._speaker_first()
        self.next_start = self._next_starts()

    # -- whole-text conventions --------------------------------------------------------------
    def _known_names(self) -> set[str]:
        """Names on lines that hold nothing but names: they help split 'Title Name' lines."""
        return {
            name
            for line in self.lines
            if line.kind == "text" and (people := people_list(line.clean))
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
            return line is not None and line.kind == "text" and bool(people_list(line.clean))

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

    # -- reporting ---------------------------------------------------------------------------
    def note(self, line: int | None, message: str) -> None:
        self.notes.append(Note(line, message))

    def warn(self, line: int | None, message: str) -> None:
        self.notes.append(Note(line, message, "warning"))

    # -- the walk ----------------------------------------------------------------------------
    def run(self) -> ImportedProgramme:
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
        self.assign_dates()
        self.days = self.merge_same_dates()
        return self.build()

    def on_blank(self, index: int, line: Line) -> None:
        self.blank_before = True

    def on_day(self, index: int, line: Line) -> None:
        self.close_item()
        if not self.days and self.preamble:
            self.event_lines = self.preamble
            self.preamble = []
        heading = line.heading
        self.days.append(_Day(line.number, heading, heading.title if heading else None, line.clean))

    def on_dates(self, index: int, line: Line) -> None:
        if not self.days and self.item is None:
            self.preamble.append(line)
        else:
            self.on_text(index, line)

    def ensure_day(self, line: Line) -> _Day:
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
                f"took '{_shorten(title, 60)}' as the title of the first day: it comes "
                "before the first item, and later days have headings",
            )
            self.preamble.remove(first)
        self.event_lines = self.preamble
        self.preamble = []
        day = _Day(number, None, title, title)
        self.days.append(day)
        return day

    def on_timed(self, index: int, line: Line) -> None:
        self.close_item()
        self.ensure_day(line)
        span = line.span
        assert span is not None
        item = _Item(line.number, span.start, span.end, span.explicit)
        for message in span.notes:
            self.note(line.number, message)
        for message in span.warnings:
            self.warn(line.number, message)
        self.item = item
        if line.rest:
            self.head_text(index, line, line.rest, inline=True)

    def on_session(self, index: int, line: Line) -> None:
        self.close_item()
        self.ensure_day(line)
        span = line.span
        item = _Item(line.number, span.start if span else None, None, True, title=line.rest)
        item.session = True
        item.speakers = [(name, aff, line.number) for name, aff in line.chairs]
        chairs = " and ".join(name for name, _ in line.chairs)
        where = f"at {_hhmm(span.start)}" if span else "at the start of its first item"
        self.note(
            line.number,
            f"session heading '{line.rest}' imported as an open-ended item {where}"
            + (f", with its chair {chairs} as speaker" if chairs else ""),
        )
        item.comments.append(
            f"line {line.number}: session heading" + (f"; chair: {chairs}" if chairs else "")
        )
        self.item = item

    def on_chair(self, index: int, line: Line) -> None:
        item = self.item
        if not line.chairs:
            self.on_text(index, line)
            return
        if item is None:
            self.warn(line.number, f"not imported: '{line.clean}' (no session or item before it)")
            return
        item.speakers += [(name, aff, line.number) for name, aff in line.chairs]
        if not item.session:
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
                    f"not imported: '{_shorten(text, 60)}' (text between a day heading and "
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
                f"'{line.clean}' is not the title of the {_span_text(item)} slot above: this "
                "programme puts speakers after times, and it fits the gap after that slot",
            )
        self.start_untimed(line)

    def start_untimed(self, line: Line) -> None:
        self.close_item()
        self.ensure_day(line)
        self.item = _Item(line.number, None, title=line.clean, stage="body")

    def head_text(self, index: int, line: Line, text: str, *, inline: bool) -> None:
        """A line (or the rest of a time line) while the item still takes title and speakers."""
        item = self.item
        assert item is not None
        people = people_list(text)
        if people and not item.abstract:
            item.speakers += [(name, aff, line.number) for name, aff in people]
            return
        if not item.title and not item.speakers:
            split = split_title_people(text, self.known)
            if split:
                title, people, doubt = split
                item.title = title or None
                item.speakers += [(name, aff, line.number) for name, aff in people]
                if doubt:
                    self.warn(line.number, doubt + "; check it")
                return
            if inline or is_breakish(text):
                item.title = text
                return
            if self.speaker_first and item.start is not None:
                self.note(
                    line.number,
                    f"took '{_shorten(text, 50)}' as the description of the {_span_text(item)} "
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
                f"the text names nothing for the {_span_text(item)} slot; imported as an "
                "untitled item of kind 'other'",
            )
            item.comments.append(f"line {item.line}: TODO: the text names nothing for this slot")
        elif item.end is None:
            self.note(
                item.line,
                f"{item.label()} starts at {_hhmm(item.start)} with no end; left open-ended",
            )

    # -- per day -----------------------------------------------------------------------------
    def fix_half_days(self, day: _Day) -> None:
        """In an am/pm programme, '2:30' after a 1 pm item is 14:30."""
        if not self.twelve_hour:
            return
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
                    f"read {_hhmm(old)} as {_hhmm(item.start)} (after "
                    f"{_hhmm(latest)}, in a programme written with am/pm)",
                )
            latest = max(latest or 0, item.start)

    def place_untimed(self, day: _Day) -> None:
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

    def place_run(self, run: list[_Item], before: _Item | None, after: _Item | None) -> None:
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
                    f"first timed item; placed at {_hhmm(after.start)}, "
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
                    f"{item.label()} has no time; placed at {_hhmm(begin)} ({reason}), open-ended",
                )
                item.comments.append(f"line {item.line}: no time in the text; open-ended")
            return
        step = (after.start - begin) / len(run)
        for k, item in enumerate(run):
            item.start = begin + round(step * k / 5) * 5
            item.end = after.start if k == len(run) - 1 else begin + round(step * (k + 1) / 5) * 5
            self.note(
                item.line,
                f"{item.label()} has no time; placed between its neighbours at {_span_text(item)}",
            )
            item.comments.append(
                f"line {item.line}: no time in the text; placed between its neighbours"
            )

    def drop(self, item: _Item) -> None:
        """An item that cannot be placed: report it and every line that went with it."""
        lines = [item.line, *(number for number, _, _ in item.abstract)]
        shown = f"line {lines[0]}" if len(lines) == 1 else f"lines {lines[0]}-{lines[-1]}"
        self.warn(item.line, f"not imported: {item.label()} ({shown}; its day has no times)")

    # -- dates -------------------------------------------------------------------------------
    def year_hint(self) -> tuple[int, str] | None:
        for line in [*self.event_lines, *(ln for ln in self.lines if ln.kind == "day")]:
            m = re.search(rf"\b{_YEAR}\b", line.clean)
            if m:
                return int(m.group(0)), f"line {line.number}"
        m = re.search(rf"(?<!\d){_YEAR}(?!\d)", self.source)
        if m:
            return int(m.group(0)), "the file name"
        return None

    def fallback_start(self) -> tuple[dt.date, int] | None:
        """The first day of a range such as '27–31 January 2025' above the programme."""
        for line in self.event_lines:
            found = event_dates(line.clean)
            if found and found[2]:
                try:
                    return dt.date(found[2], found[1], found[0]), line.number
                except ValueError:
                    continue
        return None

    def assign_dates(self) -> None:
        options = self.options
        previous: _Day | None = None
        for i, day in enumerate(self.days):
            heading = day.heading
            if heading and heading.date:
                day.date = heading.date
                if i == 0 and options.start_date and options.start_date != day.date:
                    self.warn(
                        day.line,
                        f"the text dates this day {day.date}; --start-date "
                        f"{options.start_date} not used",
                    )
            elif heading and heading.month_day:
                day.date, how = self.complete_year(heading, previous)
                if day.date is None:
                    self.warn(day.line, f"'{day.title or ''}' is not a date ({how})")
                else:
                    self.note(day.line, f"dated {day.date} ({how})")
            if day.date is None:
                self.date_from_context(i, day, previous)
            weekday = heading.weekday if heading else None
            if (
                weekday is not None
                and day.date
                and not day.placeholder
                and day.date.weekday() != weekday
            ):
                self.warn(
                    day.line,
                    f"the heading names a {_weekday_name(weekday)} "
                    f"but {day.date} is a {day.date:%A}",
                )
            if previous and previous.date and day.date and day.date < previous.date:
                self.warn(day.line, f"{day.date} comes before the previous day ({previous.date})")
            previous = day

    def complete_year(self, heading: _Heading, previous: _Day | None):
        month, number = heading.month_day or (1, 1)
        try:
            if previous and previous.date:
                date = dt.date(previous.date.year, month, number)
                if date < previous.date:
                    date = dt.date(previous.date.year + 1, month, number)
                return date, "year of the previous day"
            if self.options.start_date:
                year, how = self.options.start_date.year, "year from --start-date"
            elif (hint := self.year_hint()) is not None:
                year, how = hint[0], f"year from {hint[1]}"
            elif heading.weekday is not None:
                year = min(
                    (
                        y
                        for y in range(self.today.year - 3, self.today.year + 4)
                        if dt.date(y, month, number).weekday() == heading.weekday
                    ),
                    key=lambda y: (abs(y - self.today.year), -y),
                    default=self.today.year,
                )
                how = f"the year near today in which it is a {_weekday_name(heading.weekday)}"
            else:
                year, how = self.today.year, "no year in the text: assumed this year"
            return dt.date(year, month, number), how
        except ValueError as exc:
            return None, str(exc)

    def date_from_context(self, i: int, day: _Day, previous: _Day | None) -> None:
        weekday = day.heading.weekday if day.heading else None
        label = f"'{day.heading_text}'" if day.heading_text else "the first day"
        if previous is not None and previous.date is not None:
            day.date = _next_date(previous.date, weekday)
            day.placeholder = previous.placeholder
            how = "the day after the previous one" if weekday is None else f"the next {day.date:%A}"
        elif self.options.start_date:
            day.date = self.options.start_date
            how = "from --start-date"
        elif (later := self.first_dated_after(i)) is not None:
            day.date = later[0] - dt.timedelta(days=later[1] - i)
            how = f"counted back from {later[0]}"
        elif (start := self.fallback_start()) is not None:
            day.date = start[0]
            how = f"the first date of the range on line {start[1]}"
        else:
            first = weekday if weekday is not None else 0
            day.date = _next_date(self.today, first)
            day.placeholder = True
            how = ""
        if day.placeholder:
            self.warn(
                day.line,
                f"the text gives no date for {label}; wrote the placeholder "
                f"{day.date} (marked TODO): run again with --start-date "
                "YYYY-MM-DD, or set it in programme.yaml",
            )
        else:
            self.note(day.line, f"dated {label} {day.date} ({how})")

    def first_dated_after(self, i: int) -> tuple[dt.date, int] | None:
        for k in range(i + 1, len(self.days)):
            heading = self.days[k].heading
            if heading and heading.date:
                return heading.date, k
        return None

    def merge_same_dates(self) -> list[_Day]:
        merged: list[_Day] = []
        for day in self.days:
            same = next((d for d in merged if d.date == day.date), None)
            if same is None:
                merged.append(day)
                continue
            self.warn(day.line, f"a second heading for {day.date}; its items joined that day")
            same.items += day.items
            same.items.sort(key=lambda it: it.start or 0)
        return merged

    # -- the result --------------------------------------------------------------------------
    def build(self) -> ImportedProgramme:
        people, ids = self.collect_people()
        days = []
        for day in self.days:
            assert day.date is not None
            items = [self.build_item(item, ids) for item in day.items]
            comment = (
                f"TODO: set the date (line {day.line}: the text gives none)"
                if (day.placeholder)
                else None
            )
            if not items:
                self.warn(
                    day.line, f"no timed item under '{day.heading_text}'; kept as an empty day"
                )
            days.append(ImportedDay(day.date, day.title, items, comment, day.line))
        untitled = [it for d in days for it in d.items if it.kind == "talk" and not it.title]
        if untitled:
            self.note(
                None,
                f"{_count(len(untitled), 'talk')} without a title in the text: the "
                "booklet leads with the speaker; add titles in programme.yaml",
            )
        event, comments = self.event()
        return ImportedProgramme(self.source, event, people, days, self.sorted_notes(), comments)

    def sorted_notes(self) -> list[Note]:
        return sorted(self.notes, key=lambda n: -1 if n.line is None else n.line)

    def build_item(self, item: _Item, ids: dict[str, str]) -> ImportedItem:
        assert item.start is not None
        kind = word_kind(item.title or "") if item.title else None
        if kind == "registration":
            kind = "other"
        if item.speakers and kind in ("break", "other") and not item.session:
            kind = "other" if kind == "other" else "talk"
        if item.session:
            kind = "other"
        kind = kind or ("talk" if item.speakers else "other")
        speakers = []
        for name, _, _ in item.speakers:
            pid = ids[name]
            if pid not in speakers:
                speakers.append(pid)
        return ImportedItem(
            start=_time(item.start),
            end=_time(item.end) if item.end is not None else None,
            kind=kind,
            title=item.title or None,
            speakers=speakers,
            abstract=_paragraphs(item.abstract),
            comment="\n".join(item.comments) or None,
            line=item.line,
        )

    def collect_people(self) -> tuple[list[ImportedPerson], dict[str, str]]:
        """Everyone named, once: the same name (ignoring case and accents) is one person."""
        people: dict[str, ImportedPerson] = {}
        ids: dict[str, str] = {}
        for day in self.days:
            for item in day.items:
                for name, affiliation, line in item.speakers:
                    pid = slugify(name) or f"person-{len(people) + 1}"
                    ids[name] = pid
                    person = people.get(pid)
                    if person is None:
                        people[pid] = ImportedPerson(pid, name, sort_name(name), affiliation)
                    elif affiliation and not person.affiliation:
                        person.affiliation = affiliation
                    elif affiliation and fold(affiliation) != fold(person.affiliation or ""):
                        self.warn(
                            line,
                            f"{name} appears with the affiliation '{affiliation}' "
                            f"here and '{person.affiliation}' before; kept the "
                            "first",
                        )
        return list(people.values()), ids

    def event(self) -> tuple[dict, dict[str, str]]:
        comments: dict[str, str] = {}
        title = self.event_title(comments)
        timezone = self.options.timezone
        if not timezone:
            timezone = "UTC"
            comments["timezone"] = "TODO: assumed; set the event's, e.g. Europe/Paris"
            self.note(None, "time zone UTC assumed: use --timezone (e.g. Europe/Paris)")
        event = {"title": title, "timezone": timezone}
        language = self.language()
        if language != "en":
            event["language"] = language
            comments["language"] = "guessed from the text's words"
            self.note(None, f"language '{language}' guessed from the text's words")
        event["rooms"] = [{"id": "main", "name": "Main room"}]
        comments["rooms"] = "the text names no room"
        return event, comments

    def event_title(self, comments: dict[str, str]) -> str:
        if self.options.title:
            return self.options.title
        lines = [line for line in self.event_lines if line.kind in ("text", "dates")]
        title, where = None, None
        for line in lines:
            if title is None:
                found = event_dates(line.clean)
                title = _remove(line.clean, [found[3]]) if found else line.clean
                title, where = title or None, line.number
                if title:
                    continue
            self.warn(
                line.number,
                f"not imported: '{_shorten(line.clean, 60)}' (text above the "
                "programme; add it to event.yaml by hand if it matters)",
            )
        how = f"line {where}"
        if not title:
            title, how = self.series_title()
        if not title and self.days and self.days[0].title:
            title, how = self.days[0].title, f"the first day's heading (line {self.days[0].line})"
        if not title:
            stem = re.sub(r"[-_]+", " ", Path(self.source).stem).strip()
            title, how = (stem[:1].upper() + stem[1:]) or "Untitled event", "the file name"
        comments["title"] = f"from {how}; --title sets another"
        self.note(where, f"event title '{title}' taken from {how} (--title sets another)")
        return title

    def series_title(self) -> tuple[str | None, str]:
        """'MLIR Winter School, Day 1..4' -> 'MLIR Winter School', completed from the file name."""
        series = {
            d.heading.series for d in self.days if d.heading and d.heading.day_number is not None
        }
        if len(series) != 1 or None in series:
            return None, ""
        name = series.pop()
        assert name is not None
        words = name.split()
        stem = [w for w in re.split(r"[-_\s.]+", Path(self.source).stem) if w]
        if [w.casefold() for w in stem[: len(words)]] == [w.casefold() for w in words]:
            extra = stem[len(words) :]
            if extra:
                return " ".join([*words, *extra]), "the day headings and the file name"
        return name, "the day headings"

    def language(self) -> str:
        text = " ".join(fold(line.clean) for line in self.lines)
        french = len(
            re.findall(
                r"\b(?:et|de|des|du|le|la|les|pour|avec|sur|une|pause|accueil"
                r"|dejeuner|diner|" + "|".join(_FRENCH_DATE_WORDS) + r")\b",
                text,
            )
        )
        english = len(
            re.findall(
                r"\b(?:and|of|the|for|with|to|on|is|break|lunch|dinner|coffee"
                r"|monday|tuesday|wednesday|thursday|friday)\b",
                text,
            )
        )
        return "fr" if french > english else "en"


# == helpers ==============================================================================


def sort_name(name: str) -> str:
    """'Ada King Lovelace' -> 'Lovelace, Ada King'; 'Ludwig van Beethoven' -> 'van Beethoven,
    Ludwig'."""
    tokens = name.split()
    if len(tokens) < 2:
        return name
    i = len(tokens) - 1
    while i > 1 and tokens[i - 1].casefold() in _PARTICLES:
        i -= 1
    return f"{' '.join(tokens[i:])}, {' '.join(tokens[:i])}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _titleish(text: str) -> bool:
    return len(text) <= 150 and len(text.split()) <= 20 and not text.endswith(".")


def _paragraphs(lines: list[tuple[int, str, bool]]) -> str | None:
    """Abstract lines -> Markdown paragraphs. Blank lines separate paragraphs when the text
    has them; otherwise each long line is a paragraph and hard-wrapped lines are joined."""
    if not lines:
        return None
    groups: list[list[str]] = []
    for _, text, blank_before in lines:
        if blank_before or not groups:
            groups.append([])
        groups[-1].append(text)
    paragraphs: list[str] = []
    for group in groups:
        wrapped = len(group) > 1 and max(len(t) for t in group[:-1]) <= 100
        paragraphs.extend(["\n".join(group)] if wrapped else group)
    return "\n\n".join(paragraphs)


def _span_text(item: _Item) -> str:
    if item.start is None:
        return "untimed"
    return _hhmm(item.start) + (f"-{_hhmm(item.end)}" if item.end is not None else "")


def _time(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def _next_date(after: dt.date, weekday: int | None) -> dt.date:
    date = after + dt.timedelta(days=1)
    while weekday is not None and date.weekday() != weekday:
        date += dt.timedelta(days=1)
    return date


def _weekday_name(weekday: int) -> str:
    return ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[weekday]
