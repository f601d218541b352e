"""Pages of PDF files -> what they draw (`Found`): the fonts that show text and the codes
drawn as .notdef, the images and where they are placed, the colour spaces painted with.

With several processes, long files are read in parts at once; a booklet's screen and print
variants, whose pages draw the same content, are read together and each content stream once,
and so is the imposed file, with the pages its sheets show.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from booklet.preflight.fonts import Font
from booklet.preflight.stream import Name, Str, as_float, is_name, multiply, operations

_SHOW = frozenset((b"Tj", b"'", b'"', b"TJ"))  # the operators that show text

RGB, CMYK, GRAY = "RGB", "CMYK", "gray"
FAMILIES = {
    "DeviceRGB": RGB,
    "RGB": RGB,
    "CalRGB": RGB,
    "DeviceCMYK": CMYK,
    "CMYK": CMYK,
    "DeviceGray": GRAY,
    "G": GRAY,
    "CalGray": GRAY,
    "Lab": "Lab",
    "Separation": "spot",
    "DeviceN": "DeviceN",
}


@dataclass
class Image:
    page: int
    name: str
    dpi: float
    colour: str | None


@dataclass
class FontUse:
    """What some pages of a file did with one font (picklable, merged across page ranges)."""

    name: str
    embedded: bool
    unchecked: str | None
    pages: set[int]  # where it shows text
    notdef: dict[int, set[int]]  # code -> pages where it shows glyph 0
    text: dict[int, str]  # what the ToUnicode map says those codes are
    # code -> (page, the text shown around its first .notdef there), for the report
    context: dict[int, tuple[int, str]] = field(default_factory=dict)

    def merge(self, other: FontUse) -> None:
        self.pages |= other.pages
        for code, (page, text) in other.context.items():
            if code not in self.context or page < self.context[code][0]:
                self.context[code] = (page, text)
        for code, pages in other.notdef.items():
            self.notdef.setdefault(code, set()).update(pages)
        self.text.update(other.text)
        self.unchecked = self.unchecked or other.unchecked


@dataclass
class Found:
    """What scanning some pages of a file found (picklable)."""

    fonts: dict  # font key -> FontUse
    images: list[Image]
    colours: set[str]
    unreadable: list[tuple[int, str]]  # (page, why)

    def merge(self, other: Found) -> None:
        for key, use in other.fonts.items():
            if key in self.fonts:
                self.fonts[key].merge(use)
            else:
                self.fonts[key] = use
        self.images += other.images
        self.colours |= other.colours
        self.unreadable += other.unreadable


class Scan:
    """What a document draws: fonts that show text, .notdef glyphs, images, colours.

    `memo` holds the operators of content streams already read, by their bytes: the print
    and screen variants of a booklet share them, and the imposed file shows the print
    file's pages (each page's content streams joined in one form): they are scanned
    together."""

    def __init__(self, memo: dict | None = None, tag: object = None) -> None:
        self.fonts: dict[object, Font] = {}
        self.font_pages: dict[object, set[int]] = {}
        self.notdef: dict[object, dict[int, set[int]]] = {}  # font -> code -> pages
        self.context: dict[object, dict[int, tuple[int, str]]] = {}  # font -> code -> where
        # this page's show operators, and the .notdef codes met in them (key, code, index)
        self.shows: list[tuple[Font, list]] = []
        self.wanted: list[tuple[object, int, int]] = []
        self.images: list[Image] = []
        self.colours: set[str] = set()
        self.memo = memo if memo is not None else {}
        self.tag = tag  # keys direct font objects apart from other scans' ones

    def page(self, number: int, page) -> None:
        import pikepdf

        contents = page.get("/Contents")
        if contents is None:
            return
        if isinstance(contents, pikepdf.Array):
            parts = [part.read_bytes() for part in contents]
        else:
            parts = [contents.read_bytes()]
        self.shows, self.wanted = [], []
        self.run(parts, page.get("/Resources"), (1, 0, 0, 1, 0, 0), number, ())
        for key, code, index in self.wanted:  # rare: decoded only for a .notdef
            where = self.context.setdefault(key, {})
            if code not in where or number < where[code][0]:
                where[code] = (number, _around(self.shows, index, code))

    def font(self, obj) -> tuple[object, Font]:
        # fonts are shared between pages: known by their object number
        key = obj.objgen if obj.is_indirect else (self.tag, bytes(obj.unparse()))
        if key not in self.fonts:
            self.fonts[key] = Font(obj)
        return key, self.fonts[key]

    def operations(self, parts: list[bytes]) -> list:
        """The operators of a content stream given in parts, each part's read once."""
        ops: list = []
        for i, data in enumerate(parts):
            found = self.memo.get(data)
            if found is None:
                found = list(operations(data))
                if i + 1 < len(parts) and found and found[-1][0] == b"":
                    # operands left at the end of a part: their operator is in the next one
                    joined = b"\n".join(parts)
                    return self.memo.setdefault(joined, list(operations(joined)))
                self.memo[data] = found
            ops += found
        if len(parts) > 1:  # the same content in one stream: an imposed page's form
            self.memo.setdefault(b"\n".join(parts), ops)
        return ops

    def found(self) -> Found:
        fonts = {
            key: FontUse(
                f.name,
                f.embedded,
                f.unchecked,
                self.font_pages.get(key, set()),
                self.notdef.get(key, {}),
                {code: f.to_unicode.get(code, "") for code in self.notdef.get(key, {})},
                self.context.get(key, {}),
            )
            for key, f in self.fonts.items()
        }
        return Found(fonts, self.images, self.colours, [])

    def run(self, parts, resources, ctm, number: int, forms: tuple) -> None:
        fonts = resources.get("/Font") if resources is not None else None
        stack = []
        font = None  # (key, Font)
        for op, args in self.operations(parts):
            if op in _SHOW:
                if font is None or not args:
                    continue
                strings = args[-1] if op == b"TJ" else [args[-1]]
                self.show(font, strings, number)
            elif op == b"Tf":
                font = None
                if len(args) >= 2 and fonts is not None and isinstance(args[0], Name):
                    ref = fonts.get("/" + args[0])
                    font = self.font(ref) if ref is not None else None
            elif op == b"q":
                stack.append((ctm, font))
            elif op == b"Q":
                if stack:
                    ctm, font = stack.pop()
            elif op == b"cm":
                if len(args) == 6:
                    ctm = multiply(tuple(as_float(a) for a in args), ctm)
            elif op in (b"rg", b"RG"):
                self.colours.add(RGB)
            elif op in (b"k", b"K"):
                self.colours.add(CMYK)
            elif op in (b"g", b"G"):
                self.colours.add(GRAY)
            elif op in (b"cs", b"CS"):
                if args and isinstance(args[-1], Name):
                    self.add_colour(args[-1], resources)
            elif op == b"sh":
                if args and isinstance(args[-1], Name):
                    shading = lookup(resources, "/Shading", args[-1])
                    if shading is not None:
                        self.add_colour(shading.get("/ColorSpace"), resources)
            elif op == b"Do":
                if args and isinstance(args[-1], Name):
                    self.xobject(args[-1], resources, ctm, number, forms)
            elif op == b"BI":
                self.inline_image(args[0], resources, ctm, number)

    def show(self, font, strings, number: int) -> None:
        key, f = font
        shown = False
        for s in strings:
            if not isinstance(s, Str) or not s:
                continue
            shown = True
            for code in f.codes(s) - f.fine:  # most codes were seen before
                if f.missing(code):
                    self.notdef.setdefault(key, {}).setdefault(code, set()).add(number)
                    self.wanted.append((key, code, len(self.shows)))
                else:
                    f.fine.add(code)
        if shown:
            self.font_pages.setdefault(key, set()).add(number)
            self.shows.append((f, strings))

    def add_colour(self, space, resources) -> None:
        family = colour_family(space, resources)
        if family:
            self.colours.add(family)

    def xobject(self, name: str, resources, ctm, number: int, forms: tuple) -> None:
        obj = lookup(resources, "/XObject", name)
        if obj is None:
            return
        subtype = obj.get("/Subtype")
        if subtype == "/Image":
            self.image(name, obj, resources, ctm, number)
        elif subtype == "/Form" and len(forms) < 12:
            key = obj.objgen
            if key in forms:  # a form drawing itself: broken, do not loop
                return
            matrix = tuple(float(v) for v in obj.get("/Matrix", (1, 0, 0, 1, 0, 0)))
            inner = obj.get("/Resources")
            inner = resources if inner is None else inner
            self.run([obj.read_bytes()], inner, multiply(matrix, ctm), number, forms + (key,))

    def image(self, name: str, obj, resources, ctm, number: int) -> None:
        if obj.get("/ImageMask"):
            return
        width, height = float(obj.get("/Width", 0)), float(obj.get("/Height", 0))
        colour = colour_family(obj.get("/ColorSpace"), resources)
        self._placed(name, width, height, colour, ctm, number)

    def inline_image(self, d: dict, resources, ctm, number: int) -> None:
        def get(*keys):
            return next((d[k] for k in keys if k in d), None)

        if get("IM", "ImageMask"):
            return
        width, height = as_float(get("W", "Width")), as_float(get("H", "Height"))
        space = get("CS", "ColorSpace")
        colour = colour_family(space, resources) if space is not None else None
        self._placed("inline image", width, height, colour, ctm, number)

    def _placed(self, name, width, height, colour, ctm, number: int) -> None:
        if colour:
            self.colours.add(colour)
        a, b, c, d, _, _ = ctm
        w_in, h_in = math.hypot(a, b) / 72, math.hypot(c, d) / 72
        if w_in <= 0 or h_in <= 0 or width <= 0 or height <= 0:
            return
        self.images.append(Image(number, name, min(width / w_in, height / h_in), colour))


