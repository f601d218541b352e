"""Badges: sheets and page counts, names inside their badges, QR codes that scan, cut marks,
backs that line up, glyph checks, right-to-left names, reproducible bytes, settings, CLI."""

from __future__ import annotations

import hashlib
import io
import math
import subprocess
import sys

import pdfplumber
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from booklet import fonts, qr
from booklet.attendees import make_attendee, read_attendees
from booklet.cli import cli
from booklet.errors import ContentError
from booklet.render import badges as B
from booklet.render import text as T
from booklet.validate import load_programme

from .conftest import CONTENT, FIXTURES, MINIMAL_EVENT, ROOT

MM = 72 / 25.4
MIXED = FIXTURES / "attendees" / "mixed.csv"
PER_SHEET = {"a6": 1, "a6-4up": 4, "a7-8up": 8, "card-90x54": 10, "letter-4x3": 6}
RTL = ("محمد عبد الله", "דוד בן־גוריון")


@pytest.fixture(scope="module")
def programme():
    return load_programme(CONTENT).programme


@pytest.fixture(scope="module")
def mixed():
    return read_attendees(MIXED).attendees


def crowd(n: int):
    return [make_attendee(f"Given{i:04d} Family{i:04d}", affiliation="Somewhere") for i in range(n)]


def pages_of(pdf: bytes):
    doc = pdfplumber.open(io.BytesIO(pdf))
    return doc, doc.pages


def inside(obj, rect, page_height, slack=0.01) -> bool:
    """Is a pdfplumber object (char, word, line, image) within rect (x, y, w, h, bottom-up)?"""
    x, y, w, h = rect
    return (
        obj["x0"] >= x - slack
        and obj["x1"] <= x + w + slack
        and obj["top"] >= page_height - (y + h) - slack
        and obj["bottom"] <= page_height - y + slack
    )


