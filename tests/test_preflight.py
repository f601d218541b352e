"""Preflight: bad PDFs made here, each with one defect, and the checks that must catch it."""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from booklet import fonts
from booklet.cli import cli
from booklet.preflight import FAIL, NOTE, WARN, operations, preflight
from booklet.render.impose import impose

MM = 72 / 25.4
A5 = (148 * MM, 210 * MM)
SANS = fonts.FONTS_DIR / "source-sans-3" / "SourceSans3-Regular.ttf"


def make_pdf(
    path: Path,
    pages: int = 4,
    text: str = "Hello, world",
    font: str = "embedded",
    bleed: float | None = None,
    image_px: int | None = None,
) -> Path:
    """A ReportLab PDF of A5 pages; `font` 'embedded' (Source Sans 3) or 'Helvetica' (not
    embedded); `bleed` (points) sets TrimBox and BleedBox; `image_px` draws a square RGB
    image of that many pixels, 50 mm wide."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    name = fonts.reportlab_name(fonts.chain("sans")[0])
    w, h = A5
    extra = 2 * bleed if bleed else 0
    canvas = Canvas(
        str(path),
        pagesize=(w + extra, h + extra),
        invariant=1,
        initialFontName=name,  # so that no unused Helvetica is listed either
    )
    for k in range(pages):
        if bleed is not None:
            canvas.setTrimBox((bleed, bleed, bleed + w, bleed + h))
            canvas.setBleedBox((0, 0, w + extra, h + extra))
        canvas.setFont(name if font == "embedded" else font, 14)
        canvas.drawString(40, 300, f"{text} {k + 1}")
        if image_px:
            from PIL import Image

            rng = random.Random(k)
            pixels = bytes(rng.getrandbits(8) for _ in range(image_px * image_px * 3))
            image = Image.frombytes("RGB", (image_px, image_px), pixels)
            canvas.drawImage(ImageReader(image), 40, 40, 50 * MM, 50 * MM)
        canvas.showPage()
    canvas.save()
    return path


def cid_pdf(path: Path, gids: list[int], split: bool = False) -> Path:
    """A WeasyPrint-style PDF: Source Sans 3 as a Type0/CIDFontType2 font, Identity-H,
    showing the glyph ids `gids` (0 is .notdef). `split`: the page's content in two
    streams, the first ending between the font's operands and their operator."""
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
    )

    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(*A5)
    program = DecodedStreamObject()
    program.set_data(SANS.read_bytes())
    descriptor = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/FontDescriptor"),
            NameObject("/FontName"): NameObject("/SourceSans3-Regular"),
            NameObject("/Flags"): NumberObject(32),
            NameObject("/FontFile2"): writer._add_object(program.flate_encode()),
        }
    )
    cid_font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/CIDFontType2"),
            NameObject("/BaseFont"): NameObject("/SourceSans3-Regular"),
            NameObject("/CIDToGIDMap"): NameObject("/Identity"),
            NameObject("/FontDescriptor"): writer._add_object(descriptor),
        }
    )
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): NameObject("/SourceSans3-Regular"),
            NameObject("/Encoding"): NameObject("/Identity-H"),
            NameObject("/DescendantFonts"): ArrayObject([writer._add_object(cid_font)]),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    shown = "".join(f"{g:04x}" for g in gids)
    text = f"BT /F1 12 Tf 40 300 Td <{shown}> Tj ET"
    parts = text.split(" Tf ") if split else [text]
    parts = [parts[0], "Tf " + parts[1]] if split else parts
    streams = []
    for part in parts:
        content = DecodedStreamObject()
        content.set_data(part.encode())
        streams.append(writer._add_object(content))
    page[NameObject("/Contents")] = ArrayObject(streams) if split else streams[0]
    writer.write(path)
    return path


def findings(report, level=FAIL) -> list[str]:
    return [f.what for file in report.files for f in file.findings if f.level == level]


def test_good_booklet_passes(tmp_path):
    report = preflight([make_pdf(tmp_path / "programme.pdf", pages=8)])
    assert report.ok, report.table()
    (row,) = report.files
    assert (row.pages, row.page_size, row.fonts, row.glyphs) == (8, "A5", "1 embedded", "ok")
    assert report.summary == "Preflight: 1 file, all ok."


