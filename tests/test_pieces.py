"""The booklet laid out in pieces (in parallel, numbered after layout) and joined is the
booklet WeasyPrint makes from the whole HTML at once: same pixels, links, outline."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from booklet.render import booklet as booklet_module
from booklet.render import pieces as pieces_module
from booklet.render.booklet import BookletOptions, speaker_index
from booklet.render.pieces import render_booklet, write_print, write_screen
from booklet.validate import load_programme
from tests.conftest import CONTENT, FIXTURES
from tests.pdfutil import Pdf, words_in

pytestmark = pytest.mark.slow


def _weasyprint() -> str:
    return shutil.which("weasyprint") or str(Path(sys.executable).parent / "weasyprint")


def _pixels(path: Path, scale: float = 1.0) -> list:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    return [document[i].render(scale=scale).to_pil().convert("RGB") for i in range(len(document))]


def _trimmed(source: Path, target: Path) -> Path:
    """The pages of `source` cut to their TrimBox (a WeasyPrint file with bleed)."""
    with pikepdf.Pdf.open(source) as pdf:
        for page in pdf.pages:
            page.obj.MediaBox = page.obj.TrimBox
        pdf.save(target)
    return target


@pytest.fixture(scope="module", params=[("default", 1), ("per-day", 2)], ids=lambda p: p[0])
def pieces_build(request, tmp_path_factory):
    """The default event, as built (one piece per section), and with one piece per day in
    two processes (each day's abstracts laid out from page 1 and numbered afterwards)."""
    name, jobs = request.param
    out = tmp_path_factory.mktemp(name)
    programme = load_programme(CONTENT).programme
    patch = pytest.MonkeyPatch()
    if name == "per-day":
        patch.setattr(pieces_module, "PIECE_PAGES", 1)
    try:
        rendered = render_booklet(programme, CONTENT, BookletOptions(), jobs=jobs)
    finally:
        patch.undo()
    write_screen(rendered, out / "programme.pdf")
    write_print(rendered, out / "programme-print.pdf")
    (out / "programme.html").write_text(rendered.html, encoding="utf-8")
    whole = out / "whole.pdf"
    subprocess.run(
        [_weasyprint(), str(out / "programme.html"), str(whole)], check=True, capture_output=True
    )
    return out, rendered, whole


def test_per_day_pieces_are_pieces(pieces_build):
    out, rendered, _ = pieces_build
    if out.name.startswith("per-day"):
        days = len(load_programme(CONTENT).programme.days)
        assert len(rendered.pieces) >= 2 * days  # a schedule and an abstracts piece a day


def test_pieces_look_like_the_whole_document(pieces_build, tmp_path):
    """Pixel for pixel, every page: numbers in the margins, each page on its side."""
    from PIL import ImageChops

    out, rendered, whole = pieces_build
    joined = _pixels(out / "programme.pdf")
    alone = _pixels(_trimmed(whole, tmp_path / "whole-trimmed.pdf"))
    assert len(joined) == len(alone) == rendered.page_count
    differ = [
        n
        for n, (a, b) in enumerate(zip(joined, alone, strict=True), 1)
        if ImageChops.difference(a, b).getbbox()
    ]
    assert differ == []


def test_even_pages_are_left_pages(pieces_build):
    """The page number sits on the outer edge: left on even pages, right on odd ones."""
    out, rendered, _ = pieces_build
    import pdfplumber

    with pdfplumber.open(out / "programme.pdf") as pdf:
        checked = 0
        for number, page in enumerate(pdf.pages, 1):
            words = [w for w in page.extract_words() if w["text"] == str(number)]
            footer = [w for w in words if w["top"] > page.height * 0.9]
            if not footer:
                continue  # cover, contents: no number
            checked += 1
            middle = page.width / 2
            if number % 2:
                assert footer[0]["x0"] > middle, number
            else:
                assert footer[0]["x1"] < middle, number
        assert checked > rendered.page_count / 2


def test_links_and_outline_match_the_whole_document(pieces_build):
    out, _, whole = pieces_build
    joined, alone = Pdf(out / "programme.pdf"), Pdf(whole)
    assert joined.outline() == alone.outline()
    assert joined._named == alone._named
    for n in range(1, len(joined) + 1):
        # the same places linked (WeasyPrint alone adds a link for each box inside one)
        ours = [(link.dest, link.target) for link in joined.links(n)]
        theirs = [(link.dest, link.target) for link in alone.links(n)]
        assert set(ours) == set(theirs), n
        assert all(target is not None for _, target in ours), n


def test_structure_tree_covers_every_page(pieces_build):
    """One Document element; every page's and link's parent-tree key is there once."""
    out, _, _ = pieces_build
    with pikepdf.Pdf.open(out / "programme.pdf") as pdf:
        tree = pdf.Root.StructTreeRoot
        assert len(tree.K) == 1 and tree.K[0].S == "/Document"
        keys = dict(pikepdf.NumberTree(tree.ParentTree).items())
        used = [int(page.obj.StructParents) for page in pdf.pages]
        for page in pdf.pages:
            used += [int(a.StructParent) for a in page.obj.get("/Annots", ())]
        assert sorted(used) == sorted(set(used)) == sorted(keys)
        assert int(tree.ParentTreeNextKey) == max(keys) + 1
        pages = {page.obj.objgen for page in pdf.pages}
        for element in tree.K[0].K:
            assert element.P.objgen == tree.K[0].objgen
            assert element.Pg.objgen in pages
        assert str(pdf.Root.Lang) and pdf.Root.MarkInfo.Marked
        # every element content refers to leads up to the one tree (the pieces' own trees
        # are gone: their page margins pointed at them)
        for value in keys.values():
            for element in value if isinstance(value, pikepdf.Array) else [value]:
                while "/P" in element:
                    element = element.P
                assert element.objgen == tree.objgen
        trees = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary)
                 and o.get("/Type") == "/StructTreeRoot"]  # fmt: skip
        assert len(trees) == 1


