"""Sessions on door signs (the session and its chairs) and badge backs (sessions chaired)."""

from __future__ import annotations

import io

import pdfplumber
import pypdf
import pytest

from booklet.attendees import make_attendee
from booklet.render import badges as B
from booklet.render.signs import render_signs, signs_for
from booklet.validate import load_programme

from .conftest import FIXTURES
from .pdfutil import squash


@pytest.fixture(scope="module")
def programme():
    return load_programme(FIXTURES / "sessions").programme


def test_signs_name_the_session_and_its_chairs(programme):
    rendered = render_signs(programme)
    reader = pypdf.PdfReader(io.BytesIO(rendered.pdf))
    texts = {
        (s.room.id, str(s.day.date)): squash(page.extract_text())
        for s, page in zip(rendered.signs, reader.pages, strict=True)
    }
    hall_a = texts[("a", "2025-09-15")]
    assert squash("Session 1: Compilers · Chair: Christophe Dubach") in hall_a
    assert hall_a.count(squash("Session 1: Compilers")) == 1  # once, on its first row
    hall_b = texts[("b", "2025-09-15")]
    assert squash("Moderators: Kit Barton and J. Nelson Amaral") in hall_b
    foyer = texts[("foyer", "2025-09-15")]
    assert squash("Poster session: 3 posters") in foyer
    assert squash("Chair: J. Nelson Amaral") in foyer
    assert squash("Typed assembly") not in foyer  # the posters are one row


def test_a_poster_session_is_one_row_of_its_sign(programme):
    foyer = next(s for s in signs_for(programme) if s.room.id == "foyer")
    assert [i.id for i in foyer.items if i.is_poster] == ["p-2"]


def back_text(programme, attendee) -> str:
    layout = B.PRESETS["a7-8up"]
    rendered = B.render_badges(programme, [attendee], layout, duplex=True)
    with pdfplumber.open(io.BytesIO(rendered.pdf)) as doc:
        back = doc.pages[1]
        x, y, w, h = layout.rect(0, back=True)
        box = (x, back.height - y - h, x + w, back.height - y)
        return back.within_bbox(box).extract_text()


def test_badge_back_lists_the_sessions_a_person_chairs(programme):
    # chairs and speaks: both, in time order
    text = back_text(programme, make_attendee("J. Nelson Amaral", id="nelson"))
    lines = text.splitlines()
    assert "Your sessions" in text
    welcome = next(k for k, line in enumerate(lines) if line == "Welcome")
    moderator = lines.index("Moderator: Session 2: Operating systems")
    chair = lines.index("Chair: Poster session")
    assert welcome < moderator < chair
    assert "Mon 15 Sep · 11:30–12:30 · Foyer" in text
    # chairs only
    text = back_text(programme, make_attendee("Grace Hopper", id="grace"))
    assert "Your sessions" in text and "Chair: Keynote session" in text
    assert "Schedulers" in text  # her talk too
    # neither: the practical information (the event has none: an empty back)
    text = back_text(programme, make_attendee("Somebody Else"))
    assert "Your sessions" not in text
