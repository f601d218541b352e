"""Text -> people: names with affiliations, and titles with the speakers glued to them.

`people_list` reads 'A (X) & B, C and D (Y)'; `split_title_people` cuts 'Title — Speaker',
'Welcome by Name' or 'Title A, B and C' into the title and its people, saying how sure it is;
`sort_name` gives the index order of a name.

A name is told from the words of a title by a small model: given names (the first-name lists
Faker keeps for its locales), honorifics, degree suffixes and particles (nameparser's lists,
so "Prof. Dr." and "PhD" are no part of a name and "van der" is), and initials. Each way of
cutting a title from the names glued after it gets a score; the best is kept, and a cut that
was close to another, or that rests on names the lists do not know, is reported.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from dataclasses import dataclass
from typing import NamedTuple

from booklet.importers.text.tidy import fold, tidy


@functools.cache
def given_names() -> frozenset[str]:
    """Given names of many languages, folded ('josé' -> 'jose'), from Faker's locales."""
    import faker.providers.person as person_providers

    names: set[str] = set()
    for module_info in pkgutil.iter_modules(person_providers.__path__):
        module = importlib.import_module(f"{person_providers.__name__}.{module_info.name}")
        provider = getattr(module, "Provider", None)
        for attr in ("first_names", "first_names_male", "first_names_female"):
            value = vars(provider).get(attr) if provider else None
            if isinstance(value, (dict, list, tuple, set, frozenset)):
                names.update(fold(n) for n in value if isinstance(n, str))
    return frozenset(names)


