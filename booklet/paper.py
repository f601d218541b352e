"""Paper sizes: every size booklet knows, by name, in millimetres, points and CSS, and the
names each output accepts (the booklet's pages, the door signs, the badge sheets, the
imposed sheets).

ISO sizes are exact in millimetres, US sizes in inches: each keeps its own unit, so that a
size converted to points or written in CSS is the exact value, never a rounded one.
"""

from __future__ import annotations

from dataclasses import dataclass

MM = 72 / 25.4  # points in a millimetre


@dataclass(frozen=True)
class Paper:
    """A paper size, portrait."""

    name: str
    width_mm: float
    height_mm: float
    width_pt: float
    height_pt: float
    css: tuple[str, str]  # width and height as CSS lengths

    @property
    def landscape_pt(self) -> tuple[float, float]:
        return (self.height_pt, self.width_pt)

    @property
    def portrait_mm(self) -> tuple[float, float]:
        return (self.width_mm, self.height_mm)


def _iso(name: str, width: float, height: float) -> Paper:
    return Paper(name, width, height, width * MM, height * MM, (f"{width:g}mm", f"{height:g}mm"))


def _us(name: str, width_in: float, height_in: float, width_mm: float, height_mm: float):
    css = (f"{width_in:g}in", f"{height_in:g}in")
    return Paper(name, width_mm, height_mm, width_in * 72, height_in * 72, css)


PAPERS: dict[str, Paper] = {
    p.name: p
    for p in (
        _iso("A0", 841, 1189),
        _iso("A1", 594, 841),
        _iso("A2", 420, 594),
        _iso("A3", 297, 420),
        _iso("A4", 210, 297),
        _iso("A5", 148, 210),
        _iso("A6", 105, 148),
        _us("Letter", 8.5, 11, 215.9, 279.4),
        _us("half-letter", 5.5, 8.5, 139.7, 215.9),
        _us("Legal", 8.5, 14, 215.9, 355.6),
        _us("Tabloid", 11, 17, 279.4, 431.8),
    )
}

# What each output accepts, in the order it offers them.
BOOKLET_SIZES = ("A5", "A4", "Letter", "half-letter")  # the booklet's pages
SIGN_SIZES = ("A4", "A3", "Letter")  # door signs, printed landscape
BADGE_SHEETS = ("A4", "A3", "Letter")  # sheets of badges, portrait
# Sheets for imposing two pages side by side, smallest first: the first that holds two
# pages of the booklet wins.
IMPOSE_SHEETS = ("A5", "Letter", "A4", "Legal", "Tabloid", "A3")


def paper(name: str) -> Paper:
    """The paper called `name` (any case; `half letter`, `half_letter` work too)."""
    found = find(name)
    if found is None:
        raise KeyError(name)
    return found


def find(name: str, among: tuple[str, ...] | None = None) -> Paper | None:
    """The paper called `name`, if it is one of `among` (default: any); else None."""
    wanted = name.strip().casefold().replace("_", "-").replace(" ", "-")
    for known in among if among is not None else tuple(PAPERS):
        if known.casefold() == wanted:
            return PAPERS[known]
    return None


def normalise_page_size(value: str) -> str | None:
    """The booklet page size `value` names ('a5', 'half letter'), or None."""
    found = find(value, BOOKLET_SIZES)
    return found.name if found is not None else None
