"""End-to-end: the default content's booklet, checked from the PDF itself."""

import re
import shutil
import subprocess

import pytest

from booklet.render.booklet import has_entry, speaker_index
from booklet.validate import load_programme

from .conftest import CONTENT, FIXTURES
from .pdfutil import Pdf, squash, words_in

pytestmark = pytest.mark.slow

A5 = (419.53, 595.28)  # points


@pytest.fixture(scope="module")
def programme():
    return load_programme(CONTENT).programme


@pytest.fixture(scope="module")
def pdf(default_build):
    out, _ = default_build
    return Pdf(out / "programme.pdf")


def test_page_size_and_count(pdf):
    assert len(pdf) % 4 == 0
    assert len(pdf) >= 16
    for page in pdf.reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A5


def test_metadata_and_language(pdf):
    meta = pdf.reader.metadata
    assert meta.title == "MLIR Winter School 2025"
    assert meta.author == "MLIR Winter School 2025"  # no organizers named: the event
    assert pdf.reader.trailer["/Root"]["/Lang"] == "en"


def test_cover(pdf):
    cover = squash(pdf.text(1))
    for text in (
        "MLIR Winter School 2025",
        "preceded by the ML Compilation Infrastructure Workshop",
        "27–31 January 2025",
        "Paris",
    ):
        assert squash(text) in cover


def test_every_talk_title_and_speaker_present(pdf, programme):
    for item in programme.items:
        assert pdf.pages_with(item.display_title), item.display_title
        for person in item.speakers:
            assert pdf.pages_with(person.name), person.name


def test_each_entry_lands_on_a_page_with_its_title(pdf, programme):
    named = pdf._named
    for item in programme.items:
        if has_entry(item):
            page = named[f"item-{item.id}"]
            assert squash(item.display_title) in squash(pdf.text(page)), item.display_title


def index_pages(pdf):
    first = pdf._named["index"]
    return [p for p in range(first, len(pdf) + 1) if "Speaker index" in pdf.text(p)]


def test_index_sorted_by_family_name_with_each_speaker_once(pdf, programme):
    text = "\n".join(pdf.text(p) for p in index_pages(pdf))
    families = [e.person.family_name for e in speaker_index(programme)]
    positions = [text.index(f"{name}, ") for name in families]
    assert positions == sorted(positions)
    for entry in speaker_index(programme):
        assert text.count(f"{entry.person.family_name}, {entry.person.given_name}") == 1


def test_index_page_numbers_cite_the_right_pages(pdf, programme):
    """Each number in the index is a link; its text is the page it points to, and that
    page holds a talk of that speaker (their name and the talk's title)."""
    entries = {e.person.family_name: e for e in speaker_index(programme)}
    checked = 0
    for page in index_pages(pdf):
        for link in pdf.links(page):
            number = words_in(pdf.path, page, link.rect).strip()
            assert number.isdigit(), number
            assert int(number) == link.target
            # The entry's family name is on the same line, left of the number.
            line = words_in(pdf.path, page, (0, link.rect[1], link.rect[0], link.rect[3]))
            family = line.split(",")[0].strip()
            entry = entries[family]
            target_text = squash(pdf.text(link.target))
            assert squash(entry.person.name) in target_text
            assert any(squash(i.display_title) in target_text for i in entry.items)
            checked += 1
    cited = sum(len({pdf._named[f"item-{i.id}"] for i in e.items}) for e in entries.values())
    assert checked == cited


def test_mathieu_fehr_index_line(pdf, programme):
    person = next(p for p in programme.people if p.id == "mathieu-fehr")
    pages = sorted({pdf._named[f"item-{i.id}"] for i in programme.items_of(person)})
    # pdfplumber orders words by position: the right-aligned numbers end the name's line.
    text = "\n".join(words_in(pdf.path, p, (0, 0, 1000, 1000)) for p in index_pages(pdf))
    line = next(line for line in text.splitlines() if line.startswith("Fehr, Mathieu"))
    assert line.endswith(", ".join(str(p) for p in pages))
    assert len(pages) < len(programme.items_of(person))  # two talks share a page: listed once


