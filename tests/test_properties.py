"""Property-based tests (hypothesis): whatever the content, the tool answers with its own error
or builds; whatever the text, it is printed or a warning names what cannot be.

1. Random content structures (mostly plausible values, some junk anywhere) either load, and
   then export to every format, or stop with `ContentError`; never another exception.
2. Random but valid events build a booklet (slow: few examples).
3. Random Unicode in every text field builds, and each character of it is in the PDF's text,
   or a "no font has" warning for that field names it (slow).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booklet.errors import BookletError, ContentError
from booklet.validate import load_programme

from .badinput import pdf_texts

# -- random structures --------------------------------------------------------------------------

WORDS = ["09:00", "10:30", "25:00", "9.30", "2025-03-03", "2025-02-30", "a", "b", "ada", "all"]
WORDS += ["talk", "break", "keynote", "A5", "3mm", "Europe/Paris", "Mars/Olympus", "en", "x y"]
WORDS += ["https://example.org", "javascript:alert(1)", "../../etc/passwd", "abstracts/a.md"]
WORDS += ["{{ 7*7 }}", "<script>", "\u202e", "#0b5cad", "vcard", "a6-4up", "custom", ""]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 100_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(WORDS),
)
junk = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["id", "name", "x", "start", "items"]), inner, max_size=3)
    ),
    max_leaves=6,
)


def maybe_junk(plausible):
    """Usually a plausible value, sometimes anything at all."""
    return st.one_of(plausible, plausible, plausible, junk)


def mapping(fields: dict, extra: bool = True):
    optional = {key: maybe_junk(value) for key, value in fields.items()}
    if extra:
        optional["unknown_key"] = junk
    return st.fixed_dictionaries({}, optional=optional)


ids = st.sampled_from(["a", "b", "ada", "alan", "main", "x.y", "bad id"])
times = st.sampled_from(["08:00", "09:00", "09:30", "10:00", "12:15", "18:00", "23:59", "24:00"])
texts = st.one_of(st.text(max_size=15), st.sampled_from(WORDS))
items = mapping(
    {
        "id": ids,
        "start": times,
        "end": times,
        "kind": st.sampled_from(["talk", "tutorial", "keynote", "break", "meal", "social", "x"]),
        "title": texts,
        "speakers": st.lists(ids, max_size=3),
        "room": ids,
        "rooms": st.lists(ids, max_size=3) | st.just("all"),
        "abstract": texts,
        "abstract_file": st.sampled_from(["abstracts/a.md", "../x.md", "/etc/passwd", "nope.md"]),
        "links": st.lists(mapping({"title": texts, "url": texts}, extra=False), max_size=2),
    }
)
days = mapping(
    {
        "date": st.sampled_from(["2025-03-03", "2025-03-04", "2025-02-30", "March 3"]),
        "title": texts,
        "venue": ids,
        "items": st.lists(items, max_size=4),
    }
)
people = mapping(
    {
        "id": ids,
        "name": texts,
        "sort_name": texts,
        "affiliation": texts,
        "bio": texts,
        "role": st.sampled_from(["speaker", "organizer", "staff", "attendee", "speakr"]),
    }
)
rooms = mapping(
    {"id": ids, "name": texts, "capacity": st.integers(-1, 500), "floor": texts, "building": texts}
)
events = mapping(
    {
        "title": texts,
        "timezone": st.sampled_from(["Europe/Paris", "UTC", "Mars/Olympus"]),
        "subtitle": texts,
        "city": texts,
        "language": st.sampled_from(["en", "fr-FR", "english"]),
        "website": st.sampled_from(["https://example.org", "ftp://x"]),
        "organizers": st.lists(texts, max_size=2),
        "funding": texts,
        "venues": st.lists(mapping({"id": ids, "name": texts, "address": texts}), max_size=2),
        "rooms": st.lists(rooms, max_size=3),
        "info": st.lists(mapping({"title": texts, "body": texts}), max_size=2),
        "settings": mapping(
            {"page_size": st.sampled_from(["A5", "A4", "letter", "B5"]), "bleed": texts}
        ),
        "signs": mapping({"page_size": st.sampled_from(["A4", "A3", "A5"])}),
        "badges": mapping(
            {
                "layout": st.sampled_from(["a6", "a6-4up", "custom", "huge"]),
                "qr": st.sampled_from(["vcard", "none", "https://x.org/{id}", "https://x/{y.z}"]),
                "colours": st.dictionaries(st.sampled_from(["speaker", "speakr"]), texts),
                "custom": mapping({"width": texts, "height": texts, "columns": st.integers(0, 30)}),
            }
        ),
    }
)
# A file holds a plausible mapping, or junk, or is missing (None).
files = st.fixed_dictionaries(
    {
        "event.yaml": st.one_of(events, events, events, junk, st.none()),
        "people.yaml": st.one_of(
            st.fixed_dictionaries({"people": st.lists(people, max_size=3)}), junk, st.none()
        ),
        "programme.yaml": st.one_of(
            st.fixed_dictionaries({"days": st.lists(days, max_size=2)}),
            st.fixed_dictionaries({"days": st.lists(days, max_size=2)}),
            junk,
            st.none(),
        ),
    }
)


def write(folder: Path, content: dict) -> Path:
    (folder / "abstracts").mkdir(parents=True)
    (folder / "abstracts" / "a.md").write_text("An *abstract*.\n")
    for name, data in content.items():
        if data is not None:
            (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True))
    return folder


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:- []{},&*!|>'\"\n#%@`?<=~0129.\t")), max_size=60))
def test_random_yaml_text_loads_or_stops_with_a_content_error(text):
    from booklet.sources import load_yaml

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "programme.yaml"
        path.write_text(text)
        with contextlib.suppress(ContentError):
            load_yaml(path)


# -- random valid events ------------------------------------------------------------------------


def _visible(text: str) -> bool:
    """Something is left once control characters are removed (names may not be empty)."""
    from booklet.validate import clean_text

    return bool(clean_text(text).strip())


NAMES = st.text(min_size=1, max_size=10).filter(_visible)


@st.composite
def valid_events(draw, text=NAMES):
    """Valid content: every reference defined, times in order; the rest random."""
    room_ids = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True))
    person_ids = draw(st.lists(st.sampled_from(["p", "q", "r"]), min_size=1, unique=True))
    event = {
        "title": draw(text),
        "timezone": "Europe/Paris",
        "rooms": [{"id": r, "name": f"{draw(text)} {r}"} for r in room_ids],
        "settings": {"page_size": draw(st.sampled_from(["A5", "A4", "Letter", "half-letter"]))},
    }
    people = {"people": [{"id": p, "name": draw(text)} for p in person_ids]}
    dates = draw(st.lists(st.sampled_from(["2025-03-03", "2025-03-04"]), min_size=1, unique=True))
    day_list = []
    for date in dates:
        entries = []
        for _ in range(draw(st.integers(1, 4))):
            start = draw(st.integers(8 * 60, 20 * 60))
            item = {"start": f"{start // 60:02d}:{start % 60:02d}"}
            if draw(st.booleans()):
                end = start + draw(st.integers(5, 180))
                item["end"] = f"{end // 60:02d}:{end % 60:02d}"
            item["kind"] = draw(st.sampled_from(["talk", "tutorial", "keynote", "break", "meal"]))
            if draw(st.booleans()):
                item["title"] = draw(text)
            item["speakers"] = draw(st.lists(st.sampled_from(person_ids), max_size=2, unique=True))
            item["rooms"] = draw(st.sampled_from([["all"], room_ids[:1], room_ids]))
            if draw(st.booleans()):
                item["abstract"] = draw(text)
            entries.append(item)
        day_list.append({"date": date, "items": entries})
    return {"event.yaml": event, "people.yaml": people, "programme.yaml": {"days": day_list}}


def _places(data, out):
    """Every (container, key) of a nest of dicts and lists."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        out.append((data, key))
        if isinstance(value, (dict, list)):
            _places(value, out)
    return out


