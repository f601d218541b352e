"""Templates and stylesheets: a search path, the event's `styles/` first, then the defaults.

An event overrides any single template (`cover.html.j2`) or stylesheet (`booklet.css`) by
putting a file of the same name in `<content>/styles/`. An override may extend the file it
replaces with `{% extends "default/cover.html.j2" %}`.

Templates come with the content, so they are untrusted like it: when an event has any, all
run in Jinja's immutable sandbox (no reaching Python's internals through attributes), and a
template or stylesheet that is a link to a file outside its folder is refused.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import jinja2.loaders
import jinja2.sandbox

from booklet import i18n, markup, paths
from booklet.errors import BookletError
from booklet.sandbox import BoundedSandbox, template_error
from booklet.sources import not_regular


def _inside(path: Path, folders: list[Path]) -> bool:
    real = path.resolve()
    return any(real.is_relative_to(folder.resolve()) for folder in folders)


def _outside(name: str) -> BookletError:
    return BookletError(
        f"template or stylesheet {name!r} is a link to a file outside its styles folder",
        "copy the file into the styles folder instead of linking to it",
    )


def _refuse_special(path: Path, name: str) -> None:
    """A FIFO, socket or folder named like a template or stylesheet is refused, not passed
    over for the default (nor opened: reading a FIFO would wait for ever)."""
    problem = not_regular(path)
    if problem not in (None, "not found"):
        raise BookletError(
            f"{path}: template or stylesheet {name!r} is {problem}", "make it a regular file"
        )


class _ConfinedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that will not follow a link out of its folders."""

    def get_source(self, environment, template):
        pieces = jinja2.loaders.split_template_path(template)  # refuses '..'
        for folder in self.searchpath:
            _refuse_special(Path(folder, *pieces), template)
        source, filename, uptodate = super().get_source(environment, template)
        if not _inside(Path(filename), [Path(p) for p in self.searchpath]):
            raise _outside(template)
        return source, filename, uptodate


class Theme:
    """Templates found on the search path, with `_()`/`{% trans %}` and the date filters in
    `language` (default: English)."""

    def __init__(self, content_dir: Path | None = None, language: i18n.Language | None = None):
        language = language or i18n.language(i18n.HOUSE_TAG)
        self.dirs = []
        if content_dir is not None and paths.event_styles(content_dir).is_dir():
            self.dirs.append(paths.event_styles(content_dir))
        self.dirs.append(paths.DEFAULT_STYLES)
        loader = jinja2.ChoiceLoader(
            [
                _ConfinedLoader([str(d) for d in self.dirs]),
                jinja2.PrefixLoader({"default": _ConfinedLoader(str(paths.DEFAULT_STYLES))}),
            ]
        )
        # The sandbox costs about half of the rendering time: templates that all come with
        # booklet (the event overrides none) are trusted code and run without it.
        overrides = any(p.suffix == ".j2" for d in self.dirs[:-1] for p in d.rglob("*"))
        kind = BoundedSandbox if overrides else jinja2.Environment
        self.env = kind(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.i18n"],
        )
        self.env.install_gettext_translations(language.template_translations, newstyle=True)
        self.env.filters.update(
            markdown=markup.markdown,
            markdown_inline=markup.markdown_inline,
            hhmm=language.time,
            hour=language.hour,
            clock=language.minutes,
            long_date=language.long_date,
            short_date=language.short_date,
            weekday_day=language.weekday_day,
            date_range=language.date_range,
            kind_name=language.kind_name,
        )
        if isinstance(self.env, BoundedSandbox):
            self.env.bound_filters()

    def find(self, name: str) -> Path:
        for folder in self.dirs:
            path = folder / name
            _refuse_special(path, name)
            if path.is_file():
                if not _inside(path, [folder]):
                    raise _outside(name)
                return path
        raise BookletError(f"stylesheet or template {name!r} not found", f"looked in {self.dirs}")

    def stylesheet(self, name: str) -> str:
        return self.find(name).read_text(encoding="utf-8")

    def render(self, template: str, **context) -> str:
        if isinstance(self.env, BoundedSandbox):
            self.env.reset()
        try:
            return self.env.get_template(template).render(**context)
        except jinja2.TemplateSyntaxError as exc:
            raise BookletError(
                f"{exc.filename or template}:{exc.lineno}: template syntax error: {exc.message}"
            ) from None
        except (
            jinja2.sandbox.SecurityError,
            jinja2.UndefinedError,
            jinja2.TemplateNotFound,
        ) as exc:
            raise template_error(exc, template, self.dirs[:-1]) from None
        except (BookletError, RecursionError, MemoryError, ArithmeticError) as exc:
            if not isinstance(self.env, BoundedSandbox) and not isinstance(exc, BookletError):
                raise  # the booklet's own templates: a bug, with its traceback
            raise template_error(exc, template, self.dirs[:-1]) from None
        except (TypeError, ValueError, LookupError, AttributeError) as exc:
            if not isinstance(self.env, BoundedSandbox):
                raise
            raise template_error(exc, template, self.dirs[:-1]) from None
