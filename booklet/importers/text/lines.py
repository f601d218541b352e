"""One repaired line on its own -> a `Line` of one class: blank, day heading, session
heading, chair line, timed line, event dates or plain text, with what it holds (the heading,
the time span, the text without its time, the chairs, a room named in a table's cell).

A row of a table copied as text (`| 20:00 - 22:30 | Keynote and concert | Fuerstensaal |`, or
one cell a line, `Lunch (S022-S023) |`) is read as its cells: a time, a title, a room.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from booklet.importers.text.dates import DayHeading, event_dates, parse_heading
from booklet.importers.text.kinds import word_kind
from booklet.importers.text.names import chairs_from
from booklet.importers.text.rooms import is_room
from booklet.importers.text.tidy import mask_spans, tidy
from booklet.importers.text.times import TimeSpan, find_time

_SESSION = re.compile(
    r"^(?P<label>(?:session|séance|seance|track|sitzung)(?:\s+(?:\d+|[IVX]+|[A-Z])\b)?)\s*(?P<rest>[:(–—-].*|$)",
    re.I,
)
_CHAIR = re.compile(
    r"(?:^|(?<=[\s(:,;–—-]))(?:chairs?|chaired by|chairman|chairwoman|chairperson|moderators?"
    r"|moderated by|présidente?(?: de séance)?|modérat(?:eur|rice)s?|moderation|modération"
    r"|vorsitz|sitzungsleitung)\s*:?\s*(?P<who>[^()]+?)"
    r"\)?\s*$",
    re.I,
)
# What is left of a web page's links: "Title (slides)", "Name (video)".
_LINK_LABEL = re.compile(
    r"\s*[(\[](?:slides?|video|pdf|paper|abstract|recording|preprint|link)[)\]]", re.I
)
_MARKUP = re.compile(r"^(?:#{1,6}\s+|[-*•·▪◦]\s+|>\s*)")


@dataclass
class Line:
    number: int
    text: str  # as repaired, for abstracts
    clean: str  # without Markdown heading marks, bullets or bold, for everything else
    kind: str  # blank, day, session, chair, timed, dates, text
    heading: DayHeading | None = None
    span: TimeSpan | None = None
    rest: str = ""  # the line without its time
    chairs: list[tuple[str, str | None]] = field(default_factory=list)
    room: str | None = None  # a table's cell beside the title


def _table_row(clean: str, mil_style: bool) -> tuple[str, str | None]:
    """'| 20:00 - 22:30 | Keynote | Hall A |' -> ('20:00 - 22:30 Keynote', 'Hall A')."""
    cells = [c.strip() for c in clean.strip("|").split("|")]
    cells = [c for c in cells if c]
    times = []
    for cell in cells:
        span = find_time(cell, mil_style=mil_style)
        if span and span.begin == 0 and not cell[span.finish :].strip(" :"):
            times.append(cell)
    others = [c for c in cells if c not in times]
    room = None
    # Two cells beside the time: the title and, short and naming no kind of item, its room.
    if len(others) == 2:
        rooms = [c for c in others if is_room(c)]
        if len(rooms) == 1:  # "| 10:00 | HH courtyard | Registration |"
            room, others = rooms[0], [c for c in others if c != rooms[0]]
        else:
            title, other = sorted(others, key=len, reverse=True)
            if len(other.split()) <= 4 and word_kind(other) is None and not find_time(other):
                others, room = [title], other
    return " ".join([*times, " | ".join(others)]).strip(), room


def classify(number: int, text: str, *, mil_style: bool) -> Line:
    """One line on its own -> a `Line` of one kind."""
    clean = _MARKUP.sub("", text).replace("**", "").replace("__", "").strip()
    clean = _LINK_LABEL.sub("", clean)
    room = None
    if clean.startswith("|") or clean.endswith("|"):
        clean, room = _table_row(clean, mil_style)
    line = Line(number, text, clean, "text", room=room)
    if not clean:
        line.kind = "blank"
        return line
    session = _SESSION.match(clean)
    if session and (session["rest"] or re.search(r"\d|[IVX]$", session["label"])):
        line.kind = "session"
        rest = session["rest"]
        chair = _CHAIR.search(rest)
        if chair:
            line.chairs = chairs_from(chair["who"])
            rest = rest[: chair.start()]
        line.span = find_time(rest, mil_style=mil_style)
        if line.span:
            rest = rest[: line.span.begin] + rest[line.span.finish :]
        topic = tidy(rest.rstrip(" ("))
        line.rest = session["label"] + (f": {topic}" if topic else "")
        return line
    chair = _CHAIR.match(clean)
    opening = ("chair", "moderat", "présid", "modérat", "vorsitz", "sitzungsleitung")
    if chair and clean.split()[0].casefold().startswith(opening):
        line.kind = "chair"
        line.chairs = chairs_from(chair["who"])
        return line
    heading = parse_heading(clean)
    masked = mask_spans(clean, heading.spans) if heading else clean
    span = find_time(masked, mil_style=mil_style)
    if span:
        line.kind = "timed"
        line.span = span
        line.rest = tidy(clean[: span.begin] + " " + clean[span.finish :])
        return line
    if heading:
        line.kind = "day"
        line.heading = heading
        return line
    if event_dates(clean):
        line.kind = "dates"
    return line
