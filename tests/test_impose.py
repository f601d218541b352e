"""Imposing for saddle stitching: page order, sheet size, trim boxes, speed-safe structure."""

from __future__ import annotations

import io

import pdfplumber
import pikepdf
import pypdf
import pytest
from click.testing import CliRunner

from booklet.cli import cli
from booklet.errors import BookletError
from booklet.render.impose import choose_sheet, impose, impose_pdf, page_order

MM = 72 / 25.4
A5 = (148 * MM, 210 * MM)
HALF_LETTER = (5.5 * 72, 8.5 * 72)


def numbered(n: int, size=A5, bleed: float = 0.0, rotate: int = 0) -> bytes:
    """A PDF whose page k says 'page k' in the middle of its trim box.

    With `bleed`, the media box is larger by that much on every side, the trim box is set,
    and 'BLEED k' is written in the bleed, outside the trim box.
    """
    from reportlab.pdfgen.canvas import Canvas

    w, h = size
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(w + 2 * bleed, h + 2 * bleed), invariant=1)
    for k in range(1, n + 1):
        if bleed:
            canvas.setTrimBox((bleed, bleed, bleed + w, bleed + h))
            canvas.setFont("Helvetica", 2)
            canvas.drawString(0.5, 0.5, f"BLEED {k}")
        canvas.setFont("Helvetica", 20)
        canvas.drawCentredString(bleed + w / 2, bleed + h / 2, f"page {k}")
        canvas.showPage()
    canvas.save()
    if not rotate:
        return buffer.getvalue()
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(buffer.getvalue())))
    for page in writer.pages:
        page.rotate(rotate)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def halves(data: bytes, first: int | None = None) -> list[tuple[str, str]]:
    """The text of the left and right half of every sheet side (or of the first few)."""
    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages[:first]:
            mid = page.width / 2
            left = page.within_bbox((0, 0, mid, page.height)).extract_text() or ""
            right = page.within_bbox((mid, 0, page.width, page.height)).extract_text() or ""
            out.append((left.strip(), right.strip()))
    return out


def imposed(data: bytes) -> bytes:
    return impose_pdf(pikepdf.open(io.BytesIO(data)))


def test_page_order_for_eight_pages():
    # Front of sheet 1: last page and page 1; back: page 2 and the second-to-last.
    assert page_order(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]


def test_page_order_pads_to_a_multiple_of_four():
    sides = page_order(6)
    assert sides == [(None, 0), (1, None), (5, 2), (3, 4)]
    shown = sorted(i for side in sides for i in side if i is not None)
    assert shown == list(range(6))


def test_imposed_halves_read_in_booklet_order():
    assert halves(imposed(numbered(8))) == [
        ("page 8", "page 1"),
        ("page 2", "page 7"),
        ("page 6", "page 3"),
        ("page 4", "page 5"),
    ]


def test_odd_page_count_gets_blank_pages_at_the_end():
    sides = halves(imposed(numbered(5)))
    assert len(sides) == 4  # two sheets, eight page slots
    assert sides[0] == ("", "page 1")
    assert sides[1] == ("page 2", "")
    assert sides[2] == ("", "page 3")
    assert sides[3] == ("page 4", "page 5")


def test_folded_stack_reads_in_order():
    """Simulate folding: unfold each sheet into reading order and compare with 1..n."""
    n = 16
    sides = halves(imposed(numbered(n)))
    reading = [None] * n
    for k in range(0, len(sides), 2):
        (front_left, front_right), (back_left, back_right) = sides[k], sides[k + 1]
        sheet = k // 2
        # On sheet s, the front's right half is page 2s+1 and its back's left is 2s+2;
        # the back's right is page n-2s-1 and the front's left page n-2s.
        reading[2 * sheet] = front_right
        reading[2 * sheet + 1] = back_left
        reading[n - 2 - 2 * sheet] = back_right
        reading[n - 1 - 2 * sheet] = front_left
    assert reading == [f"page {i}" for i in range(1, n + 1)]


@pytest.mark.parametrize(
    ("page", "sheet", "size"),
    [
        (A5, "A4 landscape", (297 * MM, 210 * MM)),
        (HALF_LETTER, "Letter landscape", (11 * 72, 8.5 * 72)),
        ((210 * MM, 297 * MM), "A3 landscape", (420 * MM, 297 * MM)),
    ],
)
def test_sheet_size(page, sheet, size):
    name, got = choose_sheet(*page)
    assert name == sheet
    assert got == pytest.approx(size)
    reader = pypdf.PdfReader(io.BytesIO(imposed(numbered(4, size=page))))
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(size, abs=0.01)


