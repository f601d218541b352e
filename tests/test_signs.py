"""Door signs: one page per room and day, read back from the PDF."""

from __future__ import annotations

import io
import shutil
from datetime import date

import pdfplumber
import pypdf
import pytest
from click.testing import CliRunner

from booklet.cli import cli
from booklet.errors import ContentError
from booklet.render.signs import build_signs, render_signs, signs_for
from booklet.validate import load_programme

from .conftest import FIXTURES, MINIMAL_PEOPLE
from .pdfutil import squash

MM = 72 / 25.4
A4_LANDSCAPE = (297 * MM, 210 * MM)


@pytest.fixture(scope="module")
def multiroom():
    return load_programme(FIXTURES / "multiroom").programme


@pytest.fixture(scope="module")
def rendered(multiroom):
    return render_signs(multiroom)


@pytest.fixture(scope="module")
def texts(rendered):
    reader = pypdf.PdfReader(io.BytesIO(rendered.pdf))
    return [squash(page.extract_text()) for page in reader.pages]


def test_one_sign_per_room_and_day_with_something_on(rendered, texts):
    # Day Two has items in Hall B only; Hall A and Room C have just the all-rooms coffee.
    assert [(s.room.name, str(s.day.date)) for s in rendered.signs] == [
        ("Hall A", "2025-06-02"),
        ("Hall B", "2025-06-02"),
        ("Room C", "2025-06-02"),
        ("Hall B", "2025-06-03"),
    ]
    assert len(texts) == 4
    for text, room, day in zip(
        texts,
        ["Hall A", "Hall B", "Room C", "Hall B"],
        ["Monday2June2025", "Monday2June2025", "Monday2June2025", "Tuesday3June2025"],
        strict=True,
    ):
        # Reading order: event, room, day.
        assert text.startswith(squash(f"PARALLEL TEST CONFERENCE · BERLIN {room}") + day)


def test_no_sign_for_a_room_with_only_items_for_every_room(content_factory):
    """A day whose only items are for every room (a plenary talk, a break, a reception)
    gives none of a conference's rooms a sign; a room with a talk of its own gets one."""
    content = content_factory(
        programme="""\
            days:
              - date: 2025-03-01
                items:
                  - {start: "09:00", end: "10:00", title: Plenary, speakers: [ada]}
                  - {start: "10:00", end: "10:30", kind: break, title: Coffee}
                  - {start: "18:00", kind: social, title: Reception}
              - date: 2025-03-02
                items:
                  - {start: "09:00", end: "10:00", title: In A, speakers: [ada], room: a}
                  - {start: "10:00", end: "10:30", kind: break, title: Coffee}
            """
    )
    signs = signs_for(load_programme(content).programme)
    assert [(s.room.name, str(s.day.date)) for s in signs] == [("Room A", "2025-03-02")]


