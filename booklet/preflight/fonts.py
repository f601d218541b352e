"""A PDF font resource -> is it embedded, and which of its character codes show glyph 0.

Text extraction cannot see a .notdef glyph: the ToUnicode map still names the intended
character (WeasyPrint) or U+0000 (ReportLab). So codes are decoded the way a renderer does
it (character codes -> glyph ids through the font's encoding, CIDToGIDMap and the embedded
font's own cmap), and glyph 0, or a glyph the font does not have, is missing.
"""

from __future__ import annotations

import io
import re
import struct
from decimal import Decimal

from booklet.preflight.stream import is_name


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


def _cid_map(stream) -> tuple[dict[int, int], int]:
    """An embedded CMap's character code -> CID (cidchar and cidrange), and the length of
    its codes in bytes (0 when its code space ranges mix lengths)."""
    data = stream.read_bytes()
    widths = {
        len(lo) // 2
        for block in re.findall(rb"begincodespacerange(.*?)endcodespacerange", data, re.S)
        for lo, _ in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block)
    }
    out: dict[int, int] = {}
    for block in re.findall(rb"begincidchar(.*?)endcidchar", data, re.S):
        for code, cid in re.findall(rb"<([0-9A-Fa-f]+)>\s*(\d+)", block):
            out[int(code, 16)] = int(cid)
    for block in re.findall(rb"begincidrange(.*?)endcidrange", data, re.S):
        for lo, hi, cid in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\d+)", block):
            lo_i, hi_i = int(lo, 16), int(hi, 16)
            for k in range(min(hi_i - lo_i + 1, 0x10000)):
                out[lo_i + k] = int(cid) + k
    return out, widths.pop() if len(widths) == 1 else 0


def _glyph_name_map(font) -> dict[int, str]:
    """Code -> glyph name for a simple font: its /Encoding (base encoding + Differences)."""
    from fontTools import agl
    from fontTools.encodings.MacRoman import MacRoman
    from fontTools.encodings.StandardEncoding import StandardEncoding

    encoding = font.get("/Encoding")
    named = is_name(encoding)
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


class Font:
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
        self.cids: dict[int, int] | None = None  # code -> CID, when not the identity
        descriptor, self.cid_font = None, None
        if self.subtype == "/Type0":
            self.cid_font = obj["/DescendantFonts"][0]
            descriptor = self.cid_font.get("/FontDescriptor")
            encoding = obj.get("/Encoding")
            self.two_byte = True
            if is_name(encoding):
                if str(encoding) not in ("/Identity-H", "/Identity-V"):
                    self.unchecked = f"its predefined encoding {str(encoding)[1:]}"
            else:  # an embedded CMap (WeasyPrint writes one): character code -> CID
                self.cids, width = _cid_map(encoding)
                if width not in (1, 2):
                    self.unchecked = "its embedded CMap (codes of mixed lengths)"
                self.two_byte = width == 2
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

    def sequence(self, data: bytes) -> list[int]:
        """The character codes of a shown string, in order."""
        if self.two_byte:
            return list(struct.unpack(f">{len(data) // 2}H", data[: len(data) // 2 * 2]))
        return list(data)

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
        if mapping is not None and not is_name(mapping):
            table = mapping.read_bytes()
        if self.program_kind == "/FontFile3" and str(self.program.get("/Subtype")) != "/OpenType":
            charset, cid_keyed = _cff_charset(data)
            cids = self.cids
            if cids is not None:  # a code the CMap does not map shows CID 0
                if cid_keyed:
                    return lambda code: (
                        f"cid{cids.get(code, 0):05d}" not in charset or not cids.get(code)
                    )
                return lambda code: not cids.get(code) or cids[code] >= len(charset)
            if cid_keyed:
                return lambda cid: cid == 0 or f"cid{cid:05d}" not in charset
            return lambda cid: cid == 0 or cid >= len(charset)
        from fontTools.ttLib import TTFont

        count = TTFont(io.BytesIO(data), lazy=True)["maxp"].numGlyphs

        def missing(code: int) -> bool:
            cid = code if self.cids is None else self.cids.get(code, 0)
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
