"""Orchestration: load and check everything, render, then write the outputs.

Nothing is written until the whole content loaded and validated; each output is written
atomically by `output`, so a failed build leaves the previous files in place.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from booklet import output
from booklet.errors import Diagnostic, Location
from booklet.validate import load_programme

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    outputs: dict[str, Path] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    pages: int = 0


def build(
    content_dir: Path,
    out_dir: Path,
    *,
    page_size: str | None = None,
    keep_html: bool = False,
) -> BuildResult:
    from booklet.render.booklet import BookletOptions, render_booklet
    from booklet.system import require_weasyprint

    require_weasyprint()
    result = BuildResult()
    t0 = time.perf_counter()
    loaded = load_programme(content_dir)
    programme = loaded.programme
    result.warnings.extend(loaded.warnings)
    result.timings["load"] = time.perf_counter() - t0

    options = BookletOptions(page_size=page_size or programme.event.settings.page_size)
    t0 = time.perf_counter()
    rendered = render_booklet(programme, Path(content_dir), options)
    result.timings["layout"] = time.perf_counter() - t0
    for url in rendered.refused_urls:
        result.warnings.append(
            Diagnostic(
                Location(Path(content_dir)),
                "booklet",
                f"refused to fetch {url!r}",
                "the booklet only uses files of the content, styles and fonts folders",
            )
        )
    result.pages = len(rendered.document.pages)

    t0 = time.perf_counter()
    target = Path(out_dir) / "programme.pdf"
    output.write_with(target, lambda tmp: rendered.document.write_pdf(tmp))
    result.outputs["booklet"] = target
    if keep_html:
        result.outputs["html"] = output.write_text(Path(out_dir) / "programme.html", rendered.html)
    result.timings["write"] = time.perf_counter() - t0
    return result
