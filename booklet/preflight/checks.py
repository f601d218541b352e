"""A PDF file and what its pages draw (`Found`) -> its `FileReport`: the findings of each
check a print shop makes.

- pages: count and size (named when it is a standard paper); a booklet (`programme.pdf`,
  `programme-print.pdf`) needs a multiple of four pages, all of one size; an imposed one
  (`programme-imposed.pdf`) an even number of sheet sides;
- fonts: every font that shows text is embedded;
- glyphs: no text is drawn with glyph 0 (.notdef, the empty box a font draws for a character
  it lacks);
- boxes: the print variant (`programme-print.pdf`) has a TrimBox and a BleedBox on every
  page, the bleed at least 3 mm;
- images: effective resolution where each is placed; under 150 dpi is flagged (stencil
  masks, such as QR codes drawn as 1-bit masks, print sharp at any resolution: skipped);
- colour: the colour spaces painted with (RGB, CMYK, gray, spot, ...), noted;
- size: the email variant (`programme.pdf`) within 1 MB.
"""

from __future__ import annotations

from pathlib import Path

from booklet.preflight.report import FAIL, NOTE, WARN, FileReport, kilobytes, page_list
from booklet.preflight.scan import CMYK, RGB, Found, Image

MM = 72 / 25.4
EMAIL_BUDGET = 1_000_000  # bytes: what mail servers accept without complaint
MIN_DPI = 150
MIN_BLEED_MM = 3.0
PAPERS_MM = {
    "A3": (297, 420),
    "A4": (210, 297),
    "A5": (148, 210),
    "A6": (105, 148),
    "Letter": (215.9, 279.4),
    "half-letter": (139.7, 215.9),
    "Legal": (215.9, 355.6),
    "Tabloid": (279.4, 431.8),
}


def checks_of(name: str) -> frozenset[str]:
    """The checks the output writing a file called `name` declares for it
    (`booklet.outputs.Product.checks`: "booklet", "email", "print", "imposed")."""
    from booklet.outputs import load_registry

    return load_registry(plugins=False).checks_by_file().get(name, frozenset())


def _paper(w_pt: float, h_pt: float) -> str:
    """'A5', 'A4 landscape', or '100 x 140 mm'."""
    w, h = w_pt / MM, h_pt / MM
    for name, (pw, ph) in PAPERS_MM.items():
        if abs(w - pw) < 1.5 and abs(h - ph) < 1.5:
            return name
        if abs(w - ph) < 1.5 and abs(h - pw) < 1.5:
            return f"{name} landscape"
    return f"{w:.0f} x {h:.0f} mm"


def _box(page, key: str):
    value = page.get(key)
    if value is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in value)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def open_file(path: Path) -> tuple[FileReport, int]:
    """A file's report with the checks of its pages' sizes and boxes and of its weight, and
    the number of pages whose content is to be scanned (0 if it cannot be)."""
    import pikepdf

    report = FileReport(Path(path))
    try:
        report.size = path.stat().st_size
        pdf = pikepdf.open(path)
        if pdf.is_encrypted:
            report.add(FAIL, "the PDF is encrypted: print shops cannot process it")
            return report, 0
        pages = [page.obj for page in pdf.pages]
    except pikepdf.PasswordError:
        report.add(FAIL, "the PDF is encrypted: print shops cannot process it")
        return report, 0
    except Exception as exc:  # anything that cannot be read is a failed check, not a crash
        report.add(FAIL, f"cannot read the PDF ({type(exc).__name__}: {exc})")
        return report, 0
    damage = pdf.get_warnings()
    if damage:  # what qpdf had to repair or skip to read it: other readers may fail
        report.add(
            FAIL if not pages else WARN,
            f"the PDF is damaged ({len(damage)} problem{'s' if len(damage) > 1 else ''} "
            f"reading it, the first: {damage[0].removeprefix(str(path)).lstrip(' :')})",
        )
    report.pages = len(pages)
    if not pages:
        report.add(FAIL, "the PDF has no pages")
        return report, 0
    checks = checks_of(path.name)
    _check_pages(report, pages, checks)
    if "print" in checks:
        _check_boxes(report, pages)
    if "email" in checks and report.size > EMAIL_BUDGET:
        # A warning, not a failure: a big event's booklet is heavy however light its
        # pages; the organizer chooses whether to mail it or link to it.
        report.add(
            WARN,
            f"{kilobytes(report.size)}, over the {kilobytes(EMAIL_BUDGET)} budget for "
            "sending by email",
        )
    return report, len(pages)


def finish(report: FileReport, found: Found) -> None:
    """The checks of what a file draws."""
    for number, why in found.unreadable:
        report.add(WARN, f"page {number} could not be read in full ({why})")
    _check_fonts(report, found.fonts)
    _check_images(report, found.images)
    report.colour = "+".join(sorted(found.colours)) or "-"
    printed = checks_of(report.path.name) & {"print", "imposed"}
    if CMYK not in found.colours and RGB in found.colours and printed:
        report.add(NOTE, "colours are RGB: the print shop converts them to CMYK")