def test_unembedded_font(tmp_path):
    report = preflight([make_pdf(tmp_path / "signs.pdf", font="Helvetica")])
    assert not report.ok
    assert findings(report) == ["font Helvetica is not embedded (used on pages 1-4)"]
    assert report.files[0].fonts == "1 of 1 missing"


def test_unused_unembedded_font_is_only_noted(tmp_path):
    # ReportLab selects Helvetica at the start of every page unless told otherwise.
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "signs.pdf"
    canvas = Canvas(str(path), pagesize=A5, invariant=1)
    canvas.setFont(fonts.reportlab_name(fonts.chain("sans")[0]), 12)
    canvas.drawString(40, 300, "Embedded")
    canvas.save()
    report = preflight([path])
    assert report.ok
    assert findings(report, NOTE) == [
        "font Helvetica selected but never used to show text: not embedded, which tools "
        "such as pdffonts still list"
    ]


def test_missing_glyph_in_a_simple_truetype_font(tmp_path):
    # ReportLab shows a character its font lacks with code 0, the subset's .notdef.
    report = preflight([make_pdf(tmp_path / "badges.pdf", pages=1, text="Naïve ツ")])
    assert not report.ok
    (what,) = findings(report)
    assert what.startswith("1 character drawn as .notdef (an empty box) in ")
    assert "SourceSans3-Regular on page 1: code 0x00" in what
    assert report.files[0].glyphs == "1 missing"


def test_missing_glyph_in_a_cid_font(tmp_path):
    from fontTools.ttLib import TTFont

    count = TTFont(SANS, lazy=True)["maxp"].numGlyphs
    good = preflight([cid_pdf(tmp_path / "good.pdf", [36, 37, 38])])
    assert good.ok, good.table()
    bad = preflight([cid_pdf(tmp_path / "bad.pdf", [36, 0, 37, count + 5])])
    (what,) = findings(bad)
    assert what.startswith("2 characters drawn as .notdef")
    assert "code 0x00" in what and f"code {count + 5:#04x}" in what


def test_wrong_page_count_for_a_booklet(tmp_path):
    report = preflight([make_pdf(tmp_path / "programme.pdf", pages=6)])
    assert findings(report) == [
        "6 pages, not a multiple of four: a saddle-stitched booklet needs 4, 8, 12, ... "
        "pages (add 2 notes pages)"
    ]
    # Any other PDF may have any number of pages.
    assert preflight([make_pdf(tmp_path / "signs.pdf", pages=6)]).ok


def test_print_variant_needs_trim_and_bleed_boxes(tmp_path):
    target = tmp_path / "programme-print.pdf"
    report = preflight([make_pdf(target, pages=4)])
    assert findings(report) == [
        "no TrimBox on pages 1-4: the print shop cannot tell the cut",
        "no BleedBox on pages 1-4",
    ]
    report = preflight([make_pdf(target, pages=4, bleed=3 * MM)])
    assert report.ok, report.table()
    assert report.files[0].boxes == "trim+bleed 3 mm"
    assert report.files[0].page_size == "A5"  # the trimmed size
    report = preflight([make_pdf(target, pages=4, bleed=1 * MM)])
    assert report.ok
    assert findings(report, WARN) == ["bleed of 1.0 mm, under the usual 3 mm"]


def test_low_resolution_image_is_flagged(tmp_path):
    report = preflight([make_pdf(tmp_path / "signs.pdf", pages=1, image_px=100)])
    assert report.ok  # flagged, not failed
    (what,) = findings(report, WARN)
    assert what.startswith("image ") and "page 1 is 51 dpi, under 150" in what
    assert report.files[0].colour == "RGB"
    sharp = preflight([make_pdf(tmp_path / "signs.pdf", pages=1, image_px=600)])
    assert findings(sharp, WARN) == []
    assert sharp.files[0].images == "1, min 305 dpi"


