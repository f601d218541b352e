"""Time imposing a 200-page A5 booklet onto A4 sheets: `python bench/bench_impose.py`.

The booklet is synthetic (ReportLab, made once into a temporary folder): each page has a
running head, a page number and a few paragraphs in the bundled Source Serif 4 and Source
Sans 3, a tinted box and some rules, so content streams, fonts and resources are those of a
real booklet. Prints the time to impose and write it; `--merge` also times pypdf's
`merge_transformed_page` on the same input for comparison. Not a test: the target is under
2 s for 200 pages.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from booklet.render.impose import impose, page_order  # noqa: E402

MM = 72 / 25.4
A5 = (148 * MM, 210 * MM)
WORDS = ("compiler", "dialect", "rewrite", "pattern", "lowering", "tensor", "tiling", "vector",
         "loop", "affine", "region", "operation", "attribute", "interface", "pass", "pipeline",
         "schedule", "buffer", "memory", "hardware", "kernel")  # fmt: skip


def synthetic_booklet(pages: int) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    from booklet import fonts

    serif = fonts.reportlab_name(fonts.chain("serif", 400, False)[0])
    sans = fonts.reportlab_name(fonts.chain("sans", 600, False)[0])
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A5, invariant=1, pageCompression=1)
    w, h = A5
    for n in range(1, pages + 1):
        canvas.setFont(sans, 8)
        canvas.drawString(15 * MM, h - 12 * MM, f"Synthetic booklet - day {1 + n // 40}")
        canvas.setFillColorRGB(0.92, 0.94, 0.97)
        canvas.rect(15 * MM, h - 60 * MM, w - 30 * MM, 40 * MM, stroke=0, fill=1)
        canvas.setFillColorRGB(0, 0, 0)
        y = h - 70 * MM
        for line in range(40):
            words = [WORDS[(n * 7 + line * 3 + k) % len(WORDS)] for k in range(9)]
            canvas.setFont(serif, 9)
            canvas.drawString(15 * MM, y, " ".join(words).capitalize() + ".")
            y -= 3.4 * MM
            if line % 10 == 9:
                canvas.line(15 * MM, y + 1.2 * MM, w - 15 * MM, y + 1.2 * MM)
        canvas.setFont(sans, 9)
        canvas.drawCentredString(w / 2, 8 * MM, str(n))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def merge_impose(path: Path) -> bytes:
    """The slow way, for comparison: merge every page into the sheets with pypdf."""
    from pypdf import PdfReader, PdfWriter, Transformation

    reader = PdfReader(path)
    writer = PdfWriter()
    w, h = A5
    for left, right in page_order(len(reader.pages)):
        sheet = writer.add_blank_page(297 * MM, 210 * MM)
        for index, x in ((left, 148.5 * MM - w), (right, 148.5 * MM)):
            if index is not None:
                sheet.merge_transformed_page(reader.pages[index], Transformation().translate(x, 0))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="pages (default 200)")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is shown")
    parser.add_argument("--merge", action="store_true", help="also time pypdf page merging")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "booklet.pdf"
        source.write_bytes(synthetic_booklet(args.n))
        target = Path(tmp) / "imposed.pdf"
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            imposition = impose(source, target)
            times.append(time.perf_counter() - t0)
        best = min(times)
        print(
            f"imposed {imposition.pages} pages on {imposition.sheets} {imposition.sheet} "
            f"sheets in {best:.2f} s (best of {args.repeat}; "
            f"{1000 * best / imposition.pages:.1f} ms a page; "
            f"{source.stat().st_size // 1024} KB in, {target.stat().st_size // 1024} KB out)"
        )
        if args.merge:
            t0 = time.perf_counter()
            merge_impose(source)
            merged = time.perf_counter() - t0
            print(f"pypdf merge_transformed_page: {merged:.2f} s ({merged / best:.0f} x slower)")


if __name__ == "__main__":
    main()
