"""Programme -> booklet HTML (Jinja2): the whole document or one piece of it.

`booklet_html` builds the whole document as one HTML string (styles inlined, fonts by
absolute file URL) so that the HTML kept with `--keep-html` renders alone to the same pages,
or the HTML of one piece (a section, or the schedule or abstracts of some days); the page
numbers it prints come from `Numbers`. The speaker index (`speaker_index`, `resolve_index`)
is built here too. `pieces` lays the pieces out and joins them.
"""

from __future__ import annotations

import functools
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from booklet import collation, model, paper, qr
from booklet.render import grid, sessions
from booklet.themes import Theme

# Room columns that fit across a day grid; a day with more rooms gets several grids.
GRID_COLUMNS = {"A5": 4, "half-letter": 4, "A4": 6, "Letter": 6}
WEEK_SIDE_MM = 38.0  # page margins and the hour labels beside the week's columns
NOTES_CHROME_MM = 33.0 + 16.0  # top and bottom margins, then the "Notes" title
# The week page's time axis gets the page height less margins, title and day heads.
WEEK_CHROME_MM = 58.0
# More words of abstracts (counting 40 for each entry's heading) than an A5 page of the
# default style holds, by far: two abstracts this far apart are on different pages.
PAGE_WORDS_AT_MOST = 1000
WEEK_ROOMS_MM = 5.5  # the row of room names under the week's day heads, when there is one
WEEK_LINE_MM = 2.25  # one line of week-block text (5.6pt at 1.12 line height) ...
WEEK_PADDING_MM = 0.9  # ... and a block's vertical padding
WEEK_SMALL_LINE_MM = 1.8  # a line of a short block's smaller type (4.6pt at 1.1) ...
WEEK_SMALL_PADDING_MM = 0.45  # ... and its vertical padding and border

STYLESHEETS = ("fonts.css", "booklet.css", "custom.css")


@dataclass(frozen=True)
class IndexEntry:
    person: model.Person
    items: tuple[model.Item, ...]
    letter: str
    # ids of items that stand for a session the person chairs (its first entry, just under
    # the session's heading): their pages are marked as chairing
    chaired: frozenset[str] = frozenset()


@dataclass(frozen=True)
class BookletOptions:
    page_size: str = "A5"
    bleed_mm: float = 3.0


def has_entry(item: model.Item) -> bool:
    """Does the item get an abstract entry (and so index and grid links)?"""
    return not item.is_pause and bool(item.is_presentation or item.speakers or item.abstract)


def entry_words(item: model.Item) -> int:
    """The room an item's abstract entry takes, in words: its abstract's, and 40 for its
    heading (time, title, speakers)."""
    return len((item.abstract or "").split()) + 40


def group_by_letter(entries):
    """[(letter, [entries])] in the entries' (collation) order."""
    groups: list[tuple[str, list]] = []
    for entry in entries:
        if groups and groups[-1][0] == entry.letter:
            groups[-1][1].append(entry)
        else:
            groups.append((entry.letter, [entry]))
    return groups


def index_items(programme: model.Programme, person: model.Person) -> tuple[model.Item, ...]:
    """The items the speaker index lists a person with: theirs, then for each session they
    chair, its first item with an entry."""
    own = tuple(i for i in programme.items_of(person) if has_entry(i))
    return own + tuple(i for i in chair_items(programme, person) if i not in own)


def chair_items(programme: model.Programme, person: model.Person) -> tuple[model.Item, ...]:
    """For each session `person` chairs, its first item with an abstract entry: the
    session's heading is just above it."""
    found = []
    for session in programme.sessions_chaired_by(person):
        first = next((i for i in session.items if has_entry(i)), None)
        if first is not None:
            found.append(first)
    return tuple(found)


def speaker_index(programme: model.Programme) -> list[IndexEntry]:
    """Speakers and chairs sorted by family name with the Unicode collation algorithm (É
    with E), tailored for the event's language (Spanish Ñ after N), under its letters."""
    language = programme.event.language
    entries = []
    for person in programme.people:
        if items := index_items(programme, person):
            spoken = {i.id for i in programme.items_of(person)}
            chaired = frozenset(i.id for i in items if i.id not in spoken)
            letter = collation.index_letter(person.sort_name, language)
            entries.append(IndexEntry(person, items, letter, chaired))
    entries.sort(key=lambda e: (collation.sort_key(e.person.sort_name, language), e.person.id))
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


