"""The programme -> door signs: one landscape page per room per day (PDF bytes, ReportLab).

A sign says which room this is (the largest type on the page), the day and date, and the
day's items in that room: start time, title, speakers; breaks and meals on a tinted band.
Items of every room (a plenary welcome, lunch) appear on every room's sign; a room gets a
sign on a day only if something other than a break or meal happens in it. With a website in
event.yaml, a QR code in the corner links to it.

The header keeps its size; the items take the rest of the page at the largest type that
fits, in one column, or in two or three when one would be small and more columns make the
type clearly larger. Type shrinks until everything fits and never runs off the page. Text
goes through `render.text` (the booklet's Source Sans 3 and Source Serif 4, font fallback,
bidi), so a character no font has is left out and reported, never drawn as a box.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from booklet import fonts, i18n, model, output, paper, qr
from booklet.dates import day_month_year
from booklet.errors import BookletError, ContentError, Diagnostic, Location
from booklet.fonts import describe_char
from booklet.render import text as T

MM = 72 / 25.4
# The booklet's colours (styles/booklet.css), so signs and booklet look like one event.
INK = "#1d232b"
MUTED = "#5d6670"
ACCENT = "#1f4e79"
PAUSE = "#f1eee8"
RULE = "#c9ced4"
CAP = 0.66  # cap height of Source Sans 3 per point of size: text is placed by its caps
DESCENT = 0.24
LEADING = 1.12  # line distance per point of size inside a wrapped title
SERIF_SEMIBOLD: T.Style = ("serif", 600, False)

# Item type at full size on A4, in points. A 30 pt title has 7 mm capitals, comfortably
# read from three metres; the room name's 26 mm capitals read from across a corridor.
TIME, END, TITLE, META, PAUSE_SIZE = 30.0, 17.0, 30.0, 20.0, 22.0
ROOM_MAX, ROOM_MIN = 112.0, 56.0
TWO_COLUMNS_BELOW = 0.75  # of full size, in one column
SMALL_WARNING = 16.0  # titles smaller than this (on A4) are hard to read from 3 m
# Kinds the line under a title names.
NAMED_KINDS = ("keynote", "tutorial", "social")


@dataclass(frozen=True)
class Sign:
    room: model.Room
    day: model.Day
    items: tuple[model.Item, ...]
    title_size: float = 0.0  # the size the titles were set at
    columns: int = 1


@dataclass
class Rendered:
    pdf: bytes
    signs: list[Sign]
    page_size: str
    diagnostics: list[Diagnostic]


def signs_for(programme: model.Programme) -> list[Sign]:
    """(room, day, items) for every room with something of its own on a day, other than a
    pause. An item for every room is every room's own only in a one-room event: a plenary
    break or reception does not give each room of a conference a sign."""
    out = []
    one_room = len(programme.rooms) == 1
    for day in programme.days:
        for room in programme.rooms:
            # A poster session is one row: its first board stands for all of its posters.
            posters = {i.id for s in day.sessions if s.is_poster_session for i in s.items[1:]}
            items = tuple(i for i in day.items if room in i.rooms and i.id not in posters)
            own = [i for i in items if one_room or not i.all_rooms]
            if any(not i.is_pause for i in own):
                out.append(Sign(room, day, items))
    return out


def _colour(hex_colour: str):
    from reportlab.lib.colors import HexColor

    return HexColor(hex_colour)


def _session_line(session: model.Session) -> str:
    """What a sign says of the session a row opens: its title, its chairs."""
    return " \u00b7 ".join(part for part in (session.title, session.chairs_line) if part)


def _meta(item: model.Item, room: model.Room, lang: i18n.Language) -> str:
    """The line under a title: kind, speakers, the other rooms it is shown in."""
    parts = []
    if item.kind in NAMED_KINDS:
        parts.append(lang.kind_name(item.kind))
    if item.speakers and item.title:  # untitled items already lead with the speakers
        parts.append(lang.join_names([p.name for p in item.speakers]))
    others = [r.name for r in item.rooms if r != room]
    if others and not item.all_rooms:
        parts.append(lang.gettext("also in {rooms}").format(rooms=lang.join_names(others)))
    return " \u00b7 ".join(parts)


@dataclass
class _Row:
    """One item laid out at one scale: its lines and its height."""

    item: model.Item
    pause: bool
    time: T.Line
    end: T.Line | None
    title: list[T.Line]
    meta: list[T.Line]
    sizes: tuple[float, float, float, float]  # time, end, title, meta
    height: float


class _Design:
    """Sizes and positions of one page size, in points, origin at the bottom left."""

    def __init__(self, page_size: str, website: str | None):
        self.w, self.h = paper.paper(page_size).landscape_pt
        a4_w, a4_h = paper.PAPERS["A4"].landscape_pt
        self.u = u = min(self.w / a4_w, self.h / a4_h)
        self.margin = 13 * MM * u
        self.content_w = self.w - 2 * self.margin
        self.event_size = 13 * u
        self.day_size, self.date_size, self.label_size = 34 * u, 22 * u, 16 * u
        self.room_max, self.room_min = ROOM_MAX * u, ROOM_MIN * u
        self.details_size = 17 * u
        self.qr = 33 * MM * u if website else 0.0
        self.website = website
        self.gap = 6 * MM * u  # between columns and header parts
        self.rule = 2.2 * u


class _Page:
    """One sign being drawn on the canvas."""

    def __init__(self, canvas, design: _Design, programme: model.Programme, report: _Report):
        self.c, self.d, self.programme, self.report = canvas, design, programme, report
        self.lang = i18n.language_of(programme.event)
        # The time column fits the widest time the language writes ('00:00', '12:00 PM').
        widest = [self.lang.time(dt.time(0, 0))]
        if widest[0] != "00:00":
            widest += [self.lang.time(dt.time(h, 0)) for h in (10, 12, 22)]
        self.time_width = max(T.line(t, T.BOLD).width for t in widest)

    def text(self, ln: T.Line, x, y, size, colour, align="left", tracking=0.0) -> float:
        self.c.setFillColor(_colour(colour))
        return T.draw(self.c, ln, x, y, size, align, tracking)

    def line(self, text: str, style: T.Style, whose: str) -> T.Line:
        ln = T.line(text, style)
        self.report.check(ln, whose)
        return ln

    # -- header ----------------------------------------------------------------------------
    def header(self, sign: Sign) -> float:
        """Event line, room name, day and QR code; returns the y the items start below.

        Drawn in reading order (event, room, day, QR caption), the order text extraction
        and screen readers follow; the day block is measured first to know the room's width.
        """
        d = self.d
        top, right = d.h - d.margin, d.w - d.margin
        qr_x = right - d.qr
        if d.qr:
            right -= d.qr + d.gap
        block_w, _ = self.day_block(sign.day, right, top, draw=False)
        bottoms = [self.room_block(sign.room, d.margin, top, right - block_w - d.gap)]
        bottoms.append(self.day_block(sign.day, right, top)[1])
        if d.qr:
            bottoms.append(self.qr_code(qr_x, top - d.qr, d.qr))
        bottom = min(bottoms) - 3 * MM * d.u
        self.c.setFillColor(_colour(ACCENT))
        self.c.rect(d.margin, bottom - d.rule, d.content_w, d.rule, stroke=0, fill=1)
        return bottom - d.rule - 5 * MM * d.u

    def day_block(
        self, day: model.Day, right: float, top: float, draw: bool = True
    ) -> tuple[float, float]:
        """Weekday, date and the day's title, right-aligned; returns their width and bottom."""
        d = self.d
        text = self.text if draw else lambda *args, **kwargs: 0.0
        weekday = self.line(self.lang.weekday(day.date), T.BOLD, "the weekday")
        date = self.line(self.lang.day_month_year(day.date), T.SEMIBOLD, "the date")
        width = max(weekday.width * d.day_size, date.width * d.date_size)
        y = top - CAP * d.day_size
        text(weekday, right, y, d.day_size, ACCENT, "right")
        y -= (DESCENT + 0.25) * d.day_size + CAP * d.date_size
        text(date, right, y, d.date_size, INK, "right")
        y -= DESCENT * d.date_size
        if day.title:
            # The day's title may be longer than the date: up to a third of the width, on
            # two lines if need be, a little smaller rather than cut.
            self.report.check(T.line(day.title, T.REGULAR), f"the title of {day.date}")
            room_for = max(width, 0.3 * d.content_w)
            label = T.fit(day.title, T.REGULAR, room_for, d.label_size, 0.85 * d.label_size, 2)
            y -= 0.35 * label.size
            for i, ln in enumerate(label.lines):
                y -= LEADING * label.size if i else CAP * label.size
                text(ln, right, y, label.size, MUTED, "right")
            y -= DESCENT * label.size
            width = max(width, label.width)
        return width, y

    def room_block(self, room: model.Room, x: float, top: float, width: float) -> float:
        """Event line, room name (as large as fits, on two lines if it must), where it is;
        returns the bottom."""
        d, event = self.d, self.programme.event
        name = " \u00b7 ".join(p for p in (event.title, event.city) if p).upper()
        tracking = 0.12 * d.event_size  # spaced capitals read as a label, as in the booklet
        ev = T.ellipsize(name, T.SEMIBOLD, d.event_size, width - tracking * len(name))
        self.report.check(ev, "the event's title")
        y = top - CAP * d.event_size
        self.text(ev, x, y, d.event_size, ACCENT, tracking=tracking)
        y -= DESCENT * d.event_size + 0.35 * d.room_max
        self.report.check(
            T.line(room.name, SERIF_SEMIBOLD), f"room {room.id}'s name", f"room:{room.id}"
        )
        block = T.fit(room.name, SERIF_SEMIBOLD, width, d.room_max, d.room_min, 2)
        for i, ln in enumerate(block.lines):
            y -= 1.0 * block.size if i else CAP * block.size
            # Big type looks indented by its side bearing: pull it back to the margin.
            self.text(ln, x - 0.04 * block.size, y, block.size, INK)
        y -= DESCENT * block.size
        details = [p for p in (_where(room, self.lang), _capacity(room, self.lang)) if p]
        if details:
            ln = T.ellipsize(" \u00b7 ".join(details), T.REGULAR, d.details_size, width)
            y -= 0.35 * d.details_size + CAP * d.details_size
            self.text(ln, x, y, d.details_size, MUTED)
            y -= DESCENT * d.details_size
        return y

    def qr_code(self, x: float, y: float, size: float) -> float:
        """The website as a QR code (vector squares), its address under it; returns the
        bottom."""
        d = self.d
        modules = qr.matrix(d.website)
        n = len(modules)
        cell = size / n
        c = self.c
        c.setFillColor(_colour("#000000"))  # pure black: the best contrast for scanners
        path = c.beginPath()
        for r, row in enumerate(modules):
            col = 0
            while col < n:  # one rectangle per run of dark modules: smaller, no hairlines
                if not row[col]:
                    col += 1
                    continue
                start = col
                while col < n and row[col]:
                    col += 1
                path.rect(x + start * cell, y + (n - 1 - r) * cell, (col - start) * cell, cell)
        c.drawPath(path, stroke=0, fill=1)
        host = d.website.split("://", 1)[-1].rstrip("/")
        small = 9 * d.u
        caption = T.ellipsize(host, T.REGULAR, small, size + 8 * MM * d.u)
        self.text(caption, x + size / 2, y - (0.5 + CAP) * small, small, MUTED, "center")
        return y - (0.5 + CAP + DESCENT) * small

    # -- items -----------------------------------------------------------------------------
    def rows(self, sign: Sign, width: float, scale: float) -> list[_Row]:
        """The sign's items laid out in a column `width` wide, type at `scale` of full size."""
        d = self.d
        u = d.u * scale
        time_size, end_size, title_size, meta_size = TIME * u, END * u, TITLE * u, META * u
        time_w = self.time_width * time_size + 0.5 * title_size
        text_w = width - time_w
        out = []
        previous: str | None = None
        for item in sign.items:
            session = self.programme.session(item.session)
            opens = session is not None and item.session != previous
            previous = item.session
            time = T.line(self.lang.time(item.start), T.BOLD)
            if item.is_pause:
                size = PAUSE_SIZE * u
                title = item.display_title
                if item.end:
                    until = self.lang.gettext("{title} until {time}")
                    title = until.format(title=title, time=self.lang.time(item.end))
                lines = T.wrap(title, T.ITALIC, size, text_w)
                height = (CAP + DESCENT + LEADING * (len(lines) - 1)) * size + 0.9 * size
                out.append(_Row(item, True, time, None, lines, [], (size, 0, size, 0), height))
                continue
            end = T.line(f"\u2013{self.lang.time(item.end)}", T.REGULAR) if item.end else None
            title_text = item.display_title
            meta_text = _meta(item, sign.room, self.lang)
            if session is not None and session.is_poster_session:
                count = len(session.items)
                posters = self.lang.ngettext("%(num)d poster", "%(num)d posters", count)
                title_text = f"{session.title}: " + posters % {"num": count}
                meta_text = session.chairs_line
            elif opens:  # the first row of a session names it and its chairs
                meta_text = " \u00b7 ".join(t for t in (_session_line(session), meta_text) if t)
            lines = T.wrap(title_text, T.SEMIBOLD, title_size, text_w)
            meta = T.wrap(meta_text, T.REGULAR, meta_size, text_w) if meta_text else []
            text_h = (CAP + DESCENT + LEADING * (len(lines) - 1)) * title_size
            if meta:
                text_h += (0.35 + CAP + DESCENT + LEADING * (len(meta) - 1)) * meta_size
            time_h = (CAP + DESCENT) * time_size
            if end:
                time_h += (0.3 + CAP + DESCENT) * end_size
            height = max(text_h, time_h) + 0.9 * title_size  # rows are padded above and below
            sizes = (time_size, end_size, title_size, meta_size)
            out.append(_Row(item, False, time, end, lines, meta, sizes, height))
        return out

    def layout(self, sign: Sign, top: float) -> tuple[float, int, list[list[_Row]]]:
        """The largest scale (at most 1) and the columns at which the items fit."""
        height = top - self.d.margin
        best: tuple[float, int, list[list[_Row]]] | None = None
        for columns in (1, 2, 3)[: len(sign.items)]:
            found = self.attempt(sign, columns, height, 1.0)
            lo, hi = 0.0, 1.0
            for _ in range(10 if found is None else 0):  # bisection, to 1/1000 of full size
                middle = (lo + hi) / 2
                tried = self.attempt(sign, columns, height, middle)
                if tried is None:
                    hi = middle
                else:
                    lo, found = middle, tried
            if found is None:  # only when the header fills the page: draw tiny, below it
                found = self.attempt(sign, columns, float("inf"), hi)
            # One column reads more easily: more only when fewer would make the type small and
            # more make it clearly larger.
            if best is None or (best[0] < TWO_COLUMNS_BELOW and found[0] > 1.2 * best[0]):
                best = found
        assert best is not None
        return best

    def attempt(self, sign: Sign, columns: int, height: float, scale: float):
        """(scale, columns, rows per column) if the items fit `height` at `scale`, else None."""
        width = (self.d.content_w - (columns - 1) * self.d.gap) / columns
        cols = self.split(self.rows(sign, width, scale), columns)
        fits = max(sum(r.height for r in col) for col in cols) <= height
        return (scale, columns, cols) if fits else None

    @staticmethod
    def split(rows: list[_Row], columns: int) -> list[list[_Row]]:
        """Rows cut into at most `columns` runs in time order, the tallest as short as can be.

        Tries every cut: a day has tens of items and a sign three columns at most.
        """
        if columns == 1 or len(rows) < 2:
            return [rows]
        ends = list(itertools.accumulate((r.height for r in rows), initial=0.0))

        def best(start: int, columns: int) -> tuple[float, list[int]]:
            """The tallest column and the cuts, for rows[start:] in `columns` runs."""
            if columns == 1 or len(rows) - start < 2:
                return ends[-1] - ends[start], []
            found: tuple[float, list[int]] | None = None
            for k in range(start + 1, len(rows)):
                tallest, cuts = best(k, columns - 1)
                tallest = max(ends[k] - ends[start], tallest)
                if found is None or tallest < found[0] - 1e-9:
                    found = (tallest, [k, *cuts])
            assert found is not None
            return found

        bounds = [0, *best(0, columns)[1], len(rows)]
        return [rows[a:b] for a, b in itertools.pairwise(bounds)]

    def items(self, sign: Sign, top: float) -> Sign:
        d = self.d
        scale, columns, cols = self.layout(sign, top)
        width = (d.content_w - (columns - 1) * d.gap) / columns
        for k, col in enumerate(cols):
            x = d.margin + k * (width + d.gap)
            y = top
            for i, row in enumerate(col):
                ruled = i > 0 and not col[i - 1].pause  # a band needs no rule under it
                self.row(row, x, y, width, ruled)
                y -= row.height
        return Sign(sign.room, sign.day, sign.items, TITLE * d.u * scale, columns)

    def row(self, row: _Row, x: float, top: float, width: float, ruled: bool) -> None:
        c = self.c
        time_size, end_size, title_size, meta_size = row.sizes
        pad = 0.45 * title_size
        where = f"'{row.item.display_title}'"
        if row.pause:
            c.setFillColor(_colour(PAUSE))
            c.rect(x, top - row.height, width, row.height, stroke=0, fill=1)
        elif ruled:
            c.setStrokeColor(_colour(RULE))
            c.setLineWidth(0.8 * self.d.u)
            c.line(x, top, x + width, top)
        time_w = self.time_width * time_size + 0.5 * title_size
        inset = 0.25 * title_size if row.pause else 0.0
        y = top - pad - CAP * title_size
        self.text(row.time, x + inset, y, time_size, MUTED if row.pause else ACCENT)
        if row.end is not None:
            end_y = y - DESCENT * time_size - (0.3 + CAP) * end_size
            self.text(row.end, x + inset, end_y, end_size, MUTED)
        tx = x + time_w
        for i, ln in enumerate(row.title):
            if i:
                y -= LEADING * title_size
            self.report.check(ln, f"the title of {where}", f"item:{row.item.id}")
            self.text(ln, tx, y, title_size, MUTED if row.pause else INK)
        if row.meta:
            y -= DESCENT * title_size + (0.35 + CAP) * meta_size
            for i, ln in enumerate(row.meta):
                if i:
                    y -= LEADING * meta_size
                self.report.check(ln, f"the speakers of {where}", f"item:{row.item.id}")
                self.text(ln, tx, y, meta_size, MUTED)


