"""booklet import: plain-text programmes -> content files that check, export and build.

Each fixture in tests/fixtures/import/ is a programme in another real-world style; each test
spells out the whole schedule it must give, as "start-end | kind | title | @speaker" lines.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from booklet.cli import cli
from booklet.importers import ImportedProgramme, slugify
from booklet.importers.text import (
    NothingToImport,
    TextOptions,
    TextReader,
    find_time,
    parse_heading,
    people_list,
    sort_name,
    split_title_people,
    word_kind,
)
from booklet.importers.text.rooms import split_room
from booklet.importers.write import render_files, write_content
from booklet.validate import load_programme

from .conftest import FIXTURES

IMPORTS = FIXTURES / "import"
MLIR = IMPORTS / "mlir-winter-school-2025.txt"
TODAY = dt.date(2025, 6, 4)  # a Wednesday: placeholder dates fall on Monday 2025-06-09


def run(*args: str):
    return CliRunner().invoke(cli, list(args), obj={})


def read(name: str, **options) -> ImportedProgramme:
    return TextReader(TextOptions(today=TODAY, **options)).read(IMPORTS / name)


def parse(text: str, **options) -> ImportedProgramme:
    return TextReader(TextOptions(today=TODAY, **options)).parse(text, "test.txt")


def _row(start: str, end: str | None, kind: str, title: str | None, speakers: list[str]) -> str:
    parts = [f"{start}-{end}" if end else start, kind]
    parts += [title] if title else []
    parts += [f"@{s}" for s in speakers]
    return " | ".join(parts)


def schedule(programme: ImportedProgramme) -> dict[str, list[str]]:
    """'YYYY-MM-DD title' -> one row per item, from the importer's own result."""
    return {
        f"{day.date} {day.title or '-'}": [
            _row(
                f"{i.start:%H:%M}",
                f"{i.end:%H:%M}" if i.end else None,
                i.kind,
                i.title,
                i.speakers,
            )
            for i in day.items
        ]
        for day in programme.days
    }


def json_schedule(data: dict) -> dict[str, list[str]]:
    """The same rows, from `booklet export json` of the written content."""
    return {
        f"{day['date']} {day['title'] or '-'}": [
            _row(i["start"], i["end"], i["kind"], i["title"], [s["id"] for s in i["speakers"]])
            for i in day["items"]
        ]
        for day in data["days"]
    }


def rows(text: str) -> list[str]:
    """Expected rows; a line starting with '|' continues the row above."""
    joined: list[str] = []
    for line in text.strip().splitlines():
        if line.strip().startswith("|"):
            joined[-1] += " " + line.strip()
        else:
            joined.append(line)
    return [" | ".join(p.strip() for p in r.split("|")) for r in joined]


def messages(programme: ImportedProgramme, severity: str | None = None) -> list[str]:
    return [n.format("f") for n in programme.notes if severity is None or n.severity == severity]


# -- times ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("10am", "10:00", None),
        ("10:40 am", "10:40", None),
        ("2 pm to 3:30pm", "14:00", "15:30"),
        ("Noon to 12:40", "12:00", "12:40"),
        ("from 8:45am to 10am", "08:45", "10:00"),
        ("Reception and breakfast from 8:45am to 10am", "08:45", "10:00"),
        ("Dinner at 7 pm", "19:00", None),
        ("10:35-11:00", "10:35", "11:00"),
        ("10:30 - 10:35", "10:30", "10:35"),
        ("11:30am - 5:00pm", "11:30", "17:00"),
        ("8:30am-9:30am", "08:30", "09:30"),
        ("09:00 – 10:00 :", "09:00", "10:00"),
        ("16:00-18:00", "16:00", "18:00"),
        ("0800 – 0830", "08:00", "08:30"),
        ("0830 — 0900 Opening", "08:30", "09:00"),
        ("9h30", "09:30", None),
        ("9h30–10h30", "09:30", "10:30"),
        ("Déjeuner de 12h à 13h30", "12:00", "13:30"),
        ("12:40 to 1pm", "12:40", "13:00"),
        ("10-11am", "10:00", "11:00"),
        ("2-3pm", "14:00", "15:00"),
        ("1:30-2:30pm Posters", "13:30", "14:30"),
        ("11-1pm", "11:00", "13:00"),
        ("11:30 - 1:00 Lunch", "11:30", "13:00"),
        ("10 a.m. to 11 a.m.", "10:00", "11:00"),
        ("Lunch (12:30–14:00) in the hall", "12:30", "14:00"),
        ("5.30 – 11 pm: Meet & greet", "17:30", "23:00"),
        ("9.30 – 5.30 pm: Registration", "09:30", "17:30"),
        ("10.00 am: Film", "10:00", None),
        ("14.00 Uhr Kaffeepause", "14:00", None),
        ("10 Uhr bis 12 Uhr", "10:00", "12:00"),
        ("9:00 bis 15:40: Vortragsprogramm", "09:00", "15:40"),
        ("ab 17:30 Öffnung Tagungsbüro", "17:30", None),
        ("08:30 – 10.00", "08:30", "10:00"),
        ("11.30-11.50 Position Paper", "11:30", "11:50"),
    ],
)
def test_find_time_reads_every_style(text, start, end):
    span = find_time(text)
    assert span is not None
    assert f"{span.start // 60:02d}:{span.start % 60:02d}" == start
    got_end = None if span.end is None else f"{span.end // 60:02d}:{span.end % 60:02d}"
    assert got_end == end


