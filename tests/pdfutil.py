"""Reading back what a PDF says: text per page, links and where they point, outline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdf


def squash(text: str) -> str:
    """Text without any whitespace: line breaks inside titles stop mattering."""
    return "".join(text.split())


@dataclass(frozen=True)
class Link:
    page: int  # 1-based page the link is on
    rect: tuple[float, float, float, float]  # x0, top, x1, bottom (top-left origin, pt)
    target: int | None  # 1-based destination page, None if unresolved
    dest: str | None  # named destination, if any


class Pdf:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.reader = pypdf.PdfReader(self.path)
        self.texts = [page.extract_text() or "" for page in self.reader.pages]
        self._named = {
            name: self.reader.get_destination_page_number(dest) + 1
            for name, dest in self.reader.named_destinations.items()
        }

    def __len__(self) -> int:
        return len(self.reader.pages)

    def text(self, page: int) -> str:
        return self.texts[page - 1]

    def pages_with(self, needle: str) -> list[int]:
        needle = squash(needle)
        return [n for n, t in enumerate(self.texts, 1) if needle in squash(t)]

    def links(self, page: int) -> list[Link]:
        pdf_page = self.reader.pages[page - 1]
        height = float(pdf_page.mediabox.height)
        out = []
        for annot in pdf_page.get("/Annots", []) or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
            rect = (min(x0, x1), height - max(y0, y1), max(x0, x1), height - min(y0, y1))
            dest = annot.get("/Dest")
            target = None
            if isinstance(dest, str):
                target = self._named.get(dest)
            elif dest is not None:
                target = (
                    self.reader.get_destination_page_number(
                        pypdf.generic.Destination("", dest[0], dest[1], *dest[2:])
                    )
                    + 1
                )
            out.append(Link(page, rect, target, dest if isinstance(dest, str) else None))
        return out

    def outline(self) -> list[tuple[int, str, int]]:
        """(level, title, page) for every bookmark, depth first."""
        out: list[tuple[int, str, int]] = []

        def walk(entries, level):
            for entry in entries:
                if isinstance(entry, list):
                    walk(entry, level + 1)
                else:
                    page = self.reader.get_destination_page_number(entry) + 1
                    out.append((level, str(entry.title), page))

        walk(self.reader.outline, 1)
        return out


def words_in(path: Path, page: int, rect) -> str:
    """The text pdfplumber finds inside `rect` (x0, top, x1, bottom) on a page."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        p = pdf.pages[page - 1]
        x0, top, x1, bottom = rect
        cropped = p.within_bbox(
            (
                max(0, x0 - 0.5),
                max(0, top - 0.5),
                min(p.width, x1 + 0.5),
                min(p.height, bottom + 0.5),
            )
        )
        return cropped.extract_text() or ""
