"""The booklet's page furniture and how it sets names, read back from the PDF: a back cover,
bare notes pages, day grids that break between rows without leaving one alone and show no
time with nothing beside it, names as written and never hyphenated."""

from __future__ import annotations

import re

import pdfplumber
import pytest

from booklet.build import build

from .conftest import write_content
from .pdfutil import Pdf

pytestmark = pytest.mark.slow

TIME = re.compile(r"^\d\d:\d\d$")
LONG_NAMES = [
    ("sadayappan", "Ponnuswamy Sadayappan", None),
    ("springer", "Matthias Springer", None),
    ("lecoq", "Aurélien Lecoq", None),
    ("zhang", "Zhang Wei", "Zhang, Wei"),  # family name first
    ("venkat", "Venkataraghavan Subramanyaswamy", None),
]


def _event() -> dict:
    people = "people:\n" + "".join(
        f"  - {{id: {i}, name: {n}"
        + (f', sort_name: "{s}"' if s else "")
        + ", affiliation: Universitätsklinikum Schleswig-Holstein}\n"
        for i, n, s in LONG_NAMES
    )
    ids = [i for i, _, _ in LONG_NAMES]
    items = []
    # a day in four narrow rooms: long names and titles, then a gap before the dinner
    for k, room in enumerate("abcd"):
        for slot, start in enumerate(("09:00", "10:00", "11:00")):
            who = ids[(k + slot) % len(ids)]
            items.append(
                f'      - {{start: "{start}", end: "{start[:2]}:50", room: {room}, '
                f"title: Interprocedural Parallelisation of Heterogeneous Accelerators "
                f"{k}{slot}, speakers: [{who}], abstract: Words.}}"
            )
    items.append('      - {start: "12:00", end: "13:00", kind: meal, title: Lunch}')
    items.append('      - {start: "19:00", kind: social, title: Dinner}')
    days = ["  - date: 2025-03-03\n    items:\n" + "\n".join(items)]
    # days of many rows in one room, each a different length: their grids break across
    # pages at different places
    for d, count in enumerate(range(24, 30)):
        rows = [
            f'      - {{start: "{8 + m // 4:02d}:{m % 4 * 15:02d}", '
            f'end: "{8 + (m + 1) // 4:02d}:{(m + 1) % 4 * 15:02d}", room: a, '
            f"title: A talk about compilers with a title of two lines in the grid {m}, "
            f"speakers: [{ids[m % len(ids)]}]}}"
            for m in range(count)
        ]
        days.append(f"  - date: 2025-03-{4 + d:02d}\n    items:\n" + "\n".join(rows))
    event = """\
    title: Furniture Test
    timezone: Europe/Paris
    website: https://furniture.example.org/2025
    funding: Funded by the Furniture Foundation.
    rooms:
      - {id: a, name: Auditorium Maximilianeum}
      - {id: b, name: Seminarraum Zweihundert}
      - {id: c, name: Room C}
      - {id: d, name: Room D}
    """
    return {"event": event, "people": people, "programme": "days:\n" + "\n".join(days)}


@pytest.fixture(scope="module")
def booklet(tmp_path_factory):
    root = tmp_path_factory.mktemp("furniture")
    content = write_content(root / "content", **_event())
    build(content, root / "out", only="booklet", jobs=2)
    return root / "out" / "programme.pdf"


def _grid_pages(pdf: Pdf) -> list[int]:
    """The pages of the day grids: from the first grid to the first abstract."""
    first = min(p for name, p in pdf._named.items() if name.startswith("grid-"))
    end = min(p for name, p in pdf._named.items() if name.startswith("item-"))
    return list(range(first, end))


def _time_rows(page) -> list[tuple[dict, list[dict]]]:
    """(time label, the words on its line right of it) for each row of a grid page."""
    words = page.extract_words()
    # the time column, left of the first room (a cell may show its own time further right)
    labels = [w for w in words if TIME.match(w["text"]) and w["x0"] < page.width * 0.12]
    return [
        (label, [w for w in words if w["x0"] > label["x1"] and abs(w["top"] - label["top"]) < 6])
        for label in labels
    ]


def test_no_time_row_without_anything_beside_it(booklet):
    with pdfplumber.open(booklet) as doc:
        for number in _grid_pages(Pdf(booklet)):
            for label, beside in _time_rows(doc.pages[number - 1]):
                assert beside, f"page {number}: {label['text']} with nothing beside it"
    # the end of the morning's sessions still shows, as the end of their last talks
    text = Pdf(booklet).text(_grid_pages(Pdf(booklet))[0])
    assert "11:00–11:50" in text


def test_grids_break_between_rows_without_a_lone_row(booklet):
    pdf = Pdf(booklet)
    with pdfplumber.open(booklet) as doc:
        for number in _grid_pages(pdf):
            rows = _time_rows(doc.pages[number - 1])
            assert len(rows) >= 2, f"page {number} holds {len(rows)} row of a grid"
    assert len(_grid_pages(pdf)) > 7  # some grids did break across pages


def test_back_cover_and_bare_notes_pages(booklet):
    pdf = Pdf(booklet)
    assert len(pdf) % 4 == 0
    back = pdf.text(len(pdf))
    assert "furniture.example.org/2025" in back
    assert "Funded by the Furniture Foundation." in back
    assert "Notes" not in back and not re.search(r"^\s*\d+\s*$", back, re.M)
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp decodes QR codes in tests")
    pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 rasterises the PDF")
    image = pdfium.PdfDocument(booklet)[len(pdf) - 1].render(scale=200 / 72).to_pil()
    codes = [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]
    assert codes == ["https://furniture.example.org/2025"]
    notes = [n for n in range(1, len(pdf)) if pdf.text(n).strip().startswith("Notes")]
    for number in notes:
        assert pdf.text(number).split() == ["Notes"]  # no running head, no page number


def test_names_as_written_and_never_hyphenated(booklet):
    name_words = {w for _, n, _ in LONG_NAMES for w in n.split()}
    name_words |= {"Maximilianeum", "Zweihundert", "Universitätsklinikum", "Schleswig-Holstein"}
    with pdfplumber.open(booklet) as doc:
        for number, page in enumerate(doc.pages, 1):
            for w in page.extract_words():
                cut = w["text"].rstrip(",")
                if cut.endswith("-") and len(cut) > 2:
                    assert not any(n.startswith(cut[:-1]) and n != cut for n in name_words), (
                        f"page {number}: {cut}"
                    )
    pdf = Pdf(booklet)
    index = pdf.text(pdf._named["index"])
    assert "Zhang Wei" in index and "Zhang, Wei" not in index  # family name first, as written
    assert "Springer, Matthias" in index  # given then family: the index's usual inversion
