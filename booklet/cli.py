"""Command line: parses arguments, calls the library, maps errors to exit codes.

Exit codes: 0 success, 1 content error (or a failed check), 2 usage error.
Heavy modules (WeasyPrint, ReportLab) are imported inside the commands that need them, so
`booklet --help` stays instant.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from pathlib import Path

import click

from booklet import __version__
from booklet.model import BADGE_LAYOUTS
from booklet.paper import BOOKLET_SIZES, SIGN_SIZES

DEFAULT_CONTENT = Path("content")
DEFAULT_OUT = Path("build")


def _handle_errors(func):
    """Turn the library's errors into one-line messages and exit codes, not tracebacks."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from booklet.errors import BookletError, ContentError

        ctx = click.get_current_context()
        try:
            return func(*args, **kwargs)
        except ContentError as exc:
            if ctx.obj.get("debug"):
                raise
            report_diagnostics(exc.diagnostics)
            sys.exit(exc.exit_code)
        except BookletError as exc:
            if ctx.obj.get("debug"):
                raise
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:  # a file or folder named on the command line, unusable
            if ctx.obj.get("debug"):
                raise
            from booklet.errors import printable

            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(printable(f"Error: {where}{exc.strerror or exc}"), err=True)
            sys.exit(1)

    return wrapper


def report_diagnostics(diagnostics, *, strict: bool = False, summary: bool = True) -> None:
    """Print every problem, then one summary line ("Aborted with 2 errors, 3 warnings")
    unless `summary` is false."""
    errors = [d for d in diagnostics if d.is_error]
    warnings = [d for d in diagnostics if not d.is_error]
    for d in errors:
        click.echo(f"error: {d}", err=True)
    for d in warnings:
        click.echo(f"warning: {d}", err=True)
    if not summary:
        return
    if errors:
        click.echo(
            f"Aborted with {_count(len(errors), 'error')}"
            + (f", {_count(len(warnings), 'warning')}" if warnings else "")
            + ".",
            err=True,
        )
    elif warnings and strict:
        click.echo(f"Aborted with {_count(len(warnings), 'warning')} (--strict).", err=True)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _session(content_dir: Path, **options):
    """The build session of a command: its content folder, the limits and --debug given on
    the command line, and `options` (`booklet.session.Session`'s fields)."""
    from booklet.session import Session

    debug = bool((click.get_current_context().find_object(dict) or {}).get("debug"))
    language = _language()
    return Session(
        content_dir=content_dir, limits=_limits(), debug=debug, language=language, **options
    )


def _load(content_dir: Path, strict: bool):
    return _session(content_dir, strict=strict).load()


content_argument = click.argument(
    "content_dir",
    required=False,
    default=DEFAULT_CONTENT,
    type=click.Path(path_type=Path, file_okay=False),
)
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
out_dir_option = click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_OUT,
    show_default=True,
    help="Output folder.",
)


