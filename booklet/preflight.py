"""PDF files -> what a print shop checks before printing them, as a table (`Report`).

Everything is read from the PDFs themselves (pikepdf for the objects, fontTools for the
embedded font programs), so any PDF can be checked, not only ours:

- pages: count and size (named when it is a standard paper); a booklet (`programme.pdf`,
  `programme-print.pdf`) needs a multiple of four pages, all of one size; an imposed one
  (`programme-imposed.pdf`) an even number of sheet sides;
- fonts: every font that shows text is embedded;
- glyphs: no text is drawn with glyph 0 (.notdef, the empty box a font draws for a character
  it lacks). Text extraction cannot see this: the ToUnicode map still names the intended
  character (WeasyPrint) or U+0000 (ReportLab). So every string shown is decoded the way a
  renderer does it (character codes -> glyph ids through the font's encoding, CIDToGIDMap
  and the embedded font's own cmap) and glyph 0, or a glyph the font does not have, fails;
- boxes: the print variant (`programme-print.pdf`) has a TrimBox and a BleedBox on every
  page, the bleed at least 3 mm;
- images: effective resolution where each is placed; under 150 dpi is flagged (stencil
  masks, such as QR codes drawn as 1-bit masks, print sharp at any resolution: skipped);
- colour: the colour spaces painted with (RGB, CMYK, gray, spot, ...), noted;
- size: the email variant (`programme.pdf`) within 1 MB.

Content streams are read by a small tokenizer that keeps only what these checks need (fonts,
strings, images, colours, the transformation matrix): a general parser (pypdf's, or pikepdf's
objects for every operand) takes seconds on a 24-page booklet, this takes a tenth of that.
With several processes, long files are read in parts at once; a booklet's screen and print
variants, whose pages draw the same content, are read together and each content stream once,
and so is the imposed file, with the pages its sheets show.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import struct
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

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
BOOKLETS = ("programme.pdf", "programme-print.pdf")
EMAIL = "programme.pdf"
PRINT = "programme-print.pdf"
IMPOSED = "programme-imposed.pdf"
FAIL, WARN, NOTE = "FAIL", "warn", "note"


# -- report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    level: str  # FAIL, warn or note
    what: str


@dataclass
class FileReport:
    path: Path
    pages: int = 0
    page_size: str = "-"
    size: int = 0  # bytes
    fonts: str = "-"
    glyphs: str = "-"
    boxes: str = "-"
    images: str = "-"
    colour: str = "-"
    findings: list[Finding] = field(default_factory=list)

    def add(self, level: str, what: str) -> None:
        self.findings.append(Finding(level, what))

    @property
    def ok(self) -> bool:
        return not any(f.level == FAIL for f in self.findings)

    @property
    def result(self) -> str:
        levels = {f.level for f in self.findings}
        return FAIL if FAIL in levels else WARN if WARN in levels else "ok"


@dataclass
class Report:
    files: list[FileReport]

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    def count(self, level: str) -> int:
        return sum(1 for f in self.files for x in f.findings if x.level == level)

    @property
    def summary(self) -> str:
        """One line: 'Preflight: 5 files, all ok.' or the number of failures and warnings."""
        n = len(self.files)
        head = f"Preflight: {n} file{'' if n == 1 else 's'}"
        failures, warnings = self.count(FAIL), self.count(WARN)
        if not failures and not warnings:
            return f"{head}, all ok."
        parts = [f"{failures} failure{'' if failures == 1 else 's'}"] if failures else []
        if warnings:
            parts.append(f"{warnings} warning{'' if warnings == 1 else 's'}")
        return f"{head}, {', '.join(parts)}."

    def table(self) -> str:
        """The table (a row per file), then every finding, then the summary."""
        head = ("file", "pages", "page size", "size", "fonts", "glyphs", "boxes", "images")
        head += ("colour", "result")
        rows = [head] + [
            (
                f.path.name,
                str(f.pages),
                f.page_size,
                _kilobytes(f.size),
                f.fonts,
                f.glyphs,
                f.boxes,
                f.images,
                f.colour,
                f.result,
            )
            for f in self.files
        ]
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        lines = [
            "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        order = {FAIL: 0, WARN: 1, NOTE: 2}
        for f in self.files:
            for x in sorted(f.findings, key=lambda x: order[x.level]):
                lines.append(f"{x.level:4}  {f.path.name}: {x.what}")
        lines.append(self.summary)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()


def _kilobytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{math.ceil(n / 1000)} KB"


def _pages(numbers) -> str:
    """{1, 2, 3, 5} -> 'pages 1-3, 5'."""
    numbers = sorted(numbers)
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    text = ", ".join(f"{a}-{b}" if b > a else f"{a}" for a, b in spans[:8])
    text += ", ..." if len(spans) > 8 else ""
    return ("pages " if len(numbers) > 1 else "page ") + text


# -- content streams ---------------------------------------------------------------------

_DELIMS = rb" \t\r\n\f\x00/\[\]()<>{}%"
_WS = rb"[ \t\r\n\f\x00]"
_END = rb"(?=[" + _DELIMS + rb"]|$)"  # a token ends at a delimiter: it is matched whole
# Simple operands: a number, a name, a dictionary of names and numbers (marked content's
# properties), an array of numbers (a dash pattern).
_SIMPLE = (
    rb"(?:%(num)s|%(name)s|<<(?:%(ws)s*(?:%(name)s|%(num)s))*%(ws)s*>>|\[(?:%(ws)s*%(num)s)*%(ws)s*\])"
    % {
        b"num": rb"[+-]?(?:\d+\.?\d*|\.\d+)" + _END,
        b"name": rb"/[^" + _DELIMS + rb"]*" + _END,
        b"ws": _WS,
    }
)
# Operators no check reads: text objects and positioning, marked content, path
# construction and painting, graphics state set by name or number. In a tagged PDF they
# are most of a page's operators.
_SKIPPED = (
    rb"(?:BT|ET|BMC|BDC|EMC|MP|DP|BX|EX|Tm|Td|TD|T\*|Tc|Tw|Tz|TL|Ts|Tr|gs|ri|d0|d1"
    rb"|[wJjMdimlcvyhnWSsfFBb]\*?|re)" + _END
)
# One token, after any whitespace and comments; the group that matched says which kind.
_TOKEN = re.compile(
    rb"(?:[ \t\r\n\f\x00]|%[^\r\n]*)*(?:"  # whitespace and comments before any token
    # 1 (tried first) an array of hex strings and numbers, as WeasyPrint shows text (a
    # string per glyph): read in one match
    # (a number is matched whole, so that a long one cannot be split in many ways)
    rb"(?:\[((?:[ \t\r\n\f\x00]*(?:<[0-9A-Fa-f \t\r\n\f\x00]*>|[+-]?[\d.]+(?![\d.])))*)"
    rb"[ \t\r\n\f\x00]*\](?:[ \t\r\n\f\x00]*(TJ)" + _END + rb")?)"  # 2 and its TJ
    # 3 a run of operators no check reads, with their simple operands: skipped in one match
    rb"|((?:(?:" + _SIMPLE + _WS + rb"*)*" + _SKIPPED + _WS + rb"*)+)"
    # 4 a colour set by numbers, 5 a font and size: the most common operators read, with
    # their operands in one match
    rb"|((?:[+-]?(?:\d+\.?\d*|\.\d+)" + _WS + rb"+){1,4}(?:rg|RG|k|K|g|G)" + _END + rb")"
    rb"|(/[^"
    + _DELIMS
    + rb"]*"
    + _WS
    + rb"+[+-]?(?:\d+\.?\d*|\.\d+)"
    + _WS
    + rb"+Tf"
    + _END
    + rb")"
    rb"|([+-]?(?:\d+\.?\d*|\.\d+))"  # 6 number
    rb"|([^" + _DELIMS + rb"]+)"  # 7 operator, true, false, null
    rb"|/([^" + _DELIMS + rb"]*)"  # 8 name
    rb"|\(((?:[^()\\]|\\.)*)\)"  # 9 string without nested parentheses (nearly all)
    rb"|<([0-9A-Fa-f \t\r\n\f\x00]*)>"  # 10 hex string
    rb"|(<<|\[)"  # 11 start of a dictionary or array
    rb"|(>>|\])"  # 12 end of one
    rb"|(.))",  # 13 anything else, such as a string with nested parentheses
    re.S,
)
(_HEXES, _HEXES_TJ, _SKIP, _COLOUR, _FONT, _NUMBER, _OPERATOR, _NAME, _STRING, _HEX, _OPEN,
 _CLOSE, _OTHER) = range(1, 14)  # fmt: skip
_HEX_STRING = re.compile(rb"<([^>]*)>")
_SPACES = re.compile(rb"[ \t\r\n\f\x00]+")
# The strings of a text array, each of an even number of digits with no spaces (as
# WeasyPrint writes them): their bytes are all the digits read at once.
_EVEN_HEXES = re.compile(
    rb"(?:[ \t\r\n\f\x00]*(?:<(?:[0-9A-Fa-f]{2})*>|[+-]?[\d.]+))*[ \t\r\n\f\x00]*"
)
_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|(\r\n|[\r\n])|(.))", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_END_IMAGE = re.compile(rb"[ \t\r\n\f\x00]EI(?=[ \t\r\n\f\x00]|$)")
_MARK = object()  # where an array, a dictionary or an inline image starts on the stack


def _unescape(m: re.Match) -> bytes:
    if m.group(1):
        return bytes([int(m.group(1), 8) & 0xFF])
    if m.group(2):
        return b""  # a backslash at the end of a line continues the string
    return _ESCAPES.get(m.group(3), m.group(3))


class _Name(str):
    """A PDF name, without its slash."""


class _Str(bytes):
    """A PDF string's bytes (numbers stay as their bytes, converted only when needed)."""


