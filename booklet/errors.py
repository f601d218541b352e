"""The one error type users see, and the diagnostics it carries.

A `Diagnostic` is one problem in the content: where it is (file, line, column, and the
path of the value inside the data), what is wrong, and how to fix it. Loading and validation
collect diagnostics instead of stopping at the first; `ContentError` carries them all out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# Characters that would act on the terminal rather than show: controls (an escape sequence
# can rewrite the screen), line breaks inside one message, and bidirectional overrides (they
# reorder what follows). Content echoed in a message shows them as escapes instead.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def printable(text: str) -> str:
    """`text` with every character of `_UNPRINTABLE` written as an escape (\\x1b, \\u202e)."""
    return _UNPRINTABLE.sub(lambda m: repr(m[0])[1:-1], text)


@dataclass(frozen=True)
class Location:
    path: Path | None
    line: int | None = None  # 1-based
    col: int | None = None  # 1-based

    def __str__(self) -> str:
        parts = [str(self.path) if self.path is not None else "<content>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


@dataclass(frozen=True)
class Diagnostic:
    location: Location
    where: str  # e.g. "days[2].items[3].room"; may be empty
    what: str
    hint: str | None = None
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        text = f"{self.location}: "
        if self.where:
            text += f"{self.where}: "
        text += self.what
        if self.hint:
            text += f" ({self.hint})"
        return printable(text)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class BookletError(Exception):
    """Base of every error meant for the user rather than for a traceback."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return printable(f"{self.message} ({self.hint})" if self.hint else self.message)


@dataclass
class ContentError(BookletError):
    """The content has one or more errors; `diagnostics` lists them all (and warnings)."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        errors = [d for d in self.diagnostics if d.is_error]
        BookletError.__init__(self, str(errors[0]) if errors else "content error")

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


class UsageError(BookletError):
    """Wrong command-line use."""

    exit_code = 2


class SetupError(BookletError):
    """The machine lacks something the tool needs (a system library, a font)."""

    exit_code = 1