@pytest.mark.parametrize(
    "text",
    [
        "2025-01-20",
        "Python 3.12 released",
        "pages 3-10",
        "2022-2023 report",
        "1:N conversions",
        "The 24h of compilers",
        "15 November 2022",
        "Friday, May 10",
        "Room 101",
        "Freitag, 2.9.2022",
        "pi is about 3.14 here",
        "In this long abstract sentence the speaker explains what happens at 5pm on a "
        "typical day of compiling, and why it matters to everyone in the room.",
    ],
)
def test_find_time_ignores_what_is_not_a_schedule_time(text):
    assert find_time(text) is None


def test_military_single_times_only_in_military_programmes():
    assert find_time("1400 Poster session") is None
    span = find_time("1400 Poster session", mil_style=True)
    assert span is not None and (span.start, span.end) == (14 * 60, None)


# -- headings and people ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "date", "month_day", "weekday", "day_number"),
    [
        ("MLIR Winter School, Day 1", "MLIR Winter School, Day 1", None, None, None, 1),
        ("Friday, May 10", None, None, (5, 10), 4, None),
        ("15 November 2022", None, dt.date(2022, 11, 15), None, None, None),
        ("Monday", None, None, None, 0, None),
        ("Mardi 14 mars", None, None, (3, 14), 1, None),
        ("Day 2 – Tuesday 3 June 2025", "Day 2", dt.date(2025, 6, 3), None, 1, 2),
        ("Monday: Tutorials", "Tutorials", None, None, 0, None),
    ],
)
def test_parse_heading(text, title, date, month_day, weekday, day_number):
    h = parse_heading(text)
    assert h is not None
    assert (h.title, h.date, h.month_day, h.weekday, h.day_number) == (
        title,
        date,
        month_day,
        weekday,
        day_number,
    )


@pytest.mark.parametrize(
    "text",
    ["Day 2 recap", "Sunday brunch at the venue", "ML Compilation Infrastructure Workshop"],
)
def test_not_a_heading(text):
    assert parse_heading(text) is None


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("Saday Sadayappan (U. of Utah)", [("Saday Sadayappan", "U. of Utah")]),
        ("Mathieu Fehr & Sasha Lopoukhine", [("Mathieu Fehr", None), ("Sasha Lopoukhine", None)]),
        (
            "Ada Lovelace, Alan Turing and Grace Hopper",
            [("Ada Lovelace", None), ("Alan Turing", None), ("Grace Hopper", None)],
        ),
        (
            "Paul Feautrier (ENS Lyon) et Cédric Bastoul",
            [("Paul Feautrier", "ENS Lyon"), ("Cédric Bastoul", None)],
        ),
        ("Jane Doe, MIT", [("Jane Doe", "MIT")]),
        ("Speakers: Jim Gray & Edgar Codd", [("Jim Gray", None), ("Edgar Codd", None)]),
        ("Each participant, one minute each", None),
        ("INRIA KAIROS", None),
        ("Opening Remarks", None),
        ("Install the MLIR LLVM distribution", None),
        # Honorifics and degrees are no part of names; a role after an honorific is kept.
        ("Prof. Dr. Bojana Kunst", [("Bojana Kunst", None)]),
        ("Jack L. Ferracane, PhD", [("Jack L. Ferracane", None)]),
        ("Vice Rector Johannes Meissl (mdw)", [("Johannes Meissl", "mdw")]),
        ("Valeria V. Gordan, DDS, MS", [("Valeria V. Gordan", None)]),
        (
            "Dr. Kurt W. Liedtke, Vorsitzender des Kuratoriums, Stuttgart",
            [("Kurt W. Liedtke", "Vorsitzender des Kuratoriums, Stuttgart")],
        ),
        (
            "Martine Legris (BdS de Lille), Meriam Belghith (Institut Pasteur de Tunis) & "
            "Association CAPEP",
            [
                ("Martine Legris", "BdS de Lille"),
                ("Meriam Belghith", "Institut Pasteur de Tunis"),
                ("Association CAPEP", None),
            ],
        ),
    ],
)
def test_people_list(text, people):
    assert people_list(text) == people


@pytest.mark.parametrize(
    "text",
    [
        "Pecha Kucha Szenenwechsel",
        "Workshops II",
        "Paper Session IV",
        "Thematische Arbeitsgruppen (weitere können dazukommen)",
    ],
)
def test_capitalized_words_alone_need_a_sign_of_a_person(text):
    assert people_list(text, evidence=True) is None


def test_sort_name_skips_particles_and_degrees():
    assert sort_name("Jonathan Van der Cruysse") == "Van der Cruysse, Jonathan"
    assert sort_name("Jack L. Ferracane, PhD") == "Ferracane, Jack L."


