"""Attendee lists: CSV and YAML reading, clear errors with file:line, the programme's people."""

from __future__ import annotations

from pathlib import Path

import pytest

from booklet.attendees import from_programme, load_attendees, read_attendees, split_name
from booklet.errors import ContentError
from booklet.validate import load_programme

from .conftest import CONTENT, FIXTURES, MINIMAL_EVENT

ATTENDEES = FIXTURES / "attendees"


def _error(path: Path) -> ContentError:
    with pytest.raises(ContentError) as info:
        read_attendees(path)
    return info.value


def test_csv_columns_and_name_split():
    listed = read_attendees(ATTENDEES / "mixed.csv")
    people = listed.attendees
    assert len(people) == 10
    ada = people[0]
    assert (ada.name, ada.given_name, ada.family_name) == ("Ada Lovelace", "Ada", "Lovelace")
    assert (ada.affiliation, ada.role, ada.pronouns, ada.extra) == (
        "Analytical Engine Society",
        "speaker",
        "she/her",
        None,
    )
    assert ada.location.line == 2 and ada.location.path == ATTENDEES / "mixed.csv"
    bo = people[1]
    assert (bo.big_name, bo.small_name, bo.affiliation, bo.role) == ("Bo", "", None, "attendee")
    quoted = people[3]  # the affiliation holds a comma inside quotes
    assert quoted.affiliation.endswith("Laboratoire d'Informatique (LIX)")
    assert quoted.family_name == "Rochefoucauld-Montmorency"
    assert listed.warnings == []


def test_csv_semicolons_aliases_and_name_parts():
    listed = read_attendees(ATTENDEES / "parts.csv")
    ada, maria, madonna = listed.attendees
    assert (ada.name, ada.role) == ("Ada Lovelace", "speaker")
    assert ada.affiliation == "Analytical Engine Society"
    assert (maria.given_name, maria.family_name) == ("Maria Magdalena", "van der Berg")
    assert maria.name == "Maria Magdalena van der Berg"
    assert maria.affiliation == 'Universiteit "Leiden"'
    assert (madonna.name, madonna.big_name, madonna.location.line) == ("Madonna", "Madonna", 5)
    # The E-mail column is read as `email`, for `booklet mail`; badges do not print it.
    assert [a.email for a in listed.attendees] == ["ada@example.org", "m@example.org", None]
    assert listed.warnings == []


def test_yaml_attendees():
    listed = read_attendees(ATTENDEES / "attendees.yaml")
    names = [(a.name, a.given_name, a.family_name) for a in listed.attendees]
    assert names == [
        ("Ada Lovelace", "Ada", "Lovelace"),
        ("Grace Hopper", "Grace", "Hopper"),
        ("Alan Turing", "Alan", "Turing"),
        ("Mathieu Fehr", "Mathieu", "Fehr"),
    ]
    assert listed.attendees[1].extra == "Keynote dinner"
    assert listed.attendees[3].id == "mathieu-fehr"
    assert listed.attendees[1].location.line == 7


def test_yaml_unknown_key_points_at_it(tmp_path):
    path = tmp_path / "people.yaml"
    path.write_text("- name: Ada\n  afiliation: INRIA\n", encoding="utf-8")
    error = _error(path)
    assert [str(d) for d in error.errors] == [
        f"{path}:2:3: attendees[0].afiliation: unknown column 'afiliation' "
        "(did you mean 'affiliation'?)"
    ]


def test_missing_name_column():
    error = _error(ATTENDEES / "no-name-column.csv")
    assert str(error.errors[0]) == (
        f"{ATTENDEES / 'no-name-column.csv'}:1: missing column 'name' (the header needs "
        "'name' (or 'given_name' and 'family_name'); found 'affiliation', 'role')"
    )


def test_wrong_encoding_names_line_and_column():
    error = _error(ATTENDEES / "latin1.csv")
    assert str(error.errors[0]) == (
        f"{ATTENDEES / 'latin1.csv'}:3:4: file is not valid UTF-8 (byte 0xe9) "
        "(save it as UTF-8; it may be Latin-1 or Windows-1252)"
    )


