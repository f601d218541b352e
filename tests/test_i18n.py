"""The event's language: catalogs, labels, dates and times in every output, --language,
label overrides and the speaker index's order."""

from __future__ import annotations

import datetime as dt
import html.parser
import re
import shutil
import subprocess
from pathlib import Path

import babel.dates
import pypdf
import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from click.testing import CliRunner

from booklet import i18n
from booklet.cli import cli
from booklet.errors import UsageError
from booklet.validate import load_programme
from tests.conftest import CONTENT, ROOT
from tests.pdfutil import Pdf

TRANSLATED = ("fr", "de", "es", "it")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], obj={})


def read_catalog(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def messages(path: Path) -> dict[tuple[str | None, str], object]:
    """(context, English singular) -> the catalog's message."""
    return {
        (m.context, m.id if isinstance(m.id, str) else m.id[0]): m
        for m in read_catalog(path)
        if m.id
    }


def plain(text: str) -> str:
    """One line of text: hyphenated line ends joined, spaces of every width one space."""
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
        return plain(out.stdout.decode("utf-8"))
    return plain("\n".join(Pdf(path).texts))


def pdf_properties(path: Path) -> str:
    """What a PDF viewer shows besides the pages: bookmarks, title and subject."""
    reader = pypdf.PdfReader(path)
    titles = []

    def walk(outline):
        for entry in outline:
            if isinstance(entry, list):
                walk(entry)
            else:
                titles.append(entry.title)

    walk(reader.outline)
    info = reader.metadata or {}
    return plain("\n".join([*titles, str(info.get("/Title", "")), str(info.get("/Subject", ""))]))


class _Text(html.parser.HTMLParser):
    """Everything a reader of a web page sees or hears: text and labelled attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script")
        for name, value in attrs:
            if name in ("aria-label", "title", "alt") or (name == "content" and tag == "meta"):
                self.parts.append(value or "")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def web_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return plain("\n".join(parser.parts))


def label_pattern(label: str) -> re.Pattern:
    """A label as it prints: placeholders stand for a word or more."""
    parts = [re.escape(p) for p in PLACEHOLDER.split(label)]
    body = r"\S+".join(parts)
    start = r"(?<!\w)" if re.match(r"\w", label) else ""
    end = r"(?!\w)" if re.search(r"\w$", label) else ""
    return re.compile(start + body.replace(r"\ ", " ") + end)


@pytest.fixture(scope="module")
def content_words() -> str:
    """The default content's own text: labels it uses itself cannot be told apart."""
    files = [*CONTENT.glob("*.yaml"), *CONTENT.rglob("*.md")]
    return plain("\n".join(p.read_text(encoding="utf-8") for p in files))


def english_left(text: str, lang: str, content_words: str) -> tuple[list[str], int]:
    """English labels of the catalog template found in `text`, and how many were looked
    for: not those the language writes the same way, nor those the content itself uses."""
    translated = messages(i18n.catalog_path(lang))
    left, checked = [], 0
    for key in messages(i18n.LOCALE_DIR / "booklet.pot"):
        message = translated[key]
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else message.string
        for english in ids:
            pattern = label_pattern(english)
            if english in strings or pattern.search(content_words):
                continue
            checked += 1
            if pattern.search(text):
                left.append(english)
    return left, checked


# -- catalogs ------------------------------------------------------------------------------


def test_catalog_template_lists_every_label_the_code_and_templates_ask_for():
    keywords = {**DEFAULT_KEYWORDS, "pgettext": ((1, "c"), 2)}
    method_map = [
        ("booklet/**.py", "python"),
        ("booklet/**.j2", "jinja2"),
        ("styles/**.j2", "jinja2"),
    ]
    options = {p: {"extensions": "jinja2.ext.i18n"} for p in ("booklet/**.j2", "styles/**.j2")}
    found = set()
    for _, _, message, _, context in extract_from_dir(
        ROOT,
        method_map,
        options,
        keywords=keywords,
        directory_filter=lambda d: Path(d).name not in ("tests", "build", "bench", "content"),
    ):
        found.add((context, message if isinstance(message, str) else message[0]))
    listed = set(messages(i18n.LOCALE_DIR / "booklet.pot"))
    assert found == listed, "run pybabel extract as the README says"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_label_is_translated_with_its_placeholders(lang):
    template = messages(i18n.LOCALE_DIR / "booklet.pot")
    catalog = messages(i18n.catalog_path(lang))
    assert set(catalog) == set(template)
    for key, message in catalog.items():
        strings = [message.string] if isinstance(message.string, str) else message.string
        assert all(strings), f"{lang}: {key} is not translated"
        wanted = sorted(PLACEHOLDER.findall(key[1]))
        for text in strings:
            assert sorted(PLACEHOLDER.findall(text)) == wanted, f"{lang}: {text!r}"
        assert not message.fuzzy


def test_shipped_languages():
    assert set(i18n.shipped()) == {"en", *TRANSLATED}


def test_french_labels_keep_french_typography():
    catalog = messages(i18n.catalog_path("fr"))
    for message in catalog.values():
        strings = [message.string] if isinstance(message.string, str) else message.string
        for text in strings:
            # a colon is preceded by a no-break space; apostrophes are typographic
            assert not re.search(r"[^\u00a0\u202f]:", text), text
            assert "'" not in text, text


# -- dates and times -----------------------------------------------------------------------

MONDAY, FRIDAY = dt.date(2025, 1, 27), dt.date(2025, 1, 31)


@pytest.mark.parametrize(
    ("tag", "long", "days"),
    [
        ("fr", "lundi 27 janvier 2025", "27–31 janvier 2025"),
        ("de", "Montag, 27. Januar 2025", "27.–31. Januar 2025"),
        ("de-CH", "Montag, 27. Januar 2025", "27.–31. Januar 2025"),
        ("es", "lunes, 27 de enero de 2025", "27–31 de enero de 2025"),
        ("it", "lunedì 27 gennaio 2025", "27–31 gennaio 2025"),
        ("en", "Monday 27 January 2025", "27–31 January 2025"),
        ("en-US", "Monday, January 27, 2025", "January 27 – 31, 2025"),
    ],
)
def test_dates_follow_the_locale(tag, long, days):
    lang = i18n.language(tag)
    assert lang.long_date(MONDAY) == long
    assert plain(lang.date_range(MONDAY, FRIDAY)) == days


def test_the_house_english_whatever_the_case_of_its_tag():
    assert i18n.language("EN").long_date(MONDAY) == "Monday 27 January 2025"


def test_ranges_across_months_and_years_name_both_whole():
    fr = i18n.language("fr")
    assert plain(fr.date_range(dt.date(2025, 1, 30), dt.date(2025, 2, 2))) == (
        "30 janvier – 2 février 2025"
    )
    assert (
        plain(fr.date_range(dt.date(2025, 12, 30), dt.date(2026, 1, 2)))
        == "30 décembre 2025 – 2 janvier 2026"
    )
    it = i18n.language("it")
    assert (
        plain(it.date_range(dt.date(2025, 1, 30), dt.date(2025, 2, 2)))
        == "30 gennaio – 2 febbraio 2025"
    )


@pytest.mark.parametrize(("tag", "shown"), [("fr", "14:30"), ("de", "14:30"), ("en", "14:30")])
def test_24_hour_times(tag, shown):
    assert i18n.language(tag).time(dt.time(14, 30)) == shown
    assert i18n.language(tag).hour(9) == "09:00"


def test_12_hour_times_in_american_english():
    assert plain(i18n.language("en-US").time(dt.time(14, 30))) == "2:30 PM"
    assert plain(i18n.language("en-US").hour(9)) == "9 AM"


# -- the language of a build ---------------------------------------------------------------


def test_with_language_replaces_the_language_and_the_words_the_model_makes():
    loaded = load_programme(CONTENT)
    french = i18n.with_language(loaded, "fr")
    assert french.programme.event.language == "fr"
    assert loaded.programme.event.language == "en"
    days = french.programme.days
    assert [d.weekday for d in days] == [
        i18n.language("fr").weekday(d.date) for d in loaded.programme.days
    ]
    assert days[0].weekday == "Lundi"
    assert i18n.with_language(loaded, None) is loaded


def test_with_language_refuses_a_tag_no_locale_knows():
    with pytest.raises(UsageError, match="unknown language 'zz'"):
        i18n.with_language(load_programme(CONTENT), "zz")


def test_a_language_without_catalog_warns_once_and_keeps_its_dates(content_factory):
    from tests.conftest import MINIMAL_EVENT

    content = content_factory(event=MINIMAL_EVENT + "language: pt-BR\n")
    loaded = load_programme(content)
    warnings = [w for w in loaded.warnings if "language" in w.where]
    assert len(warnings) == 1
    assert "no translation for language 'pt-BR'" in str(warnings[0])
    assert str(warnings[0]).startswith(
        f"{content / 'event.yaml'}:{len(MINIMAL_EVENT.splitlines()) + 1}:"
    )
    lang = i18n.language_of(loaded.programme.event)
    assert lang.gettext("Contents") == "Contents"
    assert lang.long_date(MONDAY) == babel.dates.format_date(MONDAY, "full", locale="pt_BR")
    # --language pt-BR on an English event gives the same one warning
    again = i18n.with_language(load_programme(CONTENT), "pt-BR")
    assert sum("no translation" in str(w) for w in again.warnings) == 1


def test_a_tag_unknown_to_babel_is_a_located_warning(content_factory):
    from tests.conftest import MINIMAL_EVENT

    content = content_factory(event=MINIMAL_EVENT + "language: fr-QQ\n")
    loaded = load_programme(content)
    (warning,) = [w for w in loaded.warnings if "unknown language" in w.what]
    assert warning.location.line == len(MINIMAL_EVENT.splitlines()) + 1
    assert "'fr'" in warning.hint
    lang = i18n.language_of(loaded.programme.event)
    assert lang.gettext("Contents") == "Sommaire"
    assert lang.long_date(MONDAY) == "lundi 27 janvier 2025"


def test_language_option_on_the_command_line():
    result = run("export", "html", CONTENT, "--language", "de")
    assert result.exit_code == 0, result.output
    assert 'aria-label="Tage"' in result.output
    assert "Montag, 27. Januar 2025" in result.output
    assert run("check", CONTENT, "--language", "zz").exit_code == 2
    result = run("export", "ics", CONTENT, "--language", "it")
    assert "Relatore: " in result.output and "Speaker: " not in result.output


# -- an event's own labels -----------------------------------------------------------------


def test_an_event_words_labels_in_styles_labels_yaml(content_factory):
    from booklet.export.web import render_web

    content = content_factory(
        files={
            "styles/labels.yaml": 'Abstract: "Read more"\nContnets: Table\n'
            '"%(num)d talk": ["one talk", "%(num)d talks in a row"]\n'
        }
    )
    loaded = load_programme(content)
    (unknown,) = [w for w in loaded.warnings if "unknown label" in w.what]
    assert "did you mean 'Contents'?" in str(unknown)
    assert unknown.location.line == 2
    page = render_web(loaded.programme, content)
    assert "<summary>Read more</summary>" in page
    lang = i18n.language_of(loaded.programme.event)
    assert lang.ngettext("%(num)d talk", "%(num)d talks", 3) == "%(num)d talks in a row"


def test_labels_override_a_shipped_translation(content_factory):
    from tests.conftest import MINIMAL_EVENT

    content = content_factory(
        event=MINIMAL_EVENT + "language: fr\n",
        files={"styles/labels.yaml": "Contents: Table des matières\n"},
    )
    lang = i18n.language_of(load_programme(content).programme.event)
    assert lang.gettext("Contents") == "Table des matières"
    assert lang.gettext("Speaker index") == "Index des intervenants"


# -- the speaker index ---------------------------------------------------------------------

INDEX_PEOPLE = """\
people:
  - {id: a, name: Ana Oliveira}
  - {id: b, name: Bea Nuñez}
  - {id: c, name: Carl Ñandú}
  - {id: d, name: Dora Nuzzo}
  - {id: e, name: Eve Noiry}
"""
INDEX_PROGRAMME = """\
days:
  - date: 2025-03-01
    items:
      - {start: "09:00", end: "10:00", title: Talk, speakers: [a, b, c, d, e], room: a}
"""


@pytest.mark.parametrize(
    ("tag", "order", "letters"),
    [
        ("es", ["Noiry", "Nuñez", "Nuzzo", "Ñandú", "Oliveira"], ["N", "Ñ", "O"]),
        ("es-MX", ["Noiry", "Nuñez", "Nuzzo", "Ñandú", "Oliveira"], ["N", "Ñ", "O"]),
        ("en", ["Ñandú", "Noiry", "Nuñez", "Nuzzo", "Oliveira"], ["N", "O"]),
        ("fr", ["Ñandú", "Noiry", "Nuñez", "Nuzzo", "Oliveira"], ["N", "O"]),
    ],
)
def test_speaker_index_sorts_and_heads_by_the_language(content_factory, tag, order, letters):
    from booklet.render.booklet import group_by_letter, speaker_index

    content = content_factory(people=INDEX_PEOPLE, programme=INDEX_PROGRAMME)
    programme = i18n.with_language(load_programme(content), tag).programme
    entries = speaker_index(programme)
    assert [e.person.family_name for e in entries] == order
    assert [letter for letter, _ in group_by_letter(entries)] == letters


def test_nordic_letters_follow_z():
    from booklet.collation import index_letter, sort_key

    names = ["Ødegaard", "Zola", "Aalto", "Ærø", "Åsa"]
    assert sorted(names, key=lambda n: sort_key(n, "da")) == [
        "Aalto",
        "Zola",
        "Ærø",
        "Ødegaard",
        "Åsa",
    ]
    assert index_letter("Ødegaard", "da") == "Ø"
    assert index_letter("Ødegaard", "en") == "O"


# -- whole builds in each language ---------------------------------------------------------

FIRST_DAY = dt.date(2025, 1, 27)


@pytest.mark.slow
@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_english_label_is_left(language_build, lang, content_words):
    out = language_build(lang)
    texts = {
        "booklet": pdf_text(out / "programme.pdf"),
        "badges": pdf_text(out / "badges.pdf"),
        "signs": pdf_text(out / "signs.pdf"),
        "booklet's bookmarks and properties": pdf_properties(out / "programme.pdf"),
        "badges' properties": pdf_properties(out / "badges.pdf"),
        "signs' bookmarks and properties": pdf_properties(out / "signs.pdf"),
        "web page": web_text(out / "index.html"),
        "calendar": plain((out / "programme.ics").read_text().replace("\r\n ", "")),
    }
    for name, text in texts.items():
        left, checked = english_left(text, lang, content_words)
        assert checked >= 30, "too few labels to look for: the check would prove nothing"
        assert not left, f"{lang} {name} still says {left}"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ("en", *TRANSLATED))