_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.IGNORECASE)
_LOCAL = re.compile(r"""\blocal\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*?))\s*\)""", re.IGNORECASE)


def no_system_fonts(css: str) -> str:
    """`css` whose @font-face rules name no system font: fonts come only from the fonts
    folders, so a booklet looks the same on every machine. Each `local(name)` becomes a URL
    the fetcher refuses, which the build reports as a warning."""

    def refuse(match: re.Match) -> str:
        name = next(g for g in match.groups() if g is not None).strip()
        return f'url("local:{urllib.parse.quote(name)}")'

    return _FONT_FACE.sub(lambda rule: _LOCAL.sub(refuse, rule[0]), css)


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
    """Attach page numbers: each page once, linked to the first of the person's items on it;
    a page where the person chairs a session is marked (by the item it links to)."""
    resolved = []
    for entry in entries:
        refs: dict[int, str] = {}
        chairing: set[int] = set()
        for item in entry.items:
            page = pages.get(f"item-{item.id}")
            if page is not None:
                refs.setdefault(page, item.id)
                if item.id in entry.chaired:
                    chairing.add(page)
        found = tuple(sorted(refs.items()))
        marked = frozenset(refs[page] for page in chairing)
        resolved.append(ResolvedEntry(entry.person, entry.letter, found, marked))
    return resolved


@dataclass(frozen=True)
class ResolvedEntry:
    person: model.Person
    letter: str
    # (page number, or a placeholder for it; item id it links to)
    pages: tuple[tuple[int | str, str], ...]
    chaired: frozenset[str] = frozenset()  # linked item ids that stand for chairing


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


FIGURE_SPACE = "\u2007"  # as wide as a digit (tabular figures), and blank


@dataclass(frozen=True)
class Numbers:
    """Page numbers the templates print (`page_of(anchor)`): where each anchor landed, or,
    before the layout that tells them, a placeholder (`pending`). Each is padded with
    figure spaces to `width` digits, at its start (numbers aligned right, as in the
    contents) or with `page_of(anchor, "end")` at its end (a number ending a line of
    text): a piece laid out with placeholders then has the same layout as with the real
    numbers, which are put in its place (`renumber.Layout.patch`)."""

    pages: dict[str, int]
    pending: str | None = None
    width: int = 0

    def __call__(self, anchor: str, pad: str = "start") -> str:
        number = self.pending if self.pending is not None else str(self.pages.get(anchor, ""))
        if not number:
            return ""
        fill = FIGURE_SPACE * (self.width - len(number))
        return number + fill if pad == "end" else fill + number


def week_small(block: grid.Block, mm_per_minute: float) -> bool:
    """Is a week block set in small type: too short for two lines of the normal size, tall
    enough for two of the small, and too narrow to put its time and a title on one line."""
    height = block.height * mm_per_minute
    return (
        height - WEEK_PADDING_MM < 2 * WEEK_LINE_MM
        and height - WEEK_SMALL_PADDING_MM >= 2 * WEEK_SMALL_LINE_MM
        and block.width_mm < 20
    )


