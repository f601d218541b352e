"""A booklet PDF -> its pages imposed two-up on sheets for saddle stitching (PDF bytes, pikepdf).

Sheets are printed double-sided and flipped on the short edge, stacked, folded in the middle
and stapled on the fold. For n pages (padded with blank pages to a multiple of four), sheet
k (from 0) carries on its front page n-2k on the left and 2k+1 on the right, and on its back
2k+2 on the left and n-2k-1 on the right: the first sheet's front shows the back cover and the
cover, and the folded stack reads 1, 2, 3, ...

Each source page becomes a Form XObject (its content stream, still compressed, and its
resources; the form's bounding box is the page's TrimBox, so bleed and crop marks are clipped
away), placed on its sheet side with one `cm` and one `Do`. Nothing inside the content
streams is parsed or rewritten: that makes it some 40 times faster than pypdf's page merging
(bench/bench_impose.py). The sheet is the standard landscape paper that holds two pages (A4
for A5, Letter for half-letter, A3 for A4, ...), else exactly two pages wide; pages meet at
the fold and are centred vertically. Links, bookmarks and other annotations are left out:
a printed sheet has no use for them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from booklet import output, paper
from booklet.errors import BookletError
from booklet.render.assemble import copy_object

MM = 72 / 25.4
# Sheets for imposing, landscape, in points: the smallest that holds two pages wins.
SHEETS = tuple((name, paper.PAPERS[name].landscape_pt) for name in paper.IMPOSE_SHEETS)
# A sheet fits two pages if it is at most this much larger in each direction (A4 is 1 mm
# wider than two A5 pages; anything much larger would leave a frame of unused paper).
SHEET_SLACK = 12 * MM
TOLERANCE = 1.0  # points a page may exceed a sheet by (rounding in page boxes)


@dataclass(frozen=True)
class Imposition:
    """What `impose` made: the sheet and how the pages went on it."""

    sheet: str  # e.g. "A4 landscape", or "296 x 210 mm" when no standard paper fits
    sheet_size: tuple[float, float]  # points
    pages: int  # pages of the source
    blanks: int  # blank pages added to reach a multiple of four
    sides: list[tuple[int | None, int | None]]  # (left, right) page index per sheet side

    @property
    def sheets(self) -> int:
        return len(self.sides) // 2


def page_order(n_pages: int) -> list[tuple[int | None, int | None]]:
    """(left, right) 0-based page indices for each sheet side, front then back; None is blank.

    The source pages are padded at the end with blanks to a multiple of four.
    """
    n = -(-n_pages // 4) * 4

    def page(i: int) -> int | None:
        return i if i < n_pages else None

    sides: list[tuple[int | None, int | None]] = []
    for k in range(n // 4):
        sides.append((page(n - 1 - 2 * k), page(2 * k)))  # front
        sides.append((page(2 * k + 1), page(n - 2 - 2 * k)))  # back
    return sides


def choose_sheet(page_w: float, page_h: float) -> tuple[str, tuple[float, float]]:
    """The standard landscape sheet holding two pages side by side, else an exact one."""
    need_w, need_h = 2 * page_w, page_h
    for name, (w, h) in SHEETS:
        fits = need_w <= w + TOLERANCE and need_h <= h + TOLERANCE
        if fits and w - need_w <= SHEET_SLACK and h - need_h <= SHEET_SLACK:
            return f"{name} landscape", (w, h)
    size = (round(need_w, 3), round(need_h, 3))
    return f"{size[0] / MM:.0f} x {size[1] / MM:.0f} mm", size


def _multiply(m, n):
    """Product of two PDF matrices [a b c d e f]: first m, then n."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _shown(page) -> tuple[tuple[float, float, float, float], int, float, float]:
    """A page's trim box (TrimBox, else CropBox, else MediaBox), rotation, shown size."""
    box = [float(v) for v in page.trimbox]  # pikepdf falls back to CropBox, then MediaBox
    x0, y0 = min(box[0], box[2]), min(box[1], box[3])
    x1, y1 = max(box[0], box[2]), max(box[1], box[3])
    rotate = int(page.obj.get("/Rotate", 0) or 0) % 360
    w, h = x1 - x0, y1 - y0
    shown_w, shown_h = (h, w) if rotate in (90, 270) else (w, h)
    return (x0, y0, x1, y1), rotate, shown_w, shown_h


def _placement(trim, rotate: int, x: float, y: float):
    """The matrix putting a page's trim box, turned as the page is shown, at (x, y)."""
    x0, y0, x1, y1 = trim
    w, h = x1 - x0, y1 - y0
    # /Rotate turns the page clockwise when shown.
    turn = {
        0: (1, 0, 0, 1, 0, 0),
        90: (0, -1, 1, 0, 0, w),
        180: (-1, 0, 0, -1, w, h),
        270: (0, 1, -1, 0, h, 0),
    }.get(rotate, (1, 0, 0, 1, 0, 0))
    return _multiply(_multiply((1, 0, 0, 1, -x0, -y0), turn), (1, 0, 0, 1, x, y))