def _where(room: model.Room, lang: i18n.Language) -> str:
    parts = []
    if room.building:
        parts.append(lang.gettext("Building {building}").format(building=room.building))
    if room.floor:
        parts.append(lang.gettext("Floor {floor}").format(floor=room.floor))
    return ", ".join(parts)


def _capacity(room: model.Room, lang: i18n.Language) -> str:
    if not room.capacity:
        return ""
    return lang.ngettext("{n} seat", "{n} seats", room.capacity).format(n=room.capacity)


def located(programme: model.Programme, about: str | None) -> tuple[Location, str]:
    """The content file, line and column of an item or room ("item:<id>", "room:<id>"),
    and its key path; the signs as a whole when it is not known."""
    found = programme.location(about) if about else None
    if found is None:
        return Location(None), "signs"
    location, where = found
    return location, f"{where}: signs"


class _Report:
    """Warnings about characters no font has, once per text."""

    def __init__(self, programme: model.Programme) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.seen: set[tuple[str, str]] = set()
        self.programme = programme

    def check(self, ln: T.Line, whose: str, about: str | None = None) -> None:
        """`about`: "item:<id>" or "room:<id>", whose place in the content the warning
        names."""
        if ln.missing and (whose, ln.text) not in self.seen:
            self.seen.add((whose, ln.text))
            chars = ", ".join(describe_char(ch) for ch in ln.missing)
            location, where = located(self.programme, about)
            self.diagnostics.append(
                Diagnostic(
                    location,
                    where,
                    f"no font has {chars} in {whose}",
                    "it is left out of the door signs; add a font that has it to fonts/",
                    "warning",
                )
            )


