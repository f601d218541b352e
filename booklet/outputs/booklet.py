"""The booklet: the programme laid out by WeasyPrint into `programme.pdf` (screen and
email), `programme-print.pdf` (bleed and crop marks) and `programme-imposed.pdf` (saddle
stitch), which share one layout. Configured by `settings:` in event.yaml (page size, bleed),
which the programme's validator reads, since the booklet is the programme's own output."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from booklet import model
from booklet import output as files
from booklet.errors import BookletError, Diagnostic, Location
from booklet.outputs import (
    ABSTRACT,
    FONT,
    OTHER,
    PROGRAMME,
    JobResult,
    Output,
    Product,
    Task,
    kinds,
)

log = logging.getLogger(__name__)

# Joining the pieces into the booklet's files takes about this share of the time the
# pieces took, on the booklet's progress bar (one process joins what two laid out).
JOIN_SHARE = 0.07


def booklet_options(programme: model.Programme, page_size: str | None):
    """The booklet's page size (the command line's, else event.yaml's) and bleed."""
    from booklet.render.booklet import BookletOptions

    settings = programme.event.settings
    return BookletOptions(page_size=page_size or settings.page_size, bleed_mm=settings.bleed_mm)


def make_booklet(task: Task) -> JobResult:
    from booklet.render.pieces import LayoutCache, render_booklet, write_print, write_screen
    from booklet.system import require_weasyprint

    require_weasyprint()
    session = task.session
    result = JobResult()
    options = booklet_options(task.programme, session.page_size)
    cache = session.layout_cache
    # Watching, after the first build an edit changes a piece or two: they are laid out in
    # the watching process, whose fonts and hyphenation dictionaries stay loaded from one
    # build to the next, faster than in new worker processes.
    jobs = 1 if cache is not None and cache.pieces else session.workers
    if cache is None and session.cache_dir is not None:
        cache = LayoutCache(session.cache_dir)
    total = [1]

    def pieces_step(done: int, work: int) -> None:  # the pieces' work, then the join's
        total[0] = work + max(1, round(JOIN_SHARE * work))
        task.step(done, total[0])

    from booklet.build import timed

    with timed(result.timings, "booklet pieces"):  # laid out and written, in parallel
        rendered = render_booklet(
            task.programme, task.content_dir, options, cache, jobs=jobs, step=pieces_step
        )
    result.pages = rendered.page_count
    print_path = task.path("print", OUTPUT)
    screen_path = task.path("booklet", OUTPUT)
    imposed_path = task.path("imposed", OUTPUT)
    writers = []
    if "print" in task.wanted or "imposed" in task.wanted:
        then = None
        if "imposed" in task.wanted:  # imposed from the print file, in the process writing it

            def then():
                from booklet.render.impose import impose

                impose(print_path, imposed_path)

        writers.append((print_path, write_print, then))
    if "booklet" in task.wanted:
        writers.append((screen_path, write_screen, None))
    with timed(result.timings, "booklet join"):  # the pieces joined into the files
        _write_all(rendered, writers, parallel=session.workers > 1)
    task.step(total[0], total[0])
    for url in dict.fromkeys(rendered.refused_urls):  # each once, in the order met
        result.warnings.append(
            Diagnostic(
                Location(task.content_dir),
                "booklet",
                f"refused to fetch {url!r}",
                "the booklet only uses files of the content, styles and fonts folders",
            )
        )
    for what, hint in rendered.notices:
        result.warnings.append(
            Diagnostic(Location(task.content_dir), "booklet", what, hint, "warning")
        )
    made = {"booklet": screen_path, "print": print_path, "imposed": imposed_path}
    pages = f"{rendered.page_count} pages"
    for name in OUTPUT.product_names:
        if name in task.wanted:
            result.outputs[name] = made[name]
            if name != "imposed":
                result.details[name] = pages
    if session.keep_html:
        result.outputs["booklet-html"] = files.write_text(
            task.folder / "programme.html", rendered.html
        )
    return result


def _write_all(document, writers, *, parallel: bool) -> None:
    """Write each (path, writer, then) from one laid-out booklet, then call `then()` if it
    is not None (a file made from the one just written). In parallel, the first writers run
    in forked children, which inherit the booklet's pieces, and write while this process
    writes the last one."""

    def write(path, writer, then):
        files.write_with(path, lambda tmp: writer(document, tmp))
        if then is not None:
            then()

    children = []
    for path, writer, then in writers[:-1] if parallel else []:
        pid = os.fork()
        if pid == 0:  # the child: write, then leave without running any cleanup
            code = 1
            try:
                write(path, writer, then)
                code = 0
            except BaseException:
                log.exception("writing %s failed", path)
            finally:
                os._exit(code)
        children.append((pid, path))
    for path, writer, then in writers[len(children) :]:
        write(path, writer, then)
    for pid, path in children:
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise BookletError(f"writing {path.name} failed", "run with --debug -j 1 to see why")


def prepare(session) -> None:
    """Watching: load what the next booklet build needs (WeasyPrint, the parsed stylesheets
    and their fonts) into the session's layout cache, if the last build did not. After a
    first build that found every output unchanged, the first edit then lays out only its
    own piece."""
    from booklet.render.pieces import stylesheets
    from booklet.system import require_weasyprint
    from booklet.validate import load_programme

    cache = session.layout_cache
    if cache is None or cache.sheet is not None:
        return
    require_weasyprint()
    programme = load_programme(Path(session.content_dir), session.limits).programme
    stylesheets(programme, Path(session.content_dir), booklet_options(programme, None), cache)


def parse_section(section) -> model.Settings:
    """The `settings:` mapping of event.yaml (a `validate.SectionReader`): the booklet's
    page size and the print variant's bleed."""
    from booklet import paper
    from booklet.validate.checker import millimetres

    c, raw = section.checker, section.raw
    settings = model.Settings()
    if not section.allow("page_size", "bleed"):
        return settings
    bleed = raw.get("bleed")
    if bleed is not None:
        mm = millimetres(bleed)
        if mm is None or not 0 <= mm <= 20:
            c.error(
                raw.value_locs["bleed"],
                "settings.bleed",
                f"bad bleed {bleed!r}",
                "give millimetres between 0 and 20, e.g. 3mm",
            )
        else:
            settings = model.Settings(page_size=settings.page_size, bleed_mm=mm)
    size = c.text(raw, "page_size", "settings")
    if size is not None:
        canonical = paper.normalise_page_size(size)
        if canonical is None:
            c.error(
                raw.value_locs["page_size"],
                "settings.page_size",
                f"unknown page size {size!r}",
                "use one of " + ", ".join(paper.BOOKLET_SIZES),
            )
        else:
            settings = model.Settings(page_size=canonical, bleed_mm=settings.bleed_mm)
    return settings


OUTPUT = Output(
    name="booklet",
    products=(
        Product("booklet", "programme.pdf", frozenset({"booklet", "email"})),
        Product("print", "programme-print.pdf", frozenset({"booklet", "print"})),
        Product("imposed", "programme-imposed.pdf", frozenset({"imposed"})),
    ),
    run=make_booklet,
    section="settings",
    parse_section=parse_section,
    affected_by=kinds(PROGRAMME, ABSTRACT, FONT, OTHER, styles=lambda n: not n.startswith("web.")),
    description="the booklet: programme.pdf, programme-print.pdf, programme-imposed.pdf",
)
