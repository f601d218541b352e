"""Templates and stylesheets: a search path, the event's `styles/` first, then the defaults.

An event overrides any single template (`cover.html.j2`) or stylesheet (`booklet.css`) by
putting a file of the same name in `<content>/styles/`. An override may extend the file it
replaces with `{% extends "default/cover.html.j2" %}`.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from booklet import markup, paths
from booklet.dates import date_range, long_date, short_date
from booklet.errors import BookletError


class Theme:
    def __init__(self, content_dir: Path | None = None):
        self.dirs = []
        if content_dir is not None and paths.event_styles(content_dir).is_dir():
            self.dirs.append(paths.event_styles(content_dir))
        self.dirs.append(paths.DEFAULT_STYLES)
        loader = jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader([str(d) for d in self.dirs]),
                jinja2.PrefixLoader(
                    {"default": jinja2.FileSystemLoader(str(paths.DEFAULT_STYLES))}
                ),
            ]
        )
        self.env = jinja2.Environment(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(
            markdown=markup.markdown,
            markdown_inline=markup.markdown_inline,
            hhmm=lambda t: "" if t is None else f"{t:%H:%M}",
            long_date=long_date,
            short_date=short_date,
            date_range=date_range,
        )

    def find(self, name: str) -> Path:
        for folder in self.dirs:
            path = folder / name
            if path.is_file():
                return path
        raise BookletError(f"stylesheet or template {name!r} not found", f"looked in {self.dirs}")

    def stylesheet(self, name: str) -> str:
        return self.find(name).read_text(encoding="utf-8")

    def render(self, template: str, **context) -> str:
        try:
            return self.env.get_template(template).render(**context)
        except jinja2.TemplateSyntaxError as exc:
            raise BookletError(
                f"{exc.filename or template}:{exc.lineno}: template syntax error: {exc.message}"
            ) from None
        except jinja2.UndefinedError as exc:
            raise BookletError(
                f"template {template}: {exc.message}",
                "check the variable names in your styles/ override",
            ) from None
