"""Sessions, chairs, tracks and posters in the content: the valid form and each problem,
located in its file."""

import datetime as dt

import pytest

from booklet.errors import ContentError
from booklet.validate import load_programme

from .conftest import FIXTURES, MINIMAL_EVENT

EVENT = (
    MINIMAL_EVENT
    + """\
tracks:
  - {id: comp, name: Compilers, colour: "#1F6"}
  - {id: sys, name: Systems}
"""
)


def errors_of(content):
    with pytest.raises(ContentError) as exc:
        load_programme(content)
    return [str(d) for d in exc.value.errors]


def warnings_of(content):
    return [str(w) for w in load_programme(content).warnings]


def programme(items: str) -> str:
    return "days:\n  - date: 2025-03-01\n    items:\n" + items


SESSION = """\
      - session:
          title: Morning
          chairs: [ada]
          track: comp
          room: a
          items:
            - {id: one, start: "09:00", end: "09:30", title: One, speakers: [alan], abstract: x}
            - {id: two, start: "09:30", end: "10:00", title: Two, speakers: [alan], abstract: x}
"""


def test_fixture_sessions_load_without_warnings():
    result = load_programme(FIXTURES / "sessions")
    assert result.warnings == []
    p = result.programme
    assert [s.id for s in p.sessions] == ["s1", "s2", "posters", "20250916-session-1"]
    s2 = p.session("s2")
    # an item of the day named by id joins the session, and takes its track
    assert [i.id for i in s2.items] == ["t-sched", "t-fs", "t-panel"]
    assert (s2.start, s2.end) == (dt.time(9, 30), dt.time(11))
    assert s2.chairs_line == "Moderators: Kit Barton and J. Nelson Amaral"
    panel = next(i for i in p.items if i.id == "t-panel")
    assert panel.session == "s2" and panel.track.id == "systems"
    posters = p.session("posters")
    assert posters.is_poster_session
    assert [i.board for i in posters.items] == ["2", "3", "10"]  # natural order
    assert posters.items[1].track.id == "compilers"  # an item's own track wins
    assert posters.track is None and posters.items[0].track.id == "systems"
    keynote = p.sessions[-1]
    assert keynote.rooms == p.rooms  # from its item, which is in every room
    assert [t.colour for t in p.tracks] == ["#1f6fb4", "#c0392b"]
    assert [c.id for c in p.chairs] == ["christophe", "kit", "nelson", "grace"]
    assert [s.id for s in p.sessions_chaired_by(p.chairs[2])] == ["s2", "posters"]
    solo = next(i for i in p.items if i.id == "t-solo")
    assert solo.session is None and solo.track.id == "systems"


def test_session_items_take_its_room_and_track(content_factory):
    p = load_programme(content_factory(event=EVENT, programme=programme(SESSION))).programme
    (session,) = p.sessions
    assert [r.id for r in session.rooms] == ["a"]
    assert all(i.rooms == session.rooms and i.track.id == "comp" for i in session.items)
    assert session.chair_role == "chair" and session.start == dt.time(9)
    assert p.tracks[0].colour == "#11ff66"
    assert p.tracks[1].colour.startswith("#")  # a palette colour when none is given


def test_event_chair_role_is_the_default(content_factory):
    event = EVENT + "chair_role: Convener\n"
    p = load_programme(content_factory(event=event, programme=programme(SESSION))).programme
    assert p.sessions[0].chairs_line == "Convener: Ada Lovelace"


def test_content_without_sessions_has_none(content_factory):
    p = load_programme(content_factory()).programme
    assert p.sessions == () and p.tracks == ()
    assert all(i.session is None and i.track is None for i in p.items)


def test_unknown_chair_is_located(content_factory):
    errs = errors_of(
        content_factory(event=EVENT, programme=programme(SESSION.replace("[ada]", "[adda]")))
    )
    assert len(errs) == 1
    assert (
        "programme.yaml:6:20: days[0].items[0].session.chairs[0]: unknown person 'adda'" in errs[0]
    )
    assert "did you mean 'ada'?" in errs[0]


def test_unknown_track_is_located(content_factory):
    errs = errors_of(
        content_factory(event=EVENT, programme=programme(SESSION.replace("comp\n", "compilerz\n")))
    )
    assert len(errs) == 1
    assert (
        "programme.yaml:7:18: days[0].items[0].session.track: unknown track 'compilerz'" in errs[0]
    )


def test_track_without_tracks_defined(content_factory):
    errs = errors_of(content_factory(programme=programme(SESSION)))
    assert "unknown track 'comp'" in errs[0] and "defined in event.yaml" in errs[0]


def test_bad_track_colour(content_factory):
    event = MINIMAL_EVENT + "tracks:\n  - {id: x, name: X, colour: blue}\n"
    errs = errors_of(content_factory(event=event))
    assert len(errs) == 1
    assert "event.yaml:9:30: tracks[0].colour: colour 'blue' is not a #rrggbb colour" in errs[0]


