"""`booklet init`: a new event folder that checks without a warning and builds."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from booklet.cli import cli
from booklet.init_template import FILES
from booklet.validate import load_programme


def run(*args):
    return CliRunner().invoke(cli, list(args), obj={})


def test_init_writes_a_valid_example(tmp_path):
    folder = tmp_path / "my-event"
    result = run("init", str(folder))
    assert result.exit_code == 0, result.output
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) == sorted(
        FILES
    )
    assert f"booklet check {folder}" in result.stdout

    loaded = load_programme(folder)
    assert [str(w) for w in loaded.warnings] == []
    p = loaded.programme
    assert len(p.days) == 2 and len(p.rooms) == 2
    kinds = {i.kind for i in p.items}
    assert {"talk", "tutorial", "keynote", "break", "meal"} <= kinds
    assert 3 <= len(p.people) <= 4
    assert p.event.info
    assert any(len({r.id for r in i.rooms}) == 1 for i in p.items)  # items in one room
    keynote = next(i for i in p.items if i.kind == "keynote")
    assert keynote.abstract.startswith("Ten years ago")  # from the Markdown file

    check = run("check", str(folder))
    assert check.exit_code == 0, check.output
    assert check.stdout.splitlines()[-1] == "OK, 0 warnings."


def test_every_key_is_explained(tmp_path):
    """Each key used in the example is named in a comment of its file."""
    run("init", str(tmp_path / "e"))
    for name in ("event.yaml", "people.yaml", "programme.yaml"):
        text = (tmp_path / "e" / name).read_text(encoding="utf-8")
        comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
        data = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        keys = set(re.findall(r"^[ -]*([a-z_]+):", data, flags=re.MULTILINE))
        assert keys, name
        for key in keys:
            assert re.search(rf"\b{key}\b", comments), (name, key)


def test_empty_existing_folder_is_fine(tmp_path):
    result = run("init", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "event.yaml").is_file()


def test_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("init", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path} is not empty "
        "(give a new or empty folder, e.g. 'booklet init my-event')\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_refuses_a_file(tmp_path):
    target = tmp_path / "event.yaml"
    target.write_text("title: x\n", encoding="utf-8")
    result = run("init", str(target))
    assert result.exit_code == 2
    assert "is a file" in result.stderr
    assert target.read_text(encoding="utf-8") == "title: x\n"


@pytest.mark.slow
def test_init_example_builds(tmp_path):
    from booklet.build import build

    run("init", str(tmp_path / "event"))
    result = build(tmp_path / "event", tmp_path / "out")
    assert (tmp_path / "out" / "programme.pdf").stat().st_size > 10_000
    assert [str(w) for w in result.warnings] == []