def lookup(resources, category: str, name: str):
    table = resources.get(category) if resources is not None else None
    return table.get("/" + name) if table is not None else None


def colour_family(space, resources) -> str | None:
    """'RGB', 'CMYK', 'gray', 'Lab', 'spot', ... for a colour space (name or array)."""
    if space is None:
        return None
    if is_name(space):
        name = str(space).lstrip("/")
        if name in FAMILIES:
            return FAMILIES[name]
        if name in ("Pattern", "Indexed", "I"):
            return None
        named = lookup(resources, "/ColorSpace", name)
        return colour_family(named, None) if named is not None else None
    if not len(space):
        return None
    kind = str(space[0]).lstrip("/")
    if kind == "ICCBased":
        n = int(space[1].get("/N", 3))
        return {1: GRAY, 3: RGB, 4: CMYK}.get(n)
    if kind in ("Indexed", "I"):
        return colour_family(space[1], resources)
    if kind == "Pattern":
        return colour_family(space[1], resources) if len(space) > 1 else None
    return FAMILIES.get(kind)


def scan_pages(batch: list[tuple[Path, tuple[int, ...]]]) -> list[Found]:
    """What some pages (indices from 0) of each file draw, read in one process: the content
    streams the files share (a booklet's print and screen variants, the imposed file) are
    read once."""
    import pikepdf

    memo: dict = {}
    results = []
    for path, pages in batch:
        pdf = pikepdf.open(path)
        scan = Scan(memo, tag=(str(path), pages[0] if pages else 0))
        unreadable = []
        for index in pages:
            try:
                scan.page(index + 1, pdf.pages[index].obj)
            except Exception as exc:
                unreadable.append((index + 1, type(exc).__name__))
        found = scan.found()
        found.unreadable = unreadable
        results.append(found)
    return results