# -- sheets --------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", list(PER_SHEET))
def test_page_counts_and_nobody_dropped(programme, layout):
    per = PER_SHEET[layout]
    assert B.PRESETS[layout].per_sheet == per
    for n in sorted({1, per, per + 1, 2 * per + 3}):
        people = crowd(n)
        rendered = B.render_badges(programme, people, B.PRESETS[layout])
        sheets = math.ceil(n / per)
        assert rendered.pages == sheets == len(PdfReader(io.BytesIO(rendered.pdf)).pages)
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(rendered.pdf)).pages)
        for a in people:
            assert text.count(a.given_name) == 1, (layout, n, a.given_name)
        last = PdfReader(io.BytesIO(rendered.pdf)).pages[-1].extract_text()
        assert people[-1].given_name in last  # the last sheet is never empty
        pages = [p.page for p in rendered.placements]
        assert pages == [i // per for i in range(n)]


def test_duplex_doubles_the_pages(programme):
    rendered = B.render_badges(programme, crowd(9), B.PRESETS["a7-8up"], duplex=True)
    assert rendered.pages == 4
    assert [p.page for p in rendered.placements] == [0] * 8 + [2]


def test_sheet_sizes_and_badge_positions_match_the_stock(programme):
    sizes = {
        "a6": (105 * MM, 148 * MM),
        "a6-4up": (210 * MM, 297 * MM),
        "letter-4x3": (612, 792),
    }
    for layout, size in sizes.items():
        reader = PdfReader(io.BytesIO(B.render_badges(programme, crowd(1), B.PRESETS[layout]).pdf))
        box = reader.pages[0].mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(size, abs=0.01)
    card = B.PRESETS["card-90x54"]  # 2 x 5 business cards, 15 mm and 13.5 mm margins
    assert card.rect(0) == pytest.approx((15 * MM, (297 - 13.5 - 54) * MM, 90 * MM, 54 * MM))
    assert card.rect(9) == pytest.approx((105 * MM, 13.5 * MM, 90 * MM, 54 * MM))
    letter = B.PRESETS["letter-4x3"]  # Avery 5392: 0.25 in sides, 1 in top
    assert letter.rect(0) == pytest.approx((18, 792 - 72 - 216, 288, 216))


@pytest.mark.parametrize("layout", list(PER_SHEET))
def test_names_inside_their_badges_and_nothing_outside(programme, mixed, layout):
    rendered = B.render_badges(programme, mixed, B.PRESETS[layout])
    doc, pages = pages_of(rendered.pdf)
    with doc:
        for placement in rendered.placements:
            page = pages[placement.page]
            words = [w for w in page.extract_words() if inside(w, placement.rect, page.height)]
            texts = {w["text"] for w in words}
            a = placement.attendee
            if a.name in RTL:  # drawn as shaped glyphs: check they are there, inside
                assert len(words) >= 4
                continue
            for part in (a.given_name + " " + a.family_name).split():
                assert part in texts or any(part in t for t in texts), (layout, part, texts)
        for page in pages:  # no text overflows any badge, whatever the name's length
            rects = [p.rect for p in rendered.placements if p.page == page.page_number - 1]
            for char in page.chars:
                assert any(inside(char, r, page.height) for r in rects), char["text"]


def test_long_names_shrink_then_wrap_short_names_stay_large(programme):
    people = [
        make_attendee(None, "Bo", "Li"),
        make_attendee(None, "Wolfeschlegelsteinhausenbergerdorff", "Senior"),
        make_attendee(None, "Jean-Baptiste Marie-Christophe Emmanuel", "de Montmorency"),
    ]
    rendered = B.render_badges(programme, people, B.PRESETS["a7-8up"])
    doc, pages = pages_of(rendered.pdf)
    with doc:
        page = pages[0]
        words = page.extract_words(extra_attrs=["size"])

        def word(text):
            return next(w for w in words if w["text"] == text)

        design = B._Design(B.PRESETS["a7-8up"].badge, programme)
        assert word("Bo")["size"] == pytest.approx(design.given_max)
        assert word("Wolfeschlegelsteinhausenbergerdorff")["size"] < 0.7 * design.given_max
        assert word("Jean-Baptiste")["top"] < word("Emmanuel")["top"]  # two lines
        assert word("Jean-Baptiste")["size"] == word("Emmanuel")["size"]


# -- QR codes ------------------------------------------------------------------------------


def decode(pdf: bytes, page_index: int, rect, page_height) -> list[str]:
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp decodes QR codes in tests")
    pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 rasterises the PDF")
    scale = 300 / 72
    image = pdfium.PdfDocument(pdf)[page_index].render(scale=scale).to_pil().convert("L")
    x, y, w, h = rect
    crop = image.crop(
        (int(x * scale), int((page_height - y - h) * scale), int((x + w) * scale),
         int((page_height - y) * scale))
    )  # fmt: skip
    return [r.text for r in zxingcpp.read_barcodes(crop)]


def test_qr_codes_decode_to_each_attendees_vcard(programme, mixed):
    rendered = B.render_badges(programme, mixed, B.PRESETS["a7-8up"])
    page_height = rendered.layout.paper[1]
    for placement in rendered.placements:
        a = placement.attendee
        (text,) = decode(rendered.pdf, placement.page, placement.rect, page_height)
        lines = text.split("\r\n")
        assert lines[:2] == ["BEGIN:VCARD", "VERSION:3.0"]
        assert f"FN:{a.name}" in lines
        assert f"N:{a.family_name};{a.given_name};;;" in lines
        if a.affiliation:
            assert "ORG:" + a.affiliation.replace(",", "\\,") in lines


def test_qr_url_pattern(content_factory):
    event = MINIMAL_EVENT + "badges:\n  qr: https://example.org/p/{id}?n={name}\n"
    programme = load_programme(content_factory(event=event)).programme
    people = [make_attendee("Zoë Ångström"), make_attendee("Alan Turing", id="alan")]
    rendered = B.render_badges(programme, people, B.PRESETS["a6"])
    height = rendered.layout.paper[1]
    texts = [decode(rendered.pdf, p.page, p.rect, height) for p in rendered.placements]
    assert texts == [
        ["https://example.org/p/zoe-angstrom?n=Zo%C3%AB%20%C3%85ngstr%C3%B6m"],
        ["https://example.org/p/alan?n=Alan%20Turing"],
    ]


def test_qr_none_draws_no_code(content_factory):
    event = MINIMAL_EVENT + "badges:\n  qr: none\n"
    programme = load_programme(content_factory(event=event)).programme
    rendered = B.render_badges(programme, crowd(1), B.PRESETS["a6"])
    assert decode(rendered.pdf, 0, rendered.placements[0].rect, rendered.layout.paper[1]) == []
    assert b"/IM true" not in rendered.pdf


def test_fallback_encoder_scans_too():
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp decodes QR codes in tests")
    from PIL import Image

    text = qr.vcard("Zoë Ångström", "Zoë", "Ångström", "Lund, Sweden")
    modules = qr._matrix_qrcode(text)
    n = len(modules)
    image = Image.new("L", (n + 8, n + 8), 255)
    for r, row in enumerate(modules):
        for c, dark in enumerate(row):
            if dark:
                image.putpixel((c + 4, r + 4), 0)
    result = zxingcpp.read_barcode(image.resize(((n + 8) * 8, (n + 8) * 8), Image.NEAREST))
    assert result.text == text
    assert "ORG:Lund\\, Sweden" in text


# -- cut marks and backs -------------------------------------------------------------------


def test_cut_marks_sit_outside_every_badge_on_every_cut_line(programme):
    layout = B.PRESETS["card-90x54"]
    rendered = B.render_badges(programme, crowd(10), layout)
    doc, pages = pages_of(rendered.pdf)
    with doc:
        page = pages[0]
        lines = page.lines
    rects = [layout.rect(i) for i in range(10)]
    for line in lines:
        x0, x1 = sorted((line["x0"], line["x1"]))
        top, bottom = sorted((line["top"], line["bottom"]))
        for x, y, w, h in rects:  # not even touching a badge
            assert x1 < x or x0 > x + w or bottom < page.height - y - h or top > page.height - y
    vertical = sorted({round(ln["x0"] / MM, 1) for ln in lines if ln["x0"] == ln["x1"]})
    flat = [ln for ln in lines if ln["top"] == ln["bottom"]]
    horizontal = sorted({round((page.height - ln["top"]) / MM, 1) for ln in flat})
    assert vertical == [15.0, 105.0, 195.0]
    assert horizontal == [13.5, 67.5, 121.5, 175.5, 229.5, 283.5]
    assert len(lines) == 3 * 2 + 6 * 2  # each cut line marked at both ends


def test_cut_marks_at_every_corner_when_badges_have_gutters():
    grid = B.Layout("custom", (210 * MM, 297 * MM), (80 * MM, 50 * MM), 2, 2, 12 * MM)
    marks = B.cut_marks(grid)
    assert len(marks) == 4 * 4 * 2  # 4 badges, 4 corners, 2 directions each
    for slot in range(4):
        x, y, w, h = grid.rect(slot)
        for cx, cy in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)):
            near = [m for m in marks if min(math.dist((cx, cy), m[:2]), 99) < 2.5 * MM]
            assert len(near) == 2, (slot, cx, cy)