def operations(data: bytes):
    """(operator, operands) for each operator of a content stream that a check may read,
    the operator as bytes; the others (`_SKIPPED`: text positioning, marked content, paths)
    are skipped with their operands. Operands left at the end come as (b"", operands).

    Operands: numbers as their bytes (`float()` takes them), `_Name`, `_Str`, lists and
    dicts. Inline images come out as (b"BI", [their dictionary]). Converting only what the
    checks use keeps this fast: most tokens are coordinates and tags nobody reads.
    """
    stack: list = []
    marks: list[int] = []
    pos, end = 0, len(data)
    while pos < end:
        restart = end
        for m in _TOKEN.finditer(data, pos):
            k = m.lastindex
            if k in (_COLOUR, _FONT):
                *operands, op = _SPACES.split(m.group(k))
                if k == _FONT:
                    operands[0] = _Name(_name(operands[0][1:]))
                yield op, operands
                stack, marks = [], []
            elif k in (_HEXES, _HEXES_TJ):  # the glyphs as one string: what is checked
                hexes = m.group(_HEXES)
                strings = _HEX_STRING.findall(hexes)
                if _EVEN_HEXES.fullmatch(hexes):  # no string of an odd number of digits
                    stack.append([_Str(bytes.fromhex(b"".join(strings).decode()))])
                else:
                    stack.append([_Str(bytes.fromhex((x + b"0" * (len(x) % 2)).decode()))
                                  for x in (y.translate(None, b" \t\r\n\f\x00")
                                            for y in strings)])  # fmt: skip
                if k == _HEXES_TJ:
                    yield b"TJ", stack
                    stack, marks = [], []
            elif k == _SKIP:  # their operands go with them
                stack, marks = [], []
            elif k == _NUMBER:
                stack.append(m.group(k))
            elif k == _OPERATOR:
                op = m.group(k)
                if op == b"ID":  # inline image data: binary, up to whitespace and EI
                    found = _END_IMAGE.search(data, m.end() + 1)
                    restart = found.end() if found else end
                    start = max((i for i, v in enumerate(stack) if v is _MARK), default=-1)
                    yield b"BI", [_pairs(stack[start + 1 :])]
                    stack, marks = [], []
                    break
                if op == b"BI":
                    stack = [_MARK]
                elif op in (b"true", b"false", b"null"):
                    stack.append(None if op == b"null" else op == b"true")
                else:
                    yield op, stack
                    stack, marks = [], []
            elif k == _NAME:
                stack.append(_Name(_name(m.group(k))))
            elif k == _STRING:
                raw = m.group(k)
                stack.append(_Str(_ESCAPE.sub(_unescape, raw) if b"\\" in raw else raw))
            elif k == _HEX:
                try:  # fromhex skips whitespace; an odd number of digits needs padding
                    stack.append(_Str(bytes.fromhex(m.group(k).decode())))
                except ValueError:
                    digits = re.sub(rb"[^0-9A-Fa-f]", b"", m.group(k))
                    stack.append(_Str(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())))
            elif k == _OPEN:
                marks.append(len(stack))
                stack.append(_MARK)
            elif k == _CLOSE:
                if marks:
                    start = marks.pop()
                    items = stack[start + 1 :]
                    del stack[start:]
                    stack.append(items if m.group(k) == b"]" else _pairs(items))
            elif m.group(k) == b"(":  # a string with nested parentheses
                depth, i = 1, m.end()
                while i < end and depth:
                    c = data[i]
                    if c == 0x5C:  # backslash: the next byte is escaped
                        i += 2
                        continue
                    depth += 1 if c == 0x28 else -1 if c == 0x29 else 0
                    i += 1
                stack.append(_Str(_ESCAPE.sub(_unescape, data[m.end() : i - 1])))
                restart = i
                break
        pos = restart
    if stack:
        yield b"", stack  # operands with no operator (a stream given in parts may go on)