def test_labels_dates_and_times_in_the_language(language_build, lang):
    out = language_build(lang)
    programme = load_programme(CONTENT).programme
    words = i18n.language(lang)
    booklet = pdf_text(out / "programme.pdf")
    for label in ("Contents", "Speaker index", "Week at a glance", "Practical information"):
        assert words.gettext(label) in booklet
    for day in programme.days:
        assert words.long_date(day.date) in booklet
        assert words.short_date(day.date) in booklet
    assert plain(words.date_range(programme.start_date, programme.end_date)) in booklet
    assert "14:30" in booklet and "PM" not in booklet
    signs = pdf_text(out / "signs.pdf")
    assert words.weekday(FIRST_DAY) in signs and words.day_month_year(FIRST_DAY) in signs
    badges = pdf_text(out / "badges.pdf")
    assert words.role_name("speaker").upper() in badges
    assert words.gettext("Your sessions") in badges
    page = web_text(out / "index.html")
    assert words.long_date(FIRST_DAY) in page


@pytest.mark.slow
def test_french_booklet_reads_french(language_build):
    booklet = pdf_text(language_build("fr") / "programme.pdf")
    assert "lundi 27 janvier 2025" in booklet
    assert "27–31 janvier 2025" in booklet
    assert "Sommaire" in booklet and "Index des intervenants" in booklet
    badges = pdf_text(language_build("fr") / "badges.pdf")
    assert "INTERVENANT" in badges and "Vos interventions" in badges


