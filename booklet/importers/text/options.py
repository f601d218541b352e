"""What the caller tells the text importer (`TextOptions`), its one error of its own, and the
note taking the assembling stages share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from booklet.errors import BookletError
from booklet.importers import Note


@dataclass
class TextOptions:
    start_date: dt.date | None = None  # date of the first day when the text gives none
    timezone: str | None = None  # None: UTC, reported as an assumption
    title: str | None = None  # the event's title; otherwise inferred and reported
    today: dt.date | None = None  # for placeholder dates; tests pin it


class NothingToImport(BookletError):
    """The text holds no timed item at all."""


class NoteTaker:
    """A stage that reports what it guessed (`note`) or could not decide (`warn`) by line."""

    notes: list[Note]

    def note(self, line: int | None, message: str) -> None:
        self.notes.append(Note(line, message))

    def warn(self, line: int | None, message: str) -> None:
        self.notes.append(Note(line, message, "warning"))