def _float(value) -> float:
    """A number operand (its bytes) as a float; 0 for anything else."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _pairs(items: list) -> dict:
    """[key, value, key, value, ...] -> a dict; a key without value is dropped."""
    return dict(zip(items[::2], items[1::2], strict=False))


def _name(raw: bytes) -> str:
    """A name's bytes, its #xx escapes decoded, as text."""
    if b"#" in raw:
        raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
    return raw.decode("latin-1")


def _multiply(m, n):
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E,
            e * B + f * D + F)  # fmt: skip


# -- fonts -------------------------------------------------------------------------------


def _to_unicode(font) -> dict[int, str]:
    """Character code -> text, from a font's ToUnicode CMap (bfchar and bfrange)."""
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    try:
        data = stream.read_bytes()
    except Exception:
        return {}
    out: dict[int, str] = {}

    def text(hexdigits: bytes) -> str:
        return bytes.fromhex(hexdigits.decode()).decode("utf-16-be", "replace")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(code, 16)] = text(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block
        ):
            lo_i, hi_i = int(lo, 16), int(hi, 16)
            if hi_i - lo_i > 0xFFFF:
                continue
            if dst.startswith(b"["):
                for k, one in enumerate(re.findall(rb"<([0-9A-Fa-f]*)>", dst)):
                    out[lo_i + k] = text(one)
            elif dst[1:-1]:
                first = bytes.fromhex(dst[1:-1].decode())
                base = int.from_bytes(first, "big")
                width = len(first)
                for k in range(hi_i - lo_i + 1):
                    value = (base + k).to_bytes(width, "big")
                    out[lo_i + k] = value.decode("utf-16-be", "replace")
    return out