# What each sign must and must not list: times and titles in reading order.
EXPECTED = {
    0: (  # Hall A, Monday
        ["09:00–09:30 Welcome", "09:30–10:30 Parallel talk in A",
         "10:30 Coffee break until 11:00", "11:00–12:00 Keynote across A and B",
         "18:00 Reception"],
        ["Short talk in B", "Second talk in B", "Tutorial in C", "Talk in C"],
    ),
    1: (  # Hall B, Monday
        ["09:30–10:00 Short talk in B", "10:00–10:30 Second talk in B",
         "11:00–12:00 Keynote across A and B"],
        ["Parallel talk in A", "Tutorial in C", "Talk in C"],
    ),
    2: (  # Room C, Monday
        ["09:30–10:30 Tutorial in C", "11:00–11:30 Talk in C", "10:30 Coffee break"],
        ["Parallel talk in A", "Short talk in B", "Keynote across A and B"],
    ),
    3: (  # Hall B, Tuesday
        ["09:00–10:00 Only room B today", "10:00 Coffee",
         "10:20–11:00 Untitled slot Alan Turing and Grace Hopper"],
        ["Welcome", "Parallel talk in A"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_each_sign_lists_its_rooms_items_with_times(texts, page):
    present, absent = EXPECTED[page]
    text = texts[page]
    for entry in present:
        assert squash(entry) in text, (entry, text)
    for title in absent:
        assert squash(title) not in text


def test_speakers_end_times_and_shared_rooms(texts):
    hall_a = texts[0]
    assert squash("Parallel talk in A") in hall_a
    assert "AlanTuring" in hall_a
    assert squash("Keynote · Zoë Ødegaard · also in Hall B") in hall_a
    assert squash("Coffee break until 11:00") in hall_a


def test_breaks_are_on_a_tinted_band(rendered):
    with pdfplumber.open(io.BytesIO(rendered.pdf)) as pdf:
        page = pdf.pages[0]
        word = next(w for w in page.extract_words() if w["text"] == "Coffee")
        bands = [
            r
            for r in page.rects
            if r["x0"] <= word["x0"] and r["top"] <= word["top"] and r["bottom"] >= word["bottom"]
        ]
        assert bands and bands[0]["non_stroking_color"] not in ((1, 1, 1), (0, 0, 0))


def test_signs_are_a4_landscape_with_booklet_fonts_embedded(rendered):
    reader = pypdf.PdfReader(io.BytesIO(rendered.pdf))
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE, abs=0.01)
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"])
            assert "SourceSans3" in name or "SourceSerif4" in name, name
            assert "/FontFile2" in font["/FontDescriptor"]


def test_room_name_is_the_largest_type(rendered):
    with pdfplumber.open(io.BytesIO(rendered.pdf)) as pdf:
        chars = pdf.pages[0].chars
        biggest = max(c["size"] for c in chars)
        assert "".join(c["text"] for c in chars if c["size"] == biggest) == "Hall A"
        assert biggest >= 90  # capitals over 20 mm tall
        titles = [c["size"] for c in chars if c["fontname"].endswith("Semibold")]
        assert max(titles) >= 28  # item titles at full size on a short day


def test_reproducible_bytes(multiroom):
    assert render_signs(multiroom).pdf == render_signs(multiroom).pdf


def long_day(n: int, minutes: int = 30) -> str:
    """A day of `n` items of `minutes` each in room a, every fifth a coffee break."""
    items = []
    for i in range(n):
        start = 8 * 60 + minutes * i
        kind = "break" if i % 5 == 4 else "talk"
        title = (
            "Coffee break"
            if kind == "break"
            else f"Talk number {i} on compilers "
            + ("and their intermediate representations " * (i % 3))
        )
        items.append(
            f'      - {{start: "{start // 60:02d}:{start % 60:02d}", '
            f'end: "{(start + minutes) // 60:02d}:{(start + minutes) % 60:02d}", kind: {kind}, '
            f'title: "{title.strip()}", room: a'
            + ("" if kind == "break" else ", speakers: [ada, alan], abstract: x")
            + "}\n"
        )
    return "days:\n  - date: 2025-03-03\n    items:\n" + "".join(items)


def inside_margins(pdf_bytes: bytes) -> None:
    """Every character lies on the page, inside a 10 mm margin."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            assert page.chars
            for c in page.chars:
                assert c["x0"] >= 10 * MM and c["x1"] <= page.width - 10 * MM, c["text"]
                assert c["top"] >= 10 * MM and c["bottom"] <= page.height - 10 * MM, c["text"]


def test_long_day_shrinks_to_one_page(content_factory):
    programme = load_programme(content_factory(programme=long_day(15))).programme
    short = render_signs(load_programme(FIXTURES / "multiroom").programme)
    rendered = render_signs(programme)
    assert len(rendered.signs) == 1
    text = squash(pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages[0].extract_text())
    for item in programme.items:
        assert squash(f"{item.start:%H:%M}") in text
        assert squash(item.display_title) in text, item.display_title
    inside_margins(rendered.pdf)
    assert rendered.signs[0].title_size < short.signs[0].title_size


def test_very_long_day_still_fits_and_warns(content_factory):
    programme = load_programme(content_factory(programme=long_day(40, minutes=15))).programme
    rendered = render_signs(programme)
    assert len(pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages) == 1
    inside_margins(rendered.pdf)
    (warning,) = [d for d in rendered.diagnostics if "three metres" in d.what]
    assert "40 items on the sign of Room A on 3 March 2025" in warning.what
    assert "A3" in warning.hint


def test_many_signs_with_small_titles_are_one_warning(content_factory):
    """A big conference's signs all shrink their titles: one warning says how many and
    which is smallest, instead of one per sign repeating the same advice."""
    days = [long_day(n, minutes=15).split("items:\n", 1)[1] for n in (40, 36, 32, 28, 44)]
    text = "days:\n" + "".join(
        f"  - date: 2025-03-0{d}\n    items:\n{items}" for d, items in enumerate(days, 3)
    )
    programme = load_programme(content_factory(programme=text)).programme
    rendered = render_signs(programme)
    sizes = [sign.title_size for sign in rendered.signs]
    assert len(sizes) == 5 and max(sizes) < 16
    (warning,) = [d for d in rendered.diagnostics if "three metres" in d.what]
    assert warning.what.startswith("5 of the 5 door signs need titles of ")
    smallest = min(rendered.signs, key=lambda sign: sign.title_size)
    assert smallest.day.date == date(2025, 3, 7) and len(smallest.items) == 44
    assert f"the smallest: Room A on 7 March 2025, 44 items at {min(sizes):.0f} pt" in warning.what
    assert f"{min(sizes):.0f} to {max(sizes):.0f} pt" in warning.what
    assert "A3" in warning.hint

    # A few signs are each named on their own.
    two = "days:\n" + "".join(
        f"  - date: 2025-03-0{d}\n    items:\n{items}" for d, items in enumerate(days[:2], 3)
    )
    rendered = render_signs(load_programme(content_factory(programme=two)).programme)
    warnings = [d.what for d in rendered.diagnostics if "three metres" in d.what]
    assert [w.split(" need ")[0] for w in warnings] == [
        "40 items on the sign of Room A on 3 March 2025",
        "36 items on the sign of Room A on 4 March 2025",
    ]


def test_no_ink_outside_the_margins(rendered):
    """Rendered, the sign leaves its margins white (nothing drawn off the page or near it)."""
    pdfium = pytest.importorskip("pypdfium2")
    doc = pdfium.PdfDocument(rendered.pdf)
    for index in range(len(doc)):
        image = doc[index].render(scale=30 / 72).to_pil().convert("L")
        w, h = image.size
        border = int(8 * MM * 30 / 72)
        pixels = image.load()
        for x in range(w):
            for y in list(range(border)) + list(range(h - border, h)):
                assert pixels[x, y] > 250, (index, x, y)
        for y in range(h):
            for x in list(range(border)) + list(range(w - border, w)):
                assert pixels[x, y] > 250, (index, x, y)


def test_qr_code_links_to_the_website(tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    pdfium = pytest.importorskip("pypdfium2")
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "multiroom", content)
    event = content / "event.yaml"
    event.write_text(event.read_text() + "website: https://example.org/ptc-2025\n")
    rendered = render_signs(load_programme(content).programme)
    page = pdfium.PdfDocument(rendered.pdf)[0]
    codes = zxingcpp.read_barcodes(page.render(scale=150 / 72).to_pil())
    assert [c.text for c in codes] == ["https://example.org/ptc-2025"]
    text = pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages[0].extract_text()
    assert "example.org/ptc-2025" in text


def test_no_website_no_qr_code(rendered):
    zxingcpp = pytest.importorskip("zxingcpp")
    pdfium = pytest.importorskip("pypdfium2")
    page = pdfium.PdfDocument(rendered.pdf)[0]
    assert zxingcpp.read_barcodes(page.render(scale=100 / 72).to_pil()) == []


@pytest.mark.parametrize(
    ("setting", "size"),
    [("A3", (420 * MM, 297 * MM)), ("letter", (11 * 72, 8.5 * 72))],
)
def test_page_size_setting(content_factory, setting, size):
    from .conftest import MINIMAL_EVENT

    root = content_factory(event=MINIMAL_EVENT + f"signs:\n  page_size: {setting}\n")
    programme = load_programme(root).programme
    assert programme.event.signs.page_size == {"A3": "A3", "letter": "Letter"}[setting]
    page = pypdf.PdfReader(io.BytesIO(render_signs(programme).pdf)).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
        size, abs=0.01
    )


def test_bad_page_size_setting(content_factory):
    from .conftest import MINIMAL_EVENT

    root = content_factory(event=MINIMAL_EVENT + "signs:\n  page_size: A5\n")
    with pytest.raises(ContentError) as info:
        load_programme(root)
    (error,) = info.value.errors
    assert str(error).endswith(
        "event.yaml:9:14: signs.page_size: unknown page size 'A5' for door signs "
        "(use one of A4, A3, Letter; signs are printed landscape)"
    )


def test_missing_character_is_left_out_and_reported(content_factory):
    event = """\
    title: Test Event
    timezone: Europe/Paris
    rooms:
      - {id: a, name: "Room \U00010000"}
    """
    programme = load_programme(content_factory(event=event, people=MINIMAL_PEOPLE)).programme
    rendered = render_signs(programme)
    (warning,) = rendered.diagnostics
    assert "U+10000" in warning.what and "room a's name" in warning.what
    assert "\U00010000" not in pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages[0].extract_text()


def test_no_rooms_writes_nothing(content_factory, tmp_path):
    event = "title: Test Event\ntimezone: Europe/Paris\n"
    programme_yaml = (
        'days:\n  - date: 2025-03-01\n    items:\n      - {start: "09:00", title: Hi}\n'
    )
    programme = load_programme(
        content_factory(event=event, programme=programme_yaml, people=None)
    ).programme
    assert signs_for(programme) == []
    (warning,) = build_signs(programme, tmp_path / "signs.pdf")
    assert "no door signs written" in warning.what
    assert not (tmp_path / "signs.pdf").exists()


def test_cli_signs(tmp_path):
    out = tmp_path / "out"
    args = ["signs", str(FIXTURES / "multiroom"), "--out", str(out), "--page-size", "a3"]
    result = CliRunner().invoke(cli, args, obj={})
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out / 'signs.pdf'} (4 signs for 3 rooms, A3 landscape)\n"
    page = pypdf.PdfReader(out / "signs.pdf").pages[0]
    assert float(page.mediabox.width) == pytest.approx(420 * MM, abs=0.01)


def test_lines_measured_at_once_are_those_measured_the_general_way(monkeypatch):
    """Text in one unshaped face, left to right, is measured at once (`text._simple`), and
    `wrap` adds up its words' widths: the lines, their pieces and widths must be those the
    general way (runs of faces, bidi levels, a measure of every line tried) gives."""
    from booklet.render import text as T

    programme = load_programme(FIXTURES / "multiroom").programme
    texts = [i.display_title for i in programme.items]
    texts += [
        "Naïve façades — 1,200× faster: “quoted” (and bracketed) [1] 3.5 %",
        "Supercalifragilisticexpialidocious-words-that-need-cutting and short ones",
        "Grand Auditorium · Ada Lovelace Room · Keynote",
        "محمد عبد الله and דוד בן־גוריון",  # right to left, other faces: the general way
        "東京大学 Tokyo University",
    ]
    styles = (T.REGULAR, T.SEMIBOLD, T.ITALIC, T.BOLD)
    tries = []
    for text in texts:
        for style in styles:
            words = text.split()
            for size in (9.0, 13.7, 24.0):
                # widths that fall exactly on a line's end, and between
                exact = T.line(" ".join(words[:2]), style).width * size
                for width in (exact, exact + 0.01, 60.0, 150.0, 400.0):
                    tries.append((text, style, size, width))
    T.line.cache_clear()
    fast = [T.wrap(*t) for t in tries] + [T.line(t, s) for t in texts for s in styles]
    additive = {text for text in texts if T._additive(text, T.REGULAR)}
    assert len(additive) >= len(texts) - 3  # the quick way is the one taken
    assert "東京大学 Tokyo University" not in additive
    monkeypatch.setattr(T, "_simple", lambda text, faces: False)
    monkeypatch.setattr(T, "_additive", lambda text, style: False)
    T.line.cache_clear()
    try:
        general = [T.wrap(*t) for t in tries] + [T.line(t, s) for t in texts for s in styles]
    finally:
        T.line.cache_clear()
    assert fast == general


def test_sign_warnings_name_the_file_line_and_column_of_their_item_or_room(content_factory):
    content = content_factory(programme=long_day(40, minutes=15))
    programme = load_programme(content).programme
    (warning,) = [d for d in render_signs(programme).diagnostics if "three metres" in d.what]
    # the room the sign is for: the first of event.yaml's rooms
    assert str(warning).startswith(f"{content / 'event.yaml'}:4:5: rooms[0]: signs: 40 items")
    content = content_factory(
        programme="""\
        days:
          - date: 2025-03-01
            items:
              - {start: "09:00", end: "10:00", title: "Old \U00010000", speakers: [ada], room: a}
        """
    )
    (warning,) = [
        d for d in render_signs(load_programme(content).programme).diagnostics if "font" in d.what
    ]
    assert str(warning).startswith(
        f"{content / 'programme.yaml'}:4:9: days[0].items[0]: signs: no font has"
    ), str(warning)