def _form(pdf, page, trim):
    """A Form XObject showing `page`, clipped to its trim box, made in `pdf`.

    A single content stream keeps its encoded bytes and filters: recompressing every page's
    content would take most of the time. An array of streams is decoded and joined (and
    compressed when the file is saved).
    """
    import pikepdf

    contents = page.obj.get("/Contents")
    form = pikepdf.Stream(pdf, b"")
    if isinstance(contents, pikepdf.Stream):
        form.write(
            contents.read_raw_bytes(),
            filter=copy_object(pdf, contents.get("/Filter")),
            decode_parms=copy_object(pdf, contents.get("/DecodeParms")),
        )
    elif isinstance(contents, pikepdf.Array):
        # Streams of an array may split anywhere between tokens: join with whitespace.
        form.write(b"\n".join(part.read_bytes() for part in contents))
    form.Type = pikepdf.Name.XObject
    form.Subtype = pikepdf.Name.Form
    form.BBox = pikepdf.Array([round(v, 4) for v in trim])
    resources = page.obj.get("/Resources")
    form.Resources = copy_object(pdf, resources) if resources is not None else pikepdf.Dictionary()
    group = page.obj.get("/Group")
    if group is not None:  # keep the page's transparency group (blending colour space)
        form.Group = copy_object(pdf, group)
    return pdf.make_indirect(form)


def _number(v: float) -> str:
    text = f"{v:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def impose_reader(source) -> tuple[bytes, Imposition]:
    """Impose every page of a `pikepdf.Pdf`; returns the PDF and what was done."""
    import pikepdf

    pages = list(source.pages)
    if not pages:
        raise BookletError("the PDF has no pages to impose")
    shown = [_shown(p) for p in pages]
    cell_w = max(s[2] for s in shown)
    cell_h = max(s[3] for s in shown)
    sheet_name, (sheet_w, sheet_h) = choose_sheet(cell_w, cell_h)
    sides = page_order(len(pages))

    pdf = pikepdf.new()
    forms: dict[int, object] = {}
    spine = sheet_w / 2
    for left, right in sides:
        xobjects = pikepdf.Dictionary()
        ops = []
        for index, at_left in ((left, True), (right, False)):
            if index is None:
                continue
            trim, rotate, w, h = shown[index]
            if index not in forms:
                forms[index] = _form(pdf, pages[index], trim)
            name = f"/P{index + 1}"
            xobjects[name] = forms[index]
            # Pages meet at the fold: the left page's right edge and the right page's left
            # edge lie on the sheet's middle, whatever paper is left at the outer edges.
            x = spine - w if at_left else spine
            y = (sheet_h - h) / 2
            matrix = " ".join(_number(v) for v in _placement(trim, rotate, x, y))
            ops.append(f"q {matrix} cm {name} Do Q")
        sheet = pdf.add_blank_page(page_size=(sheet_w, sheet_h))
        sheet.obj.Resources = pikepdf.Dictionary(XObject=xobjects)
        sheet.obj.Contents = pdf.make_stream(("\n".join(ops) + "\n").encode("ascii"))

    info = source.docinfo if "/Info" in source.trailer else {}
    for key in ("/Title", "/Author", "/Subject"):
        if key in info:
            pdf.docinfo[key] = pikepdf.String(str(info[key]))
    pdf.docinfo["/Creator"] = "booklet impose"
    pdf.docinfo["/Producer"] = "booklet (pikepdf)"
    buffer = io.BytesIO()
    # forms with transparency groups need PDF 1.4; a fixed /ID keeps the bytes reproducible
    pdf.save(buffer, min_version=max(source.pdf_version, "1.4"), deterministic_id=True)
    imposition = Imposition(
        sheet=sheet_name,
        sheet_size=(sheet_w, sheet_h),
        pages=len(pages),
        blanks=-len(pages) % 4,
        sides=sides,
    )
    return buffer.getvalue(), imposition


def impose_pdf(source) -> bytes:
    """Impose every page of a `pikepdf.Pdf`; the sheets as PDF bytes."""
    return impose_reader(source)[0]


def read_pdf(path: Path):
    """Open a PDF (`pikepdf.Pdf`), or say in one line why it cannot be used."""
    import pikepdf

    path = Path(path)
    try:
        source = pikepdf.open(path)
        if source.is_encrypted:
            raise BookletError(f"{path} is encrypted", "impose the unprotected PDF")
        if not len(source.pages) and source.get_warnings():
            raise BookletError(f"cannot read {path} as a PDF: {source.get_warnings()[0]}")
    except FileNotFoundError:
        raise BookletError(f"{path} not found") from None
    except pikepdf.PasswordError:
        raise BookletError(f"{path} is encrypted", "impose the unprotected PDF") from None
    except pikepdf.PdfError as exc:
        raise BookletError(f"cannot read {path} as a PDF: {exc}") from None
    except OSError as exc:
        raise BookletError(f"cannot read {path}: {exc.strerror or exc}") from None
    return source


def impose(in_path: Path, out_path: Path) -> Imposition:
    """Impose the PDF at `in_path` and write the sheets to `out_path` (atomically)."""
    data, imposition = impose_reader(read_pdf(in_path))
    output.write_bytes(Path(out_path), data)
    return imposition