def test_odd_size_gets_an_exact_sheet():
    name, size = choose_sheet(100 * MM, 100 * MM)
    assert name == "200 x 100 mm"
    assert size == pytest.approx((200 * MM, 100 * MM), abs=0.01)


def test_pages_meet_at_the_fold_and_use_the_trim_box():
    bleed = 3 * MM
    data = imposed(numbered(4, bleed=bleed))
    reader = pypdf.PdfReader(io.BytesIO(data))
    sheet = reader.pages[0]
    assert (float(sheet.mediabox.width), float(sheet.mediabox.height)) == pytest.approx(
        (297 * MM, 210 * MM), abs=0.01
    )
    forms = sheet["/Resources"]["/XObject"]
    for form in forms.values():
        form = form.get_object()
        assert form["/Subtype"] == "/Form"
        # Clipped to the trim box: the bleed is not shown.
        assert [float(v) for v in form["/BBox"]] == pytest.approx(
            [bleed, bleed, bleed + A5[0], bleed + A5[1]], abs=0.01
        )
    content = sheet.get_contents().get_data().decode()
    spine = 297 * MM / 2
    # Left page: trim box's left edge at spine - width; right page: at the spine.
    lines = [ln.split() for ln in content.splitlines() if " Do " in ln]
    xs = sorted(float(parts[5]) + bleed * float(parts[1]) for parts in lines)
    assert xs == pytest.approx([spine - A5[0], spine], abs=0.01)
    # What shows in each half is the page, not its neighbour's bleed.
    assert halves(data)[0] == ("page 4", "page 1")


def test_rotated_pages_are_imposed_as_shown():
    # Landscape pages turned to portrait by /Rotate 90 are imposed as the portrait they
    # show: on an A4 sheet, each in its half, their text running down the page as shown.
    data = imposed(numbered(4, size=(A5[1], A5[0]), rotate=90))
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert float(reader.pages[0].mediabox.width) == pytest.approx(297 * MM, abs=0.01)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        mid = page.width / 2
        left = [c for c in page.chars if c["x1"] <= mid + 0.01]
        right = [c for c in page.chars if c["x0"] >= mid - 0.01]
        assert len(left) + len(right) == len(page.chars) == 2 * len("page 4")
        for chars, number in ((left, "4"), (right, "1")):
            assert not chars[0]["upright"]  # turned a quarter, as a viewer shows the page
            text = "".join(c["text"] for c in sorted(chars, key=lambda c: c["top"]))
            assert text.replace(" ", "") == f"page{number}"
            for c in chars:
                assert c["top"] >= 0 and c["bottom"] <= page.height


def test_no_content_is_merged_or_rewritten():
    source = numbered(8)
    reader = pypdf.PdfReader(io.BytesIO(source))
    originals = {page.get_contents().get_data() for page in reader.pages}
    out = pypdf.PdfReader(io.BytesIO(imposed(source)))
    forms = {
        x.get_object().get_data()
        for page in out.pages
        for x in page["/Resources"]["/XObject"].values()
    }
    assert forms == originals


def test_reproducible_bytes():
    source = numbered(12, bleed=3 * MM)
    assert imposed(source) == imposed(source)


def test_impose_writes_atomically(tmp_path):
    src = tmp_path / "in.pdf"
    src.write_bytes(numbered(6))
    done = impose(src, tmp_path / "out.pdf")
    assert (done.pages, done.blanks, done.sheets, done.sheet) == (6, 2, 2, "A4 landscape")
    assert len(pypdf.PdfReader(tmp_path / "out.pdf").pages) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.pdf", "out.pdf"]  # no temp left


def test_not_a_pdf(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_text("hello")
    with pytest.raises(BookletError, match="cannot read"):
        impose(bad, tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_cli_impose(tmp_path):
    src = tmp_path / "in.pdf"
    src.write_bytes(numbered(10))
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(cli, ["impose", str(src), str(out)], obj={})
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"wrote {out} (10 pages on 3 sheets of A4 landscape, 2 blank pages added); "
        "print double-sided, flipping on the short edge\n"
    )
    assert halves(out.read_bytes())[0] == ("", "page 1")


def test_cli_impose_bad_input(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 nonsense")
    result = CliRunner().invoke(cli, ["impose", str(bad), str(tmp_path / "o.pdf")], obj={})
    assert result.exit_code == 1
    assert "Error: cannot read" in result.output


@pytest.mark.slow
def test_imposes_the_real_booklet(default_build):
    out, _ = default_build
    source = pikepdf.open(out / "programme.pdf")
    n = len(source.pages)
    data = impose_pdf(source)
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == n // 2
    sides = halves(data, first=2)
    assert "MLIR Winter School" in sides[0][1]  # the cover, right of the first front
    assert "Contents" in sides[1][0]  # page 2, left of the first back
