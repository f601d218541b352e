"""A built event's outputs -> the items each view fails to show (empty when complete).

The one completeness rule: every item of the programme appears in each view that should
show it. `check_build(programme, out_dir)` reads what a reader reads - the PDFs' text with
its positions (pdfplumber) and the exports parsed - and returns one line per item a view
lacks:

- week at a glance (the pages from the `week` destination to the first day grid): in its
  day's column, the item's start time followed by a distinctive prefix of its title or
  its first speaker's name (a block too small for its time: the prefix alone, told from
  the items within the hour in its rooms). A title may wrap, or end in an ellipsis where its
  block has no more room; "distinctive" means long enough to tell it from the day's other
  items at that time (at least three letters, or the whole title);
- day grids (from `grid-DATE` to the next day's grid): a distinctive prefix of the title
  among the day's items, as many times as the day has items of that title;
- abstracts: the whole title and every speaker's name, for items with an abstract entry;
- speaker index: every speaker and co-speaker, with page numbers that each carry their
  name, among them a page with each of their items' abstracts;
- index.html (the day's section), programme.ics (SUMMARY and DTSTART), schedule.xml
  (date, start and title, in one of its rooms);
- signs.pdf: the sign of each room that has something of its own that day lists it.

Text is compared on letters and digits only, case-folded: a hyphen where a line broke, a
line break inside a title or an accent added by a font do not matter.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from booklet import model
from booklet.dates import day_month_year
from booklet.render.booklet import has_entry, index_items

ELLIPSIS = "…"


def norm(text: str) -> str:
    """Letters and digits only, case-folded and composed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def slot_labels(programme: model.Programme, items) -> list[str]:
    """The labels a grid or sign shows for `items`: one for each, but one for all the
    posters of a poster session."""
    shown = {i.id: slot_label(programme, i) for i in items}
    posters = {i.id for i in items if shown[i.id] != label(i)}
    return [shown[i.id] for i in items if i.id not in posters] + list(
        dict.fromkeys(shown[i] for i in posters)
    )


def slot_label(programme: model.Programme, item: model.Item) -> str:
    """What a grid or a door sign shows for an item: its label, but a poster of a poster
    session is in that session's one slot, under the session's title."""
    session = programme.session(item.session)
    if item.is_poster and session is not None and session.is_poster_session:
        return session.title
    return label(item)


def label(item: model.Item) -> str:
    """What a view leads with: the title, else the first speaker (the views join several
    speakers differently), else the kind."""
    if item.title:
        return item.title
    if item.speakers:
        return item.speakers[0].name
    return item.display_title