@st.composite
def mutated_events(draw):
    """A valid event with a few values replaced by anything, removed, or keys added."""
    content = draw(valid_events())
    for _ in range(draw(st.integers(0, 3))):
        places = _places(content, [])
        container, key = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["junk", "word", "delete", "add"]))
        if action == "delete" and isinstance(container, dict):
            del container[key]
        elif action == "add" and isinstance(container, dict):
            container[draw(st.sampled_from(["titel", "start", "x", "rooms"]))] = draw(junk)
        else:
            container[key] = draw(junk if action == "junk" else st.sampled_from(WORDS))
    return content


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(files, mutated_events()))
def test_random_structures_load_or_stop_with_a_content_error(content):
    from booklet.export import frab, ics, json, web

    with tempfile.TemporaryDirectory() as tmp:
        folder = write(Path(tmp) / "content", content)
        try:
            result = load_programme(folder)
        except ContentError as exc:
            assert exc.errors, "a ContentError carries at least one error"
            for diagnostic in exc.diagnostics:
                assert "\n" not in str(diagnostic) and "\x1b" not in str(diagnostic)
            return
        programme = result.programme
        json.dumps(programme)
        frab.to_xml(programme)
        frab.to_json(programme)
        ics.to_ics(programme)
        web.render_web(programme, folder)


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_events())
def test_random_valid_events_build(content):
    from booklet.build import build

    with tempfile.TemporaryDirectory() as tmp:
        folder = write(Path(tmp) / "content", content)
        try:
            build(folder, Path(tmp) / "out", only="booklet", run_preflight=False, jobs=1)
        except BookletError as exc:  # allowed, but for valid content worth a look
            pytest.fail(f"valid content refused: {exc}")


# -- random Unicode in every text field ---------------------------------------------------------