def test_item_in_two_sessions(content_factory):
    second = """\
      - session:
          title: Again
          start: "10:00"
          items: [two]
"""
    errs = errors_of(content_factory(event=EVENT, programme=programme(SESSION + second)))
    assert len(errs) == 1
    assert (
        "programme.yaml:15:19: days[0].items[1].session.items[0]: "
        "item 'two' is already in session 'Morning'" in errs[0]
    )


def test_item_named_by_id_must_exist(content_factory):
    second = "      - session: {title: Again, items: [tow]}\n"
    errs = errors_of(content_factory(event=EVENT, programme=programme(SESSION + second)))
    assert "days[0].items[1].session.items[0]: unknown item 'tow'" in errs[0]
    assert "did you mean 'two'?" in errs[0]


def test_item_in_another_room_warns(content_factory):
    text = SESSION.replace("title: Two, speakers", "title: Two, room: b, speakers")
    warns = warnings_of(content_factory(event=EVENT, programme=programme(text)))
    assert len(warns) == 1
    assert (
        "programme.yaml:11:15: days[0].items[0].session.items[1]: "
        "'Two' is in Room B, not in its session 'Morning' (Room A)" in warns[0]
    )


def test_item_outside_the_span_warns(content_factory):
    text = SESSION.replace(
        "room: a\n", 'room: a\n          start: "09:00"\n          end: "09:45"\n'
    )
    warns = warnings_of(content_factory(event=EVENT, programme=programme(text)))
    assert len(warns) == 1
    assert (
        "programme.yaml:13:15: days[0].items[0].session.items[1]: "
        "'Two' (09:30-10:00) is outside its session 'Morning' (09:00-09:45)" in warns[0]
    )


def test_session_needs_items_or_a_start(content_factory):
    errs = errors_of(
        content_factory(programme=programme("      - session: {title: Empty, items: []}\n"))
    )
    assert "days[0].items[0].session: session 'Empty' has no items and no start" in errs[0]


def test_session_needs_a_title(content_factory):
    errs = errors_of(content_factory(programme=programme("      - session: {items: []}\n")))
    assert "programme.yaml:4:18: days[0].items[0].session: missing required key 'title'" in errs[0]


def test_unknown_session_key(content_factory):
    errs = errors_of(
        content_factory(
            programme=programme("      - session: {title: T, chair: [ada], items: []}\n")
        )
    )
    assert "unknown key 'chair'" in errs[0] and "did you mean 'chairs'?" in errs[0]


def test_duplicate_session_id(content_factory):
    twice = "      - session: {id: s, title: A, start: '09:00', items: []}\n" * 2
    errs = errors_of(content_factory(programme=programme(twice)))
    assert "programme.yaml:5:23: days[0].items[1].session.id: duplicate session id 's'" in errs[0]


POSTERS = """\
      - session:
          title: Posters
          room: b
          items:
            - {start: "12:00", end: "13:00", kind: poster, board: "1", title: P1,
               speakers: [ada], abstract: x}
            - {start: "12:00", end: "13:00", kind: poster, board: "B", title: P2,
               speakers: [alan], abstract: x}
"""


def test_posters_share_their_room_without_warnings(content_factory):
    result = load_programme(content_factory(programme=programme(POSTERS)))
    assert result.warnings == []
    assert result.programme.sessions[0].is_poster_session


def test_duplicate_board(content_factory):
    errs = errors_of(content_factory(programme=programme(POSTERS.replace('"B"', '"1"'))))
    assert len(errs) == 1
    assert (
        "programme.yaml:10:15: days[0].items[0].session.items[1]: "
        "board '1' is taken twice in session 'Posters'" in errs[0]
    )


def test_poster_without_board_warns(content_factory):
    warns = warnings_of(content_factory(programme=programme(POSTERS.replace('board: "B", ', ""))))
    assert len(warns) == 1 and "poster 'P2' has no board number" in warns[0]


def test_board_on_a_talk_is_an_error(content_factory):
    text = '      - {start: "09:00", title: T, board: "4", speakers: [ada], abstract: x}\n'
    errs = errors_of(content_factory(programme=programme(text)))
    assert "days[0].items[0].board: a board number on a talk" in errs[0]


def test_items_inside_sessions_count_toward_the_limit(content_factory):
    from booklet.sources import Limits

    content = content_factory(event=EVENT, programme=programme(SESSION))
    with pytest.raises(ContentError) as exc:
        load_programme(content, limits=Limits(max_items=1))
    assert "the programme has over 1 items" in str(exc.value.errors[0])
    assert load_programme(content, limits=Limits(max_items=3)).programme.sessions
