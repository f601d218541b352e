"""bench/make_event.py: synthetic events that `booklet check` accepts without a warning."""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.make_event import ABSTRACT_WORDS, TITLE_WORDS, make_event, render_event, word_count
from booklet import fonts
from booklet.attendees import read_attendees
from booklet.cli import cli
from booklet.validate import load_programme

SMALL = {"talks": 40, "rooms": 8, "days": 5, "attendees": 120}
BIG = {"talks": 600, "rooms": 8, "days": 5, "attendees": 2000, "seed": 11}
SEEDS = (1, 2, 3)


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    """(arguments, folder, load result) for three small events and one of 600 talks."""
    out = []
    for options in [{**SMALL, "seed": seed} for seed in SEEDS] + [BIG]:
        folder = tmp_path_factory.mktemp(f"event-{options['talks']}-{options['seed']}")
        make_event(folder, **options)
        out.append((options, folder, load_programme(folder)))
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_no_errors_and_no_warnings(events):
    for options, _, result in events:
        assert [str(w) for w in result.warnings] == [], options


def test_booklet_check_command(events):
    _, folder, _ = events[0]
    result = CliRunner().invoke(cli, ["check", str(folder)], obj={})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "OK, 0 warnings."


def test_counts_match_the_arguments(events):
    for options, folder, result in events:
        p = result.programme
        talks = [i for i in p.items if i.kind == "talk"]
        assert len(talks) == options["talks"]
        assert len(p.days) == options["days"]
        assert len(p.rooms) == options["rooms"]
        assert len({r.id for t in talks for r in t.rooms}) == options["rooms"]
        for day in p.days:
            kinds = Counter(i.kind for i in day.items)
            assert kinds["keynote"] == 1 and kinds["meal"] >= 1, day.date
            assert all(i.all_rooms for i in day.items if i.kind in ("keynote", "break", "meal"))
        rows = (folder / "attendees.csv").read_text(encoding="utf-8").splitlines()
        assert rows[0] == "name,affiliation,role,pronouns,extra"
        assert p.event.badges.attendees == "attendees.csv"
        listed = read_attendees(folder / "attendees.csv")
        assert len(listed.attendees) == options["attendees"]
        assert listed.warnings == []


def test_attendee_roles(events):
    options, folder, result = events[-1]
    listed = read_attendees(folder / "attendees.csv")
    roles = Counter(a.role for a in listed.attendees)
    assert set(roles) == {"attendee", "speaker", "organizer", "staff"}
    assert 0.03 <= 1 - roles["attendee"] / options["attendees"] <= 0.07
    speakers = {p.name for p in result.programme.speakers}
    assert all(a.name in speakers for a in listed.attendees if a.role == "speaker")


def test_abstracts_and_titles(events):
    low, high = ABSTRACT_WORDS
    lengths = []
    for _, _, result in events:
        for item in result.programme.items:
            if item.is_presentation:
                assert low <= word_count(item.abstract) <= high, item.title
                assert TITLE_WORDS[0] <= len(item.title.split()) <= TITLE_WORDS[1]
                lengths.append(len(item.title.split()))
    assert min(lengths) <= 4 and max(lengths) >= 16  # varied, a few very long


def test_several_speakers_and_speakers_with_several_talks(events):
    for options, _, result in events:
        p = result.programme
        assert any(len(i.speakers) > 1 for i in p.items if i.kind == "talk"), options
        talks = Counter(s.id for i in p.items if i.is_presentation for s in i.speakers)
        assert max(talks.values()) > 1, options


def test_nobody_and_no_room_double_booked(events):
    for options, _, result in events:
        for day in result.programme.days:
            spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
            for item in day.items:
                end = item.end_minutes or item.start_minutes
                # Posters of a session hang side by side in its room: one booking of it.
                rooms = [] if item.is_poster and item.board != "1" else item.rooms
                for key in [("person", s.id) for s in item.speakers] + [
                    ("room", r.id) for r in rooms
                ]:
                    spans.setdefault(key, []).append((item.start_minutes, end))
            for session in day.sessions:  # a chair is not elsewhere while chairing
                end = session.end_minutes
                for person in session.chairs:
                    spans.setdefault(("person", person.id), []).append((session.start_minutes, end))
            for key, intervals in spans.items():
                intervals.sort()
                for (_, end), (start, _) in zip(intervals, intervals[1:], strict=False):
                    assert start >= end, (options, day.date, key)