@functools.cache
def _nameparser_sets() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(honorifics, suffixes, particles) from nameparser, lowercase without dots."""
    from nameparser.config import CONSTANTS

    suffixes = frozenset(CONSTANTS.suffix_acronyms) | frozenset(CONSTANTS.suffix_not_acronyms)
    return frozenset(CONSTANTS.titles), suffixes, frozenset(CONSTANTS.prefixes)


# Honorifics taken off a name even when written without a dot ("Prof Dr Jane Doe"); others
# from nameparser's list ("Rev.", "Sen.") only with their dot, since that list also holds
# words such as 'chair' or 'director' that open titles.
_CORE_HONORIFICS = {"dr", "prof", "professor", "professorin", "mr", "mrs", "ms", "mme", "mlle",
                    "herr", "frau", "sir", "dame", "dipl", "ing", "pd", "priv", "doz", "drs",
                    "dres", "univ", "mag", "lic"}  # fmt: skip
_DEGREE = re.compile(r"^(?:Ph\.?\s?D\.?|D\.?Phil\.?|M\.?Sc\.?|B\.?Sc\.?|Jr\.?|Sr\.?)$")
PARTICLES = {"de", "del", "della", "der", "den", "di", "da", "das", "do", "dos", "du",
             "la", "le", "van", "von", "ter", "ten", "zu", "y", "bin", "ibn", "al", "el",
             "st.", "vom", "d'", "van't"}  # fmt: skip
# nameparser's particles that are also common family names or title words stay out.
_NOT_PARTICLES = {"bar", "bat", "san", "santa", "mac", "mc", "st", "op", "het", "bon", "heer",
                  "vel", "freiherr", "freiherrin", "abu", "tho", "thoe", "ua", "te"}  # fmt: skip
_INITIAL = re.compile(r"^[A-Z]\.(?:-?[A-Z]\.)*$")
# Endings of English words that are not names: 'Transformation', 'Analysis', 'Semantics'.
_WORDLIKE = re.compile(r"(?:tion|sion|ment|ness|ity|ics|sis|ogy|ism|ings|ware)$", re.I)
# Words that make a capitalized phrase a title or an organization rather than a person.
_NOT_NAME_WORDS = """
    a an the of for with in on to and or at by from into via using towards toward how why
    what when where is are be my our your new next its it this that we you i part
    introduction intro opening closing remarks words word welcome session sessions keynote panel
    discussion discussions talk talks lightning poster posters demo demos tutorial tutorials
    workshop workshops hackathon break coffee lunch dinner breakfast reception registration
    social event awards award best paper papers questions summary wrap-up conclusion
    conclusions overview invited day days morning afternoon evening room hall track chair
    chairs keynotes plenary university universite universität universidad univ institute
    institut school college lab labs laboratory laboratoire inc inc. ltd ltd. corp corp. gmbh
    sa department dept centre center group team research national foundation company project
    programme program community roundtable meeting forum conference symposium networking
    machine learning compiler compilers data deep open source language languages system
    systems accueil ouverture clôture cloture pause déjeuner dejeuner dîner diner séance seance
    présentation presentation atelier conférence conference table ronde mot bienvenue remise
    prix et le la les des du pour avec sur dans une un und mit für im zur zum
    everyone all participants attendees speakers speaker tba tbd"""
_NOT_NAME = set(_NOT_NAME_WORDS.split())
# Words a title does not end with: a cut after them takes the title's end for names.
_DANGLING = {"of", "the", "a", "an", "and", "or", "for", "to", "with", "in", "on", "at", "by",
             "from", "de", "du", "des", "la", "le", "les", "et", "à", "von", "der", "die",
             "das", "und", "mit", "für", "zu", "im"}  # fmt: skip
_ORG_WORDS = re.compile(
    r"\b(?:univ\w*|u\.|institut\w*|inria|cnrs|cea|lab\w*|college|school|inc|ltd|corp\w*|gmbh"
    r"|centre|center|research|foundation|company|group|team|ag|sas?|llc|ecole|ens|epfl|eth"
    r"|agence|agency|association|society|societe|verein|network|reseau|council|ministry"
    r"|ministere|ministerium|museum|musee|hospital|hopital|klinik\w*|academy|academie"
    r"|akademie|bank|stiftung|fondation)\b"
)
_LEAD_IN = re.compile(
    r"^(?:speakers?|presenters?|intervenant(?:e)?s?|orateurs?|by|par|with|avec|presented by"
    r"|présenté(?:e)?s? par|referent(?:in)?(?:en|innen)?|vortragende?r?)\s*:?\s+",
    re.I,
)
_LIST_SEP = re.compile(r"\s*(?:,|;|&|\+|\band\b|\bet\b|\bund\b)\s*")
_AFFILIATION = re.compile(r"^(?P<name>.+?)\s*\((?P<aff>[^()]+)\)$")
_DASH_AFFILIATION = re.compile(r"^(?P<name>.+?)\s+[-–—]\s+(?P<aff>.+)$")


def is_particle(token: str) -> bool:
    """'van', 'der', 'de', 'da', 'von' (any case): a word inside a family name."""
    low = token.casefold()
    return low in PARTICLES or (low in _nameparser_sets()[2] and low not in _NOT_PARTICLES)


def is_honorific(token: str) -> bool:
    """'Prof.', 'Dr.', 'Dr.-Ing.', 'Mme': a title before a name, never part of it."""
    pieces = [p for p in re.split(r"[-.]", token.casefold()) if p]
    titles = _nameparser_sets()[0]
    dotted = token.endswith(".")
    return bool(pieces) and all(p in _CORE_HONORIFICS or (dotted and p in titles) for p in pieces)


def is_suffix(token: str) -> bool:
    """'PhD', 'DDS', 'M.D.', 'Jr.': a degree or generation after a name, not a family name."""
    bare = token.strip(",")
    if not bare or bare[0].islower():
        return False
    if _DEGREE.match(bare):
        return True
    key = bare.replace(".", "").casefold()
    if key not in _nameparser_sets()[1]:
        return False
    return bare.isupper() or "." in bare or any(c.isupper() for c in bare[1:])


def strip_name(text: str) -> tuple[str, bool]:
    """'Prof. Dr. Jane Doe, PhD' -> ('Jane Doe', True): honorifics and degrees taken off, and
    whether there was any."""
    tokens = text.replace(",", " , ").split()
    stripped = False
    while len(tokens) > 2 and is_honorific(tokens[0]):
        tokens.pop(0)
        stripped = True
    # "Vice Rector Johannes Meissl", "President Michael Ramsaur": a role (nameparser's list
    # of titles) before a known given name.
    titles, known = _nameparser_sets()[0], given_names()
    if len(tokens) > 2 and tokens[0].casefold() in titles and fold(tokens[0]) not in known:
        first = next((k for k in range(1, len(tokens) - 1) if fold(tokens[k]) in known), None)
        if first is not None and tokens[first][0].isupper():
            del tokens[:first]
            stripped = True
    while len(tokens) > 2 and (tokens[-1] == "," or is_suffix(tokens[-1])):
        stripped = stripped or tokens[-1] != ","
        tokens.pop()
    return " ".join(tokens).replace(" , ", ", "), stripped


def is_name(text: str) -> bool:
    """Does this look like one person's name: 2-5 capitalized words, no title words?"""
    tokens = strip_name(text)[0].split()
    if not 2 <= len(tokens) <= 5 or len(text) > 70:
        return False
    for i, token in enumerate(tokens):
        low = token.casefold()
        if low in _NOT_NAME:
            return False
        if (is_particle(token) and 0 < i < len(tokens) - 1) or _INITIAL.match(token):
            continue
        if i < len(tokens) - 1 and token.isupper() and len(token) > 1 and "." not in token:
            return False  # "Functional IR Juang": an acronym inside is no name's

        if not (token[0].isupper() and all(c.isalpha() or c in "-'’." for c in token)):
            return False
    # "INRIA KAIROS", "MLIR Jane Doe": an acronym, not a given name. ("Jean DUPONT" is fine.)
    first = tokens[0].rstrip(".")
    return not (first.isupper() and len(first) > 1 and "." not in first)


