"""Findings about PDF files -> the table a print shop reads (`Report`): a row per file,
then every finding, one line each, then a one-line summary."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

FAIL, WARN, NOTE = "FAIL", "warn", "note"


@dataclass(frozen=True)
class Finding:
    level: str  # FAIL, warn or note
    what: str


@dataclass
class FileReport:
    path: Path
    pages: int = 0
    page_size: str = "-"
    size: int = 0  # bytes
    fonts: str = "-"
    glyphs: str = "-"
    boxes: str = "-"
    images: str = "-"
    colour: str = "-"
    findings: list[Finding] = field(default_factory=list)

    def add(self, level: str, what: str) -> None:
        # one line each, whatever a PDF's objects say when quoted
        self.findings.append(Finding(level, " ".join(what.split())))

    @property
    def ok(self) -> bool:
        return not any(f.level == FAIL for f in self.findings)

    @property
    def result(self) -> str:
        levels = {f.level for f in self.findings}
        return FAIL if FAIL in levels else WARN if WARN in levels else "ok"


@dataclass
class Report:
    files: list[FileReport]

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    def count(self, level: str) -> int:
        return sum(1 for f in self.files for x in f.findings if x.level == level)

    @property
    def summary(self) -> str:
        """One line: 'Preflight: 5 files, all ok.' or the number of failures and warnings."""
        n = len(self.files)
        head = f"Preflight: {n} file{'' if n == 1 else 's'}"
        failures, warnings = self.count(FAIL), self.count(WARN)
        if not failures and not warnings:
            return f"{head}, all ok."
        parts = [f"{failures} failure{'' if failures == 1 else 's'}"] if failures else []
        if warnings:
            parts.append(f"{warnings} warning{'' if warnings == 1 else 's'}")
        return f"{head}, {', '.join(parts)}."

    def table(self) -> str:
        """The table (a row per file), then every finding, then the summary."""
        head = ("file", "pages", "page size", "size", "fonts", "glyphs", "boxes", "images")
        head += ("colour", "result")
        rows = [head] + [
            (
                f.path.name,
                str(f.pages),
                f.page_size,
                kilobytes(f.size),
                f.fonts,
                f.glyphs,
                f.boxes,
                f.images,
                f.colour,
                f.result,
            )
            for f in self.files
        ]
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        lines = [
            "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        order = {FAIL: 0, WARN: 1, NOTE: 2}
        for f in self.files:
            for x in sorted(f.findings, key=lambda x: order[x.level]):
                lines.append(f"{x.level:4}  {f.path.name}: {x.what}")
        lines.append(self.summary)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()


def kilobytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{math.ceil(n / 1000)} KB"


def page_list(numbers) -> str:
    """{1, 2, 3, 5} -> 'pages 1-3, 5'."""
    numbers = sorted(numbers)
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    text = ", ".join(f"{a}-{b}" if b > a else f"{a}" for a, b in spans[:8])
    text += ", ..." if len(spans) > 8 else ""
    return ("pages " if len(numbers) > 1 else "page ") + text
