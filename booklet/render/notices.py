"""What WeasyPrint and fontTools log while the booklet is laid out and written -> notices in
our words, each once, with what to do.

WeasyPrint warns once per font per document ("Using fontTools instead of HarfBuzz-Subset")
and once per run of text a font lacks (".notdef glyph rendered"); the booklet is laid out in
pieces, in several processes, so the same warning came dozens of times. A `Gatherer`,
installed as a filter on those libraries' loggers for the length of a task, takes the
warnings it knows out of the log and keeps what they were about as (kind, detail) pairs,
which a worker process sends to the parent with its piece; `notices` turns all of them into
one line per kind. Warnings it does not know go on to the log as before.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterable, Iterator

LOGGERS = ("weasyprint", "fontTools", "fontTools.subset", "fontTools.ttLib")
SUBSET, NOTDEF = "subset", "notdef"
_PATTERNS = (
    (SUBSET, re.compile(r'Using fontTools instead of HarfBuzz-Subset for font "([^"]*)"')),
    (NOTDEF, re.compile(r"\.notdef glyph rendered for Unicode string unsupported by fonts: (.*)")),
)
MAX_NAMED = 6  # fonts or characters named in a notice; the others are counted


class Gatherer(logging.Filter):
    """A logging filter that keeps the warnings it knows, as (kind, detail), in order."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for kind, pattern in _PATTERNS:
            m = pattern.search(message)
            if m:
                self.found.append((kind, m.group(1).strip()))
                return False
        return True


@contextlib.contextmanager
def gathered() -> Iterator[Gatherer]:
    """Gather the known warnings of WeasyPrint and fontTools logged inside the block."""
    gatherer = Gatherer()
    loggers = [logging.getLogger(name) for name in LOGGERS]
    for logger in loggers:
        logger.addFilter(gatherer)
    try:
        yield gatherer
    finally:
        for logger in loggers:
            logger.removeFilter(gatherer)


def notices(found: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(what, hint) for each kind of warning gathered, once, in the order first met."""
    by_kind: dict[str, list[str]] = {}
    for kind, detail in found:
        details = by_kind.setdefault(kind, [])
        if detail not in details:
            details.append(detail)
    out = []
    for kind, details in by_kind.items():
        if kind == SUBSET:
            out.append((
                f"fonts are subset with fontTools, slower and soon unsupported by WeasyPrint "
                f"({_named(details)})",
                "install HarfBuzz-Subset 4.1 or later: apt-get install libharfbuzz-subset0, "
                "brew install harfbuzz",
            ))  # fmt: skip
        elif kind == NOTDEF:
            out.append((
                f"no font draws {_named(details)}: the booklet shows an empty box instead",
                "put a font that has it in the content's fonts/ folder; preflight names the "
                "pages",
            ))  # fmt: skip
    return out


def _named(details: list[str]) -> str:
    named = ", ".join(details[:MAX_NAMED])
    return named + (f" and {len(details) - MAX_NAMED} more" if len(details) > MAX_NAMED else "")
