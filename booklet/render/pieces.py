"""The booklet's pieces laid out by WeasyPrint in worker processes, then joined.

`render_booklet` lays the pieces (`booklet.booklet_html`) out in worker processes
(`workers.Pool`), numbering those laid out before their start was known
(`renumber.Layout`), and each is written to PDF; `write_print` and `write_screen` join them
(`assemble`). `LayoutCache` keeps the pieces from one build to the next.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from booklet import i18n, model, paper, paths
from booklet.render.booklet import (
    PAGE_WORDS_AT_MOST,
    BookletOptions,
    IndexEntry,
    Numbers,
    ResolvedEntry,
    _Shared,
    _shared,
    anchor_pages,
    booklet_html,
    entry_words,
    has_entry,
    index_items,
    resolve_index,
    speaker_index,
)
from booklet.render.notices import gathered, notices
from booklet.themes import Theme

log = logging.getLogger(__name__)


def write_print(rendered: RenderedBooklet, target) -> None:
    """The print shop's file: the bleed laid out, TrimBox and BleedBox set, crop marks
    outside the bleed, every font embedded (WeasyPrint always embeds, subset)."""
    from booklet.render.assemble import PRINT, assemble

    Path(target).write_bytes(assemble(rendered.pieces, PRINT))


def write_screen(rendered: RenderedBooklet, target) -> None:
    """The file for screens and email, from the same pieces: the page trimmed (no bleed),
    tagged as PDF/UA-1, images at most 150 dpi."""
    from booklet.render.assemble import SCREEN, assemble

    Path(target).write_bytes(assemble(rendered.pieces, SCREEN))


# A day group (a piece of the schedule and of the abstracts) holds days until about this
# many pages. Smaller pieces keep both processes busy on a small event (a 40-talk one has
# two groups, not one whose abstracts one process lays out while the other waits), larger
# ones make a lighter file: each piece embeds its own font subsets (40 talks: 375 KB in
# one group, 417 KB in two, 527 KB in three).
PIECE_PAGES = 20

# How long a piece takes, roughly, in milliseconds of one core here (measured on the
# 600-talk benchmark event): its own setup, then its abstracts' words, its grids' items or
# its index entries. Only their ratios matter: the booklet's progress bar moves with the
# work its pieces have done, not their number (on that event, five pieces of abstracts of
# thirteen take two thirds of the time).
PIECE_WORK = 300
WORK_PER_WORD = 0.37
WORK_PER_GRID_ITEM = 18
WORK_PER_INDEX_ENTRY = 11
LAID_OUT_SHARE = 0.6  # of a piece's work: laying it out; then numbering and writing it


@dataclass(frozen=True)
class PieceResult:
    pages: int
    anchors: dict[str, int]  # anchor -> page in the piece, from 1
    pdf: object = None  # assemble.PiecePdf, when written


@dataclass
class RenderedBooklet:
    pieces: list  # assemble.PiecePdf, in page order
    pages: dict[str, int]  # anchor -> page number
    page_count: int
    html: str  # the whole booklet, notes included: renders alone to the same pages
    refused_urls: list[str] = dataclasses.field(default_factory=list)
    notices: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (what, hint)


# A cache entry's file (NAME.json, NAME.pdf, NAME.screen.pdf) or one being written
# (.NAME.json.XXXX.tmp): the folder holds other files too (`reuse.RECORD`).
_ENTRY = re.compile(r"\.?([0-9a-f]{40})\.")


class LayoutCache:
    """Pieces laid out and written by one build, kept for the next: a piece whose HTML did
    not change (same content, same page numbers, same start) is not laid out again.

    In memory for `booklet watch`; in `folder` (the output folder's `.booklet-cache/`) for
    `booklet build`, so that rebuilding after an edit lays out only the pieces it changed.
    Keeps the last build's pieces only. On disk an entry is named by a digest of the piece's
    HTML, its first page, the stylesheets and the files they may read (fonts, images) and
    the versions of WeasyPrint and booklet; an entry that cannot be read is a miss."""

    def __init__(self, folder: Path | None = None):
        self.pieces: dict[tuple[str, int | None], PieceResult] = {}
        self.folder = Path(folder) if folder is not None else None
        self.sheet_key: str | None = None
        self.salt = ""
        self.hits = 0
        # the parsed stylesheets and the fonts they loaded, reused while they do not change
        self.sheet = self.fonts = None
        self.sheet_refused: list[str] = []

    def get(self, key) -> PieceResult | None:
        found = self.pieces.get(key)
        if found is None and self.folder is not None:
            found = self._read(self._name(key))
        self.hits += found is not None
        return found

    def keep(self, used: dict) -> None:
        """Remember this build's pieces (and forget the others)."""
        self.pieces = dict(used)
        if self.folder is None:
            return
        import contextlib

        names = {self._name(key): result for key, result in used.items()}
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, result in names.items():
                if not (self.folder / f"{name}.json").exists():
                    self._write(name, result)
            for path in self.folder.iterdir():  # entries of other builds, their temporaries
                entry = _ENTRY.match(path.name)
                if entry is not None and entry[1] not in names:
                    path.unlink()

    def _name(self, key) -> str:
        import hashlib

        html, first = key
        digest = hashlib.sha256(self.salt.encode())
        digest.update(f"\0{first}\0".encode())
        digest.update(html.encode())
        return digest.hexdigest()[:40]

    def _write(self, name: str, result: PieceResult) -> None:
        import json

        from booklet import output

        meta = {"pages": result.pages, "anchors": result.anchors}
        if result.pdf is not None:
            pdf = result.pdf
            meta |= {"owned": sorted(pdf.owned), "bookmarks": pdf.bookmarks}
            meta["sha256"] = [_sha256(pdf.data), _sha256(pdf.screen)]
            output.write_bytes(self.folder / f"{name}.pdf", pdf.data)
            if pdf.screen is not None:
                output.write_bytes(self.folder / f"{name}.screen.pdf", pdf.screen)
        # the metadata last: an entry without it is not found
        output.write_text(self.folder / f"{name}.json", json.dumps(meta))

    def _read(self, name: str) -> PieceResult | None:
        import json

        from booklet.render.assemble import PiecePdf

        try:
            meta = json.loads((self.folder / f"{name}.json").read_text())
            pdf = None
            if "owned" in meta:
                screen = self.folder / f"{name}.screen.pdf"
                pdf = PiecePdf(
                    (self.folder / f"{name}.pdf").read_bytes(),
                    frozenset(meta["owned"]),
                    tuple((int(level), str(state)) for level, state in meta["bookmarks"]),
                    screen.read_bytes() if screen.exists() else None,
                )
                if [_sha256(pdf.data), _sha256(pdf.screen)] != meta["sha256"]:
                    return None  # damaged: lay the piece out again
            anchors, pages = meta["anchors"], meta["pages"]
            # written by `_write`; anything else (edited, another version) is laid out again
            if not all(type(v) is int and 0 < v <= pages for v in anchors.values()):
                return None
            if type(pages) is not int or not 0 < pages < 100_000:
                return None
            return PieceResult(pages, {str(k): v for k, v in anchors.items()}, pdf)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None


def _sha256(data: bytes | None) -> str | None:
    import hashlib

    return hashlib.sha256(data).hexdigest() if data is not None else None


def _inputs_digest(folders: list[Path], content_dir: Path, skip: Path | None) -> str:
    """Names, sizes and times of the files a layout may read besides its HTML: styles and
    fonts, content files other than the YAML and Markdown the HTML is made from, and the
    system's fonts."""
    import hashlib

    import weasyprint

    from booklet import __version__
    from booklet.fontset import system_fonts_digest

    digest = hashlib.sha256(f"{weasyprint.__version__} {__version__}".encode())
    digest.update(system_fonts_digest().encode())  # WeasyPrint falls back to system fonts
    for folder, path in paths.files_in([*folders, content_dir], skip):
        if folder == content_dir and path.suffix.lower() in (".yaml", ".yml", ".md"):
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dataclass
class PieceContext:
    """What every piece's layout needs, set up once before the workers are forked."""

    base_url: str
    fetcher: object
    sheet: object
    fonts: object


class PieceWorker:
    """The worker's side of the booklet: lays pieces out, numbers and writes them. Made
    before the worker processes are forked, which inherit it (and its context): tasks carry
    only their own small arguments. Keeps the pieces it laid out before their real first
    page was known, until they are numbered."""

    def __init__(self, context: PieceContext):
        self.context = context
        self.layouts: dict = {}  # key -> a layout waiting for its real first page

    def __call__(self, task, send) -> None:
        """A task. ("layout", key, html, first): lay a piece out from a guessed first page
        (and placeholder page numbers) and keep it; ("finish", key, first, html, values):
        number it from its real first page, put in the real page numbers `values` (the
        HTML's `data-page` attributes; None: they cannot be put in, lay `html` out again)
        and write it; ("piece", key, html, first): lay out and write at once. Sends ("laid
        out", pages, anchors), again if a piece had to be laid out again, and ("written",
        PiecePdf), then ("notices", [...]): WeasyPrint's warnings, each reported once by
        the parent."""
        with gathered() as gatherer:
            self.run(task, send)
        send(("notices", gatherer.found))

    def run(self, task, send) -> None:
        kind, *args = task
        refused = len(self.context.fetcher.refused)
        if kind == "finish":
            key, first, html, values = args
            layout = self.layouts.pop(key)
            # renumbering refuses sides of different widths; the numbers may not fit
            patched = values is not None and (not values or layout.patch(values))
            if not (layout.renumber(first) and patched):
                layout = self.render(html, first)
                layout.renumber(first)
                send(("laid out", len(layout.document.pages), anchor_pages(layout.document)))
            send(("written", _write_piece(layout.document)))
        else:
            key, html, first = args
            layout = self.render(html, first)
            if kind == "piece":
                layout.renumber(first)
            send(("laid out", len(layout.document.pages), anchor_pages(layout.document)))
            if kind == "layout":
                self.layouts[key] = layout
            elif kind == "piece":
                send(("written", _write_piece(layout.document)))
        send(("refused", self.context.fetcher.refused[refused:]))

    def render(self, html: str, first: int):
        """One piece laid out by WeasyPrint from page `first` (`renumber.Layout`)."""
        from weasyprint import CSS, HTML

        from booklet.render.renumber import Layout

        context = self.context
        document = HTML(string=html, base_url=context.base_url, url_fetcher=context.fetcher)
        sheets = [context.sheet]
        if first > 1:
            sheets.append(CSS(string=first_page_css(first), font_config=context.fonts))
        # every piece is numbered (`Layout.renumber`) before it is written: that finishes it
        return Layout.render(document, sheets, context.fonts, first, finished=False)


def notes_pages(pages: int) -> int:
    """How many notes pages follow `pages` pages, before the back cover, so that a
    saddle-stitched booklet has a multiple of four pages."""
    return -(pages + 1) % 4


def first_page_css(first: int) -> str:
    """A piece laid out alone starting at page `first`: its pages are numbered from there,
    and it starts on the side that page has in the booklet (an even page is a verso: a
    left-hand page, or right-hand in a right-to-left booklet)."""
    css = f"@page :first {{ counter-reset: page {first}; }}"
    return css + (" html { break-before: verso; }" if first % 2 == 0 else "")


def _write_piece(document):
    """A piece's PDF: tagged PDF/UA-1 with its bleed (and a lighter screen copy if it has
    images). Links to anchors of other pieces get a stub destination, so WeasyPrint keeps
    them; `assemble` points them to the real one."""
    from booklet.render.assemble import PiecePdf

    pages = document.pages
    for page in pages:
        page.links[:] = _outermost_links(page.links)
    owned = frozenset(name for page in pages for name in page.anchors)
    targets = {link[1] for page in pages for link in page.links if link[0] == "internal"}
    for name in sorted(targets - owned):
        pages[0].anchors[name] = (0, 0, 0, 0)
    with _page_references_kept():
        data = document.write_pdf(pdf_variant="pdf/ua-1")
        screen = None
        if b"/Subtype /Image" in data:
            for page in pages:
                page.bleed = dict.fromkeys(page.bleed, 0)
            screen = document.write_pdf(
                pdf_variant="pdf/ua-1", optimize_images=True, dpi=150, jpeg_quality=85
            )
    levels = tuple((level, state) for page in pages for level, _, _, state in page.bookmarks)
    return PiecePdf(data, owned, levels, screen)


@contextlib.contextmanager
def _page_references_kept():
    """While writing, pydyf's `PDF.page_references` is worked out once per page count.
    pydyf lists every page's reference anew on each call, and a tagged PDF calls it for
    each element of the structure tree (about 70 a page): on a 76-page piece that was 0.45 s
    of the 2.8 s its writing took. The pages and their references are the same either way,
    so the file is too. If pydyf no longer has that property, nothing is changed."""
    import pydyf

    compute = pydyf.PDF.__dict__.get("page_references")
    if not isinstance(compute, property):
        yield
        return

    def kept(pdf):
        try:
            count = len(pdf.pages["Kids"])
        except (AttributeError, KeyError, TypeError):  # a pydyf laid out otherwise
            return compute.fget(pdf)
        known = pdf.__dict__.get("_booklet_page_references")
        if known is None or known[0] != count:
            known = pdf.__dict__["_booklet_page_references"] = (count, compute.fget(pdf))
        return known[1]

    pydyf.PDF.page_references = property(kept)
    try:
        yield
    finally:
        pydyf.PDF.page_references = compute


def _outermost_links(links: list) -> list:
    """A page's links without those inside another to the same target. WeasyPrint gives
    every box within a link its own annotation (a span, the `::after` with a contents
    line's leader and page number): one link would be read out, and tabbed through, two to
    four times. Links come parent first; each line of a link that wraps stays one."""
    kept: list = []
    for link in links:
        kind, target, (x1, y1, x2, y2), _box = link
        inside = any(
            k == kind and t == target and a <= x1 + 0.01 and b <= y1 + 0.01
            and x2 <= c + 0.01 and y2 <= d + 0.01
            for k, t, (a, b, c, d), _ in kept
        )  # fmt: skip
        if not inside:
            kept.append(link)
    return kept


def day_groups(programme: model.Programme, shared: _Shared) -> list[tuple]:
    """Consecutive days, grouped into pieces of about PIECE_PAGES estimated pages."""
    groups: list[list] = []
    size = PIECE_PAGES
    for day in programme.days:
        pages = sum(1 for g in shared.grids if g.day.date == day.date)
        words = sum(entry_words(i) for i in shared.entries[day.date])
        pages += words / 300
        if size + pages > PIECE_PAGES and size > 0:
            groups.append([])
            size = 0
        groups[-1].append(day.date)
        size += pages
    return [tuple(g) for g in groups]


def render_booklet(
    programme: model.Programme,
    content_dir: Path,
    options: BookletOptions,
    cache: LayoutCache | None = None,
    jobs: int = 1,
    step: Callable[[int, int], None] | None = None,
) -> RenderedBooklet:
    """Lay the booklet out in pieces, in `jobs` processes, and print the page numbers it
    refers to (contents, grid to abstract, index) from where each anchor landed, instead of
    letting WeasyPrint repaginate the whole document for target-counter().

    The pieces: front matter, week, then the schedule and the abstracts by groups of days,
    the index and notes pages. Each starts on a new page, so laid out alone it has the pages
    it has in the whole document, numbered from where it starts:

    1. at once, from page 1 (`_Run.speculate`): the week and the abstracts, the front
       matter and the schedule with placeholder page numbers as wide as the real ones
       (`Numbers` pads every number with figure spaces to the same width); the index as
       soon as each of its numbers is known or surely has the booklet's number of digits
       (placeholders of that many, `_Run._index_guess`);
    2. once every piece before it has a length, each is numbered from its real first
       page (`renumber.Layout`); the schedule, the index and the front matter, once the
       pages they refer to are known, get their numbers in place of the placeholders
       (`Layout.patch`); then each is written;
    3. notes pages to make the total a multiple of four.
    A number that cannot take its placeholder's place (wider, or in a style without
    tabular figures) has its piece laid out again; if that changed the piece's length, the
    later pieces moved: they are laid out again.
    The HTML of all pieces in one document gives the same pages (`--keep-html`).

    `step(done, total)` is told how far it is: each piece laid out, each written.
    """
    from booklet.render.workers import Pool, TaskFailed

    styles = stylesheets(programme, content_dir, options, cache)
    theme, font_dirs, shared = styles.theme, styles.font_dirs, styles.shared
    worker = PieceWorker(PieceContext(styles.base_url, styles.fetcher, styles.sheet, styles.fonts))
    pieces_shared = dataclasses.replace(shared, fonts_css="", css="")
    # Sorted when first needed (`_Run.advance`), once every piece is handed out: the
    # collation tables take a while to load, and no worker should wait for its next piece.
    entries = functools.cache(lambda: speaker_index(programme))
    groups = day_groups(programme, shared) if programme.days else []
    width = len(str(_estimated_pages(programme)))  # digits of the page numbers
    placeholder = Numbers({}, pending="8" * width, width=width)

    def html_of(section, days=None, **kwargs) -> str:  # one piece's HTML
        return booklet_html(
            programme, theme, options, font_dirs=font_dirs, sections=(section,),
            shared=pieces_shared, days=days, **kwargs,
        )  # fmt: skip

    abstract_groups = [g for g in groups if any(shared.entries[d] for d in g)]
    schedule_groups = [g for g in groups if any(x.day.date in g for x in shared.grids)]
    order = ["front", "week", *(("schedule", g) for g in schedule_groups)]
    order += [("abstracts", g) for g in abstract_groups]
    order += ["index"] if shared.has_index else []
    # Where each item's abstract is: its piece, its place in that piece, and how many pages
    # of words at most come before it there.
    page = paper.paper(options.page_size)
    words_per_page = PAGE_WORDS_AT_MOST * (page.width_mm * page.height_mm / (148 * 210))
    where = {}
    for g in abstract_groups:
        words = 0
        for n, item in enumerate(i for d in g for i in shared.entries[d]):
            where[item.id] = (("abstracts", g), n, words / words_per_page)
            words += entry_words(item)
    work = functools.cache(functools.partial(piece_work, programme))
    # the notes pages and back cover join at the end: their share is in the total from the
    # start, so that the bar never goes back
    total_work = round(sum(map(work, order)) + work("notes"))
    t0 = time.perf_counter()
    if step is not None:
        step(0, total_work)
    refused: list[str] = list(styles.refused)  # by the stylesheets; pieces send theirs
    found: list[tuple[str, str]] = []  # the libraries' warnings the pieces gathered
    hints: dict = {}  # piece -> PieceResult, from an earlier attempt
    memo: dict = {}  # (html, first page) -> PieceResult, across attempts
    reached: dict = {}  # ("laid out" or "written", piece) -> its share of the work
    with Pool(jobs, worker) as pool:
        for _attempt in range(3):
            run = _Run(pool, order, hints, cache, memo, html_of, placeholder, where)
            run.speculate("front", html_of("front", numbers=placeholder), priority=0)
            run.speculate("week", html_of("week"), priority=0)
            for g in schedule_groups:
                html = html_of("schedule", g, numbers=placeholder)
                run.speculate(("schedule", g), html, priority=1)
            for g in abstract_groups:  # each submit hands out what waits to a free worker
                key = ("abstracts", g)
                run.speculate(key, html_of("abstracts", g), priority=2)
            while True:
                run.advance(entries)
                message = run.next_message()
                if message is None:
                    break
                key, value = message
                log.debug(
                    "%.2f %s %s",
                    time.perf_counter() - t0,
                    key,
                    value[0] if isinstance(value, tuple) else value,
                )
                if isinstance(value, TaskFailed):
                    if value.error is not None:
                        raise value.error
                    raise RuntimeError(value.trace)
                if value[0] == "refused":
                    refused.extend(value[1])
                elif value[0] == "notices":
                    found.extend(value[1])
                else:
                    run.receive(key, value)
                    if step is not None and (value[0], key) not in reached:
                        share = LAID_OUT_SHARE if value[0] == "laid out" else 1 - LAID_OUT_SHARE
                        reached[(value[0], key)] = share * work(key)
                        done = sum(reached.values())
                        step(min(round(done), total_work), total_work)
            if not run.moved:
                break
            hints = dict(run.partial)
        else:
            raise RuntimeError("the booklet's page numbers did not settle")
    pad = notes_pages(run.total)
    html = booklet_html(
        programme,
        theme,
        options,
        font_dirs=font_dirs,
        numbers=Numbers(run.pages, width=width),
        index=run.index,
        notes_pages=pad,
        shared=shared,
    )
    pieces = [run.results[key].pdf for key in run.order]
    if cache is not None:
        cache.keep(run.used)
    return RenderedBooklet(
        pieces, run.pages, run.total + pad + 1, html, list(dict.fromkeys(refused)), notices(found)
    )


@dataclass
class Styles:
    theme: Theme
    font_dirs: list[Path]
    shared: _Shared
    base_url: str
    fetcher: object  # render.fetch.SafeFetcher
    sheet: object  # weasyprint.CSS: the fonts and the theme's stylesheets, parsed
    fonts: object  # weasyprint's FontConfiguration, with the fonts the sheet loads
    refused: list[str]  # what the stylesheets asked for and were refused


def stylesheets(
    programme: model.Programme,
    content_dir: Path,
    options: BookletOptions,
    cache: LayoutCache | None,
) -> Styles:
    """The stylesheets every piece is laid out with, parsed once; `cache` keeps them while
    they and the files they may read do not change. `booklet watch` calls this while waiting
    for the first edit, so that its build finds them parsed."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from booklet.render.fetch import SafeFetcher

    theme = Theme(content_dir, i18n.language_of(programme.event))
    font_dirs = [d for d in (paths.event_fonts(content_dir), paths.DEFAULT_FONTS) if d.is_dir()]
    fetcher = SafeFetcher([*theme.dirs, *font_dirs, Path(content_dir)])
    base_url = Path(content_dir).resolve().as_uri() + "/"
    shared = _shared(programme, theme, options, font_dirs)
    sheet_text = shared.fonts_css + "\n" + shared.css
    key = None
    if cache is not None:
        out = cache.folder.parent.resolve() if cache.folder is not None else None
        inputs = _inputs_digest([*theme.dirs, *font_dirs], Path(content_dir).resolve(), out)
        key = sheet_text + base_url + inputs
    if cache is not None and cache.sheet is not None and cache.sheet_key == key:
        # watching: the stylesheets did not change since the last build
        fonts, sheet, refused = cache.fonts, cache.sheet, cache.sheet_refused
    else:
        fonts = FontConfiguration()
        sheet = CSS(string=sheet_text, base_url=base_url, url_fetcher=fetcher, font_config=fonts)
        refused = list(fetcher.refused)
        if cache is not None:
            cache.pieces, cache.sheet_key = {}, key
            cache.fonts, cache.sheet, cache.sheet_refused = fonts, sheet, refused
    if cache is not None:
        cache.salt = key
    return Styles(theme, font_dirs, shared, base_url, fetcher, sheet, fonts, refused)


# The page numbers a piece's HTML carries: the templates show them with attr(data-page),
# or as the whole text of the element that has the attribute (the index's links).
_DATA_PAGE = re.compile(r'data-page="([^"]*)"')
_NUMBERS = re.compile(r'data-page="([^"]*)"([^>]*)>(?:\1(?=<))?')


def _without_numbers(html: str) -> str:
    return _NUMBERS.sub(r"\2>", html)


class _Run:
    """One attempt at laying out the pieces: what has been laid out, what can be next.

    Tasks go in this order (`Pool` priorities): the front matter and the week, whose
    lengths every start needs (0); the schedule (1), short, after which the abstracts'
    page numbers soon have their final number of digits; the abstracts and the index (2);
    then numbering and writing what was laid out (3), each in the worker that keeps the
    layout.

    Every piece is first laid out from page 1 (`speculate`): the week and the abstracts
    as they are, the front matter, the schedule and the index with placeholder page
    numbers as wide as the real ones will be (the index as soon as the number of digits of
    each of its numbers is sure: `_index_guess`). Once every piece before it has a length,
    a piece is numbered from its real first page (`renumber.Layout`), given its real page
    numbers in place of the placeholders (`Layout.patch`, or laid out again if they do not
    fit as exactly) and written (`finish`). An index whose numbers were all known before
    it could be guessed is laid out once (`piece`), queued with the writing (3): the
    worker left with less of its own to write takes it."""

    def __init__(self, pool, order, hints, cache, memo, html_of, placeholder, where):
        self.pool = pool
        self.order = list(order)
        self.hints = hints  # piece -> PieceResult of an earlier attempt (its real length)
        self.cache = cache
        self.memo = memo
        self.html_of = html_of
        self.placeholder = placeholder  # Numbers of the placeholders
        self.where = where  # item id -> (its abstracts piece, its place in the piece)
        self.partial: dict = {}  # piece -> PieceResult, laid out (its length and anchors)
        self.results: dict = {}  # piece -> PieceResult with its PDF
        self.submitted: set = set()
        self.finishing: set = set()
        self.in_worker: set = set()  # speculative layouts kept by a worker
        self.used: dict = {}  # (html, first page) -> PieceResult, for the next build's cache
        self.keys: dict = {}  # key -> its cache key
        self.moved = False
        self.index: list[ResolvedEntry] = []
        self.pages: dict[str, int] = {}
        self.total = 0
        self.inline: list = []  # results known without a layout, as messages

    # -- submitting -----------------------------------------------------------------------

    def _known(self, cache_key) -> PieceResult | None:
        found = self.memo.get(cache_key)
        if found is None and self.cache is not None:
            found = self.cache.get(cache_key)
        return found

    def _reuse(self, key, found: PieceResult) -> None:
        self.inline.append((key, ("laid out", found.pages, found.anchors)))
        if found.pdf is not None:
            self.inline.append((key, ("written", found.pdf)))

    def speculate(self, key, html: str, priority: int = 1) -> None:
        """Lay a piece out from page 1 and keep it, to be numbered when its start is known."""
        self.submitted.add(key)
        self.keys[key] = (html, None)
        if key in self.hints:  # laid out again in the last attempt: its real length
            hint = self.hints[key]
            self.inline.append((key, ("laid out", hint.pages, hint.anchors)))
        elif found := self._known((html, None)):
            self.inline.append((key, ("laid out", found.pages, found.anchors)))
        else:
            self.in_worker.add(key)
            self.pool.submit(key, ("layout", key, html, 1), priority=priority)

    def finish(self, key, first: int, html: str | None = None) -> None:
        """Number a speculated piece from its real first page, put its real page numbers
        in (`html`: the piece's HTML with them), and write it."""
        spec = self.keys[key][0]  # the HTML it was speculated with
        html = spec if html is None else html
        values: list[str] | None = []
        if html != spec:  # the same but for the numbers: they can be put in place
            same = _without_numbers(spec) == _without_numbers(html)
            values = _DATA_PAGE.findall(html) if same else None
        self.finishing.add(key)
        self.keys[key] = cache_key = (html, first)
        if found := self._known(cache_key):
            self._reuse(key, found)
        elif key in self.in_worker:
            # only the worker that keeps the layout can do it (`Pool.hold`)
            task = ("finish", key, first, html, values)
            self.pool.submit(key, task, pinned=True, priority=3)
        else:  # laid out by an earlier build or attempt: lay it out again, from its start
            self.pool.submit(key, ("piece", key, html, first), priority=3)

    def piece(self, key, html: str, first: int, priority: int = 3) -> None:
        """Lay out and write a piece whose start and page numbers are known."""
        self.submitted.add(key)
        self.finishing.add(key)
        self.keys[key] = (html, first)
        if found := self._known((html, first)):
            self._reuse(key, found)
        else:
            self.pool.submit(key, ("piece", key, html, first), priority=priority)

    def next_message(self):
        if self.inline:
            return self.inline.pop(0)
        for key, value in self.pool.messages():
            if value != self.pool.DONE:
                return key, value
            if self.inline:
                return self.inline.pop(0)
        return self.inline.pop(0) if self.inline else None

    # -- receiving ------------------------------------------------------------------------

    def receive(self, key, value) -> None:
        if value[0] == "laid out":
            result = PieceResult(value[1], value[2])
            known = self.partial.get(key)
            if known is not None and known.pages != result.pages:
                self.moved = True  # real numbers changed its length: later pieces moved
            self.partial[key] = result
            if self.keys[key][1] is None:
                self.memo[self.keys[key]] = self.used[self.keys[key]] = result
        elif value[0] == "written":
            result = dataclasses.replace(self.partial[key], pdf=value[1])
            self.results[key] = result
            self.memo[self.keys[key]] = self.used[self.keys[key]] = result
            if (self.keys[key][0], None) in self.memo:  # keep the layout's length too
                self.used[(self.keys[key][0], None)] = self.memo[(self.keys[key][0], None)]

    def starts(self) -> dict:
        """Each piece's first page number, once every piece before it has a length."""
        starts, start = {}, 1
        for key in self.order:
            starts[key] = start
            result = self.partial.get(key) if start is not None else None
            start = start + result.pages if result is not None else None
        return starts

    def _final(self, key) -> bool:
        """Are the piece's anchors where they stay? Numbering does not move them; putting
        the real page numbers in may (if they had to be laid out again)."""
        return key in (self.results if key[0] == "schedule" else self.partial)

    def advance(self, entries: Callable[[], list[IndexEntry]]) -> None:
        """Submit every piece whose start and page numbers are known; `entries()` gives
        the speaker index."""
        if self.moved:
            return  # let what runs finish; the next attempt starts over with real lengths
        starts = self.starts()
        pages: dict[str, int] = {}
        for key in self.order:
            result = self.partial.get(key)
            if result is not None and starts[key] is not None:
                for anchor, page in result.anchors.items():
                    pages.setdefault(anchor, page + starts[key] - 1)
        for key in self.order:
            start = starts[key]
            if start is None or key not in self.partial or key in self.finishing:
                continue
            if key == "week" or key[0] == "abstracts":
                self.finish(key, start)
            elif key[0] == "schedule":
                abstracts = ("abstracts", key[1])
                if abstracts not in self.order or (
                    abstracts in self.partial and starts[abstracts] is not None
                ):
                    numbers = Numbers(pages, width=self.placeholder.width)
                    self.finish(key, start, self.html_of("schedule", key[1], numbers=numbers))
        abstracts = [k for k in self.order if k[0] == "abstracts"]
        known = all(k in self.partial and starts[k] is not None for k in abstracts)
        if "index" in self.order and "index" not in self.submitted and not known:
            guess = self._index_guess(entries, starts)
            if guess is not None:
                self.speculate("index", self.html_of("index", index=guess), priority=2)
        if not known:
            return
        if "index" in self.order:
            if starts["index"] is not None and "index" not in self.finishing:
                self.index = resolve_index(entries(), pages)
                html = self.html_of("index", index=self.index)
                if "index" not in self.submitted:
                    # after the writing already asked for: the worker that runs out of
                    # its own first takes it
                    self.piece("index", html, starts["index"])
                elif "index" in self.partial:
                    self.finish("index", starts["index"], html)
            pages["index"] = starts["index"]
        body = [k for k in self.order if k not in ("front", "index")]
        if not all(self._final(k) for k in body) or "front" not in self.partial:
            return
        if "front" not in self.finishing:
            numbers = Numbers(pages, width=self.placeholder.width)
            self.finish("front", 1, self.html_of("front", numbers=numbers))
        if all(k in self.partial for k in self.order) and "notes" not in self.submitted:
            self.pages = pages
            self.total = sum(self.partial[k].pages for k in self.order)
            # notes pages, then the back cover, make the count a multiple of four
            pad = notes_pages(self.total)
            self.order.append("notes")
            html = self.html_of("notes", notes_pages=pad)
            self.piece("notes", html, self.total + 1)
            self.submitted.add("notes")

    def _index_guess(self, entries, starts) -> list[ResolvedEntry] | None:
        """The speaker index to lay out before its page numbers are all known, each number
        as a placeholder of as many digits: those of a known number, or those the number
        surely has (the booklet's largest, `Numbers.width`, once the piece holding the item
        starts past the last page with fewer); None until every number is one or the other.
        Known numbers get placeholders too, so that the guess is the same HTML whenever it
        is made (a rebuild finds its layout in the cache). Items of a piece not yet laid out
        are taken to be on pages of their own, in the piece's order, if their abstracts are
        too far apart to share one (else None until that piece is laid out); if they are
        not, the index is laid out again."""
        width = self.placeholder.width
        least, start = {}, 1  # each piece's first page, or the least it can be
        for key in self.order:
            least[key] = start
            result = self.partial.get(key)
            start += result.pages if result is not None else 1
        resolved = []
        for entry in entries():
            refs: dict[tuple, tuple[str, str]] = {}  # place -> (number, item it links to)
            reach: dict = {}  # piece not laid out -> pages of words before the last item
            for item in entry.items:
                key, position, before = self.where[item.id]
                result = self.partial.get(key)
                if result is not None:
                    page = result.anchors.get(f"item-{item.id}")
                    if page is None:
                        continue
                    place = (self.order.index(key), page)
                    if starts[key] is not None:  # known: a placeholder of its digits too
                        digits = len(str(starts[key] + page - 1))
                        refs.setdefault(place, ("8" * digits, item.id))
                        continue
                    lowest = least[key] + page - 1
                else:
                    if key in reach and abs(before - reach[key]) < 1:
                        return None  # maybe on one page: wait for the piece's layout
                    reach[key] = before
                    place, lowest = (self.order.index(key), position), least[key]
                if len(str(lowest)) < width:
                    return None  # it may have fewer digits: wait for the pieces before
                refs.setdefault(place, ("8" * width, item.id))
            pages = tuple(refs[place] for place in sorted(refs))
            resolved.append(ResolvedEntry(entry.person, entry.letter, pages, entry.chaired))
        return resolved


def piece_work(programme: model.Programme, key) -> float:
    """About how long piece `key` takes to lay out and write, in the units of PIECE_WORK."""
    kind, days = key if isinstance(key, tuple) else (key, ())
    items = [i for day in programme.days if day.date in days for i in day.items]
    if kind == "abstracts":
        words = sum(entry_words(i) for i in items if has_entry(i))
        return PIECE_WORK + WORK_PER_WORD * words
    if kind == "schedule":
        return PIECE_WORK + WORK_PER_GRID_ITEM * len(items)
    if kind == "index":
        people = sum(1 for p in programme.people if index_items(programme, p))
        return PIECE_WORK + WORK_PER_INDEX_ENTRY * people
    if kind in ("front", "week"):
        return 3 * PIECE_WORK  # the contents, or a grid of the whole event: dense pages
    return PIECE_WORK  # notes pages


def _estimated_pages(programme: model.Programme) -> int:
    """A generous guess of the page count, for the width of placeholder page numbers."""
    words = sum(entry_words(i) for i in programme.items if has_entry(i))
    return 8 + len(programme.days) * 2 + words // 150
