"""The booklet's pieces (PDFs laid out and written separately) -> one PDF.

Each piece is a tagged PDF/UA-1 file with its bleed, written by WeasyPrint. Joining them
keeps what one document written at once would have:

- pages, in order, with their links and annotations;
- named destinations: a piece links to anchors of other pieces (the index to the abstracts)
  through a stub destination of the same name, so WeasyPrint keeps the link; each name is
  then taken from the piece that really has the anchor;
- the outline, rebuilt from every piece's bookmarks with their CSS levels (a day grid's
  level-2 bookmark nests under the "Daily schedules" entry of an earlier piece);
- the structure tree: each piece's Document element's children go under one Document
  element, and the parent tree's keys (`/StructParents` of pages, `/StructParent` of
  annotations) are shifted past those of the pieces before.

Two variants come from the same pieces: `print` keeps TrimBox and BleedBox and gets crop
marks outside the bleed, `screen` is trimmed to the page.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from booklet.render.marks import MARK_LENGTH, MARK_OFFSET, MARK_WIDTH, MM, mark_lines, number

PRINT, SCREEN = "print", "screen"


@dataclass(frozen=True)
class PiecePdf:
    data: bytes  # tagged PDF/UA-1, with bleed
    owned: frozenset[str]  # anchors the piece has (others in its Dests are stubs)
    bookmarks: tuple[tuple[int, str], ...]  # (CSS bookmark level, state) of each, in order
    screen: bytes | None = None  # a separate screen file, when the piece has images


def assemble(pieces: list[PiecePdf], variant: str) -> bytes:
    import pikepdf

    merged = pikepdf.Pdf.new()
    document = merged.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, K=[])
    )
    root = merged.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array([document]))
    )
    document.P = root
    parent_tree = pikepdf.NumberTree.new(merged)
    dests = pikepdf.NameTree.new(merged)
    bookmarks: list[tuple[int, str, str, object]] = []  # level, title, state, destination
    next_key = 0
    version = "1.4"
    sources = []  # the pieces' Pdf objects must stay open until the merged file is saved
    for position, piece in enumerate(pieces):
        data = piece.screen if variant == SCREEN and piece.screen is not None else piece.data
        source = pikepdf.Pdf.open(io.BytesIO(data))
        sources.append(source)
        version = max(version, source.pdf_version)
        if position == 0:
            _copy_catalog(merged, source)
        first_page = len(merged.pages)
        with warnings.catch_warnings():  # named destinations are carried below
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            merged.pages.extend(source.pages)
        added = merged.pages[first_page:]
        offset = next_key
        for page in added:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", ()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        tree = source.Root.get("/StructTreeRoot")
        if tree is not None:
            # the whole tree in one copy; what the merged tree does not link is not saved
            tree = merged.copy_foreign(tree)
            tops = {e.objgen for e in _kids(tree) if e.get("/S") == "/Document"}
            seen = set()
            for key, value in pikepdf.NumberTree(tree.ParentTree).items():
                parent_tree[int(key) + offset] = value
                next_key = max(next_key, int(key) + offset + 1)
                # content whose parent is the piece's Document element (WeasyPrint's page
                # margins) gets the merged one: the piece's would otherwise stay in the file
                for element in value if isinstance(value, pikepdf.Array) else [value]:
                    while isinstance(element, pikepdf.Dictionary) and element.objgen not in seen:
                        seen.add(element.objgen)
                        parent = element.get("/P")
                        if parent is not None and parent.objgen in tops:
                            element.P = document
                            break
                        element = parent
            for element in _kids(tree):
                for kid in _kids(element) if element.get("/S") == "/Document" else [element]:
                    if isinstance(kid, pikepdf.Dictionary):
                        kid.P = document
                    document.K.append(kid)
        names = source.Root.get("/Names")
        if names is not None and "/Dests" in names:
            for name, destination in pikepdf.NameTree(names.Dests).items():
                if name in piece.owned:
                    dests[name] = copy_object(merged, destination)
        outline = list(_outline(source))
        if len(outline) != len(piece.bookmarks):
            raise ValueError("a piece's outline does not match its bookmarks")
        for (title, destination), (level, state) in zip(outline, piece.bookmarks, strict=True):
            bookmarks.append((level, title, state, copy_object(merged, destination)))
    root.ParentTree = parent_tree.obj
    root.ParentTreeNextKey = next_key
    merged.Root.StructTreeRoot = root
    merged.Root.Names = pikepdf.Dictionary(Dests=dests.obj)
    _write_outline(merged, bookmarks)
    for page in merged.pages:
        if variant == PRINT:
            _crop_marks(merged, page)
        else:
            _trim(page)
    out = io.BytesIO()
    merged.save(
        out,
        min_version=version,
        deterministic_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=True,
    )
    return out.getvalue()


def copy_object(pdf, value):
    """An object of another PDF, in `pdf`: indirect objects are copied once per source
    (pikepdf keeps one map per source file: fonts and images shared by many pages stay
    shared, references to pages already copied point to the copies), direct ones rebuilt
    around them (a name or string of another file cannot be written into a stream's
    parameters)."""
    import pikepdf

    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return pdf.copy_foreign(value)
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({k: copy_object(pdf, v) for k, v in value.items()})
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([copy_object(pdf, v) for v in value])
    if isinstance(value, pikepdf.Name):
        return pikepdf.Name(str(value))
    if isinstance(value, pikepdf.String):
        return pikepdf.String(bytes(value))
    return value  # a number, a boolean, None


def _kids(element) -> list:
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _copy_catalog(merged, source) -> None:
    """The document-wide entries: language, tagging, viewer preferences, metadata, info."""
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata", "/PageMode"):
        if key in source.Root:
            merged.Root[key] = copy_object(merged, source.Root[key])
    if source.trailer.get("/Info") is not None:
        merged.trailer.Info = merged.make_indirect(copy_object(merged, source.trailer.Info))


def _outline(source):
    """(title, destination) of every outline item, depth first, in document order."""
    outlines = source.Root.get("/Outlines")
    item = outlines.get("/First") if outlines is not None else None
    stack = []
    while item is not None:
        yield str(item.Title), item.Dest
        if "/First" in item:
            stack.append(item)
            item = item.First
            continue
        while item is not None and "/Next" not in item:
            item = stack.pop() if stack else None
        item = item.Next if item is not None else None


def _write_outline(merged, bookmarks) -> None:
    """Nest the bookmarks by level as WeasyPrint does (a skipped level nests one deeper)."""
    import pikepdf

    if not bookmarks:
        return
    top: list = []
    chain = [top]  # the children list open at each depth
    skipped: list[int] = []
    previous = 0
    for level, title, state, destination in bookmarks:
        if level > previous:
            skipped.append(level - previous - 1)
        else:
            temp = level
            while temp < previous:
                temp += 1 + skipped.pop()
            if temp > previous:
                skipped.append(temp - previous - 1)
        previous = level
        depth = level - sum(skipped)
        children: list = []
        chain[depth - 1].append((title, destination, state, children))
        del chain[depth:]
        chain.append(children)

    def write(items, parent) -> int:
        """Link the items under `parent`; returns how many are visible (open)."""
        made, visible = [], 0
        for title, destination, state, children in items:
            entry = merged.make_indirect(
                pikepdf.Dictionary(Title=pikepdf.String(title), Dest=destination, Parent=parent)
            )
            if made:
                entry.Prev = made[-1]
                made[-1].Next = entry
            made.append(entry)
            count = write(children, entry)
            if children:
                entry.Count = count if state != "closed" else -count
            visible += 1 + (count if state != "closed" else 0)
        if made:
            parent.First, parent.Last = made[0], made[-1]
        return visible

    outlines = merged.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
    outlines.Count = write(top, outlines)
    merged.Root.Outlines = outlines


def _box(page, key):
    box = page.obj.get(key)
    return [float(v) for v in box] if box is not None else None


def _trim(page) -> None:
    """The screen page: the trim box is the whole page, no bleed."""
    trim = _box(page, "/TrimBox")
    if trim is None:
        return
    page.obj.MediaBox = trim
    for key in ("/TrimBox", "/BleedBox", "/CropBox"):
        if key in page.obj:
            del page.obj[key]


def _crop_marks(merged, page) -> None:
    """Crop marks past the bleed, on a MediaBox grown to hold them; marked as an artifact
    so the tagged file stays tagged."""
    import pikepdf

    trim, bleed = _box(page, "/TrimBox"), _box(page, "/BleedBox")
    if trim is None or bleed is None:
        return
    ops = [f"Q q /Artifact BMC {MARK_WIDTH} w 0 G 0 J"]
    for x0, y0, x1, y1 in mark_lines(trim, bleed):
        ops.append(f"{number(x0)} {number(y0)} m {number(x1)} {number(y1)} l S")
    ops.append("EMC Q")
    page.contents_add(pikepdf.Stream(merged, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(merged, ("\n".join(ops) + "\n").encode()))
    margin = MARK_OFFSET + MARK_LENGTH + 2 * MM
    page.obj.MediaBox = [bleed[0] - margin, bleed[1] - margin, bleed[2] + margin,
                         bleed[3] + margin]  # fmt: skip
