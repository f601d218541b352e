"""The output registry: outputs added in process and by an installed plug-in, a failing
plug-in, watch rebuilding a registered output, and an install from the wheel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet import build as build_module
from booklet.build import build, run
from booklet.cli import cli
from booklet.outputs import ABSTRACT, JobResult, Output, Product, kinds, load_registry
from booklet.session import Session
from booklet.watch import watch

from .conftest import FIXTURES, ROOT

EXAMPLE = ROOT / "examples" / "hello-output"


def _abstract_count(task) -> JobResult:
    """A small output: how many items have an abstract, into abstracts.txt."""
    count = sum(1 for item in task.programme.items if item.abstract)
    path = task.write_text("abstracts.txt", f"{count}\n")
    return JobResult(outputs={"abstract-count": path})


COUNT = Output(
    name="abstract-count",
    products=(Product("abstract-count", "abstracts.txt"),),
    run=_abstract_count,
    affected_by=kinds(ABSTRACT),
)


def test_an_output_added_to_the_registry_is_built_and_chosen_by_only(tmp_path):
    registry = load_registry(plugins=False).with_output(COUNT)
    result = build(FIXTURES / "multiroom", tmp_path, only="abstract-count", registry=registry)
    assert list(result.outputs) == ["abstract-count"]
    written = (tmp_path / "abstracts.txt").read_text()
    programme = Session(FIXTURES / "multiroom").load().programme
    assert int(written) == sum(1 for item in programme.items if item.abstract) > 0
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "abstracts.txt"
    ]


def test_a_failing_plugin_is_one_error_and_the_other_outputs_are_published(tmp_path, monkeypatch):
    def broken(task):
        raise RuntimeError("the poster printer is out of ink")

    plugin = Output("poster", (Product("poster", "poster.pdf"),), broken, plugin="booklet-poster")
    registry = load_registry(plugins=False).with_output(plugin)
    monkeypatch.setattr(build_module, "load_registry", lambda: registry)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["build", str(FIXTURES / "multiroom"), "--out", str(out), "--only", "signs,poster"]
    )
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: output 'poster' of plug-in 'booklet-poster' failed: RuntimeError: the poster "
        "printer is out of ink (run with --debug to see the traceback)"
    ]
    assert "Traceback" not in result.output
    assert (out / "signs.pdf").is_file() and not (out / "poster.pdf").exists()


def test_watch_rebuilds_a_registered_output_when_its_input_changes(tmp_path):
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(FIXTURES / "multiroom", content)
    registry = load_registry(plugins=False).with_output(COUNT)
    session = Session(content, out, preflight=False, jobs=1)
    built, messages, stop = [], [], threading.Event()

    def rebuild(only):
        built.append(only)
        run(session, only=only if only is not None else "abstract-count", registry=registry)

    thread = threading.Thread(
        target=watch,
        kwargs=dict(
            session=session,
            registry=registry,
            rebuild=rebuild,
            stop=stop.is_set,
            report=messages.append,
        ),
        daemon=True,
    )
    thread.start()
    try:
        deadline = time.time() + 20
        while not any(m.startswith("watching") for m in messages) and time.time() < deadline:
            time.sleep(0.05)
        before = (out / "abstracts.txt").stat().st_mtime_ns
        (content / "abstracts").mkdir()
        (content / "abstracts" / "extra.md").write_text("An extra abstract.\n")
        while len(built) < 2 and time.time() < deadline:
            time.sleep(0.05)
        assert built[1] is not None and "abstract-count" in built[1]
        assert "signs" not in built[1] and "badges" not in built[1]
        while not messages[-1].startswith("extra.md changed") and time.time() < deadline:
            time.sleep(0.05)
        assert "abstract-count" in messages[-1]
        assert (out / "abstracts.txt").stat().st_mtime_ns != before  # written again
    finally:
        stop.set()
        thread.join(timeout=10)


# -- the example plug-in, installed ---------------------------------------------------------


def _pip(*args: str, cwd: Path | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args],
        check=True,
        cwd=cwd,
        env={**os.environ, "PIP_NO_INDEX": "1"},
    )


@pytest.fixture(scope="module")
def hello_plugin(tmp_path_factory):
    """The example plug-in installed with pip into a folder of its own (no network, no
    build isolation: it builds with this environment's setuptools)."""
    target = tmp_path_factory.mktemp("hello-plugin")
    _pip("install", "--no-deps", "--no-build-isolation", "--target", str(target), str(EXAMPLE))
    assert (target / "hello_output" / "__init__.py").is_file()
    return target


@pytest.fixture
def with_hello(hello_plugin, monkeypatch):
    monkeypatch.syspath_prepend(str(hello_plugin))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hello_plugin), *sys.path]))
    return hello_plugin


