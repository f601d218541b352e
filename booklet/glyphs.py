"""Text the booklet prints -> the characters none of its fonts can draw, for a warning.

The booklet is set in the fonts of `fonts/` (and of the event's own `fonts/` folder, plus a
system CJK font when there is one, as for badges). A character none of them has is drawn
from whatever font the machine happens to have, or as an empty box: `booklet check` names
the field and the character, so an organizer can add a font before the booklet is printed.

Character maps are read once per font file (`fonts.charmap`, cached), and only as far as
needed: most text is ASCII and is never looked up, and a font is opened only for characters
the fonts before it lack.
"""

from __future__ import annotations

import functools
import logging
import unicodedata
from pathlib import Path

from booklet import fonts, paths

log = logging.getLogger(__name__)

FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")  # those the booklet loads (render/booklet.py)
MAX_NAMED = 8  # characters named in one warning; the rest are counted


def _faces_in(folder: Path) -> tuple[fonts.Face, ...]:
    if not folder.is_dir():
        return ()
    root = folder.resolve()
    found = sorted(p for p in folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES)
    # a font file that is a link leading out of its folder is not read
    inside = [p for p in found if p.is_file() and p.resolve().is_relative_to(root)]
    return tuple(fonts.Face(f"file:{p}", p.stem, 400, False, p) for p in inside)


@functools.cache
def _default_faces() -> tuple[fonts.Face, ...]:
    """Text and heading faces first (what almost all text needs), then the fallbacks."""
    main = (*fonts.SERIF, *fonts.SANS)
    known = {f.path.resolve() for f in main}
    rest = tuple(f for f in _faces_in(paths.DEFAULT_FONTS) if f.path.resolve() not in known)
    cjk = tuple(
        fonts.Face(f"system:{p}", p.stem, 400, False, p) for p in fonts.SYSTEM_CJK if p.is_file()
    )
    return (*main, *rest, *cjk[:1])  # one is enough: they cover the same ideographs


class Coverage:
    """What the booklet's fonts can draw, for one content folder."""

    def __init__(self, content_dir: Path | None = None):
        event = _faces_in(paths.event_fonts(content_dir)) if content_dir is not None else ()
        self.faces = (*_default_faces(), *event)

    def missing(self, text: str) -> list[str]:
        """The characters of `text` no face has, in order of first appearance."""
        if text.isascii():
            return []  # every face in fonts/ has printable ASCII; controls were removed
        wanted = [ch for ch in dict.fromkeys(text) if ch >= "\x80" and not _invisible(ch)]
        left = set(wanted)
        for face in self.faces:
            if not left:
                break
            left -= {ch for ch in left if ord(ch) in _charmap(face)}
        return [ch for ch in wanted if ch in left]


def _charmap(face: fonts.Face) -> frozenset[int]:
    try:
        return fonts.charmap(face)
    except Exception as exc:  # noqa: BLE001 - fontTools raises many kinds on a broken file
        log.debug("cannot read the character map of %s: %s", face.path, exc)
        return frozenset()


def _invisible(ch: str) -> bool:
    """Spaces, line breaks and format characters need no glyph."""
    return (
        ch.isspace()
        or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs")
        or ("\ufe00" <= ch <= "\ufe0f")
    )


def describe(chars: list[str]) -> str:
    """ "'ツ' (U+30C4), 'ü' (U+00FC)", at most MAX_NAMED of them."""
    named = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in chars[:MAX_NAMED])
    more = len(chars) - MAX_NAMED
    return named + (f" and {more} more" if more > 0 else "")