def test_edge_to_edge_stock_has_no_room_for_marks():
    # A6 quarters and A7 eighths fill A4 completely: any mark would print on a badge.
    assert B.cut_marks(B.PRESETS["a6-4up"]) == []
    assert B.cut_marks(B.PRESETS["a7-8up"]) == []


def test_backs_line_up_with_fronts_and_show_sessions_or_information(programme):
    layout = B.PRESETS["a7-8up"]
    people = [
        make_attendee("Mathieu Fehr", id="mathieu-fehr", role="speaker"),
        make_attendee("Grace Hopper"),
    ]
    rendered = B.render_badges(programme, people, layout, duplex=True)
    assert rendered.pages == 2
    paper_w = layout.paper[0]
    for slot in range(2):
        x, y, w, h = layout.rect(slot)
        assert layout.rect(slot, back=True) == pytest.approx((paper_w - x - w, y, w, h))
    doc, pages = pages_of(rendered.pdf)
    with doc:
        back = pages[1]
        fehr = back.within_bbox(_bbox(layout.rect(0, back=True), back.height)).extract_text()
        hopper = back.within_bbox(_bbox(layout.rect(1, back=True), back.height)).extract_text()
    assert "Your sessions" in fehr and "Formal Semantics as MLIR Dialects" in fehr
    assert "Mon 27 Jan · 15:50–16:10 · Main room" in fehr
    assert "Mathieu Fehr" in fehr
    assert "Practical information" in hopper and "Grace Hopper" in hopper
    assert "Dates and places" in hopper


