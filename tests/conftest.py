from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"

MINIMAL_EVENT = """\
title: Test Event
timezone: Europe/Paris
rooms:
  - id: a
    name: Room A
  - id: b
    name: Room B
"""

MINIMAL_PEOPLE = """\
people:
  - id: ada
    name: Ada Lovelace
  - id: alan
    name: Alan Turing
    affiliation: University of Manchester
"""

MINIMAL_PROGRAMME = """\
days:
  - date: 2025-03-01
    items:
      - start: "09:00"
        end: "10:00"
        title: First talk
        speakers: [ada]
        room: a
        abstract: Some words.
"""


def write_content(
    root: Path,
    event: str | None = MINIMAL_EVENT,
    people: str | None = MINIMAL_PEOPLE,
    programme: str | None = MINIMAL_PROGRAMME,
    files: dict[str, str] | None = None,
) -> Path:
    """Write a small content folder; None leaves a file out."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in (
        ("event.yaml", event),
        ("people.yaml", people),
        ("programme.yaml", programme),
    ):
        if text is not None:
            (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    for name, text in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def content_factory(tmp_path):
    def make(**kwargs) -> Path:
        return write_content(tmp_path / "content", **kwargs)

    return make


@pytest.fixture(scope="session")
def default_build(tmp_path_factory):
    """The default content built once for the whole session (booklet and kept HTML)."""
    from booklet.build import build

    out = tmp_path_factory.mktemp("default-build")
    result = build(CONTENT, out, keep_html=True)
    return out, result


@pytest.fixture(scope="session")
def multiroom_build(tmp_path_factory):
    from booklet.build import build

    out = tmp_path_factory.mktemp("multiroom-build")
    result = build(FIXTURES / "multiroom", out)
    return out, result


MAIL_PEOPLE = """\
people:
  - id: ada
    name: Ada Lovelace
    email: ada@example.org
  - id: alan
    name: Alan Turing
    affiliation: University of Manchester
    email: alan@example.org
  - id: grace
    name: Grace Hopper
"""

MAIL_PROGRAMME = """\
days:
  - date: 2025-03-01
    items:
      - start: "09:00"
        end: "10:00"
        title: First talk
        speakers: [ada]
        room: a
        abstract: Some words.
      - start: "10:00"
        end: "11:00"
        title: Machines that think
        speakers: [alan]
        room: b
        abstract: More words.
  - date: 2025-03-02
    items:
      - start: "14:30"
        end: "15:00"
        title: Compilers
        speakers: [grace, ada]
        room: a
        abstract: Words again.
"""


@pytest.fixture(scope="session")
def mail_booklet(tmp_path_factory):
    """A small event whose speakers have email addresses, its programme.pdf built once:
    (content folder, output folder, programme.pdf). Tests must not change the content."""
    from booklet.build import build

    root = tmp_path_factory.mktemp("mail-event")
    content = write_content(root / "content", people=MAIL_PEOPLE, programme=MAIL_PROGRAMME)
    out = root / "build"
    result = build(content, out, only=("booklet",), run_preflight=False)
    return content, out, result.outputs["booklet"]


# Generated events the completeness rule is tested on: small, with open-ended items and
# talks overlapping in a room; (talks, rooms, days, seed). One room, five, twelve, and a
# week of seven days (a two-page week at a glance).
GENERATED_EVENTS = [
    (6, 1, 2, 1),
    (24, 5, 3, 2),
    (30, 12, 2, 5),
    (20, 2, 7, 4),
    (30, 12, 2, 3),
]


@pytest.fixture(
    scope="session", params=GENERATED_EVENTS, ids=lambda p: "t{}-r{}-d{}-s{}".format(*p)
)
def generated_build(request, tmp_path_factory):
    """A generated event (bench/make_event.py, with quirks) built once for the session:
    (content folder, build folder)."""
    from bench.make_event import make_event
    from booklet.build import build

    talks, rooms, days, seed = request.param
    root = tmp_path_factory.mktemp(f"generated-{talks}-{rooms}-{days}-{seed}")
    content, out = root / "content", root / "build"
    make_event(content, talks=talks, rooms=rooms, days=days, attendees=0, seed=seed, quirks=True)
    build(content, out)
    return content, out


@pytest.fixture(scope="session")
def language_build(tmp_path_factory):
    """`language_build(tag)`: the default content built once per session in that language
    (booklet, signs and exports, with -j 2), with duplex badges; returns the output folder."""
    from click.testing import CliRunner

    from booklet.build import build
    from booklet.cli import cli

    built: dict[str, Path] = {}

    def get(tag: str) -> Path:
        if tag not in built:
            out = tmp_path_factory.mktemp(f"build-{tag}")
            build(
                CONTENT,
                out,
                only="booklet,signs,exports",
                jobs=2,
                language=tag,
                cache=False,
                run_preflight=False,
            )
            args = ["-q", "badges", str(CONTENT), "--out", str(out), "--duplex"]
            result = CliRunner().invoke(cli, [*args, "--language", tag], obj={})
            assert result.exit_code == 0, result.output
            built[tag] = out
        return built[tag]

    return get


@pytest.fixture(scope="session")
def sessions_build(tmp_path_factory):
    """The event with sessions, chairs, tracks and posters, built once (booklet, kept HTML)."""
    from booklet.build import build

    out = tmp_path_factory.mktemp("sessions-build")
    result = build(FIXTURES / "sessions", out, keep_html=True)
    return out, result