def week_lines(block: grid.Block, mm_per_minute: float) -> int:
    """How many lines of text a week block has room for (at least one)."""
    if week_small(block, mm_per_minute):
        line, padding = WEEK_SMALL_LINE_MM, WEEK_SMALL_PADDING_MM
    else:
        line, padding = WEEK_LINE_MM, WEEK_PADDING_MM
    return max(1, int((block.height * mm_per_minute - padding) // line))


_SHORT_HYPHENATED = re.compile(r"(?<!\S)(\w{1,3}-\w+)")


def week_title(title: str) -> Markup:
    """A week block's title, where a word like "E-graphs" may not break after its hyphen:
    cut there, the line would keep one letter of the title and an ellipsis."""
    parts = _SHORT_HYPHENATED.split(title)
    return Markup("").join(
        Markup('<span class="wb-word">{}</span>').format(part) if k % 2 else part
        for k, part in enumerate(parts)
    )


def week_labels(week: grid.Week, mm_per_minute: float) -> dict[grid.Block, Markup]:
    """What each week block shows: its title, or, when the part of the title its block has
    room for would not tell it from a neighbour's ("Lessons learned from a decade of..."
    twice at 10:45), its first speaker's name, then the title."""
    labels = {}
    for day in week.days:
        for block in day.blocks:
            small = week_small(block, mm_per_minute)
            char_mm = 0.81 if small else 0.99  # an average letter of 4.6 or 5.6 pt
            per_line = max(1, int((block.width_mm - 1.8) / char_mm))
            room = week_lines(block, mm_per_minute) * per_line - (0 if small else 6)
            title = block.item.display_title
            rivals = [
                o.item.display_title
                for o in day.blocks
                if o is not block
                and abs(o.item.start_minutes - block.item.start_minutes) < 60
                and _share_room(o.item, block.item)
            ]
            shared = max((_common_prefix(title, r) for r in rivals), default=0)
            speakers = block.item.speakers
            if title == block.item.title and speakers and shared >= room - 1:
                labels[block] = Markup("{}: {}").format(speakers[0].name, week_title(title))
            else:
                labels[block] = week_title(title)
    return labels


def _share_room(a: model.Item, b: model.Item) -> bool:
    return a.all_rooms or b.all_rooms or bool({r.id for r in a.rooms} & {r.id for r in b.rooms})


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a.casefold(), b.casefold(), strict=False):
        if x != y:
            break
        n += 1
    return n


def week_columns_mm(page_size: str) -> float:
    """The width the week's day columns share on a page."""
    return paper.paper(page_size).width_mm - WEEK_SIDE_MM


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
    rooms = programme.rooms
    return _Shared(
        week=grid.build_week(
            programme, week_columns_mm(options.page_size), merge=sessions.week_merge
        ),
        grids=[
            g
            for day in programme.days
            for g in grid.build_grids(sessions.grid_day(day), rooms, columns)
        ],
        entries={day.date: sessions.entry_order(day, has_entry) for day in programme.days},
        has_index=any(index_items(programme, p) for p in programme.people),
        fonts_css=font_faces(font_dirs),
        css=no_system_fonts(
            resolve_variables("\n".join(theme.stylesheet(name) for name in STYLESHEETS))
        ),
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
    shared: _Shared | None = None,
    days: tuple | None = None,
) -> str:
    """The booklet's HTML: all of it (what --keep-html writes), or some `sections` (and of
    the schedule and abstracts, some `days`) for laying the booklet out in pieces (each
    numbered from its first page by `first_page_css`)."""
    shared = shared or _shared(programme, theme, options, font_dirs)
    grids, entries = shared.grids, shared.entries
    if days is not None:
        grids = [g for g in grids if g.day.date in days]
        entries = {d: (e if d in days else []) for d, e in entries.items()}
    page = paper.paper(options.page_size)
    width, height = page.css
    labelled = any(
        len(d.columns) > 1 or len(d.columns[0]) > 1 for d in shared.week.days if d.columns
    )
    week_mm = page.height_mm - WEEK_CHROME_MM
    week_mm -= WEEK_ROOMS_MM if labelled else 0.0
    mm_per_minute = week_mm / max(1, shared.week.span)
    return theme.render(
        "booklet.html.j2",
        week_mm=week_mm,
        week_rooms=labelled,
        # the page's text height less the title, in lines of 7.5 mm
        notes_lines=int((page.height_mm - NOTES_CHROME_MM) // 7.5),
        week_lines=lambda block: week_lines(block, mm_per_minute),
        week_small=lambda block: week_small(block, mm_per_minute),
        week_title=week_labels(shared.week, mm_per_minute).get,
        programme=programme,
        event=programme.event,
        week=shared.week,
        grids=grids,
        entries=entries,
        first_grid=shared.grids[0].anchor if shared.grids else None,
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
        qr_data_uri=qr.svg_data_uri,
        # sessions and tracks
        session_of=programme.session,
        tint=sessions.tint,
        day_tracks=functools.partial(sessions.day_tracks, programme),
        has_chairs=bool(programme.chairs),
    )