def _bbox(rect, page_height):
    x, y, w, h = rect
    return (x, page_height - y - h, x + w, page_height - y)


# -- fonts, glyphs, right to left ----------------------------------------------------------


def test_fallback_chain_covers_latin_greek_cyrillic_arabic_hebrew():
    faces = fonts.chain("sans", 700)
    assert faces[0].key == "SourceSans3-Bold"
    for text in ("Zoë Łukasz Nguyễn", "Ελένη", "Дмитрий", "محمد", "דוד"):
        assert fonts.missing_chars(text, faces) == (), text
    runs = fonts.split_runs("Ada محمد עברית", faces).runs
    # Spaces stay with the run they follow, so an Arabic name is shaped in one piece.
    assert [(face.family, text) for face, text in runs] == [
        ("Source Sans 3", "Ada "),
        ("Noto Sans Arabic", "محمد "),
        ("Noto Sans Hebrew", "עברית"),
    ]


def test_cjk_from_the_system_when_present():
    faces = fonts.chain("sans", 400)
    if not any(f.key.startswith("System-CJK") for f in faces):
        pytest.skip("no CJK TrueType font installed (apt-get install fonts-droid-fallback)")
    assert fonts.missing_chars("山田太郎", faces) == ()


def test_glyph_check_names_the_attendee_and_character(programme, tmp_path):
    people = [make_attendee("Abebe አበበ"), make_attendee("Ada Lovelace")]
    rendered = B.render_badges(programme, people, B.PRESETS["a6"])
    (warning,) = rendered.diagnostics
    assert warning.severity == "warning"
    assert "'አ' (U+12A0 ETHIOPIC SYLLABLE GLOTTAL A)" in warning.what
    assert "'በ' (U+1260 ETHIOPIC SYLLABLE BA)" in warning.what
    assert warning.what.endswith("in the family name of Abebe አበበ")
    target = tmp_path / "badges.pdf"
    with pytest.raises(ContentError) as info:
        B.build_badges(programme, people, target, "a6", strict=True)
    assert info.value.errors[0].what == warning.what
    assert not target.exists()  # strict: nothing written


def test_bidi_order_and_mirroring():
    def visual(text):
        return "".join(str(p.text) for p in T.line(text, T.BOLD).pieces)

    assert visual("שלום 123 עולם") == "םלוע 123 םולש"
    assert visual("אבג (test) דהו") == "והד (test) גבא"  # brackets mirrored in RTL runs
    assert visual("David (שלום) Ben") == "David (םולש) Ben"
    assert visual("ת״א 2025") == "2025 א״ת"


def test_hebrew_name_reads_right_to_left_in_the_pdf(programme):
    rendered = B.render_badges(programme, [make_attendee("דוד בן־גוריון")], B.PRESETS["a6"])
    doc, pages = pages_of(rendered.pdf)
    with doc:
        chars = [c for c in pages[0].chars if "\u0590" <= c["text"] <= "\u05ff"]
    given = sorted((c for c in chars if c["size"] == max(c["size"] for c in chars)),
                   key=lambda c: c["x0"])  # fmt: skip
    assert "".join(c["text"] for c in given) == "דוד"[::-1]


def test_arabic_is_shaped_without_honorific_ligatures():
    ln = T.line("محمد", T.BOLD)
    (piece,) = ln.pieces
    assert hasattr(piece.text, "__shapeData__")  # shaped by HarfBuzz
    # Joined forms, in visual order: final dal, medial mim, medial ha, initial mim.
    assert str(piece.text) == "\ufeaa\ufee4\ufea4\ufee3"
    assert not ln.unshaped


def test_arabic_without_harfbuzz_is_reported(programme, monkeypatch):
    import reportlab.pdfbase.ttfonts as ttfonts

    monkeypatch.setattr(ttfonts, "uharfbuzz", None)
    T.line.cache_clear()
    try:
        rendered = B.render_badges(programme, [make_attendee("محمد عبد الله")], B.PRESETS["a6"])
    finally:
        T.line.cache_clear()
    whats = [d.what for d in rendered.diagnostics]
    assert "cannot join the Arabic letters of the given name of محمد عبد الله" in whats