def render_signs(
    programme: model.Programme,
    page_size: str | None = None,
    step: Callable[[int, int], None] | None = None,
) -> Rendered:
    """Draw every door sign; `page_size` defaults to the event's `signs.page_size`."""
    from reportlab.pdfgen.canvas import Canvas

    wanted = page_size or programme.event.signs.page_size
    found = paper.find(wanted, paper.SIGN_SIZES)
    if found is None:
        raise BookletError(
            f"unknown page size {wanted!r} for door signs", "use " + ", ".join(paper.SIGN_SIZES)
        )
    size = found.name
    design = _Design(size, programme.event.website)
    event = programme.event
    buffer = io.BytesIO()
    # invariant: no creation date or random document id, so equal input gives equal bytes.
    canvas = Canvas(
        buffer,
        pagesize=(design.w, design.h),
        invariant=1,
        pageCompression=1,
        lang=event.language,
        # ReportLab starts every page in Helvetica, which it never embeds: a print shop's
        # font check would flag it even though no text uses it.
        initialFontName=fonts.reportlab_name(fonts.chain(*T.REGULAR)[0]),
    )
    lang = i18n.language_of(event)
    canvas.setTitle(lang.gettext("Door signs: {title}").format(title=event.title))
    canvas.setAuthor(", ".join(event.organizers) or event.title)
    canvas.setCreator("booklet")
    report = _Report(programme)
    done = []
    signs = signs_for(programme)
    for n, sign in enumerate(signs):
        page = _Page(canvas, design, programme, report)
        top = page.header(sign)
        done.append(page.items(sign, top))
        key = f"sign{n}"
        canvas.bookmarkPage(key)
        day = f"{sign.day.date:%a %d %b}" if lang.house else lang.short_date(sign.day.date)
        canvas.addOutlineEntry(f"{sign.room.name}, {day}", key)
        canvas.showPage()
        if step is not None:
            step(n + 1, len(signs))
    report.diagnostics.extend(_small_titles(programme, done, size, design.u))
    T.save_binary(canvas)
    return Rendered(buffer.getvalue(), done, size, report.diagnostics)