def test_booklet_text_is_in_the_booklet_fonts(events):
    """Speakers, titles and abstracts: Latin, Greek, Cyrillic only (Source Serif and Sans)."""
    faces = fonts.SERIF + fonts.SANS
    _, _, result = events[-1]
    p = result.programme
    texts = [p.event.title, p.event.subtitle, p.event.city]
    texts += [t for person in p.people for t in (person.name, person.affiliation) if t]
    texts += [t for i in p.items for t in (i.title, i.abstract) if t]
    texts += [r.name for r in p.rooms] + [s.body for s in p.event.info]
    used = {c for text in texts for c in text if not c.isspace()}
    for face in faces:
        missing = sorted(c for c in used if ord(c) not in fonts.charmap(face))
        assert missing == [], face.key


def test_badge_names_are_in_the_bundled_fonts(events):
    """Arabic and Hebrew names use the bundled Noto fonts; CJK only comes with --cjk."""
    _, folder, _ = events[-1]
    bundled = tuple(f for f in fonts.chain("sans", 400) if f.path.parent.parent == fonts.FONTS_DIR)
    attendees = read_attendees(folder / "attendees.csv").attendees
    scripts = Counter()
    for a in attendees:
        for text in (a.name, a.affiliation or ""):
            assert fonts.missing_chars(text, bundled) == (), text
        scripts.update({_script(c) for c in a.name if c.isalpha()})
    assert {"LATIN", "GREEK", "CYRILLIC", "ARABIC", "HEBREW"} <= set(scripts)


def _script(ch: str) -> str:
    return unicodedata.name(ch).split()[0]  # 'GREEK SMALL LETTER ALPHA' -> 'GREEK'


def test_same_seed_same_files_different_seed_different_files(tmp_path):
    options = {"talks": 30, "rooms": 3, "days": 2, "attendees": 50}
    make_event(tmp_path / "a", seed=5, **options)
    make_event(tmp_path / "b", seed=5, **options)
    make_event(tmp_path / "c", seed=6, **options)
    a, b, c = (_files(tmp_path / name) for name in "abc")
    assert a == b
    assert a.keys() != c.keys() or any(a[name] != c[name] for name in a)
    assert a["programme.yaml"] != c["programme.yaml"]


def test_refuses_to_replace_files_unless_forced(tmp_path):
    make_event(tmp_path, talks=5, rooms=2, days=1, attendees=10)
    with pytest.raises(FileExistsError):
        make_event(tmp_path, talks=5, rooms=2, days=1, attendees=10)
    make_event(tmp_path, talks=5, rooms=2, days=1, attendees=10, force=True)


def test_too_many_talks_for_the_rooms():
    with pytest.raises(ValueError, match="add rooms or days"):
        render_event(talks=1000, rooms=2, days=1)


def test_sessions_tracks_chairs_and_posters(events):
    for options, _, result in events:
        p = result.programme
        assert [t.id for t in p.tracks][:2] == ["compilers", "languages"]
        assert all(t.colour.startswith("#") for t in p.tracks)
        talks = [i for i in p.items if i.kind == "talk"]
        assert all(t.session is not None and t.track is not None for t in talks), options
        assert all(i.session is None for i in p.items if i.kind != "talk" and not i.is_poster)
        posters = [s for s in p.sessions if s.is_poster_session]
        assert len(posters) == 1, options
        (poster_session,) = posters
        boards = [i.board for i in poster_session.items]
        assert boards == [str(n) for n in range(1, len(boards) + 1)] and len(boards) >= 4
        assert all(s.chairs for s in p.sessions), options
        assert any(len(s.chairs) == 2 for s in p.sessions) or len(p.sessions) < 20
        # each talk session stays in one room, of one track
        for session in p.sessions:
            assert len(session.rooms) == 1
            assert all(i.rooms == session.rooms for i in session.items)