def name_score(text: str) -> float:
    """How much a name-shaped phrase looks like a person's name: +3 for an honorific, +2 for
    a known given name or an initial first, -2 for a word ending like an English noun."""
    name, honorific = strip_name(text)
    tokens = name.split()
    if not tokens:
        return -5.0
    first = tokens[0]
    score = 3.0 if honorific else 0.0
    known = given_names()
    if _INITIAL.match(first) or fold(first) in known or fold(first.split("-")[0]) in known:
        score += 2
    if any(_WORDLIKE.search(t) for t in tokens):
        score -= 2
    return score


def _part_spans(text: str) -> list[tuple[int, int]]:
    """Where the parts of a list of names lie, split on , ; & and et, never inside ()."""
    masked = re.sub(r"\([^()]*\)", lambda m: "\x00" * len(m.group(0)), text)
    spans, begin = [], 0
    for m in _LIST_SEP.finditer(masked):
        if masked[begin : m.start()].strip():
            spans.append((begin, m.start()))
        begin = m.end()
    if masked[begin:].strip():
        spans.append((begin, len(text)))
    return spans


def _split_top(text: str) -> list[str]:
    """Split a list of names on , ; & and et, but never inside parentheses."""
    return [text[a:b].strip() for a, b in _part_spans(text)]


def _is_org(text: str) -> bool:
    words = text.split()
    acronyms = [w for w in words if len(w) > 1 and w.isupper()]
    return bool(_ORG_WORDS.search(fold(text))) or (0 < len(words) <= 3 and len(acronyms) >= 1)


def _is_affiliation(text: str | None) -> bool:
    """'MIT', 'Institut Pasteur de Tunis', 'mdw' - not '(weitere können dazukommen)'."""
    if not text:
        return False
    words = text.split()
    return len(words) <= 8 and (
        _is_org(text) or any(w[0].isupper() for w in words) or len(words) == 1
    )


@dataclass
class _Person:
    name: str
    affiliation: str | None
    score: float


def _people(text: str) -> list[_Person] | None:
    """'A (X) & B, C and D (Y)' -> people with their scores; None if it is not that."""
    spans = _part_spans(text)
    people: list[_Person] = []
    for begin, end in spans:
        part = text[begin:end].strip()
        if all(is_suffix(t) for t in part.split()):
            continue  # "Jack L. Ferracane, PhD"
        m = _AFFILIATION.match(part)
        name, affiliation = (m["name"].strip(), m["aff"].strip()) if m else (part, None)
        if is_name(name):
            people.append(_Person(strip_name(name)[0], affiliation, name_score(name)))
            continue
        m = _DASH_AFFILIATION.match(part)
        if m and is_name(m["name"]) and _is_org(m["aff"]) and len(spans) == 1:
            people.append(_Person(strip_name(m["name"])[0], m["aff"], name_score(m["name"])))
        elif len(people) == 1 and people[0].score >= 3 and people[0].affiliation is None:
            # "Dr. Kurt W. Liedtke, Vorsitzender des Kuratoriums, Stuttgart": a person
            # named with an honorific, then their role and place.
            people[0].affiliation = text[spans[1][0] :].strip(" ,;")
            break
        elif people and people[-1].affiliation is None and _is_org(part):
            # "Jane Doe, MIT"; "Peng Zhang and Clark Verbrugge, McGill University": the
            # place of everyone named just before it without one.
            for person in reversed(people):
                if person.affiliation is not None:
                    break
                person.affiliation = part
        elif people and _is_org(part):
            people.append(_Person(part, None, 0.0))  # "... & Association CAPEP"
        else:
            return None
    return people or None