# -- reproducible output -------------------------------------------------------------------


def test_same_input_same_bytes(programme, mixed, tmp_path):
    first = B.render_badges(programme, mixed, B.PRESETS["a7-8up"], duplex=True).pdf
    second = B.render_badges(programme, mixed, B.PRESETS["a7-8up"], duplex=True).pdf
    assert first == second
    assert b"CreationDate" not in first or b"D:20000101" in first
    script = (
        "import sys, hashlib; sys.path.insert(0, sys.argv[1]);"
        "from booklet.validate import load_programme;"
        "from booklet.attendees import read_attendees;"
        "from booklet.render.badges import render_badges, PRESETS;"
        "p = load_programme(sys.argv[2]).programme;"
        "a = read_attendees(sys.argv[3]).attendees;"
        "print(hashlib.sha256(render_badges(p, a, PRESETS['a7-8up'], duplex=True).pdf)"
        ".hexdigest())"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(ROOT), str(CONTENT), str(MIXED)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == hashlib.sha256(first).hexdigest()


# -- settings ------------------------------------------------------------------------------


def test_badge_settings_are_read(content_factory, tmp_path):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), "#224466").save(buffer, "PNG")
    event = MINIMAL_EVENT + (
        "badges:\n"
        "  layout: Custom\n"
        "  custom: {width: 3.5in, height: 55mm, columns: 2, rows: 5, paper: a4, gap: 2 mm}\n"
        '  colours: {speaker: "#ABC", chair: "#102030"}\n'
        "  qr: none\n"
        "  logo: logo.png\n"
        "  back: talks\n"
    )
    root = content_factory(event=event)
    (root / "logo.png").write_bytes(buffer.getvalue())
    settings = load_programme(root).programme.event.badges
    assert settings.layout == "custom"
    assert settings.custom.width == pytest.approx(88.9)
    assert (settings.custom.height, settings.custom.gap, settings.custom.paper) == (55, 2, "A4")
    assert settings.colours == (("speaker", "#aabbcc"), ("chair", "#102030"))
    assert (settings.qr, settings.back) == ("none", "talks")
    assert settings.logo == buffer.getvalue()


def test_logo_and_colours_are_drawn(content_factory):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), "#224466").save(buffer, "PNG")
    event = MINIMAL_EVENT + 'badges:\n  logo: logo.png\n  colours: {speaker: "#123456"}\n'
    root = content_factory(event=event)
    (root / "logo.png").write_bytes(buffer.getvalue())
    programme = load_programme(root).programme
    people = [make_attendee("Ada Lovelace", role="speaker"), make_attendee("Alan Turing")]
    rendered = B.render_badges(programme, people, B.PRESETS["a6-4up"])
    doc, pages = pages_of(rendered.pdf)
    with doc:
        page = pages[0]
        for placement in rendered.placements:
            logos = [i for i in page.images if tuple(i["srcsize"]) == (60, 20)]
            assert sum(inside(i, placement.rect, page.height) for i in logos) == 1
        fills = {tuple(round(c, 3) for c in o["non_stroking_color"] or ()) for o in page.curves}
    assert tuple(round(v / 255, 3) for v in (0x12, 0x34, 0x56)) in fills