def hhmm(t: dt.time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def needed(text: str, others: list[str]) -> int:
    """How much of `text` (normalised) tells it from `others`: one letter more than it
    shares with any of them, at least three, at most all of it."""
    shared = max((common_prefix(text, o) for o in others if o != text), default=0)
    return min(len(text), max(3, shared + 1))


# -- reading PDF text with its positions --------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _words(chars: list[tuple[str, float, float, float, float, float]]) -> list[Word]:
    """Words from a page's characters (text, x0, x1, top, bottom, size): runs on one
    baseline without a space or a gap of a quarter of the type size between them. (A
    block's time and title are set apart by a margin, not always by a space.)"""
    rows: dict[tuple[float, float], list] = {}
    for c in chars:
        rows.setdefault((round(c[4], 1), round(c[5], 1)), []).append(c)
    words = []
    for (_, size), row in rows.items():
        row.sort(key=lambda c: c[1])
        current: list = []
        for c in [*row, None]:
            if (
                c is not None
                and c[0].strip()
                and (
                    not current
                    or (c[1] - current[-1][2] < 0.25 * size and current[-1][0] != ELLIPSIS)
                )
            ):
                current.append(c)
                continue
            if current:
                words.append(
                    Word(
                        "".join(ch[0] for ch in current),
                        current[0][1],
                        current[-1][2],
                        min(ch[3] for ch in current),
                        max(ch[4] for ch in current),
                    )
                )
            current = [c] if c is not None and c[0].strip() else []
    return sorted(words, key=lambda w: (w.top, w.x0))


def _middle(w: Word) -> float:
    return (w.top + w.bottom) / 2


class Page:
    """A page's words in lines, and its plain text (read with pdfium)."""

    def __init__(self, page) -> None:
        textpage = page.get_textpage()
        height = page.get_height()
        chars = []
        for k in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(textpage.raw, k)
            if not code or code in (0xFFFE, 0xFFFF):
                continue
            left, bottom, right, top = textpage.get_charbox(k, loose=True)
            size = pdfium_c.FPDFText_GetFontSize(textpage.raw, k)
            chars.append((chr(code), left, right, height - top, height - bottom, size))
        words = _words(chars)
        self.lines: list[list[Word]] = []
        for w in sorted(words, key=lambda w: w.top + w.bottom):
            line = self.lines[-1] if self.lines else None
            if line and abs(_middle(line[0]) - _middle(w)) < 0.3 * min(w.height, line[0].height):
                line.append(w)
            else:
                self.lines.append([w])
        for line in self.lines:
            line.sort(key=lambda w: w.x0)
        self.width = page.get_width()
        self.text = "\n".join(" ".join(w.text for w in line) for line in self.lines)

    def words(self):
        for n, line in enumerate(self.lines):
            for k, w in enumerate(line):
                yield n, k, w

    def flow(self, n: int, k: int, most: int = 30) -> list[Word]:
        """The words read from line n, word k on, as in a block of text: the rest of its
        line up to a wide gap (the next column), then the lines below within its left and
        right edges, while they follow on (no more than one and a half lines apart)."""
        line = self.lines[n]
        start = line[k]
        gap = 0.6 * start.height
        out = [start]
        right = self.width
        for w in line[k + 1 :]:
            if w.x0 - out[-1].x1 > gap:
                right = w.x0 - 0.5
                break
            out.append(w)
        left, last = start.x0 - max(1.5, 0.15 * start.height), start  # side bearings
        for below in self.lines[n + 1 :]:
            if len(out) >= most or below[0].top - last.top > 1.8 * last.height:
                break
            taken: list[Word] = []
            for w in below:
                if w.x0 < left - 0.01 or w.x0 >= right:
                    if taken:
                        break
                    continue
                if taken and w.x0 - taken[-1].x1 > gap:
                    break
                taken.append(w)
            if taken and taken[0].x0 > left + 3 * gap:
                right = min(right, taken[0].x0 - 0.5)  # another column's text: our edge
                taken = []
            if not taken:
                continue  # a line of other columns only, set a little higher or lower
            out += taken
            last = taken[0]
        return out


def shows(words: list[Word], wanted: str, least: int) -> bool:
    """Do the words start with `wanted` (normalised), or with at least `least` letters of
    it before an ellipsis or the end of what they hold?"""
    text = " ".join(w.text for w in words)
    shown = norm(text.split(ELLIPSIS, 1)[0])
    return common_prefix(shown, wanted) >= min(least, len(wanted))


def read_pdf(path: Path) -> list[Page]:
    pdf = pdfium.PdfDocument(path)
    try:
        return [Page(pdf[k]) for k in range(len(pdf))]
    finally:
        pdf.close()


def destinations(path: Path) -> dict[str, int]:
    """Named destinations -> page numbers from 1."""
    reader = pypdf.PdfReader(path)
    return {
        str(name): reader.get_destination_page_number(dest) + 1
        for name, dest in reader.named_destinations.items()
    }


# -- the booklet --------------------------------------------------------------------------


@dataclass
class Sections:
    week: list[int]
    grids: dict[dt.date, list[int]]
    abstracts: list[int]
    index: list[int]


def sections(programme: model.Programme, dests: dict[str, int], pages: int) -> Sections:
    grid_starts = sorted(
        (p, dt.date.fromisoformat(name.removeprefix("grid-")[:10]))
        for name, p in dests.items()
        if name.startswith("grid-") and len(name) == 15
    )
    abstract_start = min(
        (p for name, p in dests.items() if name.startswith("abstracts-")), default=None
    )
    index_start = dests.get("index")
    after_grids = abstract_start or index_start or pages + 1
    week_end = grid_starts[0][0] if grid_starts else after_grids
    grids: dict[dt.date, list[int]] = {}
    for k, (start, date) in enumerate(grid_starts):
        end = grid_starts[k + 1][0] if k + 1 < len(grid_starts) else after_grids
        grids[date] = list(range(start, max(start + 1, end)))
    return Sections(
        week=list(range(dests["week"], week_end)) if "week" in dests else [],
        grids=grids,
        abstracts=list(range(abstract_start, index_start or pages + 1)) if abstract_start else [],
        index=list(range(index_start, pages + 1)) if index_start else [],
    )


def _share_room(a: model.Item, b: model.Item) -> bool:
    return a.all_rooms or b.all_rooms or bool({r.id for r in a.rooms} & {r.id for r in b.rooms})


def _untimed(page: Page, day: model.Day, left: float, right: float, top: float) -> Counter:
    """Blocks of a day's column that start with a title and no time: how many show each
    label, distinctively among the items in its rooms that a reader could take it for by
    its place on the axis (those starting within the hour)."""
    found: Counter = Counter()
    labels = {norm(label(i)): i for i in day.items}
    least = {
        text: needed(
            text,
            [
                norm(label(o))
                for o in day.items
                if _share_room(o, item) and abs(o.start_minutes - item.start_minutes) < 60
            ],
        )
        for text, item in labels.items()
    }
    speaker = {  # a block may lead with its first speaker's name instead
        norm(i.speakers[0].name): norm(label(i)) for i in day.items if i.speakers and i.title
    }
    for name in speaker:
        least.setdefault(name, 3)
    for n, k, w in page.words():
        if not (left <= w.x0 < right and w.top > top):
            continue
        line = page.lines[n]
        before = line[k - 1] if k > 0 else None
        if (
            before is not None
            and w.x0 - before.x1 < 0.6 * w.height
            and before.x0 >= left
            and not before.text.endswith(ELLIPSIS)
        ):
            continue  # not the start of a block's line
        head = norm(w.text.split(ELLIPSIS, 1)[0])
        if not head or re.fullmatch(r"\d\d:\d\d", w.text):
            continue
        flow = page.flow(n, k)
        for text in [*labels, *speaker]:
            if text.startswith(head[: len(text)]) and shows(flow, text, least[text]):
                found[speaker.get(text, text)] += 1
    return found


def check_week(programme: model.Programme, pages: dict[int, Page], numbers: list[int]) -> list[str]:
    problems = []
    # Each day's column on its page: from its heading ("Mon 27") to the next day's.
    columns: dict[dt.date, tuple[int, float, float]] = {}
    for number in numbers:
        page = pages[number]
        heads = []
        for day in programme.days:
            dow, dom = f"{day.date:%a}", str(day.date.day)
            for n, k, w in page.words():
                line = page.lines[n]
                if w.text == dow and k + 1 < len(line) and line[k + 1].text == dom:
                    heads.append((w.x0, day.date, w.top))
                    break
        heads.sort()
        for k, (x0, date, top) in enumerate(heads):
            right = heads[k + 1][0] if k + 1 < len(heads) else page.width
            columns[date] = (number, x0 - 1.0, right, top)
    for day in programme.days:
        if day.date not in columns:
            problems += [
                f"week: {item.display_title!r}: no column for its day" for item in day.items
            ]
            continue
        number, left, right, top = columns[day.date]
        page = pages[number]
        wanted = Counter((hhmm(i.start), norm(label(i))) for i in day.items)
        # what an item must be told from: the items at its time in one of its rooms (other
        # rooms' items are in other columns)
        rivals = {
            key: [
                norm(label(o))
                for i in day.items
                if (hhmm(i.start), norm(label(i))) == key
                for o in day.items
                if o.start == i.start and _share_room(o, i)
            ]
            for key in wanted
        }
        found: Counter = Counter()
        starts = [
            (n, k)
            for n, k, w in page.words()
            if left <= w.x0 < right and w.top > top and re.fullmatch(r"\d\d:\d\d", w.text)
        ]
        untimed = _untimed(page, day, left, right, top)
        for (time, text), count in wanted.items():
            least = needed(text, rivals[(time, text)])
            names = {
                norm(i.speakers[0].name)
                for i in day.items
                if (hhmm(i.start), norm(label(i))) == (time, text) and i.speakers and i.title
            }
            for n, k in starts:
                flow = page.flow(n, k)
                if flow[0].text == time and (
                    shows(flow[1:], text, least) or any(shows(flow[1:], m, 3) for m in names)
                ):
                    found[(time, text)] += 1
            # a block of one line may leave its time to the axis: its title alone, told
            # from the day's other items in its rooms
            if found[(time, text)] < count:
                found[(time, text)] += untimed[text]
                untimed[text] = 0
            if found[(time, text)] < count:
                # a crowded day's week draws a session as one block, its title at its start:
                # the items of a session found there are on the page through it
                held = [
                    programme.session(i.session)
                    for i in day.items
                    if (hhmm(i.start), norm(label(i))) == (time, text) and i.session
                ]
                for session in held:
                    for n, k in starts:
                        flow = page.flow(n, k)
                        if flow[0].text == hhmm(session.start) and shows(
                            flow[1:], norm(session.title), min(len(norm(session.title)), 8)
                        ):
                            found[(time, text)] += 1
                            break
            if found[(time, text)] < count:
                item = next(i for i in day.items if (hhmm(i.start), norm(label(i))) == (time, text))
                problems.append(
                    f"week: {item.display_title!r} ({day.date} {time}) not on page {number}"
                )
    return problems


def count_flows(pages: list[Page], labels: list[str]) -> Counter:
    """How many blocks of text on the pages start with a distinctive prefix of each label."""
    found: Counter = Counter()
    wanted = {norm(t) for t in labels}
    least = {t: needed(t, list(wanted)) for t in wanted}
    for page in pages:
        for n, k, w in page.words():
            head = norm(w.text)
            if not head:
                continue
            for text in wanted:
                starts = text.startswith(head[: len(text)]) or head.startswith(text[: len(head)])
                if starts and shows(page.flow(n, k), text, least[text]):
                    found[text] += 1
    return found


def check_grids(programme: model.Programme, pages: dict[int, Page], grids) -> list[str]:
    problems = []
    for day in programme.days:
        numbers = grids.get(day.date)
        if not numbers:
            problems.append(f"grid: no day grid for {day.date}")
            continue
        shown = {i.id: slot_label(programme, i) for i in day.items}
        slots = slot_labels(programme, day.items)
        wanted = Counter(norm(t) for t in slots)
        found = count_flows([pages[n] for n in numbers], slots)
        for item in day.items:
            text = norm(shown[item.id])
            if found[text] < wanted[text]:
                problems.append(
                    f"grid: {item.display_title!r} ({day.date} {hhmm(item.start)}) not on "
                    f"pages {numbers[0]}-{numbers[-1]}"
                )
                wanted[text] = 0  # once per missing title
    return problems


def abstract_pages(programme: model.Programme, pages: dict[int, Page], numbers: list[int]):
    """item id -> the pages of the abstracts that carry its title and all its speakers."""
    texts = {n: norm(pages[n].text) for n in numbers}
    # a heading may run over a page break: also look at each page with the next one
    joined = {n: texts[n] + texts.get(n + 1, "") for n in numbers}
    where: dict[str, list[int]] = {}
    for item in programme.items:
        if not has_entry(item):
            continue
        title = norm(item.display_title)
        names = [norm(p.name) for p in item.speakers]
        where[item.id] = [
            n for n in numbers if title in joined[n] and all(name in joined[n] for name in names)
        ]
    return where


def check_abstracts(programme, where: dict[str, list[int]]) -> list[str]:
    return [
        f"abstracts: {item.display_title!r} ({item.day} {hhmm(item.start)}) missing, or "
        "without all its speakers"
        for item in programme.items
        if has_entry(item) and not where.get(item.id)
    ]


# page numbers, a chaired one marked with an asterisk
_NUMBERS = re.compile(r"(\d+\*?(?:\s*,\s*\d+\*?)*)\s*$")


def check_index(
    programme: model.Programme,
    pages: dict[int, Page],
    numbers: list[int],
    where: dict[str, list[int]],
) -> list[str]:
    problems = []
    lines = [line for n in numbers for line in pages[n].text.splitlines()]
    for person in programme.people:
        items = index_items(programme, person)
        if not items:
            continue
        names = {norm(person.name), norm(person.sort_name)}
        at = next(
            (k for k, line in enumerate(lines) if any(norm(line).startswith(n) for n in names)),
            None,
        )
        if at is None:
            problems.append(f"index: {person.name!r} missing")
            continue
        # the entry's line, and the lines of page numbers it runs on to
        text = lines[at]
        for more in lines[at + 1 :]:
            if not text.rstrip().endswith(",") or not re.fullmatch(r"[\d,\s*]+", more):
                break
            text += " " + more
        match = _NUMBERS.search(text)
        listed = {int(n) for n in re.findall(r"\d+", match[1])} if match else set()
        for number in sorted(listed):
            if number not in pages or norm(person.name) not in norm(pages[number].text):
                problems.append(f"index: {person.name!r} listed on page {number}, not there")
        for item in items:
            if not listed & set(where.get(item.id, ())):
                problems.append(
                    f"index: {person.name!r} lacks the page of {item.display_title!r} "
                    f"(listed: {sorted(listed)}, abstract on {where.get(item.id)})"
                )
    return problems


def check_booklet(programme: model.Programme, pdf: Path) -> list[str]:
    pages = dict(enumerate(read_pdf(pdf), 1))
    parts = sections(programme, destinations(pdf), len(pages))
    problems = check_week(programme, pages, parts.week)
    problems += check_grids(programme, pages, parts.grids)
    where = abstract_pages(programme, pages, parts.abstracts)
    problems += check_abstracts(programme, where)
    problems += check_index(programme, pages, parts.index, where)
    return problems


# -- exports -------------------------------------------------------------------------------


class _SectionText(html.parser.HTMLParser):
    """The text of each <section id=...> of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str | None] = []
        self.text: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.stack.append(dict(attrs).get("id"))

    def handle_endtag(self, tag):
        if tag == "section" and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        for name in self.stack:
            if name:
                self.text.setdefault(name, []).append(data)


def check_web(programme: model.Programme, path: Path) -> list[str]:
    parser = _SectionText()
    parser.feed(path.read_text(encoding="utf-8"))
    problems = []
    for day in programme.days:
        text = " ".join(parser.text.get(f"day-{day.date.isoformat()}", []))
        flat = norm(text)
        wanted = Counter(norm(i.display_title) for i in day.items)
        for item in day.items:
            key = norm(item.display_title)
            names = [norm(p.name) for p in item.speakers]
            present = hhmm(item.start) in text and all(n in flat for n in names)
            if flat.count(key) < wanted[key] or not present:
                problems.append(f"web: {item.display_title!r} ({day.date} {hhmm(item.start)})")
                wanted[key] = 0
    return problems


def _ics_events(text: str) -> list[dict[str, str]]:
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    events, current = [], None
    for line in unfolded.splitlines():
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT" and current is not None:
            events.append(current)
            current = None
        elif current is not None and ":" in line:
            key, value = line.split(":", 1)
            current[key.split(";", 1)[0]] = value
    return events


def _ics_unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def check_ics(programme: model.Programme, path: Path) -> list[str]:
    have = Counter(
        (e.get("DTSTART", "")[:13], norm(_ics_unescape(e.get("SUMMARY", ""))))
        for e in _ics_events(path.read_text(encoding="utf-8"))
    )
    problems = []
    for item in programme.items:
        key = (f"{item.day:%Y%m%d}T{item.start:%H%M}", norm(item.display_title))
        if have[key] <= 0:
            problems.append(f"ics: {item.display_title!r} ({item.day} {hhmm(item.start)})")
        have[key] -= 1
    return problems


def check_xml(programme: model.Programme, path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    have: Counter = Counter()
    for day in root.iter("day"):
        for room in day.iter("room"):
            for event in room.iter("event"):
                key = (
                    day.get("date"),
                    event.findtext("start"),
                    norm(event.findtext("title") or ""),
                )
                have[key] += 1
                have[(*key, room.get("name"))] += 1
    problems = []
    for item in programme.items:
        key = (item.day.isoformat(), hhmm(item.start), norm(item.display_title))
        rooms = [] if item.all_rooms else [r.name for r in item.rooms]
        if have[key] <= 0 or (rooms and not any(have[(*key, r)] > 0 for r in rooms)):
            problems.append(f"xml: {item.display_title!r} ({item.day} {hhmm(item.start)})")
        have[key] -= 1
    return problems


def signed(programme: model.Programme, room: model.Room, day: model.Day) -> list[model.Item]:
    """The items a room's sign for a day lists, or [] when the room gets no sign: a room
    has a sign on a day when something other than a pause happens there of its own (an
    item for every room is its own only in a one-room event)."""
    items = [i for i in day.items if room in i.rooms]
    own = [i for i in items if not i.all_rooms or len(programme.rooms) == 1]
    return items if any(not i.is_pause for i in own) else []


def check_signs(programme: model.Programme, path: Path | None) -> list[str]:
    expected = {
        (room.name, day.date): items
        for day in programme.days
        for room in programme.rooms
        if (items := signed(programme, room, day))
    }
    pages = read_pdf(path) if path is not None and path.exists() else []
    problems = []
    seen = set()
    for number, page in enumerate(pages, 1):
        date = next((d.date for d in programme.days if day_month_year(d.date) in page.text), None)
        # the room's name in large type, maybe on two lines
        starts = [(n, k) for n, k, _ in page.words() if n < 8]
        named = [
            r.name
            for r in programme.rooms
            if any(
                norm(" ".join(w.text for w in page.flow(n, k))).startswith(norm(r.name))
                for n, k in starts
            )
        ]
        room = max(named, key=len, default=None)
        if date is None or room is None:
            problems.append(f"signs: page {number} names no room and day")
            continue
        seen.add((room, date))
        if (room, date) not in expected:
            problems.append(f"signs: page {number}: {room} on {date} has nothing of its own")
            continue
        items = expected[(room, date)]
        shown = {i.id: slot_label(programme, i) for i in items}
        slots = slot_labels(programme, items)
        found = count_flows([page], slots)
        wanted = Counter(norm(t) for t in slots)
        for item in items:
            text = norm(shown[item.id])
            if found[text] < wanted[text]:
                problems.append(f"signs: {item.display_title!r} not on {room}'s sign of {date}")
                wanted[text] = 0
    for room, date in sorted(set(expected) - seen):
        problems.append(f"signs: no sign for {room} on {date}")
    return problems


def check_build(programme: model.Programme, out: Path) -> list[str]:
    """Every view's missing items, as lines; empty when the build is complete."""
    problems = check_booklet(programme, out / "programme.pdf")
    problems += check_web(programme, out / "index.html")
    problems += check_ics(programme, out / "programme.ics")
    problems += check_xml(programme, out / "schedule.xml")
    problems += check_signs(programme, out / "signs.pdf")
    return problems