def _glyph_name_map(font) -> dict[int, str]:
    """Code -> glyph name for a simple font: its /Encoding (base encoding + Differences)."""
    from fontTools import agl
    from fontTools.encodings.MacRoman import MacRoman
    from fontTools.encodings.StandardEncoding import StandardEncoding

    encoding = font.get("/Encoding")
    named = _is_name(encoding)
    base_name = str(encoding) if named else None
    if encoding is not None and not named:
        base_name = str(encoding.get("/BaseEncoding"))
    names: dict[int, str] = {}
    if base_name == "/WinAnsiEncoding":
        for code in range(32, 256):
            ch = bytes([code]).decode("cp1252", "ignore")
            if ch:
                names[code] = agl.UV2AGL.get(ord(ch), f"uni{ord(ch):04X}")
    elif base_name == "/MacRomanEncoding":
        names = {code: name for code, name in enumerate(MacRoman) if name != ".notdef"}
    elif base_name == "/StandardEncoding":
        names = {code: n for code, n in enumerate(StandardEncoding) if n != ".notdef"}
    if encoding is not None and not named:
        code = 0
        for entry in encoding.get("/Differences", []):
            if isinstance(entry, (int, float, Decimal)):
                code = int(entry)
            else:
                names[code] = str(entry)[1:]
                code += 1
    return names


