"""Text -> people: names with affiliations, and titles with the speakers glued to them.

`people_list` reads 'A (X) & B, C and D (Y)'; `split_title_people` cuts 'Title — Speaker',
'Welcome by Name' or 'Title A, B and C' into the title and its people, saying how sure it is;
`sort_name` gives the index order of a name.
"""

from __future__ import annotations

import re

from booklet.importers.text.tidy import fold, tidy

PARTICLES = {"de", "del", "della", "der", "den", "di", "da", "das", "do", "dos", "du",
              "la", "le", "van", "von", "ter", "ten", "zu", "y", "bin", "ibn", "al", "el",
              "st."}  # fmt: skip
# Words that make a capitalized phrase a title or an organization rather than a person.
_NOT_NAME_WORDS = """
    a an the of for with in on to and or at by from into via using towards toward how why
    what when where is are be my our your new next its it this that we you i part
    introduction intro opening closing remarks words word welcome session sessions keynote panel
    discussion discussions talk talks lightning poster posters demo demos tutorial tutorials
    workshop hackathon break coffee lunch dinner breakfast reception registration social event
    awards award best paper papers questions summary wrap-up conclusion conclusions overview
    invited day days morning afternoon evening room hall track chair chairs keynotes plenary
    university universite universität universidad univ institute institut school college
    lab labs laboratory laboratoire inc inc. ltd ltd. corp corp. gmbh sa department dept centre
    center group team research national foundation company project programme program
    community roundtable meeting forum conference symposium networking machine learning
    compiler compilers data deep open source language languages system systems
    accueil ouverture clôture cloture pause déjeuner dejeuner dîner diner séance seance
    présentation presentation atelier conférence conference table ronde mot bienvenue remise
    prix et le la les des du pour avec sur dans une un
    everyone all participants attendees speakers tba tbd"""
_NOT_NAME = set(_NOT_NAME_WORDS.split())
_ORG_WORDS = re.compile(
    r"\b(?:univ\w*|u\.|institut\w*|inria|cnrs|cea|lab\w*|college|school|inc|ltd|corp\w*|gmbh"
    r"|centre|center|research|foundation|company|group|team|ag|sas?|llc|ecole|ens|epfl|eth)\b"
)
_LEAD_IN = re.compile(
    r"^(?:speakers?|presenters?|intervenant(?:e)?s?|orateurs?|by|par|with|avec|presented by"
    r"|présenté(?:e)?s? par)\s*:?\s+",
    re.I,
)
_LIST_SEP = re.compile(r"\s*(?:,|;|&|\+|\band\b|\bet\b|\bund\b)\s*")
_AFFILIATION = re.compile(r"^(?P<name>.+?)\s*\((?P<aff>[^()]+)\)$")
_DASH_AFFILIATION = re.compile(r"^(?P<name>.+?)\s+[-–—]\s+(?P<aff>.+)$")


def is_name(text: str) -> bool:
    """Does this look like one person's name: 2-5 capitalized words, no title words?"""
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or len(text) > 60:
        return False
    for i, token in enumerate(tokens):
        low = token.casefold()
        if low in _NOT_NAME:
            return False
        if low in PARTICLES and 0 < i < len(tokens) - 1:
            continue
        if not (token[0].isupper() and all(c.isalpha() or c in "-'’." for c in token)):
            return False
    # "INRIA KAIROS", "MLIR Jane Doe": an acronym, not a given name. ("Jean DUPONT" is fine.)
    first = tokens[0].rstrip(".")
    return not (first.isupper() and len(first) > 1 and "." not in first)


def _split_top(text: str) -> list[str]:
    """Split a list of names on , ; & and et, but never inside parentheses."""
    hidden: list[str] = []

    def hide(m: re.Match) -> str:
        hidden.append(m.group(0))
        return f"\x00{len(hidden) - 1}\x00"

    masked = re.sub(r"\([^()]*\)", hide, text)
    parts = [p for p in _LIST_SEP.split(masked) if p.strip()]
    return [re.sub(r"\x00(\d+)\x00", lambda m: hidden[int(m[1])], p).strip() for p in parts]


def _is_org(text: str) -> bool:
    words = text.split()
    acronyms = [w for w in words if len(w) > 1 and w.isupper()]
    return bool(_ORG_WORDS.search(fold(text))) or (0 < len(words) <= 3 and len(acronyms) >= 1)


