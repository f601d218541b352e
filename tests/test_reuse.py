"""A build keeps the outputs that nothing they are made from changed (`booklet.reuse`), and
makes again those a change affects: the files are then what a build from nothing writes."""

import dataclasses
import shutil

import pytest

from booklet import build as build_module
from booklet.build import CACHE
from booklet.outputs import load_registry
from booklet.reuse import RECORD

from .conftest import CONTENT, FIXTURES
from .pdfutil import Pdf

pytestmark = pytest.mark.slow


@pytest.fixture
def ran():
    """The outputs each build runs (in this process: the builds run with jobs=1)."""
    return []


@pytest.fixture
def build(ran):
    """`booklet.build.build` with a registry whose outputs note in `ran` that they ran."""
    registry = load_registry()
    for output in registry:

        def counted(task, run=output.run, name=output.name):
            ran.append(name)
            return run(task)

        registry = registry.with_output(dataclasses.replace(output, run=counted))
    order = [o.name for o in load_registry()]
    registry = dataclasses.replace(
        registry, outputs=tuple(sorted(registry.outputs, key=lambda o: order.index(o.name)))
    )
    return lambda *args, **kwargs: build_module.build(*args, registry=registry, **kwargs)


@pytest.fixture
def event(tmp_path, monkeypatch):
    """The default event and an attendee list, copied to be edited."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1737936000")
    content, guests = tmp_path / "content", tmp_path / "guests.csv"
    shutil.copytree(CONTENT, content)
    shutil.copy(FIXTURES / "attendees" / "typo-role.csv", guests)
    return content, guests


def test_an_unchanged_rebuild_keeps_every_output(tmp_path, event, ran, build):
    content, guests = event
    out = tmp_path / "out"
    first = build(content, out, attendees=guests, jobs=1)
    assert sorted(ran) == sorted(o.name for o in load_registry() if o.default)
    assert first.kept == set()
    # the badges job's own warning (a role misspelt), said again when the badges are kept
    job_warnings = [str(w) for w in first.warnings if "guests.csv" in str(w)]
    assert job_warnings
    times = {name: path.stat().st_mtime_ns for name, path in first.outputs.items()}
    ran.clear()

    again = build(content, out, attendees=guests, jobs=1)
    assert ran == []
    assert again.kept == set(first.outputs)
    assert again.outputs == first.outputs  # the same files, in the same order
    assert {name: path.stat().st_mtime_ns for name, path in again.outputs.items()} == times
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings]
    assert again.pages == first.pages == len(Pdf(out / "programme.pdf"))
    assert again.preflight.files == first.preflight.files
    assert again.preflight.summary == first.preflight.summary


def test_an_edit_makes_again_only_the_outputs_it_affects(tmp_path, event, ran, build):
    content, guests = event
    out = tmp_path / "out"
    build(content, out, attendees=guests, jobs=1)

    abstract = sorted((content / "abstracts").glob("*.md"))[0]
    abstract.write_text(abstract.read_text() + "\nA sentence added by the test.\n")
    ran.clear()
    result = build(content, out, attendees=guests, jobs=1)
    assert ran == ["booklet", "exports"]
    assert result.kept == {"badges", "signs"}
    assert Pdf(out / "programme.pdf").pages_with("A sentence added by the test.")
    assert "A sentence added by the test." in (out / "schedule.json").read_text()

    guests.write_text(guests.read_text() + "Zoë Testperson,attendee\n")
    ran.clear()
    result = build(content, out, attendees=guests, jobs=1)
    assert ran == ["badges"]
    assert Pdf(out / "badges.pdf").pages_with("Testperson")

    fresh = build(content, tmp_path / "fresh", attendees=guests, jobs=1, cache=False)
    assert set(fresh.outputs) == set(result.outputs)
    for name, path in fresh.outputs.items():
        assert (out / path.name).read_bytes() == path.read_bytes(), name
    assert not (tmp_path / "fresh" / CACHE).exists()  # --no-cache keeps nothing


def test_a_changed_output_option_or_new_file_is_made_again(tmp_path, monkeypatch, ran, build):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1737936000")
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(FIXTURES / "multiroom", content)
    only = "booklet,signs,exports"
    build(content, out, only=only, jobs=1, run_preflight=False)
    signs = out / "signs.pdf"
    made = signs.read_bytes()

    signs.write_bytes(made[:-10])  # damaged (or replaced by hand) since
    ran.clear()
    result = build(content, out, only=only, jobs=1, run_preflight=False)
    assert ran == ["signs"]
    assert signs.read_bytes() == made

    ran.clear()
    build(content, out, only=only, page_size="A4", jobs=1, run_preflight=False)
    assert ran == ["booklet", "signs", "exports"]

    ran.clear()  # another choice of outputs: the booklet's job made the print file too
    result = build(content, out, only="booklet,print", page_size="A4", jobs=1)
    assert ran == ["booklet"]
    assert set(result.outputs) == {"booklet", "print"}

    (content / "notes.txt").write_text("a file no rule knows: it may be read by anything")
    ran.clear()
    result = build(content, out, only=only, page_size="A4", jobs=1, run_preflight=False)
    assert ran == ["booklet", "signs", "exports"]

    record = out / CACHE / RECORD
    before = record.read_bytes()
    ran.clear()
    build(content, out, only=only, page_size="A4", jobs=1, run_preflight=False, cache=False)
    assert ran == ["booklet", "signs", "exports"]
    assert record.read_bytes() == before  # neither read nor written


@pytest.mark.skipif(not shutil.which("fc-list"), reason="needs fontconfig's fc-list")
def test_a_font_installed_on_the_system_makes_the_outputs_again(tmp_path, monkeypatch, ran, build):
    """A font fontconfig finds (here in a folder of its own configuration) may draw a
    character no font had: the outputs that draw text are made again, pieces included."""
    from .conftest import write_content

    system = tmp_path / "system-fonts"
    system.mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f"<?xml version='1.0'?><fontconfig><dir>{system}</dir>"
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    content = write_content(tmp_path / "content")
    out = tmp_path / "out"
    build(content, out, jobs=1, only="badges,signs")
    ran.clear()
    assert build(content, out, jobs=1, only="badges,signs").kept == {"badges", "signs"}
    assert ran == []

    hebrew = next((FIXTURES.parent.parent / "fonts").rglob("NotoSansHebrew*.ttf"))
    shutil.copy(hebrew, system / "installed.ttf")
    again = build(content, out, jobs=1, only="badges,signs")
    assert again.kept == set() and sorted(ran) == ["badges", "signs"]
