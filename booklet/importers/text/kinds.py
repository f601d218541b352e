"""A title's words -> the kind of item it names: 'Coffee break' -> break, 'Lunch' -> meal.

English and French words for meals, breaks, social events, registration, keynotes, tutorials
and the other non-talk items; `is_breakish` tells a short line naming one of these from a
speaker list or a sentence.
"""

from __future__ import annotations

import re

from booklet.importers.text.names import people_list
from booklet.importers.text.tidy import fold

_KIND_WORDS = (
    ("meal", r"lunch|dinner|breakfast|brunch|banquet|buffet|supper|petit[- ]dejeuner|dejeuner"
             r"|diner|repas"),
    ("break", r"coffee|break|tea|pause|cafe|refreshments?|snacks?"),
    ("social", r"reception|cocktail|aperitif|apero|drinks|social event|excursion|get[- ]together"
               r"|soiree"),
    ("registration", r"registration|check[- ]in|badge pick[- ]?up|accueil|inscriptions?"),
    ("keynote", r"keynote|invited talk|plenary|pleniere|conference invitee"),
    ("tutorial", r"tutorials?|hands[- ]on|atelier|tutoriel"),
    ("other", r"opening|closing|welcome|bienvenue|ouverture|cloture|panel|round ?table"
              r"|table ronde|wrap[- ]up|awards?|remise des prix|hackathon|poster session"),
)  # fmt: skip
_KIND_RES = [(kind, re.compile(rf"\b(?:{words})\b")) for kind, words in _KIND_WORDS]
UNTIMED_KINDS = frozenset({"meal", "break", "social", "registration"})


def word_kind(text: str) -> str | None:
    """The kind a title's words name ('Coffee break' -> 'break'), or None."""
    folded = fold(text)
    for kind, regex in _KIND_RES:
        if regex.search(folded):
            return kind
    return None


def is_breakish(text: str) -> bool:
    """A short line that names a break, meal, reception or registration."""
    words = text.split()
    return (
        0 < len(words) <= 8
        and not text.endswith(".")
        and word_kind(text) in UNTIMED_KINDS
        and not people_list(text)
    )
