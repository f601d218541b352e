"""A line of text -> pieces ReportLab can draw: font fallback, bidi order, shaping, sizes.

`line(text, style)` cuts the text into runs of one face each (`fonts.split_runs`), puts them
in visual order with the Unicode bidirectional algorithm (enough of it for single lines
without explicit embeddings, which `validate.clean_text` removes), and shapes right-to-left
and Arabic runs with HarfBuzz (ReportLab's `shapeFragWord`), so Arabic letters join and
Hebrew reads right to left; text all in the first face, unshaped and left to right, is one
run and is measured at once. Widths are kept per point of font size: text is measured once
and then fitted at any size. `fit` shrinks, then wraps to two lines; `wrap` fills
paragraphs. Nothing here draws outside the width it is given.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from booklet import fonts

Style = tuple[str, int, bool]  # family, weight, italic
REGULAR: Style = ("sans", 400, False)
ITALIC: Style = ("sans", 400, True)
SEMIBOLD: Style = ("sans", 600, False)
BOLD: Style = ("sans", 700, False)

_STRONG = {"L": 0, "R": 1, "AL": 1}
_MIRROR = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹", strict=True))
# HarfBuzz features: kerning, but none of the discretionary ligatures (Noto Sans Arabic
# would turn the name محمد into the honorific ligature ﷴ) nor Hebrew's Yiddish ligatures.
_FEATURES = {"kern": True, "liga": False, "dlig": False}


@dataclass(frozen=True)
class Piece:
    font: str  # ReportLab font name
    text: str  # in visual order; a ReportLab ShapedStr when shaped
    width: float  # at 1 pt


@dataclass(frozen=True)
class Line:
    text: str  # as given, in logical order
    pieces: tuple[Piece, ...]
    width: float  # at 1 pt
    missing: tuple[str, ...]  # characters no font has (left out)
    unshaped: bool  # Arabic-script text that could not be shaped (HarfBuzz missing)


@dataclass(frozen=True)
class Block:
    """Lines set at one size."""

    size: float
    lines: tuple[Line, ...]

    @property
    def width(self) -> float:
        return max((ln.width for ln in self.lines), default=0.0) * self.size


def bidi_levels(text: str) -> list[int]:
    """Embedding levels of each character (UAX #9 rules P2-P3, W1-W7, N1-N2, I1-I2, L1)."""
    n = len(text)
    original = [unicodedata.bidirectional(c) or "L" for c in text]
    base = next((_STRONG[t] for t in original if t in _STRONG), 0)
    sos = "R" if base else "L"
    types = list(original)
    prev = sos
    for i, t in enumerate(types):  # W1: marks take the type of what they follow
        if t == "NSM":
            types[i] = prev
        prev = types[i]
    last = sos
    for i, t in enumerate(types):  # W2
        if t in _STRONG:
            last = t
        elif t == "EN" and last == "AL":
            types[i] = "AN"
    types = ["R" if t == "AL" else t for t in types]  # W3
    for i in range(1, n - 1):  # W4
        a, t, b = types[i - 1], types[i], types[i + 1]
        if t == "ES" and a == b == "EN":
            types[i] = "EN"
        elif t == "CS" and a == b and a in ("EN", "AN"):
            types[i] = a
    i = 0
    while i < n:  # W5: currency and percent signs next to European numbers
        if types[i] != "ET":
            i += 1
            continue
        j = i
        while j < n and types[j] == "ET":
            j += 1
        if (i > 0 and types[i - 1] == "EN") or (j < n and types[j] == "EN"):
            types[i:j] = ["EN"] * (j - i)
        i = j
    types = ["ON" if t in ("ES", "ET", "CS") else t for t in types]  # W6
    last = sos
    for i, t in enumerate(types):  # W7
        if t in ("L", "R"):
            last = t
        elif t == "EN" and last == "L":
            types[i] = "L"

    def strong(t: str) -> str | None:
        return "R" if t in ("R", "EN", "AN") else "L" if t == "L" else None

    i = 0
    while i < n:  # N1-N2: neutrals between equal directions take it, else the base's
        if strong(types[i]) is not None:
            i += 1
            continue
        j = i
        while j < n and strong(types[j]) is None:
            j += 1
        before = strong(types[i - 1]) if i > 0 else sos
        after = strong(types[j]) if j < n else sos
        types[i:j] = [before if before == after else sos] * (j - i)
        i = j
    if base == 0:  # I1-I2
        levels = [1 if t == "R" else 2 if t in ("AN", "EN") else 0 for t in types]
    else:
        levels = [2 if t in ("L", "EN", "AN") else 1 for t in types]
    k = n
    while k > 0 and original[k - 1] in ("WS", "S", "B", "BN"):  # L1
        k -= 1
        levels[k] = base
    return levels


def visual_order(levels: list[int]) -> list[int]:
    """Logical indices in display order (UAX #9 rule L2)."""
    order = list(range(len(levels)))
    odd = [lv for lv in levels if lv % 2]
    if not odd:
        return order
    lv = list(levels)
    for level in range(max(levels), min(odd) - 1, -1):
        i = 0
        while i < len(lv):
            if lv[i] < level:
                i += 1
                continue
            j = i
            while j < len(lv) and lv[j] >= level:
                j += 1
            order[i:j] = order[i:j][::-1]
            lv[i:j] = lv[i:j][::-1]
            i = j
    return order


def _shape(text: str, font: str) -> tuple[str, float] | None:
    """HarfBuzz-shaped text in visual order and its width at 1 pt; None without HarfBuzz."""
    from reportlab.lib.abag import ABag
    from reportlab.pdfbase.ttfonts import shapeFragWord, uharfbuzz

    if uharfbuzz is None:
        return None
    size = 10.0  # shaping advances do not depend on the size; any size will do
    word = shapeFragWord([0, (ABag(fontName=font, fontSize=size), text)], features=_FEATURES)
    if len(word) != 2:  # one font in, one fragment out; anything else is unexpected
        return None
    return word[1][1], word[0] / size


def _plain(text: str, font: str) -> tuple[str, float]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return text, stringWidth(text, font, 1.0)


@functools.lru_cache(maxsize=32768)
def line(text: str, style: Style = REGULAR) -> Line:
    """Measure and order one line of text in a style (see the module docstring)."""
    faces = fonts.chain(*style)
    if text and _simple(text, faces):  # what the general way below comes to, at once
        font = fonts.reportlab_name(faces[0])
        width = _plain(text, font)[1]
        return Line(text, (Piece(font, text, width),), width, (), False)
    split = fonts.split_runs(text, faces)
    kept = "".join(part for _, part in split.runs)
    face_of = [face for face, part in split.runs for _ in part]
    levels = bidi_levels(kept)
    order = visual_order(levels)
    pieces: list[Piece] = []
    unshaped = False
    k = 0
    while k < len(order):  # group display positions of one face, level and direction
        start = order[k]
        face, level = face_of[start], levels[start]
        step = -1 if level % 2 else 1
        m = k + 1
        while (
            m < len(order)
            and order[m] == order[m - 1] + step
            and face_of[order[m]] == face
            and levels[order[m]] == level
        ):
            m += 1
        lo, hi = min(order[k], order[m - 1]), max(order[k], order[m - 1])
        logical = kept[lo : hi + 1]
        font = fonts.reportlab_name(face)
        arabic = any(unicodedata.bidirectional(c) == "AL" for c in logical)
        shaped = _shape(logical, font) if face.shape and any(c.isalpha() for c in logical) else None
        if shaped is None:
            unshaped = unshaped or arabic
            visual = logical[::-1] if level % 2 else logical
            if level % 2:
                visual = "".join(_MIRROR.get(c, c) for c in visual)
            shaped = _plain(visual, font)
        pieces.append(Piece(font, shaped[0], shaped[1]))
        k = m
    return Line(text, tuple(pieces), sum(p.width for p in pieces), split.missing, unshaped)


def draw(
    canvas, ln: Line, x: float, y: float, size: float, align: str = "left", tracking: float = 0.0
) -> float:
    """Draw `ln` with its baseline at y, starting at x (or ending there, or centred on it).

    `tracking` spaces letters apart, except in shaped runs, where it would break joining.
    """
    spaced = [tracking if not hasattr(p.text, "__shapeData__") else 0.0 for p in ln.pieces]
    width = ln.width * size + sum(t * len(p.text) for t, p in zip(spaced, ln.pieces, strict=True))
    width -= spaced[-1] if spaced else 0.0  # no space after the last letter
    if align == "right":
        x -= width
    elif align == "center":
        x -= width / 2
    for piece, space in zip(ln.pieces, spaced, strict=True):
        canvas.setFont(piece.font, size)
        canvas.drawString(x, y, piece.text, charSpace=space)
        x += piece.width * size + space * len(piece.text)
    return width


def _breaks(text: str) -> list[tuple[str, str]]:
    """Ways to cut `text` into two lines: at spaces, else after hyphens."""
    spaces = [(text[:i], text[i + 1 :]) for i, ch in enumerate(text) if ch == " "]
    hyphens = [
        (text[: i + 1], text[i + 1 :])
        for i, ch in enumerate(text)
        if ch in "-\u2010" and 0 < i < len(text) - 1
    ]
    return [(a.strip(), b.strip()) for a, b in spaces or hyphens if a.strip() and b.strip()]


def fit(
    text: str,
    style: Style,
    max_width: float,
    max_size: float,
    min_size: float,
    max_lines: int = 2,
) -> Block:
    """The largest size up to `max_size` at which `text` fits `max_width`.

    Below `min_size` on one line, two lines are tried (at the break that allows the largest
    size). The result may be smaller than `min_size`, never wider than `max_width`.
    """
    one = line(text, style)
    best = Block(_size_for(one.width, max_width, max_size), (one,))
    if best.size >= min_size or max_lines < 2:
        return best
    for a, b in _breaks(text):
        la, lb = line(a, style), line(b, style)
        size = _size_for(max(la.width, lb.width), max_width, max_size)
        if size > best.size * 1.0001:
            best = Block(size, (la, lb))
    return best


def _size_for(width_1pt: float, max_width: float, max_size: float) -> float:
    return max_size if width_1pt <= 0 else min(max_size, max_width / width_1pt)


def wrap(text: str, style: Style, size: float, max_width: float) -> list[Line]:
    """Greedy line filling; a word wider than the line is cut between characters."""
    if _additive(text, style):
        return _wrap_words(text.split(), style, size, max_width)
    out: list[Line] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if line(candidate, style).width * size <= max_width:
            current = candidate
            continue
        if current:
            out.append(line(current, style))
        current = ""
        word = _cut(word, style, size, max_width, out)
        current = word
    if current:
        out.append(line(current, style))
    return out


def _cut(word: str, style: Style, size: float, max_width: float, out: list[Line]) -> str:
    """Put the parts of a word wider than the line in `out`; returns what is left of it."""
    while line(word, style).width * size > max_width and len(word) > 1:
        cut = len(word) - 1
        while cut > 1 and line(word[:cut], style).width * size > max_width:
            cut -= 1
        out.append(line(word[:cut], style))
        word = word[cut:]
    return word


def _simple(text: str, faces: tuple[fonts.Face, ...]) -> bool:
    """Is every character in the first face, which is not shaped, and none right to left?

    Then the text is one run of that face (`fonts.split_runs`), every level is 0 (no
    mirroring, no reordering), and its width is its glyphs' widths added up (no kerning or
    joining across them)."""
    if not faces or faces[0].shape:
        return False
    have = fonts.charmap(faces[0])
    return all(
        ord(c) in have
        and not fonts.is_ignorable(c)
        and unicodedata.bidirectional(c) not in ("R", "AL", "AN", "RLE", "RLO", "RLI")
        for c in text
    )


@functools.lru_cache(maxsize=4096)
def _additive(text: str, style: Style) -> bool:
    """Is the width of any run of the text's words the sum of theirs and of the spaces?
    So it is for `_simple` text. `wrap` then measures each word once instead of every line
    it tries (a sign's items are wrapped at a dozen sizes while its type is fitted)."""
    return _simple(text, fonts.chain(*style))


def _wrap_words(words: list[str], style: Style, size: float, max_width: float) -> list[Line]:
    """`wrap` for additive text (`_additive`): the same lines, from the words' widths. A
    sum within rounding of the limit is checked by measuring the line itself."""
    space = line(" ", style).width * size
    out: list[Line] = []
    current: list[str] = []
    width = 0.0
    for word in words:
        w = line(word, style).width * size
        total = width + space + w if current else w
        if abs(total - max_width) <= 1e-6 * max(1.0, max_width):
            fits = line(" ".join([*current, word]), style).width * size <= max_width
        else:
            fits = total <= max_width
        if fits:
            current.append(word)
            width = total
            continue
        if current:
            out.append(line(" ".join(current), style))
        word = _cut(word, style, size, max_width, out)
        current, width = [word], line(word, style).width * size
    if current:
        out.append(line(" ".join(current), style))
    return out


def ellipsize(text: str, style: Style, size: float, max_width: float) -> Line:
    """`text` on one line, cut with '…' if it is too wide."""
    if line(text, style).width * size <= max_width:
        return line(text, style)
    words = text.split()
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(",;:·–-") + "…"
        if line(candidate, style).width * size <= max_width:
            return line(candidate, style)
    cut = len(text)
    while cut > 1 and line(text[:cut] + "…", style).width * size > max_width:
        cut -= 1
    return line(text[:cut] + "…", style)


def save_binary(canvas) -> None:
    """Save a ReportLab canvas with binary streams: ASCII85 (ReportLab's default) is a third
    larger and slower to write."""
    from reportlab import rl_config

    a85 = rl_config.useA85
    rl_config.useA85 = 0
    try:
        canvas.save()
    finally:
        rl_config.useA85 = a85