@pytest.mark.parametrize(
    ("text", "title", "names"),
    [
        ("Welcome by Grace Hopper", "Welcome", ["Grace Hopper"]),
        ("Keynote: Jane Doe (MIT)", "Keynote", ["Jane Doe"]),
        ("Jane Doe – Compilers for all", "Compilers for all", ["Jane Doe"]),
        (
            "Building compilers with MLIR Jane Doe, John Smith and Ada Lovelace",
            "Building compilers with MLIR",
            ["Jane Doe", "John Smith", "Ada Lovelace"],
        ),
        (
            "GPAT: A Generalized Packing Analysis and Transformation Caio Salvador Rohwedder, "
            "Nathan Henderson and José Nelson Amaral",
            "GPAT: A Generalized Packing Analysis and Transformation",
            ["Caio Salvador Rohwedder", "Nathan Henderson", "José Nelson Amaral"],
        ),
        (
            "Robust Program Specialization using Equality Saturation Jonathan Van der Cruysse "
            "and Christophe Dubach",
            "Robust Program Specialization using Equality Saturation",
            ["Jonathan Van der Cruysse", "Christophe Dubach"],
        ),
        (
            "Memory Consistency and Program Transformations Akshay Gopalakrishnan and Clark "
            "Verbrugge",
            "Memory Consistency and Program Transformations",
            ["Akshay Gopalakrishnan", "Clark Verbrugge"],
        ),
        (
            "Synthesis with Functional IR Tzung-Han Juang, Christof Schlaak and Christophe Dubach",
            "Synthesis with Functional IR",
            ["Tzung-Han Juang", "Christof Schlaak", "Christophe Dubach"],
        ),
    ],
)
def test_split_title_people(text, title, names):
    split = split_title_people(text, set())
    assert split is not None
    assert split[0] == title
    assert [name for name, _ in split[1]] == names


def test_a_quoted_title_after_its_speaker_and_role():
    split = split_title_people(
        "Hamada Madi Boléro, Secrétaire général de la COI : « Sécurité et relations "
        "internationales dans l’océan Indien »",
        set(),
    )
    assert split is not None
    assert split.title == "Sécurité et relations internationales dans l’océan Indien"
    assert split.people == [("Hamada Madi Boléro", "Secrétaire général de la COI")]


def test_unsure_splits_are_warnings_sure_ones_notes():
    sure = split_title_people("Memory Models Akshay Gopalakrishnan and Clark Verbrugge", set())
    assert sure is not None and sure.doubt is None and "Akshay Gopalakrishnan" in sure.how
    unsure = split_title_people("Control Flow Bangtian Liu and Avery Laird", set())
    assert unsure is not None and unsure.title == "Control Flow"
    assert "not a known given name: Bangtian Liu" in unsure.doubt


@pytest.mark.parametrize(
    "text",
    ["Engagement: Becoming Indispensable", "Pattern Recognition and Computer Vision",
     "Welcome addresses, with the Director of Bregenzer Festspiele"],
)  # fmt: skip
def test_titles_without_people_stay_whole(text):
    split = split_title_people(text, set())
    assert split is None or split.people == []


@pytest.mark.parametrize(
    ("title", "rest", "room"),
    [
        ("Welcome Reception @ Cromdale Hall, EICC", "Welcome Reception", "Cromdale Hall, EICC"),
        ("Déjeuner (S022-S023 )", "Déjeuner", "S022-S023"),
        ("Ouverture du forum (amphi Sciences 2 )", "Ouverture du forum", "amphi Sciences 2"),
        ("Film – to be decided – in the Auditorium", "Film – to be decided", "Auditorium"),
        ("Breakfast in the Dining Hall (self service)", "Breakfast (self service)", "Dining Hall"),
        ("Coffee, Cafeteria, ground floor", "Coffee", "Cafeteria, ground floor"),
        ("Lunch (arrange your own)", "Lunch (arrange your own)", None),
        ("Talk (45 min)", "Talk (45 min)", None),
    ],
)
def test_rooms_written_in_titles(title, rest, room):
    assert split_room(title) == (rest, room)


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Welcome Reception", "social"),
        ("Welcome drink", "social"),
        ("Covilhã city centre walking tour", "social"),
        ("5 à 7 facultaire", "social"),
        ("Concertes/Performances", "social"),
        ("Keynote and concert", "keynote"),
        ("lunch break with buffet and performance", "meal"),
        ("Reception and breakfast", "meal"),
        ("Registration and welcome coffee", "break"),
        ("Workshop 110min", "tutorial"),
        ("Workshops II", "tutorial"),
        ("Opening, introduction to the workshop programme", "other"),
        ("Kaffeepause", "break"),
        ("Gemeinsames Abendessen (Buffet)", "meal"),
        ("Invited Speaker", "keynote"),
        ("Parallel Sessions", "other"),
    ],
)
def test_kinds_from_title_words(title, kind):
    assert word_kind(title) == kind


@pytest.mark.parametrize(
    ("text", "month_day", "weekday"),
    [("Friday 9.3", (3, 9), 4), ("Montag 12. März", (3, 12), 0), ("Mercredi 19 nov", (11, 19), 2)],
)
def test_day_headings_without_a_year(text, month_day, weekday):
    heading = parse_heading(text)
    assert heading is not None
    assert (heading.month_day, heading.weekday) == (month_day, weekday)