def _check_pages(report: FileReport, pages, checks: frozenset[str]) -> None:
    sizes = []
    for page in pages:
        trim = _box(page, "/TrimBox") or _box(page, "/MediaBox")
        sizes.append((round(trim[2] - trim[0], 1), round(trim[3] - trim[1], 1)))
    distinct = sorted(set(sizes), key=sizes.index)
    report.page_size = _paper(*distinct[0]) + (" (mixed)" if len(distinct) > 1 else "")
    n = len(pages)
    if "booklet" in checks:
        if n % 4:
            report.add(
                FAIL,
                f"{n} pages, not a multiple of four: a saddle-stitched booklet needs 4, 8, "
                f"12, ... pages (add {-n % 4} notes pages)",
            )
        if len(distinct) > 1:
            report.add(FAIL, "pages of different sizes: " + ", ".join(_paper(*s) for s in distinct))
    elif "imposed" in checks and n % 2:
        report.add(FAIL, f"{n} sheet sides, an odd number: every sheet has a front and a back")


def _check_boxes(report: FileReport, pages) -> None:
    no_trim, no_bleed, outside, bleeds = set(), set(), set(), []
    for number, page in enumerate(pages, 1):
        media, trim, bleed = (
            _box(page, "/MediaBox"),
            _box(page, "/TrimBox"),
            _box(page, "/BleedBox"),
        )
        if trim is None:
            no_trim.add(number)
        if bleed is None:
            no_bleed.add(number)
        if trim is None or bleed is None:
            continue
        inside = bleed[0] <= trim[0] + 0.01 and bleed[1] <= trim[1] + 0.01
        inside = inside and bleed[2] >= trim[2] - 0.01 and bleed[3] >= trim[3] - 0.01
        on_sheet = media[0] <= bleed[0] + 0.01 and media[1] <= bleed[1] + 0.01
        on_sheet = on_sheet and media[2] >= bleed[2] - 0.01 and media[3] >= bleed[3] - 0.01
        if not inside or not on_sheet:
            outside.add(number)
        bleeds.append(min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2],
                          bleed[3] - trim[3]) / MM)  # fmt: skip
    if no_trim:
        report.add(FAIL, f"no TrimBox on {page_list(no_trim)}: the print shop cannot tell the cut")
    if no_bleed:
        report.add(FAIL, f"no BleedBox on {page_list(no_bleed)}")
    if outside:
        report.add(FAIL, f"BleedBox not between TrimBox and MediaBox on {page_list(outside)}")
    if bleeds:
        least = min(bleeds)
        report.boxes = f"trim+bleed {least:.0f} mm" if least > 0.05 else "trim, no bleed"
        if least < MIN_BLEED_MM - 0.05:
            report.add(WARN, f"bleed of {least:.1f} mm, under the usual {MIN_BLEED_MM:.0f} mm")
    else:
        report.boxes = "missing"


def _check_fonts(report: FileReport, fonts: dict) -> None:
    used = [(key, f) for key, f in fonts.items() if f.pages]
    bare = [(key, f) for key, f in used if not f.embedded]
    for _, f in bare:
        report.add(FAIL, f"font {f.name} is not embedded (used on {page_list(f.pages)})")
    report.fonts = f"{len(used)} embedded" if not bare else f"{len(bare)} of {len(used)} missing"
    idle = {f.name for f in fonts.values() if not f.pages and not f.embedded}
    if idle:
        names = sorted(idle)
        report.add(
            NOTE,
            f"font{'s' if len(names) > 1 else ''} {', '.join(names)} selected but never used "
            "to show text: not embedded, which tools such as pdffonts still list",
        )
    if not used:
        report.fonts = "none"
    total = 0
    for f in fonts.values():
        if not f.notdef:
            continue
        count = len(f.notdef)
        total += count
        chars = []
        pages = set().union(*f.notdef.values())
        for code in sorted(f.notdef)[:6]:
            text = f.text.get(code, "")
            if text and text not in ("\x00", "\ufffd") and text.isprintable():
                char = f"'{text}' (U+{ord(text[0]):04X})"
            else:
                char = f"code {code:#04x}"
            page, around = f.context.get(code, (min(f.notdef[code]), ""))
            if around.strip():
                char += f' in "{around}"' + (f" (page {page})" if len(pages) > 1 else "")
            chars.append(char)
        report.add(
            FAIL,
            f"{count} character{'s' if count > 1 else ''} drawn as .notdef (an empty box) in "
            f"{f.name} on {page_list(pages)}: {', '.join(chars)}"
            + (", ..." if count > 6 else "")
            + " (add a font that has it to the content's fonts/ folder)",
        )
    unchecked = sorted({f"{f.name} ({f.unchecked})" for _, f in used if f.unchecked})
    if unchecked:
        report.add(NOTE, "glyphs not checked in " + ", ".join(unchecked))
    report.glyphs = "ok" if not total else f"{total} missing"
    if not used:
        report.glyphs = "-"


def _check_images(report: FileReport, images: list[Image]) -> None:
    if not images:
        report.images = "none"
        return
    low = [i for i in images if i.dpi < MIN_DPI - 0.5]
    least = min(i.dpi for i in images)
    report.images = f"{len(images)}, min {least:.0f} dpi"
    for image in low[:10]:
        report.add(
            WARN,
            f"image {image.name} on page {image.page} is {image.dpi:.0f} dpi, under "
            f"{MIN_DPI}: it may print blurred",
        )
    if len(low) > 10:
        report.add(WARN, f"and {len(low) - 10} more images under {MIN_DPI} dpi")