def people_list(text: str, *, evidence: bool = False) -> list[tuple[str, str | None]] | None:
    """'A (X) & B, C and D (Y)' -> [(name, affiliation or None)]; None if it is not that.

    With `evidence`, a line of nothing but capitalized words ('Pecha Kucha Szenenwechsel',
    'Workshops II') is a list of people only if one of them has a known given name, an
    initial, an honorific or an affiliation, or the line says 'Speakers:'; and none of
    several is three words or more with no such sign."""
    stripped = text.strip().rstrip(".;,")
    lead = _LEAD_IN.match(stripped)
    text = stripped[lead.end() :] if lead else stripped
    if not text or len(text) > 300:
        return None
    people = _people(text)
    if not people:
        return None
    if evidence and not lead:
        if not any(p.score >= 2 or _is_affiliation(p.affiliation) for p in people):
            return None
        # "Control Flow Bangtian Liu and Avery Laird": three capitalized words or more with no
        # known given name first are more likely a title's end glued to a name.
        if len(people) > 1 and any(p.score < 2 and len(p.name.split()) >= 3 for p in people):
            return None
    return [(p.name, p.affiliation) for p in people]


# "by" and "par" name speakers; "with", "mit", "von" may also name a guest, a meal's dish or
# a place, so what follows them must look like people ('Dinner with Friends' is a title).
_BY = re.compile(r"\s+(?:(?P<strong>by|par|presented by|présenté par)|with|avec|mit|von)\s+", re.I)
_TITLE_SEPS = (" — ", " – ", " - ", " | ", ": ", " / ")


class Split(NamedTuple):
    title: str
    people: list[tuple[str, str | None]]
    doubt: str | None = None  # how an unsure cut was made, for a warning
    how: str | None = None  # how a sure cut of glued names was made, for a note


def split_title_people(text: str, known: set[str]) -> Split | None:
    """'Title — Speaker (X)', 'Welcome by Name', 'Title A, B and C' -> a `Split`.

    Its `doubt` says how speakers were cut off the title when the cut is not sure, for the
    organizer to check; its `how` says how a sure cut of glued names was made.
    """
    whole = people_list(text, evidence=True)
    if whole:
        return Split("", whole)
    for m in reversed(list(_BY.finditer(text))):
        rest = text[m.end() :]
        people = people_list(rest, evidence=not m["strong"])
        if people and not m["strong"]:
            # "Synthesis with Functional IR Tzung-Han Juang, ...": after "with", the very
            # first words must be a person, not the end of the title.
            first = _people(rest)
            people = people if first and (first[0].score >= 2 or first[0].affiliation) else None
        if people and text[: m.start()].strip():
            return Split(tidy(text[: m.start()]), people)
    quoted = _QUOTED.search(text)
    if quoted:
        # 'Hamada Madi Boléro, Secrétaire général de la COI : « Sécurité ... »': the quotes
        # hold the title; the rest names the speaker, then their role.
        rest = tidy(text[: quoted.start()] + " " + text[quoted.end() :])
        people = people_list(rest) or _person_with_role(rest)
        if people:
            return Split(quoted["title"].strip(), people, _unsure_people(text, people))
    for sep in _TITLE_SEPS:
        # A colon also parts a title from its subtitle ("Engagement: Becoming
        # Indispensable"): there, names need a sign of a person, as before the title.
        weak = sep == ": "
        at = text.rfind(sep)
        while at > 0:
            left, right = text[:at].strip(), text[at + len(sep) :].strip()
            people = people_list(right, evidence=weak)
            if people and left:
                return Split(tidy(left), people, _unsure_people(text, people))
            people = people_list(left, evidence=True)
            if people and right and not people_list(right):
                return Split(tidy(right), people, _unsure_people(text, people))
            at = text.rfind(sep, 0, at)
    m = re.match(r"^(?P<title>.*\S)\s*\((?P<who>[^()]+)\)$", text)
    if m and (people := people_list(m["who"], evidence=True)):
        return Split(tidy(m["title"]), people)
    return _glued(text, known)


_QUOTED = re.compile(r"[«“„\"]\s*(?P<title>[^«»“”„\"]{8,}?)\s*[»”“\"]")


def _person_with_role(text: str) -> list[tuple[str, str | None]] | None:
    """'Jane Doe, Director of Research at X' -> [('Jane Doe', 'Director of Research at X')]."""
    spans = _part_spans(text)
    if len(spans) < 2:
        return None
    name = text[spans[0][0] : spans[0][1]].strip()
    if not is_name(name):
        return None
    return [(strip_name(name)[0], text[spans[1][0] :].strip(" ,;:"))]


def _unsure_people(text: str, people: list[tuple[str, str | None]]) -> str | None:
    """A doubt when a separator's side was taken for people none of whom is known as such."""
    if any(aff or name_score(name) >= 2 for name, aff in people):
        return None
    names = ", ".join(name for name, _ in people)
    return f"took '{names}' in '{text}' as the speaker (no given name known there)"