@pytest.mark.parametrize(
    "text", ["(Stand 29.07.2022, wird laufend aktualisiert)", "End of Day 2", "Updated 3 May 2024"]
)
def test_revision_stamps_and_ends_of_days_are_not_days(text):
    assert parse_heading(text) is None


def test_table_rows_cells_on_lines_and_glued_times():
    programme = parse(
        "Monday\n| 20:00 - 22:30 | Keynote and concert | Fuerstensaal |\n"
        "12:00 - 13:00\n|\nDéjeuner (S022-S023 ) |\n|\n17:00 - 17:30Registration\n"
    )
    rooms = {r["id"]: r["name"] for r in programme.event["rooms"]}
    got = [(f"{i.start:%H:%M}", i.title, [rooms[r] for r in i.rooms]) for i in programme.items]
    assert got == [
        ("20:00", "Keynote and concert", ["Fuerstensaal"]),
        ("12:00", "Déjeuner", ["S022-S023"]),
        ("17:00", "Registration", []),
    ]
    assert any("parted times from the text glued to them" in n.message for n in programme.notes)


def test_german_sessions_are_reported_not_imported():
    programme = parse(
        "Tag 1\nSitzung 3: Moderation: Dr. Anna Schmidt\n09:00 Vortrag von Dr. Jens Maier\n"
    )
    assert [i.title for i in programme.items] == ["Vortrag"]
    assert any(
        n.line == 2 and "session heading 'Sitzung 3' with its chair Anna Schmidt" in n.message
        for n in programme.notes
    )


def test_german_text_is_german():
    programme = parse("Freitag, 2.9.2022\n14.00 Uhr Begrüßung und Kaffeepause mit Kuchen\n")
    assert programme.event["language"] == "de"


def test_slugs_strip_accents():
    assert slugify("Hélène Dupré-Noël") == "helene-dupre-noel"
    assert slugify("Jürgen Groß") == "jurgen-gross"


# -- the MLIR Winter School, end to end ---------------------------------------------------

MLIR_SCHEDULE = {
    "2025-01-27 ML Compilation Infrastructure Workshop": """
        08:45-10:00 | meal | Reception and breakfast
        10:00 | talk | @hugo-pompougnac
        10:00-10:40 | talk | @saday-sadayappan
        10:40-11:00 | talk | @kunwar-grover
        11:00-11:20 | break | Coffee break
        11:20-12:00 | talk | @jorn-tuyls
        12:00-12:40 | talk | @sylvain-noiry
        12:40-13:00 | talk | @sasha-lopoukhine
        13:00-14:30 | meal | Lunch and informal discussions
        14:30-15:10 | talk | @olivier-bichler
        15:10-15:50 | talk | @christophe-guillon
        15:50-16:10 | talk | @mathieu-fehr
        16:10-16:30 | break | Coffee break
        16:30-17:10 | talk | @dumitru-potop-butucaru
        17:10-18:10 | other
        18:10 | meal | Dinner
    """,
    "2025-01-28 MLIR Winter School, Day 1": """
        09:00-10:00 | talk | @mehdi-amini
        10:00-10:30 | break | Coffee break
        10:30-12:00 | talk | @mathieu-fehr | @sasha-lopoukhine
        12:00-14:00 | meal | Lunch and informal discussions
        14:00-15:30 | talk | @mathieu-fehr | @sasha-lopoukhine
        15:30-16:00 | break | Coffee break
        16:00-17:00 | other
        19:00 | meal | Dinner
    """,
    "2025-01-29 MLIR Winter School, Day 2": """
        09:00-10:00 | other
        10:00-10:30 | break | Coffee break
        10:30-12:00 | talk | @mehdi-amini
        12:00-14:00 | meal | Lunch and informal discussions
        14:00-15:30 | talk | @william-moses
        15:30-16:00 | break | Coffee break
        16:00-17:30 | talk | @marius-brehler
        19:00 | meal | Dinner
    """,
    "2025-01-30 MLIR Winter School, Day 3": """
        09:00-10:30 | talk | @alex-zinenko
        10:30-11:00 | break | Coffee break
        11:00-12:30 | talk | @alex-zinenko
        12:30-14:00 | meal | Lunch and informal discussions
        14:00-15:30 | talk | @alex-zinenko
        15:30-16:00 | break | Coffee break
        16:00-17:30 | talk | @matthias-springer
        19:00 | meal | Dinner
    """,
    "2025-01-31 MLIR Winter School, Day 4": """
        09:00-10:30 | talk | @mathieu-fehr
        10:30-11:00 | break | Coffee break
        11:00-12:30 | talk | @lorenzo-chelini
        12:30-14:00 | meal | Lunch and informal discussions
        14:00-15:30 | talk | @sasha-lopoukhine
        15:30-16:00 | break | Coffee break
        16:00-17:30 | talk | @kunwar-grover
        17:30 | talk | @fabrice-rastello
    """,
}