# More door signs than this with small titles are one warning: a big conference's forty
# signs would otherwise each repeat the same advice.
SMALL_NAMED = 3


def _small_titles(programme: model.Programme, signs: list, size: str, u: float) -> list[Diagnostic]:
    """The warnings for signs whose titles had to shrink below what reads from 3 m."""
    small = [sign for sign in signs if sign.title_size < SMALL_WARNING * u]
    hint = (
        "print them on A3: signs: {page_size: A3} in event.yaml"
        if size != "A3"
        else "shorten the titles"
    )

    def warning(what: str, sign=None) -> Diagnostic:
        location, where = located(programme, f"room:{sign.room.id}" if sign else None)
        return Diagnostic(location, where, what, hint, "warning")

    if len(small) > SMALL_NAMED:
        smallest = min(small, key=lambda sign: sign.title_size)
        sizes = sorted({f"{sign.title_size:.0f}" for sign in small}, key=int)
        return [
            warning(
                f"{len(small)} of the {len(signs)} door signs need titles of "
                + (f"{sizes[0]} to {sizes[-1]}" if len(sizes) > 1 else sizes[0])
                + " pt to fit their items, small to read from three metres; the smallest: "
                f"{smallest.room.name} on {day_month_year(smallest.day.date)}, "
                f"{len(smallest.items)} items at {smallest.title_size:.0f} pt",
                smallest,
            )
        ]
    return [
        warning(
            f"{len(sign.items)} items on the sign of {sign.room.name} on "
            f"{day_month_year(sign.day.date)} need titles of {sign.title_size:.0f} pt, "
            "small to read from three metres",
            sign,
        )
        for sign in small
    ]