def _glued(text: str, known: set[str]) -> Split | None:
    """'Title Ada Lovelace, Alan Turing and Grace Hopper': cut the first name off the title.

    Every cut that leaves a title and a list of names is scored: the names' scores, less 3
    when the title would end with a given name or a particle ('... Saturation Jonathan' |
    'Van der Cruysse'), less 4 when it would end with a word such as 'of'. The best cut is
    kept if it scores 2 or more and some name in it is known as one."""
    m = _AFFILIATION.match(text)
    bare, affiliation = (m["name"], m["aff"]) if m else (text, None)
    for name in sorted(known, key=len, reverse=True):
        if bare.endswith(" " + name) and (title := tidy(bare[: -len(name)])):
            doubt = f"took '{name}' (named alone on another line) as the speaker"
            return Split(title, [(name, affiliation)], doubt)
    spans = _part_spans(text)
    cuts: list[tuple[float, int, str, list[_Person]]] = []
    for j, (begin, end) in enumerate(spans):
        tail = _people(text[spans[j + 1][0] :]) if j + 1 < len(spans) else []
        if tail is None:
            continue
        part = text[begin:end]
        m = _AFFILIATION.match(part)
        head, head_aff = (m["name"], m["aff"]) if m else (part, None)
        words = list(re.finditer(r"\S+", head))
        for size in range(2, 6):
            if size > len(words) or is_particle(words[-size].group()):
                continue
            name = head[words[-size].start() :].strip()
            title = tidy(text[: begin + words[-size].start()])
            if not title or not is_name(name):
                continue
            score = name_score(name) + sum(p.score for p in tail)
            last = title.split()[-1]
            given = last[0].isupper() and not last.isupper() and fold(last) in given_names()
            if is_particle(last) or given:
                score -= 3
            if last.casefold() in _DANGLING:
                score -= 4  # "... Artistic Director of" | "Bregenzer Festspiele"
            person = _Person(strip_name(name)[0], head_aff, name_score(name))
            cuts.append((score, 1 + len(tail), title, [person, *tail]))
    if not cuts:
        return None
    cuts.sort(key=lambda c: (c[0], c[1]), reverse=True)
    score, _, title, people = cuts[0]
    if score < 2 or not any(p.score >= 2 for p in people):
        return None
    pairs = [(p.name, p.affiliation) for p in people]
    names = ", ".join(p.name for p in people)
    close = [c for c in cuts[1:] if c[2] != title and score - c[0] < 2]
    unknown = [p.name for p in people if p.score < 2]
    how = f"split '{text}' into the title '{title}' and the speakers {names}"
    if not close and not unknown:
        return Split(title, pairs, None, how)
    why = f"; it could also be the title '{close[0][2]}'" if close else ""
    if unknown:
        why += f"; not a known given name: {', '.join(unknown)}"
    return Split(title, pairs, how + why)


def split_names(text: str) -> list[str]:
    """'Prof. Dr. Jane Doe, Max Mustermann and Ann Lee, PhD' -> ['Prof. Dr. Jane Doe',
    'Max Mustermann', 'Ann Lee, PhD']: a list of names as a schedule file writes them, split
    where it names several people; a degree after a comma stays with its name."""
    names: list[str] = []
    for part in _split_top(text):
        if names and all(is_suffix(t) for t in part.split()):
            names[-1] += f", {part}"
        elif part:
            names.append(part)
    return names


def chairs_from(who: str) -> list[tuple[str, str | None]]:
    """'Name - Affiliation' or 'Name (Affiliation)' or a list of names -> people."""
    who = who.strip().rstrip(".")
    people = people_list(who)
    if people:
        return people
    m = _DASH_AFFILIATION.match(who)
    if m and is_name(m["name"].strip()):
        return [(strip_name(m["name"].strip())[0], m["aff"].strip())]
    return []


def sort_name(name: str) -> str:
    """'Ada King Lovelace' -> 'Lovelace, Ada King'; 'Ludwig van Beethoven' -> 'van Beethoven,
    Ludwig'; 'Jack L. Ferracane, PhD' -> 'Ferracane, Jack L.'."""
    tokens = strip_name(name)[0].split()
    if len(tokens) < 2:
        return name
    i = len(tokens) - 1
    while i > 1 and is_particle(tokens[i - 1]):
        i -= 1
    return f"{' '.join(tokens[i:])}, {' '.join(tokens[:i])}"