@pytest.fixture(scope="module")
def mlir_content(tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("mlir") / "content"
    result = run(
        "import",
        str(MLIR),
        "--out",
        str(out),
        "--start-date",
        "2025-01-27",
        "--timezone",
        "Europe/Paris",
    )
    return out, result


def test_mlir_import_exports_every_slot_of_the_source(mlir_content):
    out, result = mlir_content
    assert result.exit_code == 0, result.output
    exported = run("export", "json", str(out))
    assert exported.exit_code == 0, exported.output
    data = json.loads(exported.stdout)
    assert json_schedule(data) == {k: rows(v) for k, v in MLIR_SCHEDULE.items()}
    assert data["event"]["title"] == "MLIR Winter School 2025"
    assert data["event"]["timezone"] == "Europe/Paris"
    assert (data["event"]["start_date"], data["event"]["end_date"]) == ("2025-01-27", "2025-01-31")
    assert "Â" not in exported.stdout and "\u00a0" not in exported.stdout


def test_mlir_import_merges_people_and_keeps_affiliations(mlir_content):
    out, _ = mlir_content
    people = yaml.safe_load((out / "people.yaml").read_text(encoding="utf-8"))["people"]
    assert len(people) == 17  # Fehr, Lopoukhine, Grover, Amini and Zinenko appear repeatedly
    by_id = {p["id"]: p for p in people}
    assert by_id["mathieu-fehr"]["affiliation"] == "U. of Edinburgh"
    assert by_id["sasha-lopoukhine"]["affiliation"] == "U. of Cambridge"
    assert by_id["dumitru-potop-butucaru"]["sort_name"] == "Potop-Butucaru, Dumitru"
    assert "affiliation" not in by_id["alex-zinenko"]


def test_mlir_abstracts_are_markdown_paragraphs(mlir_content):
    out, _ = mlir_content
    files = sorted(p.name for p in (out / "abstracts").iterdir())
    assert len(files) == 19
    noiry = (out / "abstracts" / "noiry.md").read_text(encoding="utf-8")
    assert noiry.startswith("There are many reasons in favor of a code generation")
    assert noiry.count("\n\n") == 1  # two paragraphs, as two lines in the source
    reactive = (out / "abstracts" / "potop-butucaru.md").read_text(encoding="utf-8")
    assert reactive.count("\n\n") == 4
    assert "further extended, leveraging generic MLIR support" in reactive  # no-break space gone
    roundtable = (out / "abstracts" / "2025-01-27-1710.md").read_text(encoding="utf-8")
    assert roundtable == "Each participant, one minute each\n"
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "Â" not in text and "\u00a0" not in text, path


def test_mlir_files_are_readable_yaml_with_quoted_times(mlir_content):
    out, _ = mlir_content
    programme_text = (out / "programme.yaml").read_text(encoding="utf-8")
    assert programme_text.startswith("# The programme, imported by 'booklet import'")
    assert (
        "      # line 11: no time in the text; placed between its neighbours\n"
        '      - start: "11:00"\n'
        '        end: "11:20"\n'
        "        kind: break\n"
        "        title: Coffee break\n"
    ) in programme_text
    assert "      # line 56: TODO: the text names nothing for this slot\n" in programme_text
    data = yaml.safe_load(programme_text)
    first = data["days"][0]["items"][0]
    assert first == {
        "start": "08:45",
        "end": "10:00",
        "kind": "meal",
        "title": "Reception and breakfast",
    }
    event_text = (out / "event.yaml").read_text(encoding="utf-8")
    assert event_text.startswith("# Event-wide settings, imported by 'booklet import'")
    assert yaml.safe_load(event_text) == {
        "title": "MLIR Winter School 2025",
        "timezone": "Europe/Paris",
        "rooms": [{"id": "main", "name": "Main room"}],
    }


def test_mlir_import_report(mlir_content):
    out, result = mlir_content
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"Imported 'MLIR Winter School 2025' from {MLIR} into {out}: 5 days, 48 items, "
        "17 people, 19 abstracts; 29 notes, 2 warnings to check."
    )
    f = str(MLIR)
    for expected in [
        f"{f}: note: event title 'MLIR Winter School 2025' taken from the day headings and "
        "the file name (--title sets another)",
        f"{f}:1: note: took 'ML Compilation Infrastructure Workshop' as the title of the first "
        "day: it comes before the first item, and later days have headings",
        f"{f}:3: note: the item of Hugo Pompougnac starts at 10:00 with no end; left open-ended",
        f"{f}:11: note: 'Coffee break' has no time; placed between its neighbours at 11:00-11:20",
        f"{f}:40: note: replaced non-breaking or other special spaces with plain ones (line 40)",
        f"{f}:42: note: took 'Each participant, one minute each' as the description of the "
        "17:10-18:10 slot, not its title: this programme puts speakers, not titles, after times",
        f"{f}:43: note: 'Dinner' has no time; placed at 18:10 (after the day's last timed "
        "item), open-ended",
        f"{f}:44: note: dated 'MLIR Winter School, Day 1' 2025-01-28 (the day after the "
        "previous one)",
        f"{f}:52: note: repaired mis-encoded text: 'pm to 3:30pmÂ' -> 'pm to 3:30pm'",
        f"{f}:56: warning: the text names nothing for the 16:00-17:00 slot; imported as an "
        "untitled item of kind 'other'",
        f"{f}:57: note: 'Dinner' starts at 19:00 with no end; left open-ended",
        f"{f}:59: warning: the text names nothing for the 09:00-10:00 slot; imported as an "
        "untitled item of kind 'other'",
        f"{f}:104: note: the item of Fabrice Rastello starts at 17:30 with no end; left open-ended",
        f"{f}:106: note: repaired mis-encoded text: removed stray 'Â'",
    ]:
        assert expected in lines
    numbers = [int(line.split(":")[1]) for line in lines[1:] if line.split(":")[1].isdigit()]
    assert numbers == sorted(numbers)  # reported in source order


