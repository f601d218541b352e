"""A day's items -> a table of time rows by room columns (no I/O, no HTML).

Rows run between consecutive start times of the day; an item spans the rows from its
start to the last one starting before its end, and the columns of its rooms (an item for
every room spans the width). An open-ended item ("Dinner at 19:00") fills one row. Items
that share a cell - an opening word at 10:00 before the 10:00 talk, or two items that
overlap by mistake - are stacked in that cell rather than dropped.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
from dataclasses import dataclass, field

from booklet import model


@dataclass
class Cell:
    row: int
    col: int
    rowspan: int
    colspan: int
    items: list[model.Item] = field(default_factory=list)
    spans_all: bool = False  # a plenary item across every room column
    before_gap: bool = False  # an item of it ends before the next row starts: show its end

    @property
    def empty(self) -> bool:
        return not self.items

    @property
    def is_pause(self) -> bool:
        return bool(self.items) and all(i.is_pause for i in self.items)


@dataclass
class Row:
    start: int  # minutes after midnight
    end: int | None  # None: open-ended row at the end of the day
    cells: list[Cell] = field(default_factory=list)  # cells starting in this row, by column

    @property
    def label(self) -> str:
        return f"{self.start // 60:02d}:{self.start % 60:02d}"


@dataclass
class Grid:
    day: model.Day
    rooms: list[model.Room]
    rows: list[Row]
    part: int = 1  # a day with more rooms than fit across a page gets several grids
    parts: int = 1

    @property
    def anchor(self) -> str:
        return f"grid-{self.day.date}" + (f"-{self.part}" if self.part > 1 else "")

    @property
    def cells(self) -> list[Cell]:
        return [c for r in self.rows for c in r.cells]


def day_rooms(day: model.Day, rooms: tuple[model.Room, ...]) -> list[model.Room]:
    """The columns of a day: rooms with an item of their own that day, in event order."""
    used = {r.id for i in day.items if not i.all_rooms for r in i.rooms}
    columns = [r for r in rooms if r.id in used]
    if not columns:
        return list(rooms[:1]) if rooms else []
    return columns


def _column_runs(cols: list[int]) -> list[tuple[int, int]]:
    """[0, 1, 3] -> [(0, 2), (3, 1)]: contiguous runs as (first, length)."""
    runs: list[tuple[int, int]] = []
    for c in sorted(cols):
        if runs and runs[-1][0] + runs[-1][1] == c:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((c, 1))
    return runs


def build_grids(day: model.Day, rooms: tuple[model.Room, ...], max_columns: int) -> list[Grid]:
    """The day's grids: one, or one per group of at most `max_columns` rooms (balanced:
    8 rooms at 4 a page make 4 + 4, 7 make 4 + 3). Items for every room appear in each."""
    columns = day_rooms(day, rooms)
    parts = max(1, -(-len(columns) // max(1, max_columns)))
    size = -(-len(columns) // parts) if columns else 0
    groups = [columns[k * size : (k + 1) * size] for k in range(parts)] if columns else [[]]
    grids = []
    for number, group in enumerate(groups, 1):
        ids = {r.id for r in group}
        items = tuple(
            i for i in day.items if i.all_rooms or not i.rooms or ids & {r.id for r in i.rooms}
        )
        grid = build_grid(dataclasses.replace(day, items=items), rooms, columns=group)
        grid.day, grid.part, grid.parts = day, number, parts
        grids.append(grid)
    return grids


def build_grid(
    day: model.Day, rooms: tuple[model.Room, ...], columns: list[model.Room] | None = None
) -> Grid:
    columns = day_rooms(day, rooms) if columns is None else columns
    ncols = max(1, len(columns))
    index = {r.id: k for k, r in enumerate(columns)}
    # A row per start time: a time at which only something ends would print a row with
    # nothing beginning in it, which reads as an untitled item (or, between a session's end
    # and a later item, as an empty slot). An item runs down to the row before the first
    # start at or after its end; its own end shows in its slot.
    starts = sorted({i.start_minutes for i in day.items})
    rows = [Row(a, b) for a, b in zip(starts, starts[1:], strict=False)]
    if starts:
        last = starts[-1]
        ends = [i.end_minutes for i in day.items if i.start_minutes == last]
        rows.append(Row(last, None if None in ends else max(ends)))
    else:
        rows.append(Row(0, None))
    row_of = {r.start: k for k, r in enumerate(rows)}
    # occupant[row][col] -> the cell covering it
    occupant: list[list[Cell | None]] = [[None] * ncols for _ in rows]

    timed = [i for i in day.items if i.end is not None]
    open_ended = [i for i in day.items if i.end is None]
    for item in timed + open_ended:
        first = row_of[item.start_minutes]
        last_row = first
        if item.end is not None:
            last_row = max(first, bisect.bisect_left(starts, item.end_minutes) - 1)
        if item.all_rooms or not item.rooms:
            cols = list(range(ncols))
        else:
            cols = [index[r.id] for r in item.rooms if r.id in index]
        for col0, width in _column_runs(cols):
            taken = [
                occupant[r][c]
                for r in range(first, last_row + 1)
                for c in range(col0, col0 + width)
                if occupant[r][c] is not None
            ]
            if taken:  # stack into the cell already there
                if item not in taken[0].items:
                    taken[0].items.append(item)
                continue
            cell = Cell(
                first,
                col0,
                last_row - first + 1,
                width,
                [item],
                spans_all=width == ncols and (ncols > 1 or item.all_rooms),
            )
            after = rows[last_row + 1].start if last_row + 1 < len(rows) else None
            cell.before_gap = bool(after and item.end_minutes and item.end_minutes < after)
            for r in range(first, last_row + 1):
                for c in range(col0, col0 + width):
                    occupant[r][c] = cell
            rows[first].cells.append(cell)
    # Fill the holes with empty cells so every row has its full width.
    for r, row in enumerate(rows):
        c = 0
        while c < ncols:
            if occupant[r][c] is None:
                width = 1
                while c + width < ncols and occupant[r][c + width] is None:
                    width += 1
                cell = Cell(r, c, 1, width)
                for k in range(c, c + width):
                    occupant[r][k] = cell
                row.cells.append(cell)
                c += width
            else:
                c += 1
        row.cells.sort(key=lambda cell: cell.col)
        for cell in row.cells:
            cell.items.sort(key=lambda i: (i.end is not None, i.start))
    return Grid(day, columns, rows)


# -- week at a glance ---------------------------------------------------------------------
#
# The week page draws every day side by side on one time axis. Nothing is dropped: items
# that overlap in a room (an open-ended "Opening words" at the start of the first talk, or
# two talks booked at once by mistake) share the room's column in lanes. Hours in which
# nothing happens on any day (between the afternoon and an evening reception) are cut out
# of the axis and drawn as a break. A week whose columns would be too narrow to read on one
# page (seven or more days, or many rooms) is laid out on two facing pages.


@dataclass(frozen=True)
class Block:
    """An item placed on the week page: vertical position and size in minutes of the
    (compressed) time axis from its top, horizontal position as a fraction of its day's
    column; `width_mm` is how wide it is drawn."""

    item: model.Item
    top: int
    height: int
    left: float
    width: float
    open_ended: bool
    width_mm: float = 0.0
    room: str | None = None  # the room's name, on the first item of a room in a shared column
    count: int = 1  # on a crowded day, one block stands for a session of `count` talks
    session: model.Session | None = None  # the programme's session the block stands for


@dataclass(frozen=True)
class Segment:
    """A stretch of the day's clock drawn on the axis: from `start` to `end` (minutes after
    midnight), at `top` minutes of the axis. Between two segments the axis has a break."""

    start: int
    end: int
    top: int

    @property
    def bottom(self) -> int:
        return self.top + self.end - self.start


@dataclass(frozen=True)
class WeekDay:
    day: model.Day
    # its columns: a room each, or rooms busy at different times sharing one
    columns: tuple[tuple[model.Room, ...], ...]
    blocks: tuple[Block, ...]
    left: float  # position and width on its page, as fractions of the columns' width
    width: float


@dataclass(frozen=True)
class WeekPage:
    days: tuple[WeekDay, ...]


@dataclass(frozen=True)
class Week:
    segments: tuple[Segment, ...]
    pages: tuple[WeekPage, ...]

    @property
    def days(self) -> tuple[WeekDay, ...]:
        return tuple(d for page in self.pages for d in page.days)

    @property
    def span(self) -> int:
        """The axis' length in minutes, breaks included."""
        return self.segments[-1].bottom if self.segments else 1

    @property
    def first(self) -> int:
        return self.segments[0].start if self.segments else 9 * 60

    @property
    def ticks(self) -> list[tuple[int, int]]:
        """(hour, its position on the axis) for each whole hour drawn, but the one a break
        ends at."""
        return [
            (h, s.top + h * 60 - s.start)
            for k, s in enumerate(self.segments)
            for h in range(-(-s.start // 60), s.end // 60 + 1)
            # an hour right under a break is named by the break's label
            if not (k and h * 60 == s.start)
        ]

    @property
    def gap(self) -> int:
        """How tall a break in the axis is drawn, in minutes."""
        return GAP_SHOWN

    @property
    def breaks(self) -> list[tuple[int, int, int]]:
        """(axis position, clock time before, clock time after) of each cut in the axis."""
        return [(b.top - GAP_SHOWN, a.end, b.start) for a, b in pairwise(self.segments)]

    def position(self, minute: int) -> int:
        """Where a clock time is on the axis (within or at the edge of a segment)."""
        for s in self.segments:
            if minute <= s.end:
                return s.top + max(0, minute - s.start)
        return self.span


def pairwise(seq):
    return zip(seq, seq[1:], strict=False)


OPEN_ENDED_MINUTES = 30  # how tall an item without an end is drawn, at most
GAP_HIDDEN = 45  # empty stretches longer than this (on every day) are cut out ...
GAP_SHOWN = 15  # ... and drawn as a break this many minutes tall
MIN_COLUMN_MM = 11.0  # a room column narrower than this cannot be read: use more pages


def _visual_end(item: model.Item, day: model.Day) -> int:
    """Where an item's block ends: its end, or for an open-ended item the next later start
    in one of its rooms, at most OPEN_ENDED_MINUTES after its own."""
    if item.end_minutes is not None:
        return max(item.end_minutes, item.start_minutes + 1)
    later = [
        o.start_minutes
        for o in day.items
        if o.start_minutes > item.start_minutes and _share_room(o, item)
    ]
    return item.start_minutes + min([OPEN_ENDED_MINUTES] + [m - item.start_minutes for m in later])


def _share_room(a: model.Item, b: model.Item) -> bool:
    if a.all_rooms or b.all_rooms or not a.rooms or not b.rooms:
        return True
    return bool({r.id for r in a.rooms} & {r.id for r in b.rooms})


def _segments(intervals: list[tuple[int, int]]) -> tuple[Segment, ...]:
    """The axis' stretches: occupied time on the half hour, gaps over GAP_HIDDEN cut out."""
    spans = sorted((s // 30 * 30, -(-e // 30) * 30) for s, e in intervals)
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s - merged[-1][1] <= GAP_HIDDEN:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    segments, top = [], 0
    for s, e in merged:
        segments.append(Segment(s, e, top))
        top += e - s + GAP_SHOWN
    return tuple(segments)


def _lanes(spans: list[tuple[int, int, int, int]]) -> list[tuple[int, int]]:
    """For (start, end, first column, last column) of a day's blocks: each one's lane and
    the number of lanes of the group of blocks it overlaps (in time and column)."""
    n = len(spans)
    parent = list(range(n))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def clash(a, b) -> bool:
        return a[0] < b[1] and b[0] < a[1] and a[2] <= b[3] and b[2] <= a[3]

    for a in range(n):
        for b in range(a + 1, n):
            if clash(spans[a], spans[b]):
                parent[find(a)] = find(b)
    lane = [0] * n
    order = sorted(range(n), key=lambda k: (spans[k][0], -(spans[k][1] - spans[k][0]), k))
    for k in order:
        used = {lane[j] for j in order[: order.index(k)] if clash(spans[j], spans[k])}
        lane[k] = min(set(range(len(used) + 1)) - used)
    lanes: dict[int, int] = {}
    for k in range(n):
        lanes[find(k)] = max(lanes.get(find(k), 0), lane[k] + 1)
    return [(lane[k], lanes[find(k)]) for k in range(n)]


def _split_days(weights: list[int], pages: int) -> list[list[int]]:
    """Consecutive days into `pages` groups of about equal weight (room columns): each day
    goes to the page its middle falls on."""
    total, done = sum(weights), 0
    groups: list[list[int]] = [[] for _ in range(pages)]
    for k, weight in enumerate(weights):
        groups[min(pages - 1, int((done + weight / 2) * pages / total))].append(k)
        done += weight
    return [g for g in groups if g]


def _axis_end(item: model.Item, day: model.Day) -> int:
    """How much of an item the time axis must show: a long social event (a dinner until
    midnight) only its first hour, so that an evening does not draw hours of empty grid."""
    end = _visual_end(item, day)
    if item.kind == "social":
        end = min(end, item.start_minutes + SOCIAL_SHOWN)
    return end


SOCIAL_SHOWN = 60


def pack_columns(day: model.Day, rooms: tuple[model.Room, ...]) -> list[tuple[model.Room, ...]]:
    """The day's rooms in as few columns as hold them: rooms busy at different times (one
    in the morning, one in the afternoon) share one, each keeping its own name."""
    busy: dict[str, list[tuple[int, int]]] = {}
    for item in day.items:
        if not item.all_rooms:
            for room in item.rooms:
                busy.setdefault(room.id, []).append((item.start_minutes, _visual_end(item, day)))
    columns: list[list[model.Room]] = []
    for room in day_rooms(day, rooms):
        mine = busy.get(room.id, [])
        for column in columns:
            theirs = [span for r in column for span in busy.get(r.id, [])]
            if not any(a < d and c < b for a, b in mine for c, d in theirs):
                column.append(room)
                break
        else:
            columns.append([room])
    # A shared column names its rooms in the order they are used ("morning / afternoon").
    first = {r: min((a for a, _ in spans), default=0) for r, spans in busy.items()}
    return [tuple(sorted(c, key=lambda r: first.get(r.id, 0))) for c in columns]


def week_columns(
    programme: model.Programme, columns_mm: float
) -> tuple[list[list[tuple[model.Room, ...]]], int]:
    """Each day's columns (rooms side by side, or packed when that is too wide) and how many
    pages the week takes: one, or two facing pages when its columns would be narrower than
    MIN_COLUMN_MM on one or when it has seven days or more (more pages, in pairs, only when
    even two would be too narrow)."""
    columns = [[(r,) for r in day_rooms(d, programme.rooms)] for d in programme.days]
    if not columns:
        return [], 1

    def pages_for(columns) -> float:
        return sum(max(1, len(c)) for c in columns) * MIN_COLUMN_MM / max(1.0, columns_mm)

    if pages_for(columns) <= 1 and len(columns) < 7:
        return columns, 1
    if pages_for(columns) > 2:
        columns = [pack_columns(d, programme.rooms) for d in programme.days]
    pages = max(2, math.ceil(pages_for(columns)))
    return columns, min(len(columns), pages + pages % 2)


def build_week(programme: model.Programme, columns_mm: float = 110.0, merge=None) -> Week:
    """The week page(s): `columns_mm` is the width the days' columns share on a page.
    `merge(day, columns)` names the sessions of a day drawn as one block each (a crowded
    day's, say): they share the day's columns in lanes with the other blocks like any
    item."""
    intervals = [(i.start_minutes, _axis_end(i, d)) for d in programme.days for i in d.items]
    if not intervals:
        return Week((Segment(9 * 60, 17 * 60, 0),), (WeekPage(()),))
    segments = _segments(intervals)
    axis = Week(segments, ())
    columns, count = week_columns(programme, columns_mm)
    weights = [max(1, len(c)) for c in columns]
    pages = []
    for group in _split_days(weights, count):
        total = sum(weights[k] for k in group)
        placed, x = [], 0
        for k in group:
            day, cols = programme.days[k], columns[k]
            day_mm = columns_mm * weights[k] / total
            placed.append(
                WeekDay(
                    day,
                    tuple(cols),
                    _day_blocks(day, cols, axis, day_mm, merge(day, cols) if merge else ()),
                    x / total,
                    weights[k] / total,
                )
            )
            x += weights[k]
        pages.append(WeekPage(tuple(placed)))
    return Week(segments, tuple(pages))


def _day_blocks(
    day: model.Day,
    columns: list[tuple[model.Room, ...]],
    axis: Week,
    day_mm: float,
    merged=(),
) -> tuple[Block, ...]:
    index = {r.id: k for k, column in enumerate(columns) for r in column}
    n = max(1, len(columns))
    inside = {i.id for session in merged for i in session.items}
    # (item, session): an item, or a session's first item standing for the session
    units = [(i, None) for i in day.items if i.id not in inside]
    units += [(session.items[0], session) for session in merged]
    units.sort(key=lambda u: u[1].start_minutes if u[1] else u[0].start_minutes)
    spans = []
    for item, session in units:
        rooms, everywhere = (session.rooms, False) if session else (item.rooms, item.all_rooms)
        cols = sorted(index[r.id] for r in rooms if r.id in index)
        if everywhere or not cols:
            first, last = 0, n - 1
        else:
            first, last = cols[0], cols[-1]
        if session is not None:
            end = session.end_minutes or session.start_minutes + OPEN_ENDED_MINUTES
            spans.append((session.start_minutes, end, first, last))
        else:
            spans.append((item.start_minutes, _visual_end(item, day), first, last))
    blocks = []
    named: set[str] = set()
    for (item, session), span, (lane, lanes) in zip(units, spans, _lanes(spans), strict=True):
        start, end, first, last = span
        room = None
        if session is None and not item.all_rooms and item.rooms and len(columns[first]) > 1:
            if item.rooms[0].id not in named:
                room = item.rooms[0].name
            named.add(item.rooms[0].id)
        top = axis.position(start)
        # A block ends at the break in the axis that cuts a long evening short.
        segment = next(s for s in axis.segments if top <= s.bottom)
        width = (last - first + 1) / n / lanes
        blocks.append(
            Block(
                item,
                top,
                min(axis.position(end), segment.bottom) - top,
                first / n + lane * width,
                width,
                item.end is None and session is None,
                width * day_mm,
                room,
                len(session.items) if session else 1,
                session,
            )
        )
    return tuple(sorted(blocks, key=lambda b: (b.top, b.left)))
