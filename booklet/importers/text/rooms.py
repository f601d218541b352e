"""A title -> the title without the room or venue written in it, and that room.

Programmes put rooms where they fit: `Welcome Reception @ Cromdale Hall, EICC`,
`Déjeuner (S022-S023)`, `Ouverture (amphi Sciences 2)`, `Film – in the Auditorium`,
`Breakfast in the Dining Hall (self service)`, `Coffee, Cafeteria, ground floor`. A
parenthesis or a comma's part is a room only when it names one (a word such as hall, amphi,
salle, Saal, or a room code such as S022 or BH2-09); words after "in the" only when they end
with such a word.
"""

from __future__ import annotations

import re

from booklet.importers.text.tidy import tidy

_ROOM_WORDS = (
    r"amphi\w*|salle|room|rooms|hall|auditorium|aula|saal|raum|hörsaal|horsaal|building"
    r"|bâtiment|batiment|bldg|theatre|theater|foyer|lounge|library|bibliothèque|atrium|lobby"
    r"|gebäude|gebaude|bar|terrace|terrasse|courtyard|ballroom|suite|studio|lab|cafeteria"
    r"|canteen|mensa|pub"
)
_HAS_ROOM_WORD = re.compile(rf"\b(?:{_ROOM_WORDS})\b", re.I)
# "S022-S023", "MS02", "BH2-09", "101", "JS5-12": letters and digits, ranges of them.
_ROOM_CODE = re.compile(
    r"^[A-Z]{0,4}\d{1,4}[A-Z]?(?:-\d{1,3})?(?:\s*[-–/,]\s*[A-Z]{0,4}\d{1,4}[A-Z]?(?:-\d{1,3})?)*$"
)
_AT = re.compile(r"\s+@\s*(?P<room>[^@()]{2,60}?)\s*$")
_PAREN = re.compile(r"\s*\((?P<room>[^()]{1,60})\)")
_IN_THE = re.compile(
    rf"\s*(?:[-–—]\s*)?\b(?:in|at)\s+the\s+(?P<room>(?:[A-Z][\w'’-]*\s+){{0,3}}(?:{_ROOM_WORDS}))"
    r"\b(?=\s*(?:\([^()]*\))?\s*$)",
    re.I,
)


def is_room(text: str) -> bool:
    """Does a parenthesis or a table's cell name a room ('amphi Sciences 2', 'S022-S023')?"""
    text = text.strip()
    if not text or len(text.split()) > 6:
        return False
    return bool(_HAS_ROOM_WORD.search(text) or _ROOM_CODE.match(text))


def split_room(title: str) -> tuple[str, str | None]:
    """'Lunch (S022-S023)' -> ('Lunch', 'S022-S023'); a title naming no room is kept whole."""
    m = _AT.search(title)
    if m and tidy(title[: m.start()]):
        return tidy(title[: m.start()]), m["room"].strip(" ,")
    for m in _PAREN.finditer(title):
        if is_room(m["room"]):
            rest = tidy(title[: m.start()] + title[m.end() :])
            if rest:
                return rest, " ".join(m["room"].split())
    m = _IN_THE.search(title)
    if m and m["room"][0].isupper():
        rest = tidy(title[: m.start()] + title[m.end() :])
        if rest:
            return rest, m["room"]
    # "Coffee, Cafeteria, ground floor", "Parallel seminars, Rooms 304/307": from the first
    # short comma part that names a room to the end.
    parts = title.split(", ")
    for k in range(1, len(parts)):
        part = parts[k]
        if len(part.split()) <= 4 and "." not in part and is_room(part):
            return ", ".join(parts[:k]), ", ".join(parts[k:])
    return title, None
