"""Orchestration: load and check everything, render, then write the outputs.

Nothing is written until the whole content loaded and validated; each output is written
atomically by `output`, so a failed build leaves the previous files in place. The screen,
print and imposed booklets share one layout: laying the booklet out is the expensive part.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from booklet import output
from booklet.errors import Diagnostic, Location, UsageError
from booklet.validate import load_programme

log = logging.getLogger(__name__)

# Every output `booklet build` can write, in the order they are built.
OUTPUTS = ("booklet", "print", "imposed")
BOOKLET_FILES = {
    "booklet": "programme.pdf",
    "print": "programme-print.pdf",
    "imposed": "programme-imposed.pdf",
}


@dataclass
class BuildResult:
    outputs: dict[str, Path] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    pages: int = 0


def parse_only(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """'booklet,print' -> ('booklet', 'print'); None -> every output."""
    if value is None:
        return OUTPUTS
    names = value.split(",") if isinstance(value, str) else list(value)
    names = [n.strip() for n in names if n.strip()]
    unknown = [n for n in names if n not in OUTPUTS]
    if unknown:
        raise UsageError(f"unknown output {unknown[0]!r}", "choose from " + ", ".join(OUTPUTS))
    return tuple(n for n in OUTPUTS if n in names)


class _Clock:
    def __init__(self, timings: dict[str, float]):
        self.timings = timings

    def __call__(self, name: str):
        clock = self

        class _Timer:
            def __enter__(self):
                self.t0 = time.perf_counter()

            def __exit__(self, *exc):
                clock.timings[name] = clock.timings.get(name, 0.0) + time.perf_counter() - self.t0

        return _Timer()


def build(
    content_dir: Path,
    out_dir: Path,
    *,
    page_size: str | None = None,
    keep_html: bool = False,
    only: str | Iterable[str] | None = None,
) -> BuildResult:
    from booklet.render.booklet import BookletOptions, render_booklet, write_print, write_screen
    from booklet.system import require_weasyprint

    wanted = parse_only(only)
    require_weasyprint()
    result = BuildResult()
    timed = _Clock(result.timings)
    content_dir, out_dir = Path(content_dir), Path(out_dir)
    with timed("load"):
        loaded = load_programme(content_dir)
    programme = loaded.programme
    result.warnings.extend(loaded.warnings)

    settings = programme.event.settings
    options = BookletOptions(page_size=page_size or settings.page_size, bleed_mm=settings.bleed_mm)
    if {"booklet", "print", "imposed"} & set(wanted):
        with timed("booklet layout"):
            rendered = render_booklet(programme, content_dir, options)
        for url in rendered.refused_urls:
            result.warnings.append(
                Diagnostic(
                    Location(content_dir),
                    "booklet",
                    f"refused to fetch {url!r}",
                    "the booklet only uses files of the content, styles and fonts folders",
                )
            )
        result.pages = len(rendered.document.pages)
        print_path = out_dir / BOOKLET_FILES["print"]
        if "print" in wanted or "imposed" in wanted:
            with timed("print"):
                output.write_with(print_path, lambda tmp: write_print(rendered.document, tmp))
            if "print" in wanted:
                result.outputs["print"] = print_path
        if "booklet" in wanted:
            target = out_dir / BOOKLET_FILES["booklet"]
            with timed("booklet"):
                output.write_with(target, lambda tmp: write_screen(rendered.document, tmp))
            result.outputs["booklet"] = target
        if keep_html:
            result.outputs["html"] = output.write_text(out_dir / "programme.html", rendered.html)
    return result