def test_mlir_import_checks(mlir_content):
    out, _ = mlir_content
    result = run("check", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "MLIR Winter School 2025: 5 days, 48 items (25 talks and tutorials), 17 speakers, 1 room"
    )
    assert load_programme(out).programme.days[0].title == "ML Compilation Infrastructure Workshop"


def test_mlir_without_start_date_writes_placeholders_and_warns(tmp_path):
    programme = TextReader(TextOptions(today=TODAY)).read(MLIR)
    assert [str(d.date) for d in programme.days] == [
        "2025-06-09",
        "2025-06-10",
        "2025-06-11",
        "2025-06-12",
        "2025-06-13",
    ]
    placeholder = [n for n in programme.warnings if "placeholder" in n.message]
    assert [n.line for n in placeholder] == [1, 44, 58, 72, 89]
    assert "run again with --start-date YYYY-MM-DD" in placeholder[0].message
    write_content(programme, tmp_path)
    text = (tmp_path / "programme.yaml").read_text(encoding="utf-8")
    assert "  # TODO: set the date (line 44: the text gives none)\n  - date: 2025-06-10\n" in text
    assert len(load_programme(tmp_path).programme.days) == 5


# -- other styles -------------------------------------------------------------------------


def test_meetup_24h_sessions_chairs_and_glued_speakers():
    programme = read("compilers-meetup-2024.txt")
    assert schedule(programme) == {
        "2024-05-10 -": rows("""
            09:00-10:00 | break | Registration and welcome coffee
            10:30-10:35 | other | Welcome | @grace-hopper
            10:35-11:00 | talk | The history of optimizing compilers | @john-backus
            11:00-11:30 | break | Coffee break
            11:30-12:30 | other | Panel: what should a compiler do? | @ada-lovelace
                | @alan-turing | @grace-hopper
            12:30-14:00 | meal | Lunch
            14:00-15:00 | keynote | Keynote: Parsing in practice | @niklaus-wirth
            16:00-18:00 | other | Hackathon
        """),
        "2024-05-11 -": rows("""
            09:30-10:30 | talk | Register allocation, revisited | @frances-allen | @john-backus
            17:30 | other | Closing remarks
        """),
    }
    people = {p.id: p for p in programme.people}
    assert people["frances-allen"].affiliation == "IBM Research"
    assert people["niklaus-wirth"].affiliation == "ETH Zürich"
    assert len(people) == 6  # Hopper, Allen and Backus twice each
    items = programme.days[0].items
    assert items[2].abstract == (
        "Compilers began as an act of faith: few believed a program could\n"
        "write machine code as good as a human's. This talk retells how\n"
        "FORTRAN proved them wrong."
    )
    assert items[6].abstract == (
        "Grammars are easy to write and hard to get right. We look at the\n"
        "practical side of parsing.\n\n"
        "Error recovery gets a section of its own, with examples from\n"
        "Pascal and Oberon."
    )
    assert programme.event["title"] == "Compilers Meetup 2024"
    assert messages(programme, "warning") == [
        "f:2: warning: not imported: 'Hosted by the Paris Compiler Club' (text above the "
        "programme; add it to event.yaml by hand if it matters)",
        "f:36: warning: not imported: 'Venue: Room 101, Building B' (text between a day "
        "heading and its first item; add it by hand if it matters)",
    ]
    assert "f:4: note: dated 2024-05-10 (year from line 1)" in messages(programme)
    # Sessions are no items: the heading and its chair are reported on their line.
    assert (
        "f:11: note: session heading 'Session 1' with its chair Frances Allen (IBM Research): "
        "not imported as an item (sessions are not imported yet; add it to programme.yaml by "
        "hand)" in messages(programme)
    )
    # Known given names make the cut of the glued speakers sure: a note, not a warning.
    assert (
        "f:20: note: split 'Panel: what should a compiler do? Ada Lovelace, Alan Turing and "
        "Grace Hopper' into the title 'Panel: what should a compiler do?' and the speakers Ada "
        "Lovelace, Alan Turing, Grace Hopper" in messages(programme)
    )