def test_the_installed_example_plugin_builds_hello_txt(with_hello, tmp_path, content_factory):
    registry = load_registry()
    hello = registry.get("hello")
    assert hello is not None and hello.plugin == "booklet-hello-output"
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "multiroom", content)
    event = content / "event.yaml"
    event.write_text(event.read_text() + 'hello: {greeting: "Hello, Paris"}\n')
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(content), "--out", str(out), "--only", "hello"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {out / 'hello.txt'} (")
    lines = (out / "hello.txt").read_text(encoding="utf-8").splitlines()
    programme = Session(content).load().programme
    assert lines[0] == "Hello, Paris"
    assert lines[1:] == [
        f"{day.date.isoformat()} {item.start:%H:%M} "
        f"{item.title or ', '.join(p.name for p in item.speakers) or item.kind}"
        for day in programme.days
        for item in day.items
    ]
    help_text = CliRunner().invoke(cli, ["build", "--help"]).stdout
    assert "hello" in " ".join(help_text.split())


def test_a_plugin_section_is_checked_with_its_location(with_hello, content_factory):
    root = content_factory(
        event=textwrap.dedent(
            """\
            title: Test Event
            timezone: Europe/Paris
            hello: {greeting: [not, text]}
            """
        )
    )
    result = CliRunner().invoke(cli, ["check", str(root)])
    assert result.exit_code == 1
    assert f"error: {root / 'event.yaml'}:3:19: hello.greeting: expected text" in result.stderr


def test_a_plugin_that_cannot_load_is_named(tmp_path, monkeypatch):
    """An entry point whose module is missing: one line naming the plug-in."""
    dist = tmp_path / "booklet_broken-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: booklet-broken\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[booklet.outputs]\nbroken = no_such_module:OUTPUT\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = load_registry()
    assert registry.get("broken") is None
    (problem,) = registry.problems
    assert problem.message.startswith(
        "plug-in 'broken' (no_such_module:OUTPUT) failed to load: No module named"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["build", str(FIXTURES / "multiroom"), "--out", str(out), "--only", "signs"]
    )
    assert result.exit_code == 1
    assert "error: plug-in 'broken' (no_such_module:OUTPUT) failed to load" in result.stderr
    assert (out / "signs.pdf").is_file()  # the others are still published
    result = CliRunner().invoke(cli, ["build", str(FIXTURES / "multiroom"), "--only", "broken"])
    assert result.exit_code == 2
    assert "unknown output 'broken' (plug-in 'broken'" in result.stderr


# -- an install like any Python package ---------------------------------------------------


@pytest.mark.slow
def test_the_wheel_installs_and_builds_an_event_outside_the_repository(tmp_path):
    """Build the wheel, install it into a new virtual environment, and from another folder
    `booklet init ev && booklet build ev`: the default look and fonts come from the wheel.
    The new environment borrows this one's dependencies (a .pth line), so that no package
    is downloaded."""
    wheels = tmp_path / "wheels"
    _pip("wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT))
    (wheel,) = wheels.glob("booklet-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    _pip("install", "--no-deps", "--target", site, str(wheel))
    Path(site, "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    command = [python, "-m", "booklet"]
    where = subprocess.run(
        [python, "-c", "import booklet.paths as p; print(p.DEFAULT_STYLES, p.DEFAULT_FONTS)"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert all(Path(p).is_relative_to(site) for p in where), where
    subprocess.run([*command, "init", "ev"], cwd=work, env=env, check=True, capture_output=True)
    built = subprocess.run(
        [*command, "build", "ev", "--only", "booklet,signs"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    assert (work / "build" / "programme.pdf").stat().st_size > 10_000
    assert (work / "build" / "signs.pdf").is_file()
    fonts = subprocess.run(
        ["pdffonts", str(work / "build" / "programme.pdf")], capture_output=True, text=True
    ).stdout
    assert "SourceSerif4" in fonts.replace(" ", "").replace("-", "") or "Source" in fonts