# Scripts the fonts cover (Latin, Greek, Cyrillic, Arabic, Hebrew), others (CJK, symbols,
# emoji, Indic), private use and unassigned code points no font has, and anything at all.
letters = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x24F),
    st.characters(min_codepoint=0x370, max_codepoint=0x4FF),
    st.characters(min_codepoint=0x590, max_codepoint=0x6FF),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),
    st.characters(min_codepoint=0x2190, max_codepoint=0x23FF),
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1F64F),
    st.characters(min_codepoint=0xE000, max_codepoint=0xE0FF),
    st.sampled_from(["\u0378", "\U000e0fff", "\u202e", "\x07", "\u200d", "\ufffe"]),
    st.characters(codec="utf-8"),
)
# Markdown fields: no ASCII punctuation, which Markdown may turn into markup.
MARKUP = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


plain = st.text(alphabet=letters, min_size=1, max_size=8).filter(_visible)
markdown_safe = (
    st.text(alphabet=letters.filter(lambda c: c not in MARKUP), min_size=1, max_size=8)
).filter(_visible)

FIELDS = {  # where (as warnings name it) -> Markdown?
    "title": False,
    "subtitle": False,
    "city": False,
    "funding": True,
    "venues[0].name": False,
    "venues[0].address": False,
    "rooms[0].name": False,
    "rooms[1].name": False,
    "info[0].title": False,
    "info[0].body": True,
    "people[0].name": False,
    "people[0].affiliation": False,
    "days[0].title": False,
    "days[0].items[0].title": False,
    "days[0].items[0].abstract": True,
}


@st.composite
def unicode_fields(draw):
    return {where: draw(markdown_safe if md else plain) for where, md in FIELDS.items()}


def unicode_event(v: dict[str, str]) -> dict:
    event = {
        "title": v["title"],
        "subtitle": v["subtitle"],
        "city": v["city"],
        "timezone": "Europe/Paris",
        "funding": v["funding"],
        "venues": [{"id": "v", "name": v["venues[0].name"], "address": v["venues[0].address"]}],
        "rooms": [{"id": "a", "name": v["rooms[0].name"]}, {"id": "b", "name": v["rooms[1].name"]}],
        "info": [{"title": v["info[0].title"], "body": v["info[0].body"]}],
    }
    people = {
        "people": [
            {"id": "p", "name": v["people[0].name"], "affiliation": v["people[0].affiliation"]}
        ]
    }
    programme = {
        "days": [
            {
                "date": "2025-03-03",
                "title": v["days[0].title"],
                "venue": "v",
                "items": [
                    {
                        "start": "09:00",
                        "end": "10:00",
                        "title": v["days[0].items[0].title"],
                        "speakers": ["p"],
                        "rooms": ["a"],
                        "abstract": v["days[0].items[0].abstract"],
                    },
                    {"start": "10:00", "end": "11:00", "title": "Other", "rooms": ["b"]},
                ],
            }
        ]
    }
    return {"event.yaml": event, "people.yaml": people, "programme.yaml": programme}


def _comparable(text: str) -> str:
    """Text as compared: compatibility forms folded ('¹' is '1'), case folded, composed.
    Composed, not decomposed: decomposing reorders combining marks by class, so 'ў' followed
    by an Arabic kasra decomposes to 'у', kasra, breve, where 'ў' alone is 'у', breve."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def _read(path: Path) -> str:
    """The PDF's text as PDFium reads it, and as poppler does where `pdftotext` is
    installed. PDFium alone misreads some characters drawn in a font that WeasyPrint wrote
    with a custom encoding (as it does once a .notdef glyph is drawn): '¼' comes as '1/4',
    '΄' as a space; and it reads a hyphen that ends a line as U+FFFE, a word broken there.
    Poppler reads these as drawn; each reader only reads what the PDF maps to text."""
    text = "".join(pdf_texts(path))
    if shutil.which("pdftotext"):
        run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
        text += run.stdout.decode()
    return text


def _checked(ch: str) -> bool:
    """Characters that must show: letters, digits, punctuation and symbols (not marks,
    spaces or format characters, which may merge with their neighbours or show nothing; nor
    mirrored ones such as '≥', drawn and read back as their mirror image in right-to-left
    text)."""
    return unicodedata.category(ch)[0] in "LNPS" and not unicodedata.mirrored(ch)


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unicode_fields())
def test_random_unicode_is_printed_or_named_in_a_warning(values):
    from booklet.build import build
    from booklet.validate import clean_text

    with tempfile.TemporaryDirectory() as tmp:
        folder = write(Path(tmp) / "content", unicode_event(values))
        result = build(folder, Path(tmp) / "out", only="booklet", run_preflight=False, jobs=1)
        printed = _comparable(_read(Path(tmp) / "out" / "programme.pdf"))
    named: dict[str, set[str]] = {}
    for w in result.warnings:
        if w.what.startswith("no font has"):
            codes = re.findall(r"\(U\+([0-9A-F]{4,6})\)", w.what)
            named.setdefault(w.where, set()).update(chr(int(c, 16)) for c in codes)
    for where, raw in values.items():
        text = clean_text(raw, multiline=FIELDS[where])
        for ch in dict.fromkeys(text):
            if not _checked(ch) or ch in named.get(where, ()):
                continue
            assert _comparable(ch) in printed, f"{where}: {ch!r} (U+{ord(ch):04X}) is missing"
