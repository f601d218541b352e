"""Programme -> booklet HTML (Jinja2) -> WeasyPrint `Document`.

`booklet_html` builds the whole document as one HTML string (styles inlined, fonts by
absolute file URL) so that the HTML kept with `--keep-html` renders alone to the same pages.
`render_booklet` lays it out, then pads with notes pages to a multiple of four by laying out
only the notes and appending them, rather than laying the whole booklet out twice.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from booklet import model, paths
from booklet.render import grid
from booklet.themes import Theme

log = logging.getLogger(__name__)

# CSS page sizes for the settings' names.
PAGE_SIZES = {
    "A5": ("148mm", "210mm"),
    "A4": ("210mm", "297mm"),
    "Letter": ("8.5in", "11in"),
    "half-letter": ("5.5in", "8.5in"),
}
# Room columns that fit across a day grid; a day with more rooms gets several grids.
GRID_COLUMNS = {"A5": 4, "half-letter": 4, "A4": 6, "Letter": 6}
PAGE_WIDTHS_MM = {"A5": 148.0, "A4": 210.0, "Letter": 215.9, "half-letter": 139.7}
WEEK_SIDE_MM = 38.0  # page margins and the hour labels beside the week's columns
NOTES_CHROME_MM = 33.0 + 16.0  # top and bottom margins, then the "Notes" title
PAGE_HEIGHTS_MM = {"A5": 210.0, "A4": 297.0, "Letter": 279.4, "half-letter": 215.9}
# The week page's time axis gets the page height less margins, title and day heads.
WEEK_CHROME_MM = 58.0
WEEK_LINE_MM = 2.25  # one line of week-block text (5.6pt at 1.12 line height) ...
WEEK_PADDING_MM = 0.9  # ... and a block's vertical padding

STYLESHEETS = ("fonts.css", "booklet.css", "custom.css")


@dataclass(frozen=True)
class IndexEntry:
    person: model.Person
    items: tuple[model.Item, ...]
    letter: str


@dataclass(frozen=True)
class BookletOptions:
    page_size: str = "A5"
    bleed_mm: float = 3.0


def has_entry(item: model.Item) -> bool:
    """Does the item get an abstract entry (and so index and grid links)?"""
    return not item.is_pause and bool(item.is_presentation or item.speakers or item.abstract)


@functools.cache
def _collator():
    import pyuca

    return pyuca.Collator()


# Letters that Unicode does not decompose but the collation sorts with a base letter.
_BASE_LETTERS = {"Ø": "O", "Ł": "L", "Đ": "D", "Æ": "A", "Œ": "O", "Þ": "T", "ß": "S"}


def index_letter(sort_name: str) -> str:
    """The heading an index entry files under: 'Émile' and 'Ødegaard' under E and O."""
    first = sort_name.strip()[:1].upper() or "#"
    first = _BASE_LETTERS.get(first, unicodedata.normalize("NFKD", first)[:1])
    return first if first.isalpha() else "#"


def group_by_letter(entries):
    """[(letter, [entries])] in the entries' (collation) order."""
    groups: list[tuple[str, list]] = []
    for entry in entries:
        if groups and groups[-1][0] == entry.letter:
            groups[-1][1].append(entry)
        else:
            groups.append((entry.letter, [entry]))
    return groups


def speaker_index(programme: model.Programme) -> list[IndexEntry]:
    """Speakers sorted by family name with the Unicode collation algorithm (É with E)."""
    entries = []
    for person in programme.people:
        items = tuple(i for i in programme.items_of(person) if has_entry(i))
        if items:
            entries.append(IndexEntry(person, items, index_letter(person.sort_name)))
    key = _collator().sort_key
    entries.sort(key=lambda e: (key(e.person.sort_name.casefold()), e.person.id))
    return entries


_CUSTOM_PROPERTY = re.compile(r"(--[A-Za-z0-9_-]+)\s*:\s*([^;{}]+?)\s*(?:;|(?=}))")
_VAR = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)\s*(?:,\s*([^()]*(?:\([^()]*\)[^()]*)*))?\)")