@pytest.mark.parametrize(
    ("badges", "message"),
    [
        ("{layout: a7-8-up}", "unknown badge layout 'a7-8-up' (did you mean 'a7-8up'?)"),
        ("{layout: custom}", "badges.layout: layout 'custom' needs a 'custom:' mapping"),
        (
            "{custom: {width: 110mm, height: 50, columns: 2, rows: 2}}",
            "badges.custom: 2 x 2 badges of 110 x 50 mm need 220 x 100 mm, more than A4 "
            "(210 x 297 mm)",
        ),
        ("{custom: {width: wide, height: 50, columns: 2, rows: 2}}", "bad width 'wide'"),
        ('{colours: {speaker: "blue"}}', "badges.colours.speaker: bad colour 'blue'"),
        ('{colours: {speeker: "#000"}}', "unknown role 'speeker' (did you mean 'speaker'?)"),
        ("{qr: 'https://x.org/{email}'}", "badges.qr: unknown field {email} in the QR URL"),
        ("{qr: mecard}", "badges.qr: bad QR setting 'mecard'"),
        ("{logo: logo.svg}", "badges.logo: the logo is not a PNG or JPEG image"),
        ("{attendees: nope.csv}", "badges.attendees: file 'nope.csv' not found"),
    ],
)
def test_badge_settings_errors(content_factory, badges, message):
    root = content_factory(event=MINIMAL_EVENT + f"badges: {badges}\n")
    (root / "logo.svg").write_text("<svg/>", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_programme(root)
    assert any(message in str(d) for d in info.value.errors), info.value.errors


def test_custom_layout_from_settings(content_factory):
    custom = "{width: 80, height: 50, columns: 2, rows: 3, gap: 10}"
    event = MINIMAL_EVENT + f"badges:\n  layout: custom\n  custom: {custom}\n"
    programme = load_programme(content_factory(event=event)).programme
    layout = B.layout_for(None, programme.event.badges)
    assert (layout.columns, layout.rows, layout.per_sheet) == (2, 3, 6)
    assert layout.rect(0)[2:] == pytest.approx((80 * MM, 50 * MM))
    assert B.render_badges(programme, crowd(7), layout).pages == 2


# -- command line --------------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(cli, list(args), obj={})


def test_cli_badges_for_the_default_content(tmp_path):
    result = run("badges", str(CONTENT), "--out", str(tmp_path), "--layout", "a7-8up")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {tmp_path / 'badges.pdf'} (17 badges on 3 sheets, a7-8up)\n"
    assert len(PdfReader(tmp_path / "badges.pdf").pages) == 3


def test_cli_bad_csv_is_a_clear_error(tmp_path):
    bad = FIXTURES / "attendees" / "no-name-column.csv"
    result = run("badges", str(CONTENT), "--attendees", str(bad), "--out", str(tmp_path))
    assert result.exit_code == 1
    assert f"error: {bad}:1: missing column 'name'" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "badges.pdf").exists()


def test_cli_strict_fails_on_an_undrawable_name(content_factory, tmp_path):
    root = content_factory()
    guests = tmp_path / "guests.csv"
    guests.write_text("name\nAbebe አበበ\n", encoding="utf-8")
    args = ["badges", str(root), "--attendees", str(guests), "--out", str(tmp_path / "out")]
    result = run(*args)
    assert result.exit_code == 0
    assert f"warning: {guests}:2: no font has 'አ' (U+12A0" in result.stderr
    result = run(*args, "--strict")
    assert result.exit_code == 1
    assert f"error: {guests}:2: no font has 'አ' (U+12A0" in result.stderr


def test_badges_show_names_as_written_not_their_sort_names(content_factory):
    """The sort name orders; the badge prints the name as its owner writes it: a
    family-name-first name keeps its order, a name in another script is not replaced by
    its romanised sort name. A given-then-family name still has its family name below."""
    from booklet.attendees import from_programme

    people = """\
    people:
      - {id: zhang, name: 张伟, sort_name: "Zhang, Wei"}
      - {id: zhang-latin, name: Zhang Wei, sort_name: "Zhang, Wei"}
      - {id: ada, name: Ada Lovelace, sort_name: "Lovelace, Ada"}
    """
    programme = load_programme(content_factory(people=people)).programme
    rendered = B.render_badges(programme, from_programme(programme), B.PRESETS["a6"])
    texts = {}
    for page in PdfReader(io.BytesIO(rendered.pdf)).pages:
        lines = [line.strip() for line in page.extract_text().splitlines()]
        texts[next((n for n in ("Zhang Wei", "Ada", "张伟", "Wei") if n in lines), "?")] = lines
    assert "Zhang Wei" in texts  # one line, in its own order
    assert "Wei" not in texts and "Zhang" not in texts["Zhang Wei"]
    ada = texts["Ada"]
    assert ada.index("Ada") + 1 == ada.index("Lovelace")  # given name large, family below
    cjk = any(f.key.startswith("System-CJK") for f in fonts.chain("sans", 700))
    if cjk:
        assert "张伟" in texts
    assert sum(1 for lines in texts.values() if "Zhang" in lines) == 0
