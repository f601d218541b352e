"""Draft days -> the same days with dates, from their headings or their context.

A heading's own date first; a month and day completed with the year of the previous day,
`--start-date`, a year written above or in the file name, or the year near today in which the
weekday fits; a day without any date follows the previous one or counts back from a later
dated day. Placeholder dates are marked TODO; two headings of the same date become one day.
"""

from __future__ import annotations

import datetime as dt
import re

from booklet.importers import Note
from booklet.importers.text.assembly import DraftDay
from booklet.importers.text.dates import (
    YEAR,
    DayHeading,
    event_dates,
    next_date,
    weekday_name,
)
from booklet.importers.text.lines import Line
from booklet.importers.text.options import NoteTaker, TextOptions


class DaysStage(NoteTaker):
    """A stage over the draft days: their lines, the lines before the first day (the
    event's), the options, the source's name and the notes it adds to."""

    def __init__(
        self,
        days: list[DraftDay],
        lines: list[Line],
        event_lines: list[Line],
        options: TextOptions,
        source: str,
        notes: list[Note],
    ):
        self.days = days
        self.lines = lines
        self.event_lines = event_lines
        self.options = options
        self.source = source
        self.notes = notes


class DayDater(DaysStage):
    """Gives every draft day a date and reports how each was found."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = self.options.today or dt.date.today()

    def run(self) -> list[DraftDay]:
        self.assign_dates()
        return self.merge_same_dates()

    def year_hint(self) -> tuple[int, str] | None:
        for line in [*self.event_lines, *(ln for ln in self.lines if ln.kind == "day")]:
            m = re.search(rf"\b{YEAR}\b", line.clean)
            if m:
                return int(m.group(0)), f"line {line.number}"
        m = re.search(rf"(?<!\d){YEAR}(?!\d)", self.source)
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
        previous: DraftDay | None = None
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
                    f"the heading names a {weekday_name(weekday)} "
                    f"but {day.date} is a {day.date:%A}",
                )
            if previous and previous.date and day.date and day.date < previous.date:
                self.warn(day.line, f"{day.date} comes before the previous day ({previous.date})")
            previous = day

    def complete_year(self, heading: DayHeading, previous: DraftDay | None):
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
                how = f"the year near today in which it is a {weekday_name(heading.weekday)}"
            else:
                year, how = self.today.year, "no year in the text: assumed this year"
            return dt.date(year, month, number), how
        except ValueError as exc:
            return None, str(exc)

    def date_from_context(self, i: int, day: DraftDay, previous: DraftDay | None) -> None:
        weekday = day.heading.weekday if day.heading else None
        label = f"'{day.heading_text}'" if day.heading_text else "the first day"
        if previous is not None and previous.date is not None:
            day.date = next_date(previous.date, weekday)
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
            day.date = next_date(self.today, first)
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

    def merge_same_dates(self) -> list[DraftDay]:
        merged: list[DraftDay] = []
        for day in self.days:
            same = next((d for d in merged if d.date == day.date), None)
            if same is None:
                merged.append(day)
                continue
            self.warn(day.line, f"a second heading for {day.date}; its items joined that day")
            same.items += day.items
            same.items.sort(key=lambda it: it.start or 0)
        return merged
