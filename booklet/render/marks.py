"""Where the crop marks go: outside the bleed, on the lines of the trim.

WeasyPrint can draw crop marks itself (`marks: crop`), but it draws them inside the bleed
and as an SVG image per page, which took half of the booklet's writing time. Instead
`assemble` gives each page of the print file a few lines of PDF drawn past its BleedBox,
on a MediaBox grown to hold them: the marks a print shop expects, at the cost of one small
content stream per page.
"""

from __future__ import annotations

MM = 72 / 25.4
MARK_LENGTH = 5 * MM  # each mark's length
MARK_OFFSET = 2 * MM  # gap between the bleed edge and the start of a mark
MARK_WIDTH = 0.25  # pt


def number(value: float) -> str:
    """A coordinate as a content stream writes it: at most three decimals."""
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