def test_utf16_is_refused(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("name\nAda\n".encode("utf-16"))
    assert "UTF-16" in str(_error(path).errors[0])


@pytest.mark.parametrize(
    ("name", "message"),
    [("empty.csv", "the attendee file is empty"), ("header-only.csv", "no attendees in the file")],
)
def test_empty_files(name, message):
    error = _error(ATTENDEES / name)
    assert error.errors[0].what == message
    assert error.errors[0].hint.startswith("the first line names the columns")


def test_bad_rows_are_all_reported_with_their_lines():
    error = _error(ATTENDEES / "bad-rows.csv")
    path = ATTENDEES / "bad-rows.csv"
    # Grace Hopper's quoted name spans lines 3-4, so Alan Turing is on line 5.
    assert [str(d) for d in error.errors] == [
        f"{path}:5: line has 3 fields, the header has 2 (put quotes around values that "
        "contain ',')",
        f"{path}:6: attendee without a name (fill in the name column)",
    ]


def test_typos_in_columns_and_roles():
    error = _error(ATTENDEES / "typo-column.csv")
    assert error.errors[0].what == "unknown column 'affilation'"
    assert error.errors[0].hint == "did you mean 'affiliation'?"
    listed = read_attendees(ATTENDEES / "typo-role.csv")
    assert [(w.severity, w.what, w.hint) for w in listed.warnings] == [
        ("warning", "unknown role 'speeker'", "did you mean 'speaker'?")
    ]


def test_duplicates_are_warned(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("name\nAda Lovelace\nAlan Turing\nada lovelace\n", encoding="utf-8")
    listed = read_attendees(path)
    assert len(listed.attendees) == 3
    assert listed.warnings[0].what == "ada lovelace is listed twice (also at line 2)"


def test_unknown_format_and_missing_file(tmp_path):
    (tmp_path / "list.xlsx").write_bytes(b"PK")
    assert "cannot read attendees from a '.xlsx' file" in str(_error(tmp_path / "list.xlsx"))
    assert "attendee file not found" in str(_error(tmp_path / "nope.csv"))


def test_split_name():
    assert split_name("Ada King Lovelace") == ("Ada King", "Lovelace")
    assert split_name("Madonna") == ("Madonna", "")


def test_people_of_the_programme_get_badges_sorted_by_family_name():
    programme = load_programme(CONTENT).programme
    people = from_programme(programme, CONTENT)
    assert len(people) == len(programme.people)
    family = [a.family_name for a in people]
    assert family == sorted(family, key=str.casefold)
    fehr = next(a for a in people if a.id == "mathieu-fehr")
    assert (fehr.given_name, fehr.family_name, fehr.role) == ("Mathieu", "Fehr", "speaker")
    assert fehr.affiliation == "University of Edinburgh"


def test_organizers_named_only_in_event_yaml_get_badges(content_factory):
    event = MINIMAL_EVENT + "organizers: [Jane Doe, Ada Lovelace]\n"
    programme = load_programme(content_factory(event=event)).programme
    people = from_programme(programme)
    roles = {a.name: a.role for a in people}
    assert roles == {"Ada Lovelace": "speaker", "Alan Turing": "speaker", "Jane Doe": "organizer"}


def test_load_attendees_uses_the_setting(content_factory):
    event = MINIMAL_EVENT + "badges:\n  attendees: guests.csv\n"
    root = content_factory(event=event, files={"guests.csv": "name\nGrace Hopper\n"})
    programme = load_programme(root).programme
    listed = load_attendees(programme, root)
    assert [a.name for a in listed.attendees] == ["Grace Hopper"]
    # An explicit file wins over the setting.
    listed = load_attendees(programme, root, ATTENDEES / "typo-role.csv")
    assert [a.name for a in listed.attendees] == ["Ada Lovelace"]
