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
             r"|diner|repas|abendessen|mittagessen|fruhstuck|fruehstuck|mittagspause|imbiss"),
    ("break", r"coffee|break|tea|pauses?|cafes?|refreshments?|snacks?|kaffeepause|kaffee"
              r"|free time|temps libre|freizeit"),
    ("social", r"reception|cocktail|aperitif|apero|drinks?|social event|excursions?|exkursion"
               r"|get[- ]together|soiree|^tours?\b|(?:walking|guided|city|campus|bus|boat"
               r"|organi[sz]ed|sightseeing|lab|site) tours?|visite guidee|visit to|stadtfuhrung"
               r"|stadtrundgang|fuhrung durch|5 a 7|cinq a sept|concerts?|concertes"
               r"|performances|^performance\b|(?:live|dance|musical|theatre|theater) performance"
               r"|ceilidh|part(?:y|ies)|meet (?:&|and|\+) greet|empfang|sektempfang"
               r"|^networking\b|networking (?:break|lunch|reception|event|dinner|drinks)"
               r"|ice[- ]?breaker|bar open|open bar|spectacle|social activit\w*"),
    ("registration", r"registration|check[- ]in|badge pick[- ]?up|accueil|inscriptions?"
                     r"|enregistrement|anmeldung|registrierung|tagungsburo"),
    ("keynote", r"keynotes?|invited (?:talk|speaker|lecture)s?|plenary(?! session| discussion)"
                r"|pleniere|conference invitee|conferencier invite|eroffnungsvortrag|festvortrag"
                r"|hauptvortrag"),
    ("tutorial", r"tutorials?|hands[- ]on|atelier|tutoriel|^workshops?\b|workshop \d+ ?min"),
    ("other", r"opening|closing|welcome|bienvenue|ouverture|cloture|panel|round ?table"
              r"|table ronde|wrap[- ]up|awards?|remise des prix|hackathon|poster session"
              r"|conclusion|begru(?:ss|ß)ung|eroffnung|abschluss\w*|eintreffen|ankunft|arrival"
              r"|departure|(?:parallel|concurrent|paper) sessions?|plenary session"),
)  # fmt: skip
_KIND_RES = [(kind, re.compile(rf"\b(?:{words})\b")) for kind, words in _KIND_WORDS]
UNTIMED_KINDS = frozenset({"meal", "break", "social", "registration"})


def word_kind(text: str) -> str | None:
    """The kind a title's words name ('Coffee break' -> 'break'), or None.

    A meal named anywhere decides ('Reception and breakfast', 'Lunch with a performance'):
    it is what the time is for. Otherwise the word named first ('Keynote and concert' is a
    keynote); words such as 'registration', 'welcome' or 'opening' only when no other kind
    is named ('Welcome reception' is social, 'Registration and coffee' a break)."""
    folded = fold(text)
    found = []
    for kind, regex in _KIND_RES:
        m = regex.search(folded)
        if m:
            found.append(({"meal": 0, "other": 2, "registration": 2}.get(kind, 1), m.start(), kind))
    return min(found)[2] if found else None


def is_breakish(text: str) -> bool:
    """A short line that names a break, meal, reception or registration."""
    words = text.split()
    return (
        0 < len(words) <= 8
        and not text.endswith(".")
        and word_kind(text) in UNTIMED_KINDS
        and not people_list(text)
    )