def resolve_variables(css: str) -> str:
    """Replace var(--name) by the value declared for it (the last declaration wins, as in
    `custom.css` overriding `booklet.css`). WeasyPrint resolves var() for every element it
    lays out; doing it once here makes the layout about a quarter faster. Custom properties
    are read from anywhere in the sheets: they are meant to be set on :root."""
    values: dict[str, str] = {}
    for name, value in _CUSTOM_PROPERTY.findall(css):
        values[name] = value

    def substitute(match: re.Match, depth: int = 0) -> str:
        value = values.get(match[1], match[2] or "")
        return _VAR.sub(lambda m: substitute(m, depth + 1), value) if depth < 8 else value

    return _VAR.sub(substitute, css)


def font_faces(font_dirs: list[Path]) -> str:
    """@font-face rules for every TTF/OTF in the font folders, by file name convention."""
    rules = []
    for folder in font_dirs:
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in (".ttf", ".otf", ".woff", ".woff2"):
                continue
            family, weight, style = _face_of(path.stem)
            url = path.resolve().as_uri()
            rules.append(
                f'@font-face {{ font-family: "{family}"; src: url("{url}"); '
                f"font-weight: {weight}; font-style: {style}; }}"
            )
    return "\n".join(rules)


_WEIGHTS = {
    "thin": 100, "extralight": 200, "light": 300, "regular": 400, "medium": 500,
    "semibold": 600, "bold": 700, "extrabold": 800, "black": 900,
}  # fmt: skip


def _face_of(stem: str) -> tuple[str, int, str]:
    """'SourceSerif4Display-SemiboldIt' -> ('Source Serif 4 Display', 600, 'italic')."""
    base, _, variant = stem.partition("-")
    family = ""
    for k, ch in enumerate(base):
        prev = base[k - 1] if k else ""
        if k and (ch.isupper() or (ch.isdigit() and not prev.isdigit())):
            family += " "
        family += ch
    variant = variant.lower() or "regular"
    italic = variant.endswith(("it", "italic"))
    if italic:
        variant = variant.removesuffix("italic").removesuffix("it") or "regular"
    return family, _WEIGHTS.get(variant, 400), "italic" if italic else "normal"


def resolve_index(entries: list[IndexEntry], pages: dict[str, int]) -> list[ResolvedEntry]:
    """Attach page numbers: each page once, linked to the first of the person's items on it."""
    resolved = []
    for entry in entries:
        refs: dict[int, str] = {}
        for item in entry.items:
            page = pages.get(f"item-{item.id}")
            if page is not None:
                refs.setdefault(page, item.id)
        resolved.append(ResolvedEntry(entry.person, entry.letter, tuple(sorted(refs.items()))))
    return resolved


@dataclass(frozen=True)
class ResolvedEntry:
    person: model.Person
    letter: str
    pages: tuple[tuple[int, str], ...]  # (page number, item id it links to)


def anchor_pages(document) -> dict[str, int]:
    """Where each anchor (id) starts: page numbers counting from 1. An element split over
    several pages has its anchor on each of them; the first is where it starts."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for name in page.anchors:
            pages.setdefault(name, number)
    return pages


# The booklet's sections, in page order; each starts on a new page.
SECTIONS = ("front", "week", "schedule", "abstracts", "index", "notes")


@dataclass(frozen=True)
class Numbers:
    """Page numbers the templates print: where each anchor landed, or, before the layout
    that tells them, a placeholder of the expected width (`pending`)."""

    pages: dict[str, int]
    pending: str | None = None

    def __call__(self, anchor: str) -> str:
        if self.pending is not None:
            return self.pending
        return str(self.pages.get(anchor, ""))


@dataclass(frozen=True)
class _Shared:
    """What every section's HTML needs, computed once per booklet."""

    week: grid.Week
    grids: list
    entries: dict
    has_index: bool
    fonts_css: str
    css: str


def _shared(
    programme: model.Programme, theme: Theme, options: BookletOptions, font_dirs: list[Path]
) -> _Shared:
    columns = GRID_COLUMNS[options.page_size]
    return _Shared(
        week=grid.build_week(programme),
        grids=[
            g for day in programme.days for g in grid.build_grids(day, programme.rooms, columns)
        ],
        entries={day.date: [i for i in day.items if has_entry(i)] for day in programme.days},
        has_index=bool(speaker_index(programme)),
        fonts_css=font_faces(font_dirs),
        css=resolve_variables("\n".join(theme.stylesheet(name) for name in STYLESHEETS)),
    )


