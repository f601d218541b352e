"""Dates in booklet's own English (language `en`), whatever the machine's locale; other
languages are written by Babel (`i18n.Language`)."""

from __future__ import annotations

import datetime as dt

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def day_month_year(day: dt.date) -> str:
    """2025-01-27 -> '27 January 2025'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def long_date(day: dt.date) -> str:
    """2025-01-27 -> 'Monday 27 January 2025'."""
    return f"{WEEKDAYS[day.weekday()]} {day_month_year(day)}"


def short_date(day: dt.date) -> str:
    """2025-01-27 -> 'Mon 27 Jan'."""
    return f"{WEEKDAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]}"


def date_range(start: dt.date | None, end: dt.date | None) -> str:
    """'27–31 January 2025', '30 January – 2 February 2025', '30 December 2025 – 2 January
    2026', or one day."""
    if start is None:
        return ""
    if end is None or end == start:
        return day_month_year(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}\u2013{end.day} {MONTHS[end.month - 1]} {end.year}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} \u2013 {day_month_year(end)}"
    return f"{day_month_year(start)} \u2013 {day_month_year(end)}"