def test_american_signs_and_page_count_hours_in_twelves(tmp_path):
    result = run("signs", CONTENT, "--out", tmp_path, "--language", "en-US")
    assert result.exit_code == 0, result.output
    signs = pdf_text(tmp_path / "signs.pdf")
    assert "2:30 PM" in signs and "14:30" not in signs
    page = run("export", "html", CONTENT, "--language", "en-US").output
    assert "Monday, January 27, 2025" in page


def test_room_details_on_french_signs(content_factory, tmp_path):
    from tests.conftest import MINIMAL_PEOPLE

    content = content_factory(
        event="""\
            title: Test Event
            timezone: Europe/Paris
            language: fr
            rooms:
              - {id: a, name: Room A, building: B, floor: "2", capacity: 40}
              - {id: b, name: Room B}
              - {id: c, name: Room C}
            """,
        people=MINIMAL_PEOPLE,
        programme="""\
            days:
              - date: 2025-03-03
                items:
                  - {start: "09:00", end: "10:00", title: Opening, speakers: [ada], rooms: [a, b]}
                  - {start: "10:00", end: "10:30", kind: break, rooms: [a]}
            """,
    )
    result = run("signs", content, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    signs = pdf_text(tmp_path / "signs.pdf")
    for french in ("Bâtiment B", "Étage 2", "40 places", "aussi dans Room B", "Pause jusqu’à"):
        assert french in signs


def test_an_edit_to_the_labels_rebuilds_every_output(tmp_path):
    from booklet.outputs import load_registry
    from booklet.session import Session
    from booklet.watch import affected_outputs

    registry = load_registry()
    labels = tmp_path / "styles" / "labels.yaml"
    session = Session(tmp_path)
    changed = affected_outputs([labels], session, registry)
    assert changed == affected_outputs([tmp_path / "event.yaml"], session, registry)
    assert {"booklet", "badges", "signs", "ics", "html"} <= changed


def test_an_event_label_prints_as_written_whatever_it_holds(content_factory):
    from booklet.themes import Theme

    content = content_factory(
        files={
            "styles/labels.yaml": 'Abstract: "100% {new}"\n'
            '"{n} seat": ["{n} chair {x}", "{n} chairs, 50%"]\n'
            '"Programme of %(title)s": "%(title)s: {all} 100%"\n'
        }
    )
    loaded = load_programme(content)
    strange = [w.what for w in loaded.warnings if "placeholder" in w.what]
    assert len(strange) == 3 and "{x} is not a placeholder of this label" in strange
    lang = i18n.language_of(loaded.programme.event)
    render = Theme(content, lang).env.from_string
    assert render('{{ _("Abstract") }}').render() == "100% {new}"
    page = render('{{ _("Programme of %(title)s", title="T") }}').render()
    assert page == "T: {all} 100%"
    assert lang.ngettext("{n} seat", "{n} seats", 1).format(n=1) == "1 chair {x}"
    assert lang.ngettext("{n} seat", "{n} seats", 2).format(n=2) == "2 chairs, 50%"


def test_an_event_template_in_the_sandbox_speaks_the_language(tmp_path):
    from booklet.themes import Theme

    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "x.html.j2").write_text(
        '{{ _("Contents") }} · {{ ngettext("%(num)d talk", "%(num)d talks", 3) }} · '
        "{{ day|long_date }} · {{ day|date_range(day) }}",
        encoding="utf-8",
    )
    theme = Theme(tmp_path, i18n.language("de"))
    assert "Sandbox" in type(theme.env).__name__
    shown = theme.render("x.html.j2", day=MONDAY)
    assert shown == "Inhalt · 3 Vorträge · Montag, 27. Januar 2025 · 27. Januar 2025"