def test_french_programme_with_mojibake():
    programme = read("journee-compilation-fr.txt", timezone="Europe/Paris")
    assert schedule(programme) == {
        "2023-03-14 -": rows("""
            08:30-09:00 | other | Accueil des participants
            09:00 | other | Mot de bienvenue | @helene-dupre
            09:30-10:30 | talk | Compilation polyédrique : état de l'art | @paul-feautrier
                | @cedric-bastoul
            10:30-11:00 | break | Pause café
            11:00-12:00 | talk | Les dialectes MLIR | @albert-cohen
            12:00-13:30 | meal | Déjeuner
            14:00-15:30 | tutorial | Atelier : écrire une passe | @helene-dupre
            19:00 | meal | Dîner
        """),
        "2023-03-15 -": rows("""
            09:30 | other | Table ronde | @paul-feautrier | @albert-cohen | @helene-dupre
        """),
    }
    names = {p.id: p.name for p in programme.people}
    assert names["helene-dupre"] == "Hélène Dupré"  # the mis-encoded and the clean one: one person
    assert len(names) == 4
    assert programme.event["language"] == "fr"
    assert programme.event["timezone"] == "Europe/Paris"
    assert (
        "f:6: note: repaired mis-encoded text: 'nvenue par HÃ©lÃ¨ne DuprÃ©' -> "
        "'nvenue par Hélène Dupré'"
    ) in messages(programme)
    assert programme.days[0].items[4].abstract == "Une introduction aux dialectes et aux passes."
    assert programme.warnings == []


def test_one_day_military_times_without_heading_or_date(tmp_path):
    programme = read("robotics-one-day.txt")
    assert schedule(programme) == {
        "2025-06-09 -": rows("""
            08:00-08:30 | other | Registration
            08:30-09:00 | other | Opening address | @maria-gonzalez
            09:00-10:00 | talk | Swarm navigation in cluttered spaces | @kenji-watanabe
            10:00-10:30 | break | Coffee break
            10:30-12:00 | tutorial | Hands-on: programming the arm
            12:00-13:00 | meal | Lunch
            13:00-14:00 | talk | Sensor fusion for beginners | @kenji-watanabe
            14:00 | other | Poster session
            14:00 | meal | Dinner
        """),
    }
    assert programme.event["title"] == "Regional Robotics Workshop"
    assert messages(programme, "warning") == [
        "f:2: warning: the text gives no date for the first day; wrote the placeholder "
        "2025-06-09 (marked TODO): run again with --start-date YYYY-MM-DD, or set it in "
        "programme.yaml"
    ]
    assert (
        "f:12: note: 'Dinner' has no time; placed at 14:00 (after the day's last timed item), "
        "open-ended"
    ) in messages(programme)
    write_content(programme, tmp_path)
    assert load_programme(tmp_path).programme.days[0].date == dt.date(2025, 6, 9)


def test_weekday_headings_twelve_hour_clock_and_title_lines():
    programme = read("data-summit-weekdays.txt", start_date=dt.date(2024, 6, 3))
    assert schedule(programme) == {
        "2024-06-03 -": rows("""
            08:30-09:30 | meal | Breakfast and registration
            09:30-10:00 | keynote | Opening keynote | @edgar-codd | @jim-gray | @michael-stonebraker
            10:00-11:00 | talk | Query optimization in practice | @patricia-selinger
            12:00-13:00 | meal | Lunch
            13:30-14:15 | talk | Transactions for everyone | @jim-gray
            19:00 | meal | Dinner
        """),
        "2024-06-04 -": rows("""
            11:30-17:00 | other | Hackathon
            17:00 | social | Welcome reception
        """),
    }
    notes = messages(programme)
    assert "f:3: note: dated 'Monday' 2024-06-03 (from --start-date)" in notes
    assert (
        "f:13: note: read 01:30 as 13:30 (after 12:00, in a programme written with am/pm)" in notes
    )
    assert "f:18: note: dated 'Tuesday' 2024-06-04 (the next Tuesday)" in notes
    assert programme.days[0].items[2].abstract == (
        "We revisit the System R optimizer and ask what still holds."
    )


def test_dated_headings_sessions_and_empty_slots():
    programme = read("static-analysis-days.txt")
    assert schedule(programme) == {
        "2022-11-15 -": rows("""
            09:00-09:15 | other | Opening
            09:15-10:00 | talk | Abstract interpretation, forty years on | @radhia-cousot
            10:00-10:45 | talk | Widening without tears | @radhia-cousot
            10:45-11:00 | other
            11:00-12:00 | talk | Datalog for program analysis | @yannis-smaragdakis | @neville-grech
        """),
        "2022-11-16 -": rows("""
            09:00-10:30 | other | Tool demos
            14:00 | other | Closing
        """),
    }
    people = {p.id: p.affiliation for p in programme.people}
    assert people == {  # the sessions' chair chairs, and speaks nowhere
        "radhia-cousot": "CNRS",
        "yannis-smaragdakis": None,
        "neville-grech": None,
    }
    assert messages(programme, "warning") == [
        "f:4: warning: not imported: 'Rooms to be announced' (text between a day heading and "
        "its first item; add it by hand if it matters)",
        "f:7: warning: took 'Radhia Cousot' (named alone on another line) as the speaker; check it",
        "f:11: warning: the text names nothing for the 10:45-11:00 slot; imported as an "
        "untitled item of kind 'other'",
    ]


def test_untimed_items_share_the_gap_between_neighbours():
    programme = parse("09:00-10:00 Talk one\nCoffee break\nRegistration\n10:30-11:00 Talk two\n")
    assert schedule(programme)["2025-06-09 -"] == rows("""
        09:00-10:00 | other | Talk one
        10:00-10:15 | break | Coffee break
        10:15-10:30 | other | Registration
        10:30-11:00 | other | Talk two
    """)


