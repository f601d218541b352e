import datetime as dt

import pytest

from booklet.errors import ContentError
from booklet.validate import load_programme


def errors_of(content):
    with pytest.raises(ContentError) as exc:
        load_programme(content)
    return [str(d) for d in exc.value.errors]


def warnings_of(content):
    return [str(w) for w in load_programme(content).warnings]


def programme_with(items: str) -> str:
    return "days:\n  - date: 2025-03-01\n    items:\n" + items


def test_minimal_content_loads(content_factory):
    content = content_factory()
    result = load_programme(content)
    p = result.programme
    assert result.warnings == []
    assert p.event.title == "Test Event"
    (item,) = p.items
    assert item.start == dt.time(9) and item.end == dt.time(10)
    assert [s.name for s in item.speakers] == ["Ada Lovelace"]
    assert [r.name for r in item.rooms] == ["Room A"] and not item.all_rooms
    assert p.people[1].sort_name == "Turing, Alan"


def test_unknown_key_with_did_you_mean(content_factory):
    content = content_factory(
        programme=programme_with('      - start: "09:00"\n        titel: Oops\n')
    )
    assert errors_of(content) == [
        f"{content}/programme.yaml:5:9: days[0].items[0].titel: unknown key 'titel' "
        "(did you mean 'title'?)"
    ]


def test_wrong_type(content_factory):
    content = content_factory(
        programme=programme_with('      - start: "09:00"\n        title: [a, b]\n')
    )
    assert errors_of(content) == [
        f"{content}/programme.yaml:5:16: days[0].items[0].title: expected text, got a list"
    ]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (
            '"25:00"',
            None,
            "4:16: days[0].items[0].start: bad time '25:00' "
            '(use HH:MM on the 24-hour clock, in quotes, e.g. "14:30")',
        ),
        (
            '"10:00"',
            '"09:30"',
            "5:14: days[0].items[0].end: end 09:30 is not after start 10:00 "
            "(items end on the day they start; check am/pm)",
        ),
        (
            '"ten"',
            None,
            "4:16: days[0].items[0].start: bad time 'ten' "
            '(use HH:MM on the 24-hour clock, in quotes, e.g. "14:30")',
        ),
    ],
)
def test_bad_times(content_factory, start, end, message):
    items = f"      - start: {start}\n" + (f"        end: {end}\n" if end else "")
    content = content_factory(programme=programme_with(items))
    assert errors_of(content) == [f"{content}/programme.yaml:{message}"]


def test_unknown_person_and_room(content_factory):
    content = content_factory(
        programme=programme_with(
            '      - start: "09:00"\n        speakers: [adaa, nobody]\n        room: Hall C\n'
        )
    )
    assert errors_of(content) == [
        f"{content}/programme.yaml:5:20: days[0].items[0].speakers[0]: unknown person 'adaa' "
        "(did you mean 'ada'?)",
        f"{content}/programme.yaml:5:26: days[0].items[0].speakers[1]: unknown person 'nobody' "
        "(known: ada, alan (people are defined in people.yaml))",
        f"{content}/programme.yaml:6:15: days[0].items[0].room: unknown room 'Hall C' "
        "(known: Room A, Room B, a, b)",
    ]


def test_duplicate_ids(content_factory):
    content = content_factory(
        people="people:\n  - id: ada\n    name: Ada\n  - id: ada\n    name: Ada again\n",
        programme=programme_with(
            '      - {id: x, start: "09:00"}\n      - {id: x, start: "10:00"}\n'
        ),
    )
    assert errors_of(content) == [
        f"{content}/people.yaml:4:9: people[1].id: duplicate person id 'ada' "
        "(each person is defined once; refer to them by id)",
        f"{content}/programme.yaml:5:14: days[0].items[1].id: duplicate item id 'x' "
        "(already used by days[0].items[0])",
    ]


def test_missing_files_and_yaml_errors_are_collected(content_factory):
    content = content_factory(event="title: [oops\n", programme=None)
    errors = errors_of(content)
    assert len(errors) == 2
    assert errors[0].startswith(f"{content}/event.yaml:2:1: YAML syntax error")
    assert errors[1] == (
        f"{content}/programme.yaml: programme.yaml not found (every content folder needs "
        "event.yaml and programme.yaml (start one with 'booklet import' or copy the example "
        "in the README))"
    )


def test_all_errors_reported_together(content_factory):
    content = content_factory(
        programme=programme_with(
            '      - start: "99:00"\n      - start: "09:00"\n        kind: tlak\n'
        )
    )
    errors = errors_of(content)
    assert len(errors) == 2
    assert "unknown kind 'tlak' (did you mean 'talk'?)" in errors[1]