def test_email_budget(tmp_path):
    # Random pixels do not compress: 4 pages of 330 KB images make the file too heavy.
    report = preflight([make_pdf(tmp_path / "programme.pdf", pages=4, image_px=330)])
    size = os.path.getsize(tmp_path / "programme.pdf")
    assert size > 1_000_000
    assert findings(report, WARN) == [
        f"{size / 1e6:.1f} MB, over the 1.0 MB budget for sending by email"
    ]
    assert report.ok  # heavy, but nothing a print shop or a reader would reject


def test_imposed_file_is_checked_through_its_forms(tmp_path):
    source = make_pdf(tmp_path / "in.pdf", pages=4, font="Helvetica")
    impose(source, tmp_path / "programme-imposed.pdf")
    report = preflight([tmp_path / "programme-imposed.pdf"])
    assert report.files[0].page_size == "A4 landscape"
    assert findings(report) == ["font Helvetica is not embedded (used on pages 1-2)"]
    assert findings(report, NOTE) == []  # Helvetica's glyphs are not in the file to check
    source = make_pdf(tmp_path / "in.pdf", pages=3, text="Box ツ")
    impose(source, tmp_path / "programme-imposed.pdf")
    (what,) = findings(preflight([tmp_path / "programme-imposed.pdf"]))
    assert (
        what.startswith("1 character drawn as .notdef")
        and 'pages 1-2: code 0x00 in "Box \ufffd 1" (page 1)' in what
    )