def test_lines_that_fit_nowhere_are_reported_not_dropped():
    programme = parse(
        "Tiny Conf\nA second line above the programme\nChair: Nobody Special\n\n"
        "Monday 2 June 2025\nLunch\nBring your badge, please.\n\n"
        "Tuesday 3 June 2025\nSome note about rooms\n10:00-11:00 Talk\n"
    )
    assert messages(programme, "warning") == [
        "f:2: warning: not imported: 'A second line above the programme' (text above the "
        "programme; add it to event.yaml by hand if it matters)",
        "f:3: warning: not imported: 'Chair: Nobody Special' (no session or item before it)",
        "f:5: warning: no timed item under 'Monday 2 June 2025'; kept as an empty day",
        "f:6: warning: not imported: 'Lunch' (lines 6-7; its day has no times)",
        "f:10: warning: not imported: 'Some note about rooms' (text between a day heading "
        "and its first item; add it by hand if it matters)",
    ]


def test_year_inferred_from_weekday_when_the_text_has_none():
    programme = parse("Friday, May 10\n09:00-10:00 Talk\n")
    assert programme.days[0].date == dt.date(2024, 5, 10)  # the Friday nearest TODAY
    assert "f:1: note: dated 2024-05-10 (the year near today in which it is a Friday)" in messages(
        programme
    )


def test_windows_1252_file_is_read_and_reported(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("09:00-10:00 Caf\xe9 d'accueil\n10:00 Jos\xe9 Mart\xednez\n".encode("cp1252"))
    programme = TextReader(TextOptions(today=TODAY)).read(path)
    assert [i.title for i in programme.items] == ["Café d'accueil", None]
    assert programme.people[0].name == "José Martínez"
    assert programme.warnings[0].format("old.txt") == (
        "old.txt:1: warning: the file is not UTF-8; read it as Windows-1252 (check accents)"
    )


def test_nothing_to_import():
    with pytest.raises(NothingToImport):
        parse("Just a title\n\nand some words, no times at all.\n")


def test_render_files_names_abstracts_after_speakers_and_quotes_times():
    files = render_files(read("compilers-meetup-2024.txt"))
    assert sorted(files) == [
        "abstracts/backus-the-history-of-optimizing-compilers.md",
        "abstracts/wirth-keynote-parsing-in-practice.md",
        "event.yaml",
        "people.yaml",
        "programme.yaml",
    ]
    assert "Session 1" not in files["programme.yaml"]
    assert yaml.safe_load(files["programme.yaml"])["days"][0]["items"][4]["title"] == (
        "Panel: what should a compiler do?"
    )


# -- command line -------------------------------------------------------------------------


def test_cli_refuses_to_overwrite_without_force(tmp_path):
    (tmp_path / "event.yaml").write_text("title: Mine\n", encoding="utf-8")
    result = run("import", str(IMPORTS / "robotics-one-day.txt"), "--out", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path} already holds event.yaml (use --force to replace them, or --out "
        "to import into another folder)\n"
    )
    assert (tmp_path / "event.yaml").read_text(encoding="utf-8") == "title: Mine\n"
    assert not (tmp_path / "programme.yaml").exists()
    forced = run("import", str(IMPORTS / "robotics-one-day.txt"), "--out", str(tmp_path), "--force")
    assert forced.exit_code == 0, forced.output
    assert yaml.safe_load((tmp_path / "event.yaml").read_text(encoding="utf-8"))["title"] == (
        "Regional Robotics Workshop"
    )


def test_cli_options_and_errors(tmp_path):
    out = tmp_path / "content"
    result = run(
        "-q",
        "import",
        str(IMPORTS / "data-summit-weekdays.txt"),
        "--out",
        str(out),
        "--title",
        "DSS 2024",
        "--start-date",
        "2024-06-03",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # -q: only warnings, and this import has none
    event = yaml.safe_load((out / "event.yaml").read_text(encoding="utf-8"))
    assert (event["title"], event["timezone"]) == ("DSS 2024", "UTC")
    assert "timezone: UTC   # TODO: assumed" in (out / "event.yaml").read_text(encoding="utf-8")

    bad_zone = run("import", str(MLIR), "--out", str(tmp_path / "x"), "--timezone", "Mars/Base")
    assert bad_zone.exit_code == 2
    assert "unknown time zone 'Mars/Base'" in bad_zone.stderr
    assert run("import", str(tmp_path / "missing.txt")).exit_code == 2
    assert run("import", str(MLIR), "--start-date", "27/01/2025").exit_code == 2

    empty = tmp_path / "empty.txt"
    empty.write_text("A title\nno times here\n", encoding="utf-8")
    nothing = run("import", str(empty), "--out", str(tmp_path / "y"))
    assert nothing.exit_code == 1
    assert nothing.stderr.startswith(f"Error: found no time in {empty.name}, so nothing to import")
    assert not (tmp_path / "y").exists()


@pytest.mark.slow
def test_imported_content_builds(tmp_path):
    out = tmp_path / "content"
    assert run("import", str(IMPORTS / "robotics-one-day.txt"), "--out", str(out)).exit_code == 0
    result = run("build", str(out), "--out", str(tmp_path / "build"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build" / "programme.pdf").stat().st_size > 1000