def _around(shows: list[tuple[Font, list]], index: int, code: int, reach: int = 24) -> str:
    """The text a page shows around `code` in its `index`th show operator (as the fonts'
    ToUnicode maps name it, up to `reach` characters each side), on one line: what a reader
    finds on the page. A line set in several runs (a change of font or script) is shown by
    several operators, as are separate lines: their texts are joined with a space."""

    def text(font: Font, strings) -> tuple[list[str], list[int]]:
        codes = [c for s in strings if isinstance(s, Str) for c in font.sequence(s)]
        return [font.to_unicode.get(c, "") for c in codes], codes

    font, strings = shows[index]
    texts, codes = text(font, strings)
    at = codes.index(code)
    shown = texts[at] if texts[at].isprintable() and texts[at] not in ("", "\x00") else "\ufffd"
    before = "".join(texts[:at])
    for f, s in reversed(shows[max(0, index - 4) : index]):
        if len(before) >= reach:
            break
        before = "".join(text(f, s)[0]) + " " + before
    after = "".join(texts[at + 1 :])
    for f, s in shows[index + 1 : index + 5]:
        if len(after) >= reach:
            break
        after += " " + "".join(text(f, s)[0])
    joined = before[-reach:] + shown + after[:reach]
    return " ".join("".join(ch if ch.isprintable() else " " for ch in joined).split())