class _Size(click.ParamType):
    name = "size"

    def convert(self, value, param, ctx):
        from booklet.sources import parse_size

        try:
            return value if isinstance(value, int) else parse_size(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def _keep_limit(ctx: click.Context, param: click.Parameter, value):
    """Remember --max-file-size, --max-items and --max-attendees for `_limits()`."""
    if value is not None:
        ctx.ensure_object(dict)[param.name] = value
    return value


def limit_options(func):
    """--max-file-size, --max-items and --max-attendees, for commands that read content
    (see `_limits`)."""
    func = click.option(
        "--max-attendees",
        type=click.IntRange(min=1),
        metavar="N",
        expose_value=False,
        callback=_keep_limit,
        help="Refuse an attendee list longer than this (default: 20000).",
    )(func)
    func = click.option(
        "--max-items",
        type=click.IntRange(min=1),
        metavar="N",
        expose_value=False,
        callback=_keep_limit,
        help="Refuse a programme with more items than this (default: 20000).",
    )(func)
    return click.option(
        "--max-file-size",
        type=_Size(),
        metavar="SIZE",
        expose_value=False,
        callback=_keep_limit,
        help="Refuse a content file larger than this, e.g. 20MB (default: 5MB).",
    )(func)


def language_option(func):
    """--language TAG: this build's language instead of event.yaml's (see `_language`)."""
    return click.option(
        "--language",
        metavar="TAG",
        expose_value=False,
        callback=_keep_limit,
        help="Language of the labels and dates, a BCP 47 tag such as fr or en-US "
        "(default: language in event.yaml).",
    )(func)


def _language() -> str | None:
    given = click.get_current_context().find_object(dict) or {}
    return given.get("language")


def _limits():
    """The loader's limits, with those given on the command line."""
    import dataclasses

    from booklet.sources import DEFAULT_LIMITS

    given = click.get_current_context().find_object(dict) or {}
    return dataclasses.replace(
        DEFAULT_LIMITS,
        max_file_bytes=given.get("max_file_size", DEFAULT_LIMITS.max_file_bytes),
        max_items=given.get("max_items", DEFAULT_LIMITS.max_items),
        max_attendees=given.get("max_attendees", DEFAULT_LIMITS.max_attendees),
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="booklet")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """Turn an event programme into a print-ready booklet and more."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["quiet"] = quiet
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@cli.command()
@content_argument
@strict_option
@limit_options
@language_option
@_handle_errors
def check(content_dir: Path, strict: bool) -> None:
    """Check the content and print a summary with every warning."""
    result = _load(content_dir, strict)
    p = result.programme
    items = p.items
    presentations = [i for i in items if i.is_presentation]
    click.echo(
        f"{p.event.title}: {_count(len(p.days), 'day')}, {_count(len(items), 'item')} "
        f"({len(presentations)} talks and tutorials), {_count(len(p.speakers), 'speaker')}, "
        f"{_count(len(p.rooms), 'room')}"
    )
    for day in p.days:
        click.echo(f"  {day.date:%a %d %b %Y}  {day.label}: {_count(len(day.items), 'item')}")
    for w in result.warnings:
        click.echo(f"warning: {w}", err=True)
    click.echo(f"OK, {_count(len(result.warnings), 'warning')}.")


class _OnlyOption(click.Option):
    """--only, whose help lists the registered outputs, found only when help is shown."""

    def get_help_record(self, ctx):
        from booklet.build import only_names
        from booklet.outputs import load_registry

        self.help = "Build just these outputs: " + ", ".join(only_names(load_registry())) + "."
        return super().get_help_record(ctx)


@cli.command()
@content_argument
@out_dir_option
@click.option(
    "--page-size",
    type=click.Choice(BOOKLET_SIZES, case_sensitive=False),
    help="Page size of the booklet (default: from content).",
)
@click.option("--keep-html", is_flag=True, help="Also write the booklet's HTML (programme.html).")
@click.option("--only", metavar="NAME[,NAME]", cls=_OnlyOption, help="Build just these outputs.")
@click.option(
    "--attendees",
    "attendees_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Attendees for the badges (CSV or YAML).",
)
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="Parallel processes (default: one per core)."
)
@click.option("--timings", is_flag=True, help="Print how long each step took.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Make every output again: ignore (and do not keep) the booklet's pieces in "
    "OUT/.booklet-cache and the record of unchanged outputs.",
)
@strict_option
@limit_options
@language_option
@click.pass_context
@_handle_errors
def build(
    ctx: click.Context,
    content_dir: Path,
    out_dir: Path,
    page_size: str | None,
    keep_html: bool,
    only: str | None,
    attendees_file: Path | None,
    jobs: int | None,
    timings: bool,
    no_cache: bool,
    strict: bool,
) -> None:
    """Build the booklet, badges, door signs and exports into the output folder."""
    from booklet.paper import normalise_page_size

    session = _session(
        content_dir,
        out_dir=out_dir,
        page_size=normalise_page_size(page_size) if page_size else None,
        keep_html=keep_html,
        strict=strict,
        attendees=attendees_file,
        jobs=jobs,
        cache=not no_cache,
    )
    _build(ctx, session, only, timings=timings)


def _build(ctx: click.Context, session, only, *, timings: bool = False, one: bool = False):
    """Run a build of `session` and report it: warnings, what was written or kept, the
    preflight (its summary; with `one`, a command making one output, only a failure), the
    plug-ins that failed. Exits 1 if preflight or a plug-in failed."""
    from booklet.build import run
    from booklet.progress import job_progress

    quiet = ctx.obj.get("quiet")
    with job_progress(enabled=not quiet) as progress:
        result = run(session.replace(progress=progress), only=only)
    for w in result.warnings:
        click.echo(f"warning: {w}", err=True)
    if timings:
        for name, seconds in result.timings.items():
            click.echo(f"  {name:<16} {seconds:6.2f} s")
    report = result.preflight
    if not quiet:
        for name, path in result.outputs.items():
            extra = f" ({result.details[name]})" if name in result.details else ""
            if name in result.kept:
                click.echo(f"kept {path}{extra}, unchanged since the last build")
            else:
                click.echo(f"wrote {path}{extra}")
        if report is not None and not one:
            click.echo(report.summary)
    for failure in result.failures:
        click.echo(f"error: {failure}", err=True)
    if report is not None and not report.ok:
        click.echo(report.table(), err=True)
    if result.failures or (report is not None and not report.ok):
        sys.exit(1)


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--out",
    "out_dir",
    default=DEFAULT_CONTENT,
    show_default=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Content folder to write.",
)
@click.option("--force", is_flag=True, help="Replace content files that already exist.")
@click.option(
    "--start-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Date of the first day, when the text gives none.",
)
@click.option("--timezone", help="IANA time zone of the event's times (default: UTC).")
@click.option("--title", help="The event's title (default: inferred from the text).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "text", "frab", "pretalx"], case_sensitive=False),
    default="auto",
    show_default=True,
    help="text, frab (schedule.xml) or pretalx (schedule JSON); auto detects it.",
)
@click.pass_context
@_handle_errors
def import_text(
    ctx: click.Context,
    file: Path,
    out_dir: Path,
    force: bool,
    start_date,
    timezone: str | None,
    title: str | None,
    fmt: str,
) -> None:
    """Import a programme (plain text, frab schedule.xml, pretalx JSON) as content files.

    Prints what it inferred and what it could not decide, each with its source line.
    """
    import zoneinfo

    from booklet.errors import UsageError
    from booklet.importers import read_programme
    from booklet.importers.write import write_content

    if timezone is not None:
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise UsageError(
                f"unknown time zone {timezone!r}", "use an IANA name such as 'Europe/Paris'"
            ) from None
    programme = read_programme(
        file,
        fmt=None if fmt.lower() == "auto" else fmt.lower(),
        start_date=start_date.date() if start_date else None,
        timezone=timezone,
        title=title,
    )
    write_content(programme, out_dir, force=force)
    quiet = ctx.obj.get("quiet")
    items, warnings, people = programme.items, programme.warnings, len(programme.people)
    if not quiet:
        click.echo(
            f"Imported {programme.event['title']!r} from {file} into {out_dir}: "
            f"{_count(len(programme.days), 'day')}, {_count(len(items), 'item')}, "
            f"{people} {'person' if people == 1 else 'people'}, "
            f"{_count(sum(1 for i in items if i.abstract), 'abstract')}; "
            f"{_count(len(programme.notes) - len(warnings), 'note')}, "
            f"{_count(len(warnings), 'warning')} to check."
        )
    for note in programme.notes:
        if not quiet or note.severity == "warning":
            click.echo(note.format(str(file)))


@cli.command()
@content_argument
@click.option(
    "--attendees",
    "attendees_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="CSV or YAML list of attendees (default: badges.attendees in event.yaml, else "
    "everyone in people.yaml).",
)
@click.option(
    "--layout",
    type=click.Choice(BADGE_LAYOUTS, case_sensitive=False),
    help="Badge stock (default: badges.layout in event.yaml, else a6-4up).",
)
@out_dir_option
@click.option(
    "--duplex", is_flag=True, help="Add backs: print double-sided, flipping on the long edge."
)
@strict_option
@limit_options
@language_option
@click.pass_context
@_handle_errors
def badges(
    ctx: click.Context,
    content_dir: Path,
    attendees_file: Path | None,
    layout: str | None,
    out_dir: Path,
    duplex: bool,
    strict: bool,
) -> None:
    """Write a name badge for every attendee to badges.pdf."""
    settings = {"layout": layout, "duplex": duplex} if layout else {"duplex": duplex}
    session = _session(
        content_dir,
        out_dir=out_dir,
        strict=strict,
        attendees=attendees_file,
        settings={"badges": settings},
    )
    _build(ctx, session, "badges", one=True)


@cli.command()
@content_argument
@click.option(
    "--to",
    "to",
    metavar="FILE|speakers",
    help="Recipients: a CSV or YAML list with an email column, or 'speakers' "
    "(default: mail.recipients in event.yaml).",
)
@click.option("--from", "sender", metavar="ADDRESS", help="Sender (default: mail.from).")
@out_dir_option
@click.option("--send", is_flag=True, help="Send; without it, only write previews to OUT/mail/.")
@click.option("--smtp", metavar="HOST:PORT", help="SMTP server (default: mail.smtp).")
@click.option(
    "--security",
    type=click.Choice(["starttls", "tls", "none"], case_sensitive=False),
    help="starttls (default), tls (implicit, port 465) or none.",
)
@click.option(
    "--user", metavar="NAME", help="Login; the password is read from BOOKLET_SMTP_PASSWORD."
)
@click.option(
    "--rate", type=click.IntRange(min=1), metavar="N", help="At most N messages a minute."
)
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="Stop after N messages.")
@click.option("--yes", is_flag=True, help="Send to more than 20 without asking.")
@click.option("--link", metavar="URL", help="Send this link instead of attaching the booklet.")
@click.option(
    "--pdf",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Attach this file instead of programme.pdf (built when missing or out of date).",
)
@click.option("--retry-failed", is_flag=True, help="Also send to addresses refused before.")
@click.option(
    "--new-mailout",
    is_flag=True,
    help="Start a new mail-out: everyone gets the message, even those who got the last one.",
)
@limit_options
@click.pass_context
@_handle_errors
def mail(ctx: click.Context, content_dir: Path, out_dir: Path, **kwargs) -> None:
    """Mail the booklet: one message per recipient, previewed first, resumable.

    Without --send, writes one .eml file per recipient to OUT/mail/ and prints a summary.
    With --send, delivers through the SMTP server and records each delivery in
    OUT/mail/journal-LIST.jsonl, so running the same command again mails only the rest.
    """
    from booklet.mail import MailOptions, mail_out
    from booklet.mail.progress import send_progress
    from booklet.mail.report import ask, print_result

    quiet = ctx.obj.get("quiet")
    password = os.environ.get("BOOKLET_SMTP_PASSWORD")
    if kwargs["send"] and kwargs["user"] and password is None and sys.stdin.isatty():
        password = click.prompt(f"Password for {kwargs['user']}", hide_input=True)
    options = MailOptions(
        content_dir=content_dir, out_dir=out_dir, password=password, limits=_limits(), **kwargs
    )
    try:
        with send_progress(enabled=not quiet) as progress:
            result = mail_out(
                options,
                confirm=ask if sys.stdin.isatty() else None,
                progress=progress,
            )
    except KeyboardInterrupt:
        click.echo(
            "stopped: every delivery so far is in the journal; "
            "run the same command again to send the rest",
            err=True,
        )
        sys.exit(130)
    print_result(result, quiet=quiet)
    sys.exit(0 if result.ok else 1)


@cli.command()
@click.argument("in_pdf", metavar="IN", type=click.Path(path_type=Path, exists=True))
@click.argument("out_pdf", metavar="OUT", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_context
@_handle_errors
def impose(ctx: click.Context, in_pdf: Path, out_pdf: Path) -> None:
    """Impose a PDF booklet two-up on sheets for saddle stitching.

    Print OUT double-sided, flipping on the short edge, fold the stack and staple it.
    """
    from booklet.render.impose import impose as run_impose

    done = run_impose(in_pdf, out_pdf)
    if not ctx.obj.get("quiet"):
        blanks = f", {_count(done.blanks, 'blank page')} added" if done.blanks else ""
        click.echo(
            f"wrote {out_pdf} ({_count(done.pages, 'page')} on {_count(done.sheets, 'sheet')} "
            f"of {done.sheet}{blanks}); print double-sided, flipping on the short edge"
        )


@cli.command()
@content_argument
@out_dir_option
@click.option(
    "--page-size",
    type=click.Choice(SIGN_SIZES, case_sensitive=False),
    help="Paper, landscape (default: signs.page_size in event.yaml, else A4).",
)
@strict_option
@limit_options
@language_option
@click.pass_context
@_handle_errors
def signs(
    ctx: click.Context, content_dir: Path, out_dir: Path, page_size: str | None, strict: bool
) -> None:
    """Write a door sign for each room and day to signs.pdf."""
    settings = {"signs": {"page_size": page_size}} if page_size else {}
    session = _session(content_dir, out_dir=out_dir, strict=strict, settings=settings)
    _build(ctx, session, "signs", one=True)


@cli.command()
@click.argument("pdfs", metavar="[PDF]...", nargs=-1, type=click.Path(path_type=Path, exists=True))
@click.pass_context
@_handle_errors
def preflight(ctx: click.Context, pdfs: tuple[Path, ...]) -> None:
    """Check PDFs as a print shop would (default: every PDF in build/).

    Page size and count, fonts embedded, no missing glyphs, trim and bleed boxes of the
    print variant, image resolution, colour spaces, size of the email variant. Exits with 1
    if any check fails.
    """
    from booklet.errors import UsageError
    from booklet.preflight import preflight as run_preflight

    if not pdfs and not DEFAULT_OUT.is_dir():
        raise UsageError(f"no {DEFAULT_OUT}/ folder to check", "run booklet build, or name PDFs")
    report = run_preflight(pdfs or (DEFAULT_OUT,), jobs=os.cpu_count() or 1)
    if not report.files:
        raise UsageError(f"no PDF files in {DEFAULT_OUT}/", "run booklet build, or name PDFs")
    if not ctx.obj.get("quiet") or not report.ok:
        click.echo(report.table())
    sys.exit(0 if report.ok else 1)


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.pass_context
@_handle_errors
def init(ctx: click.Context, folder: Path) -> None:
    """Start a new event in FOLDER: a small example whose comments explain every field."""
    from booklet.init_template import write_example

    written = write_example(folder)
    if not ctx.obj.get("quiet"):
        for path in written:
            click.echo(f"wrote {path}")
        click.echo(f"Edit them, then run 'booklet check {folder}' and 'booklet build {folder}'.")


@cli.command()
@content_argument
@out_dir_option
@click.option(
    "--attendees",
    "attendees_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Attendees for the badges (CSV or YAML).",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Parallel processes.")
@click.pass_context
@_handle_errors
def watch(
    ctx: click.Context,
    content_dir: Path,
    out_dir: Path,
    attendees_file: Path | None,
    jobs: int | None,
) -> None:
    """Rebuild the outputs a change affects whenever a content, style or font file changes."""
    from booklet.build import run
    from booklet.errors import BookletError, ContentError
    from booklet.outputs import load_registry
    from booklet.outputs.booklet import prepare
    from booklet.render.pieces import LayoutCache
    from booklet.session import CACHE
    from booklet.watch import watch as run_watch

    registry = load_registry()
    session = _session(
        content_dir, out_dir=out_dir, attendees=attendees_file, jobs=jobs, preflight=False
    )
    session.layout_cache = LayoutCache(out_dir / CACHE)

    def rebuild(only):
        try:
            result = run(session, only=only, registry=registry)
        except ContentError as exc:  # each problem, then one line from the watcher
            report_diagnostics(exc.diagnostics, summary=False)
            raise BookletError(
                f"{_count(len(exc.errors), 'error')}, the last good files stay in place"
            ) from None
        for w in result.warnings:
            click.echo(f"warning: {w}", err=True)
        for failure in result.failures:
            click.echo(f"error: {failure}", err=True)

    try:
        run_watch(session, registry, rebuild, report=click.echo, prepare=lambda: prepare(session))
    except KeyboardInterrupt:
        click.echo("stopped")


@cli.group()
def export() -> None:
    """Print or write the programme in another format."""


out_file_option = click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file instead of printing.",
)


def export_command(name: str):
    """`booklet export NAME [CONTENT_DIR] [--out FILE] [--strict] [limits]`: the arguments and
    error handling every export shares; a command adds its own options below this one."""

    def decorate(func):
        for decorator in (
            _handle_errors,
            language_option,
            limit_options,
            strict_option,
            out_file_option,
            content_argument,
            export.command(name),
        ):
            func = decorator(func)
        return func

    return decorate


@export_command("json")
def export_json(content_dir: Path, out_file: Path | None, strict: bool) -> None:
    """The validated programme as JSON, for scripts."""
    from booklet.export.json import dumps

    _export(content_dir, strict, out_file, lambda p, _: dumps(p))


def _export(content_dir: Path, strict: bool, out_file: Path | None, render) -> None:
    """Load, render with `render(programme, content_dir)`, print or write atomically."""
    from booklet import output

    result = _load(content_dir, strict)
    for w in result.warnings:
        click.echo(f"warning: {w}", err=True)
    text = render(result.programme, content_dir)
    if out_file is None:
        click.echo(text, nl=False)
    else:
        output.write_text(out_file, text)


@export_command("xml")
def export_xml(content_dir: Path, out_file: Path | None, strict: bool) -> None:
    """frab/C3VOC schedule.xml, for conference apps and pretalx."""
    from booklet.export.frab import to_xml

    _export(content_dir, strict, out_file, lambda p, _: to_xml(p))


@export_command("schedule-json")
def export_schedule_json(content_dir: Path, out_file: Path | None, strict: bool) -> None:
    """The JSON flavour of schedule.xml (frab/pretalx schedule.json)."""
    from booklet.export.frab import to_json

    _export(content_dir, strict, out_file, lambda p, _: to_json(p))


@export_command("ics")
@click.option("--no-breaks", is_flag=True, help="Leave out breaks and meals.")
def export_ics(content_dir: Path, out_file: Path | None, no_breaks: bool, strict: bool) -> None:
    """iCalendar (.ics): one event per item, for calendar programs."""
    from booklet.export.ics import to_ics

    _export(content_dir, strict, out_file, lambda p, _: to_ics(p, breaks=not no_breaks))


@export_command("html")
def export_html(content_dir: Path, out_file: Path | None, strict: bool) -> None:
    """One self-contained web page of the programme (index.html)."""
    from booklet.export.web import render_web

    _export(content_dir, strict, out_file, render_web)


def _keep_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:  # the same switch as `booklet -q COMMAND`
        ctx.ensure_object(dict)["quiet"] = True
    return value


def _quiet_everywhere(group: click.Group) -> None:
    """Accept `-q/--quiet` after every command too: people type `booklet build -q` as often
    as `booklet -q build`."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            _quiet_everywhere(command)
        if not any(p.name == "quiet" for p in command.params):
            command.params.append(
                click.Option(
                    ["-q", "--quiet"],
                    is_flag=True,
                    expose_value=False,
                    callback=_keep_quiet,
                    help="Print only warnings and errors (as `booklet -q`).",
                )
            )


_quiet_everywhere(cli)


def main() -> None:
    cli(obj={})


if __name__ == "__main__":
    main()