def test_overlap_in_same_room_and_speaker_in_two_places(content_factory):
    content = content_factory(
        programme=programme_with(
            '      - {start: "09:00", end: "10:00", title: A, room: a, speakers: [ada],'
            " abstract: x}\n"
            '      - {start: "09:30", end: "10:30", title: B, room: a, abstract: x}\n'
            '      - {start: "09:45", end: "10:15", title: C, room: b, speakers: [ada],'
            " abstract: x}\n"
        )
    )
    assert warnings_of(content) == [
        f"{content}/programme.yaml:5:9: days[0].items[1]: overlaps 'A' (09:00-10:00) in Room A "
        "(two items cannot share a room at the same time)",
        f"{content}/programme.yaml:6:9: days[0].items[2]: Ada Lovelace is also in 'A' "
        "(09:00-10:00) at that time (a speaker cannot be in two places at once)",
    ]


def test_open_ended_item_starting_with_another_is_no_overlap(content_factory):
    content = content_factory(
        programme=programme_with(
            '      - {start: "10:00", kind: other, title: Opening, room: a}\n'
            '      - {start: "10:00", end: "10:40", title: Talk, room: a, abstract: x}\n'
        )
    )
    assert warnings_of(content) == []


def test_talk_without_title_or_abstract(content_factory):
    content = content_factory(
        programme=programme_with(
            '      - {start: "09:00", end: "10:00", speakers: [alan], room: a}\n'
        )
    )
    assert warnings_of(content) == [
        f"{content}/programme.yaml:4:9: days[0].items[0]: talk has no title "
        "(the booklet will lead with the speaker's name)",
        f"{content}/programme.yaml:4:9: days[0].items[0]: talk 'Alan Turing' has no abstract "
        "(add 'abstract' or 'abstract_file')",
    ]


def test_item_hours_away_from_the_rest(content_factory):
    items = (
        "".join(
            f'      - {{start: "{h}", end: "{e}", kind: other, title: T{h[:2]}}}\n'
            for h, e in (("09:00", "10:00"), ("10:00", "11:00"), ("11:00", "12:00"))
        )
        + '      - {start: "03:00", end: "04:00", kind: other, title: Typo}\n'
    )
    content = content_factory(programme=programme_with(items))
    assert warnings_of(content) == [
        f"{content}/programme.yaml:7:9: days[0].items[3]: starts at 03:00, 5 h 00 min away from "
        "the day's other items (check the time (am/pm?))"
    ]


def test_items_sorted_and_all_rooms(content_factory):
    content = content_factory(
        programme=programme_with(
            '      - {start: "11:00", end: "11:30", kind: break, title: Coffee}\n'
            '      - {start: "09:00", end: "10:00", kind: other, title: Early, room: b}\n'
        )
    )
    p = load_programme(content).programme
    assert [i.title for i in p.items] == ["Early", "Coffee"]
    coffee = p.items[1]
    assert coffee.all_rooms and [r.id for r in coffee.rooms] == ["a", "b"]


def test_abstract_file_outside_content_is_refused(content_factory, tmp_path):
    (tmp_path / "secret.md").write_text("secret")
    content = content_factory(
        programme=programme_with(
            '      - {start: "09:00", title: T, abstract_file: ../secret.md}\n'
        )
    )
    assert errors_of(content) == [
        f"{content}/programme.yaml:4:51: days[0].items[0].abstract_file: file '../secret.md' "
        "is outside the content folder (give a path relative to the content folder, "
        "without '..')"
    ]


def test_abstract_file_is_read(content_factory):
    content = content_factory(
        programme=programme_with(
            '      - {start: "09:00", title: T, abstract_file: abstracts/t.md}\n'
        ),
        files={"abstracts/t.md": "First *paragraph*.\n\nSecond.\n"},
    )
    (item,) = load_programme(content).programme.items
    assert item.abstract == "First *paragraph*.\n\nSecond."


def test_control_characters_removed_with_warning(content_factory):
    content = content_factory(
        programme=programme_with(
            '      - {start: "09:00", kind: other, title: "Evil\\u202Eeman"}\n'
        )
    )
    result = load_programme(content)
    assert result.programme.items[0].title == "Evileman"
    assert [str(w) for w in result.warnings] == [
        f"{content}/programme.yaml:4:46: days[0].items[0].title: removed invisible control "
        "characters U+202E (they can reorder or hide text when printed)"
    ]


def test_empty_folder(tmp_path):
    (tmp_path / "c").mkdir()
    errors = errors_of(tmp_path / "c")
    assert [e.split(":", 1)[1] for e in errors] == [
        " event.yaml not found (every content folder needs event.yaml and programme.yaml "
        "(start one with 'booklet import' or copy the example in the README))",
        " programme.yaml not found (every content folder needs event.yaml and programme.yaml "
        "(start one with 'booklet import' or copy the example in the README))",
    ]
