"""Text as content files and attendee lists give it -> text safe to print and sort.

Control characters, bidirectional overrides and noncharacters are removed (they can reorder
or hide printed text, and are invalid in XML exports), text is normalised to NFC, values are
quoted for messages, and a sort name ("Family, Given") is derived from a name. The content
validator and the attendee lists share these, so a name is cleaned the same way wherever it
comes from.
"""

from __future__ import annotations

import re
import unicodedata

# C0/C1 controls (but tab and newline), bidirectional embedding/override/isolate marks, and
# Unicode noncharacters (U+FFFE, U+FDD0, ...: not text, and invalid in XML exports). Those
# beyond the BMP have their own pattern, used only on text that has such characters: one
# class mixing both searches a 20 MB abstract ten times slower.
_UNSAFE_BMP = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
    "\ufdd0-\ufdef\ufffe\uffff]"
)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_UNSAFE_ASTRAL = re.compile(
    "["
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
    )
    + "]"
)


def _unsafe_patterns(text: str) -> tuple[re.Pattern, ...]:
    return (_UNSAFE_BMP, _UNSAFE_ASTRAL) if _ASTRAL.search(text) else (_UNSAFE_BMP,)


def first_unsafe(text: str) -> int:
    """Index of the first character `clean_text` removes, or 0 if none."""
    found = [m.start() for p in _unsafe_patterns(text) if (m := p.search(text))]
    return min(found, default=0)


# Longest value quoted in a message; longer ones are cut.
_QUOTE_MAX = 60


def unsafe_chars(text: str) -> list[str]:
    """The control and bidi-override characters `clean_text` removes, as sorted U+XXXX."""
    found = {c for pattern in _unsafe_patterns(text) for c in pattern.findall(text)}
    return sorted(f"U+{ord(c):04X}" for c in found)


def removed_warning(removed: list[str]) -> tuple[str, str]:
    """What and hint of the warning for removed characters."""
    return (
        "removed invisible control characters " + ", ".join(removed),
        "they can reorder or hide text when printed",
    )


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Drop control and bidi-override characters; normalise to NFC; trim single lines."""
    for pattern in _unsafe_patterns(text):
        text = pattern.sub("", text)
    text = unicodedata.normalize("NFC", text)
    if multiline:
        return text.replace("\r\n", "\n").strip("\n")
    return " ".join(text.split())


def quote(text: str) -> str:
    """repr() of a value for a message, cut short if it is long."""
    if len(text) > _QUOTE_MAX:
        return f"{text[: _QUOTE_MAX - 3]!r}... ({len(text):,} characters)"
    return repr(text)


def derive_sort_name(name: str) -> str:
    """'Ada King Lovelace' -> 'Lovelace, Ada King'; one word stays as it is."""
    parts = name.split()
    if len(parts) < 2:
        return name
    return f"{parts[-1]}, {' '.join(parts[:-1])}"
