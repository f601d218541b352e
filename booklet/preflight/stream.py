"""A PDF content stream's bytes -> its operators and operands, as far as the checks read them.

A small tokenizer keeps only what the checks need (fonts, strings, images, colours, the
transformation matrix): a general parser (pypdf's, or pikepdf's objects for every operand)
takes seconds on a 24-page booklet, this takes a tenth of that.
"""

from __future__ import annotations

import re

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


class Name(str):
    """A PDF name, without its slash."""


class Str(bytes):
    """A PDF string's bytes (numbers stay as their bytes, converted only when needed)."""


def operations(data: bytes):
    """(operator, operands) for each operator of a content stream that a check may read,
    the operator as bytes; the others (`_SKIPPED`: text positioning, marked content, paths)
    are skipped with their operands. Operands left at the end come as (b"", operands).

    Operands: numbers as their bytes (`float()` takes them), `Name`, `Str`, lists and
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
                    operands[0] = Name(_name(operands[0][1:]))
                yield op, operands
                stack, marks = [], []
            elif k in (_HEXES, _HEXES_TJ):  # the glyphs as one string: what is checked
                hexes = m.group(_HEXES)
                strings = _HEX_STRING.findall(hexes)
                if _EVEN_HEXES.fullmatch(hexes):  # no string of an odd number of digits
                    stack.append([Str(bytes.fromhex(b"".join(strings).decode()))])
                else:
                    stack.append([Str(bytes.fromhex((x + b"0" * (len(x) % 2)).decode()))
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
                    yield b"BI", [pairs(stack[start + 1 :])]
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
                stack.append(Name(_name(m.group(k))))
            elif k == _STRING:
                raw = m.group(k)
                stack.append(Str(_ESCAPE.sub(_unescape, raw) if b"\\" in raw else raw))
            elif k == _HEX:
                try:  # fromhex skips whitespace; an odd number of digits needs padding
                    stack.append(Str(bytes.fromhex(m.group(k).decode())))
                except ValueError:
                    digits = re.sub(rb"[^0-9A-Fa-f]", b"", m.group(k))
                    stack.append(Str(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())))
            elif k == _OPEN:
                marks.append(len(stack))
                stack.append(_MARK)
            elif k == _CLOSE:
                if marks:
                    start = marks.pop()
                    items = stack[start + 1 :]
                    del stack[start:]
                    stack.append(items if m.group(k) == b"]" else pairs(items))
            elif m.group(k) == b"(":  # a string with nested parentheses
                depth, i = 1, m.end()
                while i < end and depth:
                    c = data[i]
                    if c == 0x5C:  # backslash: the next byte is escaped
                        i += 2
                        continue
                    depth += 1 if c == 0x28 else -1 if c == 0x29 else 0
                    i += 1
                stack.append(Str(_ESCAPE.sub(_unescape, data[m.end() : i - 1])))
                restart = i
                break
        pos = restart
    if stack:
        yield b"", stack  # operands with no operator (a stream given in parts may go on)


def as_float(value) -> float:
    """A number operand (its bytes) as a float; 0 for anything else."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def pairs(items: list) -> dict:
    """[key, value, key, value, ...] -> a dict; a key without value is dropped."""
    return dict(zip(items[::2], items[1::2], strict=False))


def _name(raw: bytes) -> str:
    """A name's bytes, its #xx escapes decoded, as text."""
    if b"#" in raw:
        raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
    return raw.decode("latin-1")


def multiply(m, n):
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E,
            e * B + f * D + F)  # fmt: skip


def is_name(obj) -> bool:
    """A PDF name: a pikepdf Name, or a `Name` operand of a content stream."""
    import pikepdf

    return isinstance(obj, (str, pikepdf.Name))