def test_contents_page_numbers(pdf):
    contents = pdf.pages_with("Contents")[0]
    links = pdf.links(contents)  # one each: not one more for the number and the leader
    assert len(links) == len({link.dest for link in links}) == 1 + 1 + 5 + 5 + 1
    for link in links:
        line = words_in(pdf.path, contents, (0, link.rect[1], 1000, link.rect[3]))
        number = re.search(r"(\d+)\s*$", line)
        assert number and int(number[1]) == link.target, line
    titles = {"Practical information", "Week at a glance", "Speaker index"}
    for title in titles:
        assert any(title in pdf.text(link.target) for link in links)


def test_no_link_lies_inside_another_to_the_same_place(pdf):
    """WeasyPrint gives each box within a link (a span, an ::after) an annotation of its
    own; the booklet keeps the outermost."""
    found = 0
    for n in range(1, len(pdf) + 1):
        links = pdf.links(n)
        found += len(links)
        for a in links:
            for b in links:
                if a is not b and a.dest == b.dest:
                    (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = a.rect, b.rect
                    e = 0.01
                    inside = ax0 > bx0 - e and ay0 > by0 - e and ax1 < bx1 + e and ay1 < by1 + e
                    assert not inside, (n, a.dest, a.rect, b.rect)
    assert found > 50


def test_grid_links_go_to_abstracts(pdf, programme):
    for day in programme.days:
        page = pdf._named[f"grid-{day.date}"]
        links = {
            link.dest: link
            for link in pdf.links(page)
            if link.dest and link.dest.startswith("item-")
        }.values()
        expected = [i for i in day.items if has_entry(i)]
        assert len(links) == len(expected)
        for link in links:
            item = next(i for i in expected if f"item-{i.id}" == link.dest)
            assert squash(item.display_title) in squash(pdf.text(link.target))


def test_outline_days_then_talks(pdf, programme):
    outline = pdf.outline()
    top = [title for level, title, _ in outline if level == 1]
    for day in programme.days:
        label = f"{day.date:%A} {day.date.day} {day.date:%B %Y}"
        assert top.count(label) == 1, label
    # Under each day, its talks, pointing at their abstract pages.
    for k, (level, title, page) in enumerate(outline):
        if level == 2 and outline[k - 1][0] >= 1 and title == "Formal Semantics as MLIR Dialects":
            assert "Formal Semantics as MLIR Dialects" in pdf.text(page)
            parent = next(t for lvl, t, _ in reversed(outline[:k]) if lvl == 1)
            assert parent == "Monday 27 January 2025"
            break
    else:
        pytest.fail("talk bookmark missing")


def test_running_heads_name_the_day(pdf, programme):
    day = programme.days[1]
    page = pdf._named[f"grid-{day.date}"]
    head = words_in(pdf.path, page, (0, 0, 1000, 17 / 25.4 * 72)).strip()
    assert head == f"{day.date:%A} {day.date.day} {day.date:%B %Y}"


def test_notes_pages_and_back_cover_pad_to_four(pdf):
    notes = pdf.pages_with("Notes")
    index_last = index_pages(pdf)[-1]
    assert notes == list(range(index_last + 1, len(pdf)))  # then the back cover
    assert len(notes) < 4
    assert "Notes" not in pdf.text(len(pdf))
    import pdfplumber

    with pdfplumber.open(pdf.path) as document:
        for number in notes:  # ruled for writing: a rule every 7.5 mm down the page
            page = document.pages[number - 1]
            rules = {round(r["top"]) for r in page.rects if r["width"] > page.width / 2}
            assert len(rules) >= 18, number


def test_abstract_markdown_and_no_artefacts(pdf):
    text = "".join(pdf.texts)
    assert "Â" not in text
    # Hyphenation breaks words at line ends ("lever-\naging"): join them back.
    assert squash("leveraging generic MLIR support") in squash(text.replace("-\n", ""))


def test_kept_html_renders_to_the_same_pages(default_build, pdf, tmp_path):
    out, _ = default_build
    weasyprint = shutil.which("weasyprint") or str(
        __import__("pathlib").Path(__import__("sys").executable).parent / "weasyprint"
    )
    target = tmp_path / "again.pdf"
    subprocess.run(
        [weasyprint, str(out / "programme.html"), str(target)], check=True, capture_output=True
    )
    again = Pdf(target)
    printed = Pdf(out / "programme-print.pdf")  # the kept HTML has the bleed, like this one
    assert len(again) == len(printed) == len(pdf)
    for n in range(1, len(pdf) + 1):
        assert squash(again.text(n)) == squash(printed.text(n)), n


def test_multiroom_grid_columns(multiroom_build):
    out, result = multiroom_build
    pdf = Pdf(out / "programme.pdf")
    assert len(pdf) % 4 == 0
    page = pdf._named["grid-2025-06-02"]
    text = pdf.text(page)
    for name in (
        "Hall A",
        "Hall B",
        "Room C",
        "Parallel talk in A",
        "Tutorial in C",
        "Keynote across A and B",
        "Coffee break",
    ):
        assert name in text
    # Accented family names sort with their base letter: Borel (É) before Dijkstra.
    index = pdf.text(pdf._named["index"])
    assert index.index("Borel, Émile") < index.index("Dijkstra, Edsger")
    assert index.index("Lovelace, Ada") < index.index("Ødegaard, Zoë") < index.index("Turing, Alan")


@pytest.mark.parametrize(
    ("size", "points"),
    [("A4", (595.28, 841.89)), ("Letter", (612.0, 792.0)), ("half-letter", (396.0, 612.0))],
)
def test_page_size_setting(tmp_path, size, points):
    from booklet.build import build

    build(FIXTURES / "multiroom", tmp_path, page_size=size)
    pdf = Pdf(tmp_path / "programme.pdf")
    box = pdf.reader.pages[3].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == points
    assert len(pdf) % 4 == 0


def test_no_content_outside_the_margins(default_build, tmp_path):
    """A visual check: render every page and look for ink in a 6 mm strip along each edge
    (the cover, which is printed to the edge, aside)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    from PIL import Image

    out, _ = default_build
    subprocess.run(
        ["pdftoppm", "-r", "40", "-gray", "-png", str(out / "programme.pdf"), str(tmp_path / "p")],
        check=True,
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert pages
    for path in pages[1:]:
        image = Image.open(path).convert("L")
        w, h = image.size
        strip = round(6 / 25.4 * 40)
        for box in ((0, 0, w, strip), (0, h - strip, w, h), (0, 0, strip, h), (w - strip, 0, w, h)):
            darkest = image.crop(box).getextrema()[0]
            assert darkest > 200, f"{path.name}: ink near the edge {box}"


def _fonts_of(reader):
    fonts = {}
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descendant = descendant.get_object()
                descriptor = descendant.get("/FontDescriptor")
                if descriptor is not None:
                    descriptor = descriptor.get_object()
                    fonts[str(descendant["/BaseFont"])] = any(
                        k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
                    )
    return fonts


def test_print_variant_boxes_and_fonts(default_build):
    out, _ = default_build
    pdf = Pdf(out / "programme-print.pdf")
    screen = Pdf(out / "programme.pdf")
    assert len(pdf) == len(screen)
    bleed = 3 / 25.4 * 72
    for page in pdf.reader.pages:
        trim = [round(float(v), 2) for v in page.trimbox]
        box = [round(float(v), 2) for v in page.bleedbox]
        assert (round(trim[2] - trim[0], 2), round(trim[3] - trim[1], 2)) == A5
        assert box == [
            round(trim[0] - bleed, 2),
            round(trim[1] - bleed, 2),
            round(trim[2] + bleed, 2),
            round(trim[3] + bleed, 2),
        ]
        media = [float(v) for v in page.mediabox]
        assert media[0] <= box[0] and media[2] >= box[2]
    fonts = _fonts_of(pdf.reader)
    assert fonts and all(fonts.values()), fonts
    names = [name.replace("-", "") for name in fonts]
    assert any("SourceSerif4" in name for name in names)
    assert any("SourceSans3" in name for name in names)

    def same(text):  # the tagged file's text extracts hyphens and ellipses differently
        return re.sub("…+", "…", squash(text).replace("\u2010", "-"))

    for n in range(1, len(pdf) + 1):
        assert same(pdf.text(n)) == same(screen.text(n))


def test_screen_variant_is_tagged_small_and_trimmed(default_build):
    out, _ = default_build
    path = out / "programme.pdf"
    pdf = Pdf(path)
    root = pdf.reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert path.stat().st_size < 1_000_000
    for page in pdf.reader.pages:
        assert [round(float(v), 2) for v in page.mediabox] == [0, 0, *A5]


def test_rebuilds_are_byte_identical(tmp_path, monkeypatch):
    from booklet.build import build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1737936000")
    build(FIXTURES / "multiroom", tmp_path / "one")
    build(FIXTURES / "multiroom", tmp_path / "two")
    for name in ("programme.pdf", "programme-print.pdf"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