def people_list(text: str) -> list[tuple[str, str | None]] | None:
    """'A (X) & B, C and D (Y)' -> [(name, affiliation or None)]; None if it is not that."""
    text = _LEAD_IN.sub("", text.strip().rstrip(".;,"))
    if not text or len(text) > 300:
        return None
    people: list[tuple[str, str | None]] = []
    for part in _split_top(text):
        m = _AFFILIATION.match(part)
        name, affiliation = (m["name"].strip(), m["aff"].strip()) if m else (part, None)
        if not is_name(name):
            m = _DASH_AFFILIATION.match(part)
            if m and is_name(m["name"]) and _is_org(m["aff"]) and len(_split_top(text)) == 1:
                name, affiliation = m["name"], m["aff"]
            elif people and people[-1][1] is None and _is_org(part):
                people[-1] = (people[-1][0], part)  # "Jane Doe, MIT"
                continue
            else:
                return None
        people.append((name, affiliation))
    return people or None


_BY = re.compile(r"\s+(?:by|par|with|avec|presented by|présenté par)\s+", re.I)
_TITLE_SEPS = (" — ", " – ", " - ", " | ", ": ", " / ")


def split_title_people(
    text: str, known: set[str]
) -> tuple[str, list[tuple[str, str | None]], str | None] | None:
    """'Title — Speaker (X)', 'Welcome by Name', 'Title A, B and C' -> (title, people, doubt).

    `doubt` says how a speaker glued to the title was cut off, for the organizer to check.
    """
    whole = people_list(text)
    if whole:
        return "", whole, None
    for m in reversed(list(_BY.finditer(text))):
        people = people_list(text[m.end() :])
        if people and text[: m.start()].strip():
            return tidy(text[: m.start()]), people, None
    for sep in _TITLE_SEPS:
        at = text.rfind(sep)
        while at > 0:
            left, right = text[:at].strip(), text[at + len(sep) :].strip()
            people = people_list(right)
            if people and left:
                return tidy(left), people, None
            people = people_list(left)
            if people and right and not people_list(right):
                return tidy(right), people, None
            at = text.rfind(sep, 0, at)
    m = re.match(r"^(?P<title>.*\S)\s*\((?P<who>[^()]+)\)$", text)
    if m and (people := people_list(m["who"])):
        return tidy(m["title"]), people, None
    return _glued(text, known)


def _glued(text: str, known: set[str]):
    """'Title Ada Lovelace, Alan Turing and Grace Hopper': cut the first name off the title."""
    m = _AFFILIATION.match(text)
    bare, affiliation = (m["name"], m["aff"]) if m else (text, None)
    for name in sorted(known, key=len, reverse=True):
        if bare.endswith(" " + name) and (title := tidy(bare[: -len(name)])):
            doubt = f"took '{name}' (named alone on another line) as the speaker"
            return title, [(name, affiliation)], doubt
    parts = _split_top(text)
    rest = people_list(", ".join(parts[1:])) if len(parts) >= 2 else None
    if not rest:
        return None
    m = _AFFILIATION.match(parts[0])
    head_text, head_aff = (m["name"], m["aff"]) if m else (parts[0], None)
    tokens = head_text.split()
    size = 2
    while size < len(tokens) - 1 and tokens[-size - 1].casefold() in PARTICLES:
        size += 1  # "Ludwig van Beethoven"
    if len(tokens) <= size:
        return None
    name = " ".join(tokens[-size:])
    title = tidy(" ".join(tokens[:-size]))
    if not is_name(name) or not title:
        return None
    doubt = f"split '{text}' into the title '{title}' and the speaker '{name}'"
    return title, [(name, head_aff), *rest], doubt


def chairs_from(who: str) -> list[tuple[str, str | None]]:
    """'Name - Affiliation' or 'Name (Affiliation)' or a list of names -> people."""
    who = who.strip().rstrip(".")
    people = people_list(who)
    if people:
        return people
    m = _DASH_AFFILIATION.match(who)
    if m and is_name(m["name"].strip()):
        return [(m["name"].strip(), m["aff"].strip())]
    return []


def sort_name(name: str) -> str:
    """'Ada King Lovelace' -> 'Lovelace, Ada King'; 'Ludwig van Beethoven' -> 'van Beethoven,
    Ludwig'."""
    tokens = name.split()
    if len(tokens) < 2:
        return name
    i = len(tokens) - 1
    while i > 1 and tokens[i - 1].casefold() in PARTICLES:
        i -= 1
    return f"{' '.join(tokens[i:])}, {' '.join(tokens[:i])}"
