"""A day's items -> a table of time rows by room columns (no I/O, no HTML).

Rows run between consecutive start/end times of the day; an item spans the rows from its
start to its end and the columns of its rooms (an item for every room spans the width).
An open-ended item ("Dinner at 19:00") fills one row. Items that share a cell - an opening
word at 10:00 before the 10:00 talk, or two items that overlap by mistake - are stacked in
that cell rather than dropped.
"""

from __future__ import annotations

import dataclasses
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
    bounds = sorted(
        {i.start_minutes for i in day.items}
        | {i.end_minutes for i in day.items if i.end_minutes is not None}
    )
    rows = [Row(a, b) for a, b in zip(bounds, bounds[1:], strict=False)]
    last = bounds[-1] if bounds else 0
    if any(i.end is None and i.start_minutes == last for i in day.items) or not rows:
        rows.append(Row(last, None))
    row_of = {r.start: k for k, r in enumerate(rows)}
    # occupant[row][col] -> the cell covering it
    occupant: list[list[Cell | None]] = [[None] * ncols for _ in rows]

    timed = [i for i in day.items if i.end is not None]
    open_ended = [i for i in day.items if i.end is None]
    for item in timed + open_ended:
        first = row_of[item.start_minutes]
        last_row = first if item.end is None else row_of.get(item.end_minutes, len(rows)) - 1
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


@dataclass(frozen=True)
class Block:
    """An item placed on the week page: vertical position and size in minutes from the top
    of the time axis, horizontal position as a fraction of its day's column."""

    item: model.Item
    top: int
    height: int
    left: float
    width: float
    open_ended: bool
    count: int = 1  # on a crowded day, one block stands for a session of `count` talks
    session: model.Session | None = None  # the programme's session the block stands for


@dataclass(frozen=True)
class Week:
    first: int  # minutes after midnight at the top of the axis (on the half hour)
    last: int  # at the bottom (on the half hour)
    days: tuple[tuple[model.Day, tuple[Block, ...]], ...]

    @property
    def hours(self) -> list[int]:
        """Whole hours on the axis."""
        return list(range(-(-self.first // 60), self.last // 60 + 1))

    @property
    def span(self) -> int:
        return self.last - self.first


OPEN_ENDED_MINUTES = 30  # how tall an item without an end is drawn


def build_week(programme: model.Programme) -> Week:
    items = programme.items
    if not items:
        return Week(9 * 60, 17 * 60, ())
    first = min(i.start_minutes for i in items) // 30 * 30
    last = max((i.end_minutes or i.start_minutes + OPEN_ENDED_MINUTES) for i in items)
    last = -(-last // 30) * 30
    days = []
    for day in programme.days:
        columns = day_rooms(day, programme.rooms)
        index = {r.id: k for k, r in enumerate(columns)}
        n = max(1, len(columns))
        blocks = []
        ordered = list(day.items)
        for pos, item in enumerate(ordered):
            if item.end is not None:
                height = item.duration_minutes or 0
            else:  # until the next item in the day, at most OPEN_ENDED_MINUTES
                later = [
                    o.start_minutes
                    for o in ordered[pos + 1 :]
                    if o.start_minutes > item.start_minutes
                ]
                height = min([OPEN_ENDED_MINUTES] + [m - item.start_minutes for m in later])
                # An open-ended item sharing its start with a timed one in its room (10:00
                # opening words, 10:00 talk) has no height of its own: the day grid shows it.
                if any(
                    o is not item
                    and o.start_minutes == item.start_minutes
                    and o.end
                    and set(o.rooms) & set(item.rooms)
                    for o in ordered
                ):
                    continue
            if item.all_rooms or not item.rooms:
                left, width = 0.0, 1.0
            else:
                cols = sorted(index[r.id] for r in item.rooms if r.id in index)
                left, width = cols[0] / n, (cols[-1] - cols[0] + 1) / n
            blocks.append(
                Block(item, item.start_minutes - first, height, left, width, item.end is None)
            )
        if n > SESSION_COLUMNS:
            blocks = _sessions(blocks)
        days.append((day, tuple(blocks)))
    return Week(first, last, tuple(days))


# With more room columns than this, a day's column on the week page is too narrow for
# titles: back-to-back talks in one room are drawn as one session block.
SESSION_COLUMNS = 3


def _sessions(blocks: list[Block]) -> list[Block]:
    """Merge runs of back-to-back presentations in the same single room into one block."""
    merged: list[Block] = []
    for block in sorted(blocks, key=lambda b: (b.left, b.width, b.top)):
        last = merged[-1] if merged else None
        if (
            last is not None
            and block.item.is_presentation
            and last.item.is_presentation
            and (last.left, last.width) == (block.left, block.width)
            and block.width < 1.0
            and block.top - (last.top + last.height) <= 10
        ):
            merged[-1] = dataclasses.replace(
                last, height=block.top + block.height - last.top, count=last.count + 1
            )
        else:
            merged.append(block)
    return sorted(merged, key=lambda b: (b.top, b.left))
