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


def booklet_html(
    programme: model.Programme,
    theme: Theme,
    options: BookletOptions,
    *,
    font_dirs: list[Path],
    part: str = "all",
    index: list[ResolvedEntry] | None = None,
    notes_pages: int = 0,
    first_page_number: int = 1,
) -> str:
    """The booklet's HTML. `part` is "all", or for layout in pieces: "main" (cover to
    abstracts, plus the index's opening page as a marker), "index", or "notes"."""
    width, height = PAGE_SIZES[options.page_size]
    css = "\n".join(theme.stylesheet(name) for name in STYLESHEETS)
    week = grid.build_week(programme)
    grids = [grid.build_grid(day, programme.rooms) for day in programme.days]
    entries = {day.date: [i for i in day.items if has_entry(i)] for day in programme.days}
    week_mm = PAGE_HEIGHTS_MM[options.page_size] - WEEK_CHROME_MM
    mm_per_minute = week_mm / max(1, week.span)
    return theme.render(
        "booklet.html.j2",
        week_mm=week_mm,
        week_lines=lambda block: max(
            1, int((block.height * mm_per_minute - WEEK_PADDING_MM) // WEEK_LINE_MM)
        ),
        programme=programme,
        event=programme.event,
        week=week,
        grids=grids,
        entries=entries,
        has_index=bool(speaker_index(programme)),
        index=group_by_letter(index or []),
        has_entry=has_entry,
        fonts_css=font_faces(font_dirs),
        css=css,
        page_width=width,
        page_height=height,
        page_size=options.page_size,
        bleed=f"{options.bleed_mm:g}mm",
        part=part,
        notes_pages=notes_pages,
        first_page_number=first_page_number,
    )


def write_print(document, target) -> None:
    """The print shop's file: the bleed and crop marks laid out, TrimBox and BleedBox set,
    every font embedded (WeasyPrint always embeds, subset)."""
    document.write_pdf(target)


def write_screen(document, target) -> None:
    """The file for screens and email, from the same layout: the page trimmed (no bleed, so
    no visible marks), tagged as PDF/UA-1, images at most 150 dpi."""
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


def render_booklet(
    programme: model.Programme, content_dir: Path, options: BookletOptions
) -> RenderedBooklet:
    """Lay the booklet out in pieces and resolve the index's page numbers from where each
    abstract landed, instead of letting WeasyPrint repaginate for target-counter().

    1. main: cover to abstracts, ending with the index's first page as a marker (its page
       number is the index's; the table of contents points at it);
    2. index: laid out alone, numbered from that page, with the numbers filled in;
    3. notes: as many pages as make the total a multiple of four.
    The HTML of all three in one document gives the same pages (`--keep-html`).
    """
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from booklet.render.fetch import SafeFetcher

    theme = Theme(content_dir)
    font_dirs = [d for d in (paths.event_fonts(content_dir), paths.DEFAULT_FONTS) if d.is_dir()]
    fetcher = SafeFetcher([*theme.dirs, *font_dirs, Path(content_dir)])
    fonts = FontConfiguration()
    base_url = Path(content_dir).resolve().as_uri() + "/"

    def layout(html: str):
        return HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(font_config=fonts)

    def html_of(**kwargs) -> str:
        return booklet_html(programme, theme, options, font_dirs=font_dirs, **kwargs)

    main = layout(html_of(part="main"))
    pages = list(main.pages)
    index = []
    entries = speaker_index(programme)
    if entries:
        anchors = anchor_pages(main)
        index_page = anchors["index"]
        pages = pages[: index_page - 1]
        index = resolve_index(entries, anchors)
        pages += layout(html_of(part="index", index=index, first_page_number=index_page)).pages
    pad = -len(pages) % 4
    if pad:
        notes = layout(html_of(part="notes", notes_pages=pad, first_page_number=len(pages) + 1))
        pages += notes.pages
    document = main.copy(pages)
    html = html_of(part="all", index=index, notes_pages=pad)
    return RenderedBooklet(document, html, list(fetcher.refused))