def no_signs_warning() -> Diagnostic:
    """Said when no room has anything scheduled, and no signs are written."""
    return Diagnostic(
        Location(None),
        "signs",
        "no room has anything scheduled: no door signs written",
        "give items a room (rooms are defined in event.yaml)",
        "warning",
    )


def make_signs(
    programme: model.Programme,
    out_path: Path,
    page_size: str | None = None,
    *,
    strict: bool = False,
    step: Callable[[int, int], None] | None = None,
) -> tuple[Rendered | None, list[Diagnostic]]:
    """Render the door signs and write them to `out_path`; returns them and the warnings.

    A programme where no room has anything scheduled writes nothing (and says so). With
    `strict`, warnings become errors and nothing is written.
    """
    if not signs_for(programme):
        return None, [no_signs_warning()]
    rendered = render_signs(programme, page_size, step)
    if strict and rendered.diagnostics:
        raise ContentError(
            diagnostics=[
                Diagnostic(d.location, d.where, d.what, d.hint, "error")
                for d in rendered.diagnostics
            ]
        )
    output.write_bytes(Path(out_path), rendered.pdf)
    return rendered, rendered.diagnostics


def build_signs(
    programme: model.Programme,
    out_path: Path,
    page_size: str | None = None,
    step: Callable[[int, int], None] | None = None,
) -> list[Diagnostic]:
    """Render the door signs and write them to `out_path`; returns the warnings.
    `step(done, total)` is told each sign drawn."""
    return make_signs(programme, out_path, page_size, step=step)[1]
