"""A build session: what one build (or a watcher's builds) needs, resolved once.

A `Session` is made from the command line or by a Python caller. It turns the content
folder, the output folder and the attendee list into paths, knows the styles and fonts
folders the renderers may read, and carries the limits, strict mode, the number of
processes, the progress display, the settings given on the command line for one output,
and the booklet's layout cache when a watcher keeps it from one build to the next.

Strict mode lives here and only here: `Session.check(warnings)` turns warnings into errors.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from booklet import paths
from booklet.errors import ContentError, Diagnostic
from booklet.sources import DEFAULT_LIMITS, Limits

CACHE = ".booklet-cache"  # in the output folder: what the next build may reuse

Progress = Callable[[str, object], None]


@dataclass
class Session:
    """One build's inputs and options.

    `progress(output, state)` is told when each output starts ("start"), how far it is
    (`(done, total)`) and when it ends ("done" or "failed"). `settings` holds, per output
    name, the settings given on the command line, which win over the output's section in
    event.yaml (`{"badges": {"layout": "a7-8up", "duplex": True}}`)."""

    content_dir: Path = Path("content")
    out_dir: Path = Path("build")
    attendees: Path | None = None
    limits: Limits = DEFAULT_LIMITS
    strict: bool = False
    jobs: int | None = None
    page_size: str | None = None
    keep_html: bool = False
    cache: bool = True
    preflight: bool = True
    progress: Progress | None = None
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    layout_cache: Any = None  # render.pieces.LayoutCache kept in memory by `booklet watch`
    debug: bool = False
    language: str | None = None  # a BCP 47 tag replacing event.yaml's for this build

    def __post_init__(self) -> None:
        self.content_dir = Path(self.content_dir)
        self.out_dir = Path(self.out_dir)
        if self.attendees is not None:
            self.attendees = Path(self.attendees)

    # -- paths ------------------------------------------------------------------------------
    @property
    def styles_dirs(self) -> tuple[Path, ...]:
        """Where templates and stylesheets are looked up: the event's, then the defaults."""
        event = paths.event_styles(self.content_dir)
        return (event, paths.default_styles()) if event.is_dir() else (paths.default_styles(),)

    @property
    def fonts_dirs(self) -> tuple[Path, ...]:
        event = paths.event_fonts(self.content_dir)
        return (paths.default_fonts(), event) if event.is_dir() else (paths.default_fonts(),)

    @property
    def cache_dir(self) -> Path | None:
        return self.out_dir / CACHE if self.cache else None

    @property
    def watched_dirs(self) -> set[Path]:
        """The folders whose files a build reads: content, default styles and fonts, and
        the attendee list's folder."""
        folders = {self.content_dir.resolve(), paths.default_styles(), paths.default_fonts()}
        if self.attendees is not None:
            folders.add(self.attendees.resolve().parent)
        return folders

    # -- options ----------------------------------------------------------------------------
    @property
    def workers(self) -> int:
        """How many processes a build may run at once (`jobs`, else one per core)."""
        return max(1, self.jobs) if self.jobs is not None else max(1, os.cpu_count() or 1)

    def settings_for(self, output: str) -> Mapping[str, Any]:
        return self.settings.get(output, {})

    def replace(self, **changes) -> Session:
        return dataclasses.replace(self, **changes)

    # -- strict mode ------------------------------------------------------------------------
    def check(self, warnings: Iterable[Diagnostic]) -> None:
        """With `strict`, raise the warnings as errors; otherwise do nothing."""
        warnings = list(warnings)
        if self.strict and warnings:
            raise ContentError(
                diagnostics=[dataclasses.replace(w, severity="error") for w in warnings]
            )

    def load(self, registry=None):
        """The content, loaded and validated (`validate.Result`), its outputs' sections
        parsed by `registry`'s outputs (default: the installed ones); with `strict`, its
        warnings are errors."""
        from booklet.i18n import with_language
        from booklet.validate import load_programme

        loaded = load_programme(self.content_dir, self.limits, registry)
        loaded = with_language(loaded, self.language)
        self.check(loaded.warnings)
        return loaded

    def tell(self, output: str, state: object) -> None:
        if self.progress is not None:
            self.progress(output, state)