class _Font:
    """One font resource: is it embedded, and which of its character codes show glyph 0?"""

    def __init__(self, obj):
        self.obj = obj
        self.name = str(obj.get("/BaseFont", "/unnamed"))[1:]
        self.subtype = str(obj.get("/Subtype", ""))
        self.two_byte = False
        self.unchecked: str | None = None  # why glyphs cannot be checked
        self._missing: dict[int, bool] = {}
        self.fine: set[int] = set()  # codes known to show a glyph
        self.to_unicode = _to_unicode(obj)
        descriptor, self.cid_font = None, None
        if self.subtype == "/Type0":
            self.cid_font = obj["/DescendantFonts"][0]
            descriptor = self.cid_font.get("/FontDescriptor")
            encoding = obj.get("/Encoding")
            self.two_byte = True
            if str(encoding) not in ("/Identity-H", "/Identity-V"):
                self.unchecked = f"encoding {encoding}"
        else:
            descriptor = obj.get("/FontDescriptor")
        self.program = None
        self.program_kind = None
        for key in ("/FontFile2", "/FontFile3", "/FontFile"):
            if descriptor is not None and key in descriptor:
                self.program = descriptor[key]
                self.program_kind = key
                break
        self.embedded = self.subtype == "/Type3" or self.program is not None
        self._lookup = None

    def codes(self, data: bytes) -> set[int]:
        """The distinct character codes of a shown string."""
        if self.two_byte:
            return set(struct.unpack(f">{len(data) // 2}H", data[: len(data) // 2 * 2]))
        return set(data)

    def missing(self, code: int) -> bool:
        """Does `code` show glyph 0 (or a glyph the font does not have)?"""
        if self.unchecked or not self.embedded:
            return False
        known = self._missing.get(code)
        if known is None:
            try:
                if self._lookup is None:
                    self._lookup = self._make_lookup()
                known = self._missing[code] = self._lookup(code)
            except Exception as exc:  # a font program we cannot read: say so, once
                self.unchecked = f"unreadable font program ({type(exc).__name__})"
                return False
        return known

    def _make_lookup(self):
        if self.subtype == "/Type3":
            procs = self.obj.get("/CharProcs", {})
            names = _glyph_name_map(self.obj)
            return lambda code: f"/{names.get(code, '.notdef')}" not in procs
        data = self.program.read_bytes()
        if self.subtype == "/Type0":
            return self._cid_lookup(data)
        if self.program_kind == "/FontFile2" or str(self.program.get("/Subtype")) == "/OpenType":
            return self._truetype_lookup(data)
        if self.program_kind == "/FontFile3":
            return self._cff_lookup(data)
        self.unchecked = "Type 1 font program"
        return lambda code: False

    def _cid_lookup(self, data: bytes):
        mapping = self.cid_font.get("/CIDToGIDMap")
        table = None
        if mapping is not None and not _is_name(mapping):
            table = mapping.read_bytes()
        if self.program_kind == "/FontFile3" and str(self.program.get("/Subtype")) != "/OpenType":
            charset, cid_keyed = _cff_charset(data)
            if cid_keyed:
                return lambda cid: cid == 0 or f"cid{cid:05d}" not in charset
            return lambda cid: cid == 0 or cid >= len(charset)
        from fontTools.ttLib import TTFont

        count = TTFont(io.BytesIO(data), lazy=True)["maxp"].numGlyphs

        def missing(cid: int) -> bool:
            gid = cid if table is None else int.from_bytes(table[2 * cid : 2 * cid + 2], "big")
            return gid == 0 or gid >= count

        return missing

    def _truetype_lookup(self, data: bytes):
        from fontTools import agl
        from fontTools.ttLib import TTFont

        font = TTFont(io.BytesIO(data), lazy=True)
        notdef = font.getGlyphOrder()[0]
        tables = {(t.platformID, t.platEncID): t.cmap for t in font["cmap"].tables}
        names = _glyph_name_map(self.obj)

        def glyph(code: int) -> str | None:
            symbol = tables.get((3, 0))
            if symbol is not None:
                for c in (code, 0xF000 + code, 0xF100 + code, 0xF200 + code):
                    if c in symbol:
                        return symbol[c]
            mac = tables.get((1, 0))
            if mac is not None and code in mac:
                return mac[code]
            unicode = tables.get((3, 1)) or tables.get((0, 3))
            if unicode is not None and code in names:
                text = agl.toUnicode(names[code])
                if len(text) == 1:
                    return unicode.get(ord(text))
            return None

        return lambda code: glyph(code) in (None, notdef)

    def _cff_lookup(self, data: bytes):
        charset, _ = _cff_charset(data)
        names = _glyph_name_map(self.obj)
        builtin = _cff_encoding(data)

        def missing(code: int) -> bool:
            glyph = names.get(code, builtin.get(code, ".notdef"))
            return glyph == ".notdef" or glyph not in charset

        return missing


def _cff(data: bytes):
    from fontTools.cffLib import CFFFontSet

    cff = CFFFontSet()
    cff.decompile(io.BytesIO(data), None)
    return cff[cff.fontNames[0]]


def _cff_charset(data: bytes) -> tuple[set[str], bool]:
    top = _cff(data)
    return set(top.charset), hasattr(top, "ROS")


def _cff_encoding(data: bytes) -> dict[int, str]:
    from fontTools.encodings.StandardEncoding import StandardEncoding

    encoding = getattr(_cff(data), "Encoding", "StandardEncoding")
    if isinstance(encoding, str):  # StandardEncoding or ExpertEncoding
        return dict(enumerate(StandardEncoding)) if encoding == "StandardEncoding" else {}
    return dict(enumerate(encoding))


# -- scanning a document -----------------------------------------------------------------

_SHOW = frozenset((b"Tj", b"'", b'"', b"TJ"))  # the operators that show text

_RGB, _CMYK, _GRAY = "RGB", "CMYK", "gray"
_FAMILIES = {
    "DeviceRGB": _RGB,
    "RGB": _RGB,
    "CalRGB": _RGB,
    "DeviceCMYK": _CMYK,
    "CMYK": _CMYK,
    "DeviceGray": _GRAY,
    "G": _GRAY,
    "CalGray": _GRAY,
    "Lab": "Lab",
    "Separation": "spot",
    "DeviceN": "DeviceN",
}


@dataclass
class _Image:
    page: int
    name: str
    dpi: float
    colour: str | None


@dataclass
class _FontUse:
    """What some pages of a file did with one font (picklable, merged across page ranges)."""

    name: str
    embedded: bool
    unchecked: str | None
    pages: set[int]  # where it shows text
    notdef: dict[int, set[int]]  # code -> pages where it shows glyph 0
    text: dict[int, str]  # what the ToUnicode map says those codes are

    def merge(self, other: _FontUse) -> None:
        self.pages |= other.pages
        for code, pages in other.notdef.items():
            self.notdef.setdefault(code, set()).update(pages)
        self.text.update(other.text)
        self.unchecked = self.unchecked or other.unchecked


@dataclass
class _Found:
    """What scanning some pages of a file found (picklable)."""

    fonts: dict  # font key -> _FontUse
    images: list[_Image]
    colours: set[str]
    unreadable: list[tuple[int, str]]  # (page, why)

    def merge(self, other: _Found) -> None:
        for key, use in other.fonts.items():
            if key in self.fonts:
                self.fonts[key].merge(use)
            else:
                self.fonts[key] = use
        self.images += other.images
        self.colours |= other.colours
        self.unreadable += other.unreadable


class _Scan:
    """What a document draws: fonts that show text, .notdef glyphs, images, colours.

    `memo` holds the operators of content streams already read, by their bytes: the print
    and screen variants of a booklet share them, and the imposed file shows the print
    file's pages (each page's content streams joined in one form): they are scanned
    together."""

    def __init__(self, memo: dict | None = None, tag: object = None) -> None:
        self.fonts: dict[object, _Font] = {}
        self.font_pages: dict[object, set[int]] = {}
        self.notdef: dict[object, dict[int, set[int]]] = {}  # font -> code -> pages
        self.images: list[_Image] = []
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
        self.run(parts, page.get("/Resources"), (1, 0, 0, 1, 0, 0), number, ())

    def font(self, obj) -> tuple[object, _Font]:
        # fonts are shared between pages: known by their object number
        key = obj.objgen if obj.is_indirect else (self.tag, bytes(obj.unparse()))
        if key not in self.fonts:
            self.fonts[key] = _Font(obj)
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

    def found(self) -> _Found:
        fonts = {
            key: _FontUse(
                f.name,
                f.embedded,
                f.unchecked,
                self.font_pages.get(key, set()),
                self.notdef.get(key, {}),
                {code: f.to_unicode.get(code, "") for code in self.notdef.get(key, {})},
            )
            for key, f in self.fonts.items()
        }
        return _Found(fonts, self.images, self.colours, [])

    def run(self, parts, resources, ctm, number: int, forms: tuple) -> None:
        fonts = resources.get("/Font") if resources is not None else None
        stack = []
        font = None  # (key, _Font)
        for op, args in self.operations(parts):
            if op in _SHOW:
                if font is None or not args:
                    continue
                strings = args[-1] if op == b"TJ" else [args[-1]]
                self.show(font, strings, number)
            elif op == b"Tf":
                font = None
                if len(args) >= 2 and fonts is not None and isinstance(args[0], _Name):
                    ref = fonts.get("/" + args[0])
                    font = self.font(ref) if ref is not None else None
            elif op == b"q":
                stack.append((ctm, font))
            elif op == b"Q":
                if stack:
                    ctm, font = stack.pop()
            elif op == b"cm":
                if len(args) == 6:
                    ctm = _multiply(tuple(_float(a) for a in args), ctm)
            elif op in (b"rg", b"RG"):
                self.colours.add(_RGB)
            elif op in (b"k", b"K"):
                self.colours.add(_CMYK)
            elif op in (b"g", b"G"):
                self.colours.add(_GRAY)
            elif op in (b"cs", b"CS"):
                if args and isinstance(args[-1], _Name):
                    self.add_colour(args[-1], resources)
            elif op == b"sh":
                if args and isinstance(args[-1], _Name):
                    shading = _lookup(resources, "/Shading", args[-1])
                    if shading is not None:
                        self.add_colour(shading.get("/ColorSpace"), resources)
            elif op == b"Do":
                if args and isinstance(args[-1], _Name):
                    self.xobject(args[-1], resources, ctm, number, forms)
            elif op == b"BI":
                self.inline_image(args[0], resources, ctm, number)

    def show(self, font, strings, number: int) -> None:
        key, f = font
        shown = False
        for s in strings:
            if not isinstance(s, _Str) or not s:
                continue
            shown = True
            for code in f.codes(s) - f.fine:  # most codes were seen before
                if f.missing(code):
                    self.notdef.setdefault(key, {}).setdefault(code, set()).add(number)
                else:
                    f.fine.add(code)
        if shown:
            self.font_pages.setdefault(key, set()).add(number)

    def add_colour(self, space, resources) -> None:
        family = _colour_family(space, resources)
        if family:
            self.colours.add(family)

    def xobject(self, name: str, resources, ctm, number: int, forms: tuple) -> None:
        obj = _lookup(resources, "/XObject", name)
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
            self.run([obj.read_bytes()], inner, _multiply(matrix, ctm), number, forms + (key,))

    def image(self, name: str, obj, resources, ctm, number: int) -> None:
        if obj.get("/ImageMask"):
            return
        width, height = float(obj.get("/Width", 0)), float(obj.get("/Height", 0))
        colour = _colour_family(obj.get("/ColorSpace"), resources)
        self._placed(name, width, height, colour, ctm, number)

    def inline_image(self, d: dict, resources, ctm, number: int) -> None:
        def get(*keys):
            return next((d[k] for k in keys if k in d), None)

        if get("IM", "ImageMask"):
            return
        width, height = _float(get("W", "Width")), _float(get("H", "Height"))
        space = get("CS", "ColorSpace")
        colour = _colour_family(space, resources) if space is not None else None
        self._placed("inline image", width, height, colour, ctm, number)

    def _placed(self, name, width, height, colour, ctm, number: int) -> None:
        if colour:
            self.colours.add(colour)
        a, b, c, d, _, _ = ctm
        w_in, h_in = math.hypot(a, b) / 72, math.hypot(c, d) / 72
        if w_in <= 0 or h_in <= 0 or width <= 0 or height <= 0:
            return
        self.images.append(_Image(number, name, min(width / w_in, height / h_in), colour))


def _is_name(obj) -> bool:
    """A PDF name: a pikepdf Name, or a `_Name` operand of a content stream."""
    import pikepdf

    return isinstance(obj, (str, pikepdf.Name))


def _lookup(resources, category: str, name: str):
    table = resources.get(category) if resources is not None else None
    return table.get("/" + name) if table is not None else None


def _colour_family(space, resources) -> str | None:
    """'RGB', 'CMYK', 'gray', 'Lab', 'spot', ... for a colour space (name or array)."""
    if space is None:
        return None
    if _is_name(space):
        name = str(space).lstrip("/")
        if name in _FAMILIES:
            return _FAMILIES[name]
        if name in ("Pattern", "Indexed", "I"):
            return None
        named = _lookup(resources, "/ColorSpace", name)
        return _colour_family(named, None) if named is not None else None
    if not len(space):
        return None
    kind = str(space[0]).lstrip("/")
    if kind == "ICCBased":
        n = int(space[1].get("/N", 3))
        return {1: _GRAY, 3: _RGB, 4: _CMYK}.get(n)
    if kind in ("Indexed", "I"):
        return _colour_family(space[1], resources)
    if kind == "Pattern":
        return _colour_family(space[1], resources) if len(space) > 1 else None
    return _FAMILIES.get(kind)


# -- checks ------------------------------------------------------------------------------


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


def _open(path: Path) -> tuple[FileReport, int]:
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
    name = path.name
    _check_pages(report, pages, name)
    if name == PRINT:
        _check_boxes(report, pages)
    if name == EMAIL and report.size > EMAIL_BUDGET:
        # A warning, not a failure: a big event's booklet is heavy however light its
        # pages; the organizer chooses whether to mail it or link to it.
        report.add(
            WARN,
            f"{_kilobytes(report.size)}, over the {_kilobytes(EMAIL_BUDGET)} budget for "
            "sending by email",
        )
    return report, len(pages)


def _scan(batch: list[tuple[Path, tuple[int, ...]]]) -> list[_Found]:
    """What some pages (indices from 0) of each file draw, read in one process: the content
    streams the files share (a booklet's print and screen variants, the imposed file) are
    read once."""
    import pikepdf

    memo: dict = {}
    results = []
    for path, pages in batch:
        pdf = pikepdf.open(path)
        scan = _Scan(memo, tag=(str(path), pages[0] if pages else 0))
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


def _finish(report: FileReport, found: _Found) -> None:
    """The checks of what a file draws."""
    for number, why in found.unreadable:
        report.add(WARN, f"page {number} could not be read in full ({why})")
    _check_fonts(report, found.fonts)
    _check_images(report, found.images)
    report.colour = "+".join(sorted(found.colours)) or "-"
    if (
        _CMYK not in found.colours
        and _RGB in found.colours
        and report.path.name
        in (
            PRINT,
            IMPOSED,
        )
    ):
        report.add(NOTE, "colours are RGB: the print shop converts them to CMYK")


def _check_pages(report: FileReport, pages, name: str) -> None:
    sizes = []
    for page in pages:
        trim = _box(page, "/TrimBox") or _box(page, "/MediaBox")
        sizes.append((round(trim[2] - trim[0], 1), round(trim[3] - trim[1], 1)))
    distinct = sorted(set(sizes), key=sizes.index)
    report.page_size = _paper(*distinct[0]) + (" (mixed)" if len(distinct) > 1 else "")
    n = len(pages)
    if name in BOOKLETS:
        if n % 4:
            report.add(
                FAIL,
                f"{n} pages, not a multiple of four: a saddle-stitched booklet needs 4, 8, "
                f"12, ... pages (add {-n % 4} notes pages)",
            )
        if len(distinct) > 1:
            report.add(FAIL, "pages of different sizes: " + ", ".join(_paper(*s) for s in distinct))
    elif name == IMPOSED and n % 2:
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
        report.add(FAIL, f"no TrimBox on {_pages(no_trim)}: the print shop cannot tell the cut")
    if no_bleed:
        report.add(FAIL, f"no BleedBox on {_pages(no_bleed)}")
    if outside:
        report.add(FAIL, f"BleedBox not between TrimBox and MediaBox on {_pages(outside)}")
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
        report.add(FAIL, f"font {f.name} is not embedded (used on {_pages(f.pages)})")
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
        for code in sorted(f.notdef)[:6]:
            text = f.text.get(code, "")
            if text and text not in ("\x00", "\ufffd") and text.isprintable():
                chars.append(f"'{text}' (U+{ord(text[0]):04X})")
            else:
                chars.append(f"code {code:#04x}")
        pages = set().union(*f.notdef.values())
        report.add(
            FAIL,
            f"{count} character{'s' if count > 1 else ''} drawn as .notdef (an empty box) in "
            f"{f.name} on {_pages(pages)}: {', '.join(chars)}" + (", ..." if count > 6 else ""),
        )
    unchecked = sorted({f"{f.name} ({f.unchecked})" for _, f in used if f.unchecked})
    if unchecked:
        report.add(NOTE, "glyphs not checked in " + ", ".join(unchecked))
    report.glyphs = "ok" if not total else f"{total} missing"
    if not used:
        report.glyphs = "-"


def _check_images(report: FileReport, images: list[_Image]) -> None:
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


def preflight(paths, jobs: int = 1) -> Report:
    """Check each PDF (a folder means the PDFs directly in it) and report. With `jobs` > 1
    the pages are read in that many processes at once; the report is the same."""
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files.extend(sorted(p for p in path.glob("*.pdf") if not p.name.startswith(".")))
        else:
            files.append(path)
    opened = [_open(p) for p in files]
    batches = _batches([(p, n) for p, (_, n) in zip(files, opened, strict=True) if n], jobs)
    if jobs > 1 and len(batches) > 1:
        import concurrent.futures
        import multiprocessing

        context = multiprocessing.get_context("fork")
        workers = min(jobs, len(batches))
        with concurrent.futures.ProcessPoolExecutor(workers, context) as pool:
            results = list(pool.map(_scan, batches))
    else:
        results = [_scan(batch) for batch in batches]
    found: dict[Path, _Found] = {}
    for batch, result in zip(batches, results, strict=True):
        for (path, _), part in zip(batch, result, strict=True):
            if path in found:
                found[path].merge(part)
            else:
                found[path] = part
    for path, (report, _) in zip(files, opened, strict=True):
        if path in found:
            _finish(report, found[path])
    return Report([report for report, _ in opened])


# A file (or files of the same length, read together) of more pages than this is read in
# several processes.
SPLIT_PAGES = 24


def _batches(files: list[tuple[Path, int]], jobs: int) -> list[list[tuple[Path, tuple[int, ...]]]]:
    """Work for `jobs` processes, each a list of (file, page indices): files of the same
    page count (a booklet's variants, which share their content) together, long ones cut in
    parts, the largest first. The imposed file goes with the print file's pages it shows:
    its sheets cut in parts, each with those pages of the booklet's variants."""
    if jobs <= 1:  # the imposed file last: the pages it shows are read by then
        files = sorted(files, key=lambda file: file[0].name == IMPOSED)
        return [[(path, tuple(range(n))) for path, n in files]] if files else []
    from booklet.render.impose import page_order

    groups: dict[int, list[Path]] = {}
    for path, n in files:
        groups.setdefault(n, []).append(path)
    imposed = {}  # booklet page count -> (imposed file, the pages on each of its sides)
    for path, n in files:
        if path.name != IMPOSED:
            continue
        for m, paths in groups.items():
            if not any(p.name == PRINT for p in paths):
                continue
            sides = page_order(m)  # the sides `booklet impose` makes of m pages
            if len(sides) == n:
                imposed[m] = (path, sides)
                groups[n].remove(path)
                break
    batches = []
    for n, paths in groups.items():
        if not paths:
            continue
        parts = jobs if n * len(paths) > SPLIT_PAGES else 1
        if n in imposed:
            path, sides = imposed[n]
            sheets = len(sides) // 2
            cuts = [2 * (sheets * k // parts) for k in range(parts + 1)]
            for a, b in itertools.pairwise(cuts):
                if b > a:
                    shown = sorted({i for side in sides[a:b] for i in side if i is not None})
                    batch = [(p, tuple(shown)) for p in paths]
                    batches.append([*batch, (path, tuple(range(a, b)))])
            continue
        cuts = [n * k // parts for k in range(parts + 1)]
        for a, b in itertools.pairwise(cuts):
            if b > a:
                batches.append([(path, tuple(range(a, b))) for path in paths])
    batches.sort(key=lambda batch: -sum(len(pages) for _, pages in batch))
    return batches
