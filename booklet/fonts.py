"""The fonts in `fonts/` (and a few system CJK fonts) -> fallback chains and coverage checks.

Every renderer draws with the same faces: ReportLab renderers (badges, signs) register them
with `reportlab_name`, WeasyPrint reads the same files through @font-face. A *chain* is an
ordered list of faces for one weight and style: the main face (Source Sans 3) first, then
faces for the scripts it lacks. `split_runs(text, chain)` assigns every character to the first
face whose character map has it, and says which characters no face has, so that a name is
never printed with empty boxes without a warning.

Character maps are read with fontTools, once per face, only when a character reaches that
face; ReportLab is imported only by `reportlab_name`.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"

# Freely licensed TrueType (glyf) fonts with CJK ideographs that Debian and Ubuntu install.
# They are several megabytes, too big to ship: used when present, else CJK characters are
# reported as not drawable. ReportLab cannot embed CFF-flavoured OpenType (e.g. Noto CJK).
SYSTEM_CJK = (
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),  # fonts-droid-fallback
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),  # fonts-wqy-microhei
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),  # fonts-wqy-zenhei
)


@dataclass(frozen=True)
class Face:
    """One font file: a weight and style of a family."""

    key: str  # unique name, also the ReportLab font name
    family: str
    weight: int  # CSS weight: 400 regular, 600 semibold, 700 bold
    italic: bool
    path: Path
    index: int = 0  # face inside a .ttc collection
    shape: bool = False  # needs HarfBuzz shaping (Arabic joining, Hebrew marks)


def _bundled(folder: str, stem: str, family: str, weight: int, italic=False, shape=False) -> Face:
    return Face(stem, family, weight, italic, FONTS_DIR / folder / f"{stem}.ttf", shape=shape)


SANS = (
    _bundled("source-sans-3", "SourceSans3-Regular", "Source Sans 3", 400),
    _bundled("source-sans-3", "SourceSans3-It", "Source Sans 3", 400, italic=True),
    _bundled("source-sans-3", "SourceSans3-Semibold", "Source Sans 3", 600),
    _bundled("source-sans-3", "SourceSans3-Bold", "Source Sans 3", 700),
)
SERIF = (
    _bundled("source-serif-4", "SourceSerif4-Regular", "Source Serif 4", 400),
    _bundled("source-serif-4", "SourceSerif4-It", "Source Serif 4", 400, italic=True),
    _bundled("source-serif-4", "SourceSerif4-Semibold", "Source Serif 4", 600),
    _bundled("source-serif-4", "SourceSerif4-Bold", "Source Serif 4", 700),
)
# Scripts Source Sans and Serif lack. Both need shaping: Arabic letters join, Hebrew marks sit.
FALLBACKS = (
    _bundled("noto", "NotoSansArabic-Regular", "Noto Sans Arabic", 400, shape=True),
    _bundled("noto", "NotoSansArabic-Bold", "Noto Sans Arabic", 700, shape=True),
    _bundled("noto", "NotoSansHebrew-Regular", "Noto Sans Hebrew", 400, shape=True),
    _bundled("noto", "NotoSansHebrew-Bold", "Noto Sans Hebrew", 700, shape=True),
)
FAMILIES = {"sans": SANS, "serif": SERIF}


def _closest(faces: tuple[Face, ...], weight: int, italic: bool) -> Face | None:
    """The face nearest in weight, preferring the asked style, then heavier on ties."""
    if not faces:
        return None
    return min(faces, key=lambda f: (f.italic != italic, abs(f.weight - weight), -f.weight))


def _system_cjk() -> tuple[Face, ...]:
    return tuple(
        Face(f"System-CJK-{i}", path.stem, 400, False, path)
        for i, path in enumerate(SYSTEM_CJK)
        if path.is_file()
    )


@functools.cache
def chain(family: str = "sans", weight: int = 400, italic: bool = False) -> tuple[Face, ...]:
    """The faces to try, in order, for text in one family, weight and style."""
    main = _closest(FAMILIES[family], weight, italic)
    faces = [main] if main else []
    for fallback_family in dict.fromkeys(f.family for f in FALLBACKS):
        members = tuple(f for f in FALLBACKS if f.family == fallback_family)
        face = _closest(members, weight, italic)
        if face is not None:
            faces.append(face)
    faces.extend(_system_cjk()[:1])  # one is enough; they cover the same ideographs
    return tuple(f for f in faces if f.path.is_file())


@functools.cache
def charmap(face: Face) -> frozenset[int]:
    """The code points `face` has a glyph for, from its cmap table."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(face.path), lazy=True, fontNumber=face.index)
    try:
        return frozenset(font.getBestCmap() or ())
    finally:
        font.close()


def is_ignorable(ch: str) -> bool:
    """Invisible format characters (ZWJ, ZWNJ, variation selectors): never worth a warning."""
    return unicodedata.category(ch) == "Cf" or "\ufe00" <= ch <= "\ufe0f"


def face_for(ch: str, faces: tuple[Face, ...], prefer: Face | None = None) -> Face | None:
    cp = ord(ch)
    if prefer is not None and cp in charmap(prefer):
        return prefer
    for face in faces:
        if cp in charmap(face):
            return face
    return None


@dataclass(frozen=True)
class Runs:
    """Text cut into pieces of one face each, in logical order, and what could not be set."""

    runs: tuple[tuple[Face, str], ...]
    missing: tuple[str, ...]  # characters no face has, in order of first appearance


@functools.lru_cache(maxsize=16384)
def split_runs(text: str, faces: tuple[Face, ...]) -> Runs:
    """Assign each character to a face; spaces, marks and punctuation stay with their run.

    Keeping neutral characters in the current run keeps an Arabic name with its spaces in one
    run, so that it is shaped and ordered as a whole. Characters no face has are left out.
    """
    runs: list[tuple[Face, str]] = []
    missing: dict[str, None] = {}
    current: Face | None = None
    for ch in text:
        if is_ignorable(ch):
            # Invisible joiners matter inside a shaped run only; elsewhere they are dropped
            # rather than drawn as a box by a face that lacks them.
            if current is not None and ord(ch) in charmap(current):
                runs[-1] = (current, runs[-1][1] + ch)
            continue
        neutral = not ch.isalnum()
        face = face_for(ch, faces, prefer=current if neutral else None)
        if face is None:
            missing[ch] = None
            continue
        if runs and face == current:
            runs[-1] = (face, runs[-1][1] + ch)
        else:
            runs.append((face, ch))
            current = face
    return Runs(tuple(runs), tuple(missing))


def missing_chars(text: str, faces: tuple[Face, ...]) -> tuple[str, ...]:
    return split_runs(text, faces).missing


def describe_char(ch: str) -> str:
    """'ツ' -> "'ツ' (U+30C4 KATAKANA LETTER TU)", for warnings."""
    name = unicodedata.name(ch, "unnamed character")
    return f"'{ch}' (U+{ord(ch):04X} {name})"


_registered: set[str] = set()


def reportlab_name(face: Face) -> str:
    """Register `face` with ReportLab (once) and return the name to draw with."""
    if face.key not in _registered:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont(face.key, str(face.path), subfontIndex=face.index))
        _registered.add(face.key)
    return face.key