def test_build_and_check_take_the_language_option(tmp_path):
    result = run("-q", "build", CONTENT, "--out", tmp_path, "--only", "signs", "--language", "it")
    assert result.exit_code == 0, result.output
    assert "Lunedì" in pdf_text(tmp_path / "signs.pdf")
    result = run("check", CONTENT, "--language", "pt-BR")
    assert result.exit_code == 0
    assert result.output.count("no translation for language 'pt-BR'") == 1


def test_the_mail_speaks_the_event_language(content_factory, tmp_path):
    import email

    from tests.conftest import MAIL_PEOPLE, MAIL_PROGRAMME, MINIMAL_EVENT

    event = MINIMAL_EVENT + "language: fr\ncity: Paris\nwebsite: https://example.org\n"
    content = content_factory(event=event, people=MAIL_PEOPLE, programme=MAIL_PROGRAMME)
    args = ["mail", content, "--out", tmp_path, "--to", "speakers", "--from", "o@example.org"]
    result = run(*args, "--link", "https://example.org/p.pdf")
    assert result.exit_code == 0, result.output
    texts = []
    for path in sorted((tmp_path / "mail").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        texts.append(plain(f"{message['Subject']}\n{message.get_body(('plain',)).get_content()}"))
    ada = next(t for t in texts if "Ada" in t)
    assert ada.startswith("Test Event : le programme, 1–2 mars 2025 Bonjour Ada Lovelace,")
    assert "Vos interventions : - samedi 1 mars 2025, 09:00-10:00, Room A: First talk" in ada
    assert "À bientôt à Paris," in ada
    words = plain("\n".join(p.read_text(encoding="utf-8") for p in content.glob("*.yaml")))
    for text in texts:
        left, checked = english_left(text, "fr", words)
        assert checked >= 30 and not left, left