def test_not_a_pdf(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\nnot really")
    report = preflight([bad])
    (what,) = findings(report)
    assert what.startswith("cannot read the PDF")


def test_folder_means_its_pdfs(tmp_path):
    make_pdf(tmp_path / "programme.pdf", pages=4)
    make_pdf(tmp_path / "signs.pdf", pages=1, font="Helvetica")
    (tmp_path / ".signs.pdf.x.tmp").write_bytes(b"partial")
    (tmp_path / "notes.txt").write_text("not a PDF")
    report = preflight([tmp_path])
    assert [f.path.name for f in report.files] == ["programme.pdf", "signs.pdf"]
    assert report.summary == "Preflight: 2 files, 1 failure."
    table = report.table().splitlines()
    assert table[0].split() == [
        "file", "pages", "page", "size", "size", "fonts", "glyphs", "boxes", "images",
        "colour", "result",
    ]  # fmt: skip
    assert table[2].split()[0] == "programme.pdf" and table[2].split()[-1] == "ok"
    assert table[3].split()[0] == "signs.pdf" and table[3].split()[-1] == "FAIL"
    assert table[4] == "FAIL  signs.pdf: font Helvetica is not embedded (used on page 1)"


def test_cli_exit_codes(tmp_path):
    good = make_pdf(tmp_path / "programme.pdf", pages=4)
    bad = make_pdf(tmp_path / "badges.pdf", pages=1, font="Helvetica")
    result = CliRunner().invoke(cli, ["preflight", str(good)], obj={})
    assert result.exit_code == 0, result.output
    assert result.output.endswith("Preflight: 1 file, all ok.\n")
    result = CliRunner().invoke(cli, ["preflight", str(good), str(bad)], obj={})
    assert result.exit_code == 1
    assert "FAIL  badges.pdf: font Helvetica is not embedded" in result.output


def test_cli_defaults_to_build(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["preflight"], obj={})
    assert result.exit_code == 2
    assert "no build/ folder to check" in result.output
    (tmp_path / "build").mkdir()
    make_pdf(tmp_path / "build" / "programme.pdf", pages=4)
    result = CliRunner().invoke(cli, ["preflight"], obj={})
    assert result.exit_code == 0, result.output
    assert "programme.pdf" in result.output


def test_tokenizer_strings_and_inline_images():
    data = (
        b"BT /F1 12 Tf (a \\(b\\) c) Tj (nested (paren) here) Tj <48 65 6c6c 6f> Tj "
        b"[(x) -250 (y)] TJ ET q 10 0 0 10 5 5 cm BI /W 2 /H 2 /CS /RGB /BPC 8 ID "
        b"\x00Tj\xffEIx\x01\x02 EI Q (oct\\101al\\\nline) Tj /Na#6de Do"
    )
    ops = [(op, args) for op, args in operations(data)]
    shown = [args[-1] for op, args in ops if op == b"Tj"]
    assert shown == [b"a (b) c", b"nested (paren) here", b"Hello", b"octAalline"]
    (tj,) = [args[0] for op, args in ops if op == b"TJ"]
    assert tj[0] == b"x" and float(tj[1]) == -250 and tj[2] == b"y"
    (image,) = [args[0] for op, args in ops if op == b"BI"]
    assert image["W"] == b"2" and image["CS"] == "RGB"
    assert [op for op, _ in ops][-3:] == [b"Q", b"Tj", b"Do"]
    assert ops[-1][1] == ["Name"]


@pytest.mark.slow
def test_default_build_passes(default_build):
    out, _ = default_build
    report = preflight([out / "programme.pdf"])
    assert report.ok, report.table()
    row = report.files[0]
    assert row.page_size == "A5" and row.pages % 4 == 0
    assert row.fonts.endswith("embedded") and row.glyphs == "ok"
    assert "RGB" in row.colour


def test_files_checked_in_parallel_give_the_same_report(tmp_path):
    paths = [
        make_pdf(tmp_path / "programme.pdf", pages=8),
        make_pdf(tmp_path / "programme-print.pdf", pages=6),
        make_pdf(tmp_path / "signs.pdf", pages=1, image_px=600),
    ]
    serial, parallel = preflight(paths), preflight(paths, jobs=2)
    assert parallel.table() == serial.table()
    assert [f.path.name for f in parallel.files] == [p.name for p in paths]
    assert not serial.ok  # 6 pages is not a multiple of four: both reports say so


def test_tokenizer_skips_what_no_check_reads():
    data = (
        b"/Span <</MCID 0>> BDC BT 1 0 0 -1 5 5 Tm /F1 9 Tf [<0102> -5 <0304>] TJ ET EMC "
        b"0 0 m 10 10 l S [3 2] 0 d /GS1 gs 0.5 g /Fd 1 Tf (x) Tj 1 2 3"
    )
    ops = list(operations(data))
    assert [op for op, _ in ops] == [b"Tf", b"TJ", b"g", b"Tf", b"Tj", b""]
    assert ops[0][1] == ["F1", b"9"]
    assert ops[1][1] == [[b"\x01\x02\x03\x04"]]  # a text array's codes read as one string
    assert ops[3][1] == ["Fd", b"1"]  # a name ending in an operator's letter stays whole
    assert ops[-1][1] == [b"1", b"2", b"3"]  # operands left over at the end
    commented = list(operations(b"q % not an operator: Q Tf\n/F2 7 Tf Q"))
    assert commented == [(b"q", []), (b"Tf", ["F2", b"7"]), (b"Q", [])]


def test_content_split_between_operands_and_operator(tmp_path):
    report = preflight([cid_pdf(tmp_path / "split.pdf", [36, 0, 37], split=True)])
    (what,) = findings(report)
    assert what.startswith("1 character drawn as .notdef") and "page 1" in what


def test_long_files_read_in_page_ranges_give_the_same_report(tmp_path):
    from booklet.preflight import work_batches

    # a booklet's two variants, a character the font lacks on every page
    paths = [
        make_pdf(tmp_path / name, pages=40, text="Box ツ")
        for name in ("programme.pdf", "programme-print.pdf")
    ]
    paths.append(make_pdf(tmp_path / "signs.pdf", pages=30, font="Helvetica"))
    batches = work_batches([(p, n) for p, n in zip(paths, (40, 40, 30), strict=True)], 2)
    assert len(batches) == 4 and [path for path, _ in batches[0]] == paths[:2]
    serial, parallel = preflight(paths), preflight(paths, jobs=2)
    assert parallel.table() == serial.table()
    notdef = [w for w in findings(serial) if "drawn as .notdef" in w]
    assert len(notdef) == 2 and all(
        'pages 1-40: code 0x00 in "Box \ufffd 1" (page 1)' in w for w in notdef
    )
    assert "font Helvetica is not embedded (used on pages 1-30)" in findings(parallel)


def test_imposed_file_read_with_the_pages_it_shows(default_build, monkeypatch):
    """The imposed sheets show the print file's pages as forms: each part of the work has
    the sheets and the pages they show, and no page's content is read twice."""
    from booklet.preflight import scan as module
    from booklet.preflight import work_batches
    from booklet.render.impose import page_order

    out, _ = default_build
    booklet = [out / "programme.pdf", out / "programme-print.pdf"]
    imposed = out / "programme-imposed.pdf"
    n = len(pypdf.PdfReader(booklet[1]).pages)
    sides = page_order(n)
    files = [(path, n) for path in booklet] + [(imposed, len(sides))]
    batches = work_batches(files, 2)
    assert len(batches) == 2
    for batch in batches:
        pages = {path: shown for path, shown in batch}
        shown = {i for side in pages[imposed] for i in sides[side] if i is not None}
        assert pages[booklet[0]] == pages[booklet[1]] == tuple(sorted(shown))

    read: list[bytes] = []
    tokenize = module.operations

    def counted(data):
        read.append(data)
        return tokenize(data)

    monkeypatch.setattr(module, "operations", counted)
    for batch in batches:
        module.scan_pages([entry for entry in batch if entry[0] != imposed])
    alone = len(read)
    read.clear()
    for batch in batches:
        module.scan_pages(batch)
    assert len(read) == alone + len(sides)  # only each sheet side's own few operators
    monkeypatch.undo()
    paths = [*booklet, imposed]
    assert preflight(paths, jobs=2).table() == preflight(paths).table()


def test_damaged_file_is_named(tmp_path):
    good = make_pdf(tmp_path / "programme.pdf", pages=4)
    data = good.read_bytes()
    good.write_bytes(data[:9] + b"%" + b"x" * 40 + b"\n" + data[9:])  # every offset moved
    report = preflight([good])
    (what,) = findings(report, WARN)
    assert what.startswith("the PDF is damaged (") and report.files[0].pages == 4


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext (poppler-utils)")
def test_a_glyph_no_font_has_fails_the_build_and_names_the_page(tmp_path):
    """A name holding a character no font has: WeasyPrint draws .notdef (its CMap maps the
    code to CID 0), preflight names the file, the page and the text around it, the build
    exits 1, and WeasyPrint's own warnings come once each, in our words, from every
    worker process."""
    import subprocess
    import sys

    from tests.conftest import MINIMAL_PEOPLE, ROOT, write_content

    people = MINIMAL_PEOPLE.replace("Ada Lovelace", "Ada \U00010000Lovelace")
    content = write_content(tmp_path / "content", people=people)
    out = tmp_path / "build"
    run = subprocess.run(
        [sys.executable, "-m", "booklet", "build", str(content), "--out", str(out)]
        + ["--only", "booklet", "-j", "2"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert run.returncode == 1, run.stderr
    fails = [line for line in run.stderr.splitlines() if line.startswith("FAIL  programme.pdf")]
    assert fails and all("'\U00010000' (U+10000)" in line for line in fails)
    for line in fails:
        assert re.search(r'in "[^"]*Lovelace[^"]*"', line), line  # the text around it
        number = line.split(" on page ")[1].split(":")[0]
        page = subprocess.run(
            ["pdftotext", "-f", number, "-l", number, str(out / "programme.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert "Lovelace" in page.stdout
    assert "notdef glyph rendered" not in run.stderr
    assert "HarfBuzz-Subset for font" not in run.stderr
    notices = [line for line in run.stderr.splitlines() if "no font draws" in line]
    assert len(notices) == 1 and "U+10000" in notices[0]
    subset = [line for line in run.stderr.splitlines() if "subset with fontTools" in line]
    assert len(subset) <= 1  # none where HarfBuzz-Subset is installed
    assert not [line for line in run.stderr.splitlines() if line.startswith("WARNING")]


def test_notes_are_one_line_each(default_build):
    out, _ = default_build
    report = preflight([out])
    assert report.ok, report.table()
    for f in report.files:
        assert all("\n" not in x.what for x in f.findings)
        assert not any("pikepdf" in x.what or "CMap" in x.what for x in f.findings)
