"""A print PDF with TrimBox and BleedBox -> the same PDF with crop marks outside the bleed.

WeasyPrint can draw crop marks itself (`marks: crop`), but it draws them inside the bleed
and as an SVG image per page, which took half of the booklet's writing time. Here each page
gets a few lines of PDF drawn past its BleedBox, on a MediaBox grown to hold them: the
marks a print shop expects, at the cost of one small content stream per page.
"""

from __future__ import annotations

import io

MM = 72 / 25.4
MARK_LENGTH = 5 * MM  # each mark's length
MARK_OFFSET = 2 * MM  # gap between the bleed edge and the start of a mark
MARK_WIDTH = 0.25  # pt


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def mark_lines(trim, bleed) -> list[tuple[float, float, float, float]]:
    """Eight lines (x0, y0, x1, y1): two per trim corner, starting past the bleed."""
    left, bottom, right, top = trim
    b_left, b_bottom, b_right, b_top = bleed
    lines = []
    for x, bx, sign_x in ((left, b_left, -1), (right, b_right, 1)):
        for y, by, sign_y in ((bottom, b_bottom, -1), (top, b_top, 1)):
            # horizontal mark on the trim line y, out from the bleed edge
            start = bx + sign_x * MARK_OFFSET
            lines.append((start, y, start + sign_x * MARK_LENGTH, y))
            start = by + sign_y * MARK_OFFSET
            lines.append((x, start, x, start + sign_y * MARK_LENGTH))
    return lines


def add_crop_marks(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject, RectangleObject, StreamObject

    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    margin = MARK_OFFSET + MARK_LENGTH + 2 * MM
    opening = StreamObject()
    opening.set_data(b"q\n")
    opening_ref = writer._add_object(opening)
    for page in writer.pages:
        trim = [float(v) for v in page.trimbox]
        bleed = [float(v) for v in page.bleedbox]
        ops = [f"Q q {MARK_WIDTH} w 0 G 0 J"]
        for x0, y0, x1, y1 in mark_lines(trim, bleed):
            ops.append(f"{_number(x0)} {_number(y0)} m {_number(x1)} {_number(y1)} l S")
        ops.append("Q")
        closing = StreamObject()
        closing.set_data(("\n".join(ops) + "\n").encode())
        contents = page[NameObject("/Contents")]
        existing = list(contents) if isinstance(contents, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject(
            [opening_ref, *existing, writer._add_object(closing)]
        )
        page.mediabox = RectangleObject(
            [bleed[0] - margin, bleed[1] - margin, bleed[2] + margin, bleed[3] + margin]
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