def booklet_html(
    programme: model.Programme,
    theme: Theme,
    options: BookletOptions,
    *,
    font_dirs: list[Path],
    sections: tuple[str, ...] = SECTIONS,
    numbers: Numbers | None = None,
    index: list[ResolvedEntry] | None = None,
    notes_pages: int = 0,
    first_page_number: int = 1,
    shared: _Shared | None = None,
) -> str:
    """The booklet's HTML: all of it (what --keep-html writes), or some `sections` for
    laying the booklet out in pieces, numbered from `first_page_number`."""
    shared = shared or _shared(programme, theme, options, font_dirs)
    width, height = PAGE_SIZES[options.page_size]
    week_mm = PAGE_HEIGHTS_MM[options.page_size] - WEEK_CHROME_MM
    mm_per_minute = week_mm / max(1, shared.week.span)
    page_width_mm = PAGE_WIDTHS_MM[options.page_size]
    week_column_mm = (page_width_mm - WEEK_SIDE_MM) / max(1, len(programme.days))
    return theme.render(
        "booklet.html.j2",
        week_mm=week_mm,
        week_column_mm=week_column_mm,
        # the page's text height less the title, in lines of 7.5 mm
        notes_lines=int((PAGE_HEIGHTS_MM[options.page_size] - NOTES_CHROME_MM) // 7.5),
        week_lines=lambda block: max(
            1, int((block.height * mm_per_minute - WEEK_PADDING_MM) // WEEK_LINE_MM)
        ),
        programme=programme,
        event=programme.event,
        week=shared.week,
        grids=shared.grids,
        entries=shared.entries,
        has_index=shared.has_index,
        index=group_by_letter(index or []),
        has_entry=has_entry,
        page_of=numbers or Numbers({}),
        fonts_css=shared.fonts_css,
        css=shared.css,
        page_width=width,
        page_height=height,
        page_size=options.page_size,
        bleed=f"{options.bleed_mm:g}mm",
        sections=sections,
        notes_pages=notes_pages,
        first_page_number=first_page_number,
    )


def write_print(document, target) -> None:
    """The print shop's file: the bleed laid out, TrimBox and BleedBox set, crop marks
    outside the bleed, every font embedded (WeasyPrint always embeds, subset)."""
    from booklet.render.marks import add_crop_marks

    Path(target).write_bytes(add_crop_marks(document.write_pdf()))


def write_screen(document, target) -> None:
    """The file for screens and email, from the same layout: the page trimmed (no bleed),
    tagged as PDF/UA-1, images at most 150 dpi."""
    saved = [page.bleed for page in document.pages]
    try:
        for page in document.pages:
            page.bleed = dict.fromkeys(page.bleed, 0)
        document.write_pdf(
            target, pdf_variant="pdf/ua-1", optimize_images=True, dpi=150, jpeg_quality=85
        )
    finally:
        for page, bleed in zip(document.pages, saved, strict=True):
            page.bleed = bleed


@dataclass
class RenderedBooklet:
    document: object  # weasyprint.Document
    html: str  # the whole booklet, notes included: renders alone to the same pages
    refused_urls: list[str] = dataclasses.field(default_factory=list)


class LayoutCache:
    """Laid-out sections kept between builds in one process (`booklet watch`): a section
    whose HTML did not change (same content, same page numbers) is not laid out again.
    Keeps the last build's sections only, with the font configuration they were made with."""

    def __init__(self):
        self.sections: dict[str, object] = {}
        self.fonts = None
        self.sheet_key: str | None = None
        self.sheet = None
        self.hits = 0

    def get(self, html: str):
        document = self.sections.get(html)
        self.hits += document is not None
        return document


def render_booklet(
    programme: model.Programme,
    content_dir: Path,
    options: BookletOptions,
    cache: LayoutCache | None = None,
) -> RenderedBooklet:
    """Lay the booklet out section by section and print the page numbers it refers to
    (contents, grid to abstract, index) from where each anchor landed, instead of letting
    WeasyPrint repaginate the whole document for target-counter().

    1. front, week, day grids and abstracts, each numbered from where the previous ended;
       the contents and grids print placeholders of the right width;
    2. the index, with the abstracts' page numbers;
    3. the contents and grids again, with the real numbers; if that changed their length
       (a number wider than its placeholder), the later sections move and are laid out again;
    4. notes pages to make the total a multiple of four.
    The HTML of all sections in one document gives the same pages (`--keep-html`).
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from booklet.render.fetch import SafeFetcher

    theme = Theme(content_dir)
    font_dirs = [d for d in (paths.event_fonts(content_dir), paths.DEFAULT_FONTS) if d.is_dir()]
    fetcher = SafeFetcher([*theme.dirs, *font_dirs, Path(content_dir)])
    base_url = Path(content_dir).resolve().as_uri() + "/"
    shared = _shared(programme, theme, options, font_dirs)
    # Parse the stylesheets once for all the pieces, rather than once per piece.
    sheet_text = shared.fonts_css + "\n" + shared.css
    if cache is not None and cache.sheet_key == sheet_text + base_url:
        fonts, sheet = cache.fonts, cache.sheet
    else:
        fonts = FontConfiguration()
        sheet = CSS(string=sheet_text, base_url=base_url, url_fetcher=fetcher, font_config=fonts)
        if cache is not None:
            cache.sections, cache.fonts, cache.sheet = {}, fonts, sheet
            cache.sheet_key = sheet_text + base_url
    pieces = dataclasses.replace(shared, fonts_css="", css="")
    laid_out: dict[str, object] = {}

    def layout(sections, **kwargs):
        html = booklet_html(
            programme,
            theme,
            options,
            font_dirs=font_dirs,
            sections=sections,
            shared=pieces,
            **kwargs,
        )
        document = cache.get(html) if cache is not None else None
        if document is None:
            document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
                stylesheets=[sheet], font_config=fonts
            )
        laid_out[html] = document
        return document

    entries = speaker_index(programme)
    placeholder = Numbers({}, pending="8" * len(str(_estimated_pages(programme))))
    body = ("front", "week", "schedule", "abstracts")
    referring = ("front", "schedule")  # the sections that print page numbers
    docs: dict[str, object] = {}
    numbers: Numbers | None = None
    for _attempt in range(3):
        start, starts, pages = 1, {}, {}
        for name in body:
            starts[name] = start
            if name not in docs:
                shown = placeholder if numbers is None and name in referring else numbers
                docs[name] = layout((name,), numbers=shown, first_page_number=start)
            for anchor, page in anchor_pages(docs[name]).items():
                pages.setdefault(anchor, page + start - 1)
            start += len(docs[name].pages)
        if entries:
            pages["index"] = start
        numbers = Numbers(pages)
        moved = False
        for name in referring:  # again, now with the real numbers
            again = layout((name,), numbers=numbers, first_page_number=starts[name])
            moved |= len(again.pages) != len(docs[name].pages)
            docs[name] = again
        if not moved:
            break
        docs.pop("abstracts")  # a longer contents or grid moved them: lay them out again
    index = resolve_index(entries, numbers.pages) if entries else []
    all_pages = [page for name in body for page in docs[name].pages]
    if entries:
        all_pages += layout(("index",), index=index, first_page_number=len(all_pages) + 1).pages
    pad = -len(all_pages) % 4
    if pad:
        notes = layout(("notes",), notes_pages=pad, first_page_number=len(all_pages) + 1)
        all_pages += notes.pages
    document = docs["front"].copy(all_pages)
    if cache is not None:
        cache.sections = laid_out
    html = booklet_html(
        programme,
        theme,
        options,
        font_dirs=font_dirs,
        numbers=numbers,
        index=index,
        notes_pages=pad,
        shared=shared,
    )
    # The fetcher's own list: it grows if writing the PDF refuses more (attachments).
    return RenderedBooklet(document, html, fetcher.refused)


def _estimated_pages(programme: model.Programme) -> int:
    """A generous guess of the page count, for the width of placeholder page numbers."""
    words = sum(len((i.abstract or "").split()) + 40 for i in programme.items if has_entry(i))
    return 8 + len(programme.days) * 2 + words // 150
