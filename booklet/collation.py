"""Names -> their order and letter headings in the speaker index, by the event's language.

The order is the Unicode Collation Algorithm's (pyuca, the default table: accents sort with
their letter, so É files with E) tailored for the languages whose alphabets have letters of
their own. ICU would know every language's rules, but PyICU has no wheels to install
without compiling; the tailorings below are those of CLDR for the languages booklet ships
and its neighbours (Spanish Ñ after N; Nordic letters after Z). A tailored letter also gets
its own heading in the index.

To add a language: list its letters in `TAILORINGS`, each after the letter it follows.
"""

from __future__ import annotations

import functools
import unicodedata

# Language (primary subtag) -> letters of their own, in order, each with the letter they
# follow: letters listed after the same one follow it in the order listed.
_NORDIC_AE = (("æ", "z"), ("ø", "z"), ("å", "z"))
_NORDIC_AA = (("å", "z"), ("ä", "z"), ("ö", "z"))
TAILORINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "es": (("ñ", "n"),),
    "sv": _NORDIC_AA,
    "fi": _NORDIC_AA,
    "da": _NORDIC_AE,
    "nb": _NORDIC_AE,
    "nn": _NORDIC_AE,
    "no": _NORDIC_AE,
}
# A code point pyuca's table lacks (a noncharacter): its implicit weight is above every
# letter's, so 'n' followed by it sorts after every 'n…' and before 'o'.
_AFTER = "\ufdd0"

# Letters that Unicode does not decompose but the collation sorts with a base letter.
_BASE_LETTERS = {"Ø": "O", "Ł": "L", "Đ": "D", "Æ": "A", "Œ": "O", "Þ": "T", "ß": "S"}


@functools.cache
def _collator():
    import pyuca

    return pyuca.Collator()


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def _tailored(text: str, language: str) -> str:
    """`text` with each tailored letter written as its predecessor and a mark above all
    letters ('ñ' -> 'n' + mark)."""
    rules = TAILORINGS.get(_primary(language))
    if not rules:
        return text
    text = unicodedata.normalize("NFC", text)
    rank: dict[str, int] = {}
    for letter, after in rules:
        rank[after] = rank.get(after, 0) + 1
        text = text.replace(letter, after + _AFTER * rank[after])
    return text


def sort_key(text: str, language: str = "en") -> tuple:
    """The collation key of `text` (compared without case) in `language`."""
    return _collator().sort_key(_tailored(text.casefold(), language))


def index_letter(sort_name: str, language: str = "en") -> str:
    """The heading an index entry files under: 'Émile' and 'Ødegaard' under E and O, and in
    Spanish 'Ñúñez' under Ñ."""
    first = unicodedata.normalize("NFC", sort_name.strip())[:1].upper() or "#"
    own = {letter.upper() for letter, _ in TAILORINGS.get(_primary(language), ())}
    if first in own:
        return first
    first = _BASE_LETTERS.get(first, unicodedata.normalize("NFKD", first)[:1])
    return first if first.isalpha() else "#"