def test_print_file_keeps_the_bleed(pieces_build):
    out, rendered, _ = pieces_build
    with pikepdf.Pdf.open(out / "programme-print.pdf") as pdf:
        assert len(pdf.pages) == rendered.page_count
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            assert trim[0] - bleed[0] == pytest.approx(3 * 72 / 25.4, abs=0.01)


def test_serial_and_parallel_pieces_write_the_same_bytes(monkeypatch, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "multiroom", content)
    programme = load_programme(content).programme
    monkeypatch.setattr(pieces_module, "PIECE_PAGES", 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    files = []
    for jobs in (1, 2):
        rendered = render_booklet(programme, content, BookletOptions(), jobs=jobs)
        files.append(tmp_path / f"jobs-{jobs}.pdf")
        write_screen(rendered, files[-1])
    assert files[0].read_bytes() == files[1].read_bytes()


def test_renumbering_refuses_sides_of_different_widths(tmp_path):
    """A style whose left and right pages differ in text width cannot move pages across
    sides: the piece is laid out again, and still matches the whole document."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from booklet.render.renumber import Layout

    html = (
        "<html lang=en><body>"
        + "".join(f"<p style='break-before:page'>Page {n}</p>" for n in range(3))
        + "</body></html>"
    )
    fonts = FontConfiguration()
    sheet = CSS(
        string="@page :left { margin-left: 30mm }"
        " @page { @bottom-center { content: counter(page) } }",
        font_config=fonts,
    )
    layout = Layout.render(HTML(string=html), [sheet], fonts, 1)
    assert layout.renumber(3)  # same sides: numbers only
    assert not layout.renumber(4)  # other sides, other widths
    pdf = io.BytesIO(layout.document.write_pdf())
    assert len(pikepdf.Pdf.open(pdf).pages) == 3


@pytest.mark.parametrize(
    ("first", "finished"),
    [(3, True), (4, True), (1, False), (3, False), (4, False)],
    ids=["same sides", "other sides", "unfinished", "same sides, unfinished",
         "other sides, unfinished"],
)  # fmt: skip
def test_renumbered_margin_boxes_look_laid_out_at_their_start(tmp_path, first, finished):
    """Renumbering makes the margin boxes again, backgrounds and borders included, on the
    same side (only they change) and across sides (everything moves). A piece laid out
    unfinished (as the booklet's pieces are: no margin boxes, no backgrounds) is finished,
    even at the page it started from."""
    from weasyprint import CSS, HTML
    from weasyprint.formatting_structure.boxes import MarginBox
    from weasyprint.text.fonts import FontConfiguration

    from booklet.render.pieces import first_page_css
    from booklet.render.renumber import Layout

    html = (
        "<html lang=en><body>"
        + "".join(
            f"<p style='break-before:page; background:#cde; border:2pt solid #123'>Page {n}</p>"
            for n in range(3)
        )
        + "</body></html>"
    )
    css = (
        "@page { margin: 20mm 25mm }"
        " @page :left { @bottom-left { content: counter(page); background: #f80;"
        " border-bottom: 3pt solid #048 } }"
        " @page :right { @bottom-right { content: counter(page); background: #8f0 } }"
    )
    fonts = FontConfiguration()
    sheet = CSS(string=css, font_config=fonts)
    renumbered = Layout.render(HTML(string=html), [sheet], fonts, 1, finished=finished)
    pages = renumbered.page_boxes
    assert any(isinstance(c, MarginBox) for page in pages for c in page.children) == finished
    assert any(getattr(box, "background", None) for box in pages[0].descendants()) == finished
    assert renumbered.renumber(first)
    at_start = CSS(string=first_page_css(first), font_config=fonts)
    direct = Layout.render(HTML(string=html), [sheet, at_start], fonts, first)
    files = []
    for name, layout in (("renumbered", renumbered), ("direct", direct)):
        files.append(tmp_path / f"{name}.pdf")
        layout.document.write_pdf(files[-1])
    assert str(first) in Pdf(files[0]).text(1).split()
    assert _pixels(files[0]) == _pixels(files[1])


# -- the pieces kept between builds (OUT/.booklet-cache) -----------------------------------


@pytest.fixture
def counted_layouts(monkeypatch):
    """How many pieces WeasyPrint lays out (in this process: builds run with jobs=1)."""
    calls = []
    original = pieces_module.PieceWorker.render

    def render(self, html, first):
        calls.append(first)
        return original(self, html, first)

    monkeypatch.setattr(pieces_module.PieceWorker, "render", render)
    return calls


def _build(content, out, **kwargs):
    """Build the booklets. The record of the last build's outputs is dropped first: an
    unchanged booklet would be kept whole (`reuse`), and these tests are about its pieces."""
    from booklet.build import CACHE, build
    from booklet.reuse import RECORD

    (Path(out) / CACHE / RECORD).unlink(missing_ok=True)
    return build(content, out, only="booklet,print", jobs=1, run_preflight=False, **kwargs)


def test_rebuild_reuses_the_pieces(tmp_path, monkeypatch, counted_layouts):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(FIXTURES / "multiroom", content)
    _build(content, out)
    first = (out / "programme.pdf").read_bytes(), (out / "programme-print.pdf").read_bytes()
    assert counted_layouts and (out / ".booklet-cache").is_dir()
    counted_layouts.clear()
    _build(content, out)
    assert counted_layouts == []  # nothing laid out again
    assert (
        (out / "programme.pdf").read_bytes(),
        (out / "programme-print.pdf").read_bytes(),
    ) == first


def test_rebuild_after_an_edit_lays_out_what_changed(tmp_path, monkeypatch, counted_layouts):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(pieces_module, "PIECE_PAGES", 1)  # a piece a day
    content, out, fresh = tmp_path / "content", tmp_path / "out", tmp_path / "fresh"
    shutil.copytree(FIXTURES / "multiroom", content)
    _build(content, out)
    everything = len(counted_layouts)
    counted_layouts.clear()
    text = (content / "programme.yaml").read_text().replace("B again.", "B once more.")
    (content / "programme.yaml").write_text(text)
    _build(content, out)
    assert 0 < len(counted_layouts) < everything
    _build(content, fresh, cache=False)
    assert not (fresh / ".booklet-cache").exists()
    for name in ("programme.pdf", "programme-print.pdf"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name
    assert Pdf(out / "programme.pdf").pages_with("B once more.")


def test_a_damaged_cache_is_laid_out_again(tmp_path, monkeypatch, counted_layouts):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(FIXTURES / "multiroom", content)
    _build(content, out)
    good = (out / "programme.pdf").read_bytes()
    cache = out / ".booklet-cache"
    pdfs = sorted(cache.glob("*.pdf"))
    pdfs[0].write_bytes(pdfs[0].read_bytes()[:-100])  # truncated
    metas = sorted(cache.glob("*.json"))
    metas[-1].write_text("{not json")
    counted_layouts.clear()
    _build(content, out)
    assert counted_layouts  # those two again
    assert (out / "programme.pdf").read_bytes() == good
    assert len(list(cache.glob("*.json"))) == len(metas)  # one entry each, no leftovers


def test_a_changed_font_or_style_file_is_a_new_layout(tmp_path, monkeypatch, counted_layouts):
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(FIXTURES / "multiroom", content)
    _build(content, out)
    counted_layouts.clear()
    (content / "styles").mkdir(exist_ok=True)
    (content / "styles" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    _build(content, out)  # a file a style could use appeared: nothing is taken from the cache
    assert len(counted_layouts) > 2


def test_each_piece_is_laid_out_once(tmp_path, monkeypatch, counted_layouts):
    """The front matter, the schedule and the index, laid out with placeholder page
    numbers, get the real ones put in place, as the abstracts get their page numbers: no
    second layout. (The index of a piece a day is laid out before the last days' pieces:
    a speaker's two tutorial parts of one day, close enough to share a page, wait for that
    day's layout.)"""
    patched = []
    from booklet.render import renumber

    original = renumber.Layout.patch

    def patch(self, values):
        patched.append(original(self, values))
        return patched[-1]

    monkeypatch.setattr(renumber.Layout, "patch", patch)
    monkeypatch.setattr(pieces_module, "PIECE_PAGES", 1)  # a piece a day
    programme = load_programme(CONTENT).programme
    rendered = render_booklet(programme, CONTENT, BookletOptions(), jobs=1)
    assert len(counted_layouts) == len(rendered.pieces)
    # the front, a day each, the index
    assert len(patched) == 1 + len(programme.days) + 1 and all(patched)
    write_screen(rendered, tmp_path / "programme.pdf")
    contents = Pdf(tmp_path / "programme.pdf").texts[1].splitlines()
    (line,) = [line for line in contents if line.startswith("Speaker index")]
    assert line.split()[-1] == str(rendered.pages["index"])  # the number put in place
    # a speaker with two items on one page: that page once
    (fehr,) = [e for e in speaker_index(programme) if e.person.family_name == "Fehr"]
    numbers = sorted({rendered.pages[f"item-{i.id}"] for i in fehr.items})
    assert len(numbers) < len(fehr.items)
    index = words_in(tmp_path / "programme.pdf", rendered.pages["index"], (0, 0, 1000, 1000))
    line = next(line for line in index.splitlines() if line.startswith("Fehr, Mathieu"))
    assert line.endswith(", ".join(str(n) for n in numbers))


def test_numbers_that_do_not_fit_are_laid_out_again(tmp_path, monkeypatch):
    """If the real page numbers are not as wide as the placeholders (here 40 digits wide,
    and not padded), the pieces that show them are laid out again, and as that changes
    their length, the pieces after them moved and are laid out again too."""
    from PIL import ImageChops

    attempts = []
    original = pieces_module._Run.__init__

    def counting(self, *args, **kwargs):
        attempts.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(pieces_module._Run, "__init__", counting)
    monkeypatch.setattr(pieces_module, "_estimated_pages", lambda programme: 10**39)
    monkeypatch.setattr(booklet_module, "FIGURE_SPACE", "")
    programme = load_programme(CONTENT).programme
    rendered = render_booklet(programme, CONTENT, BookletOptions(), jobs=2)
    assert len(attempts) >= 2
    write_screen(rendered, tmp_path / "programme.pdf")
    (tmp_path / "programme.html").write_text(rendered.html, encoding="utf-8")
    whole = tmp_path / "whole.pdf"
    subprocess.run(
        [_weasyprint(), str(tmp_path / "programme.html"), str(whole)],
        check=True,
        capture_output=True,
    )
    joined = _pixels(tmp_path / "programme.pdf")
    alone = _pixels(_trimmed(whole, tmp_path / "whole-trimmed.pdf"))
    assert len(joined) == len(alone) == rendered.page_count
    for n, (a, b) in enumerate(zip(joined, alone, strict=True), 1):
        assert ImageChops.difference(a, b).getbbox() is None, n


def test_page_references_worked_out_once_per_page_count(monkeypatch):
    """Writing a piece asks pydyf for the pages' references once per page count, not once
    per tagged element, and the file is the same either way."""
    import pydyf
    from weasyprint import HTML

    calls = []
    compute = pydyf.PDF.page_references

    def counted(pdf):
        calls.append(1)
        return compute.fget(pdf)

    monkeypatch.setattr(pydyf.PDF, "page_references", property(counted))
    words = "An abstract of some words. " * 40
    html = "".join(f"<h2>Talk {n}</h2><p>{words}</p>" for n in range(40))
    document = HTML(string=f"<html lang='en'><title>t</title>{html}").render()
    assert len(document.pages) > 10
    plain = document.write_pdf(pdf_variant="pdf/ua-1")
    everywhere = len(calls)
    calls.clear()
    with pieces_module._page_references_kept():
        kept = document.write_pdf(pdf_variant="pdf/ua-1")
    assert everywhere > 10 * len(document.pages)
    assert len(calls) <= len(document.pages) + 1
    assert kept == plain
    assert pydyf.PDF.page_references.fget is counted  # put back afterwards
