"""Orchestration: parallel and serial builds agree, --only, the watch loop, the layout cache."""

import shutil
import threading
import time
from pathlib import Path

import pytest

from booklet.build import build, parse_only
from booklet.errors import UsageError
from booklet.render.booklet import BookletOptions
from booklet.render.pieces import LayoutCache, render_booklet, write_screen
from booklet.validate import load_programme
from booklet.watch import affected_outputs, watch

from .conftest import FIXTURES
from .pdfutil import Pdf, squash


@pytest.mark.slow
def test_parallel_build_writes_the_same_files_as_a_serial_one(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1737936000")
    build(FIXTURES / "multiroom", tmp_path / "serial", jobs=1)
    build(FIXTURES / "multiroom", tmp_path / "parallel", jobs=2)
    serial = sorted(p.name for p in (tmp_path / "serial").iterdir() if p.is_file())
    assert serial == sorted(p.name for p in (tmp_path / "parallel").iterdir() if p.is_file())
    assert len(serial) == 9
    kept = sorted(p.name for p in (tmp_path / "serial" / ".booklet-cache").iterdir())
    assert kept and kept == sorted(
        p.name for p in (tmp_path / "parallel" / ".booklet-cache").iterdir()
    )
    for name in serial:
        one = (tmp_path / "serial" / name).read_bytes()
        assert one == (tmp_path / "parallel" / name).read_bytes(), name


def test_only_some_outputs(tmp_path):
    result = build(FIXTURES / "multiroom", tmp_path, only="signs,exports", run_preflight=False)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "index.html",
        "programme.ics",
        "schedule.json",
        "schedule.xml",
        "signs.pdf",
    ]
    assert set(result.outputs) == {"signs", "xml", "schedule-json", "ics", "html"}
    with pytest.raises(UsageError) as exc:
        parse_only("booklet,brochure")
    assert str(exc.value) == (
        "unknown output 'brochure' (choose from booklet, print, imposed, badges, signs, exports)"
    )


def test_affected_outputs():
    content = FIXTURES / "multiroom"
    assert affected_outputs([content / "abstracts" / "x.md"], content, None) == {
        "booklet",
        "print",
        "imposed",
        "exports",
    }
    assert affected_outputs([Path("styles/booklet.css").resolve()], content, None) == {
        "booklet",
        "print",
        "imposed",
    }
    assert affected_outputs([Path("styles/web.css").resolve()], content, None) == {"exports"}
    assert affected_outputs([content / "people.yaml"], content, None) == {
        "booklet",
        "print",
        "imposed",
        "badges",
        "signs",
        "exports",
    }
    assert affected_outputs([content / "guests.csv"], content, content / "guests.csv") == {"badges"}


def test_watch_rebuilds_what_a_change_affects(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "multiroom", content)
    rebuilds, stop = [], threading.Event()
    messages, prepared = [], []
    thread = threading.Thread(
        target=watch,
        daemon=True,
        kwargs=dict(
            content_dir=content,
            rebuild=rebuilds.append,
            stop=stop.is_set,
            report=messages.append,
            prepare=lambda: prepared.append(list(rebuilds)),
        ),
    )
    thread.start()
    deadline = time.time() + 10
    while not messages and time.time() < deadline:
        time.sleep(0.05)
    assert rebuilds == [None]  # the first build: everything
    while not prepared and time.time() < deadline:
        time.sleep(0.05)
    assert prepared == [[None]]  # then the next build prepared, before any change
    (content / "abstracts").mkdir()
    (content / "abstracts" / "new.md").write_text("A new abstract.\n")
    while len(rebuilds) < 2 and time.time() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(timeout=5)
    assert rebuilds[1] == {"booklet", "print", "imposed", "exports"}
    assert messages[-1].startswith("new.md changed: rebuilt booklet, print, imposed, exports in ")


def test_watch_prepares_the_stylesheets_the_next_build_uses(tmp_path, monkeypatch):
    """After a first build that found everything unchanged, `booklet watch` parses the
    stylesheets while waiting; the first edit's build takes them from the cache."""
    from booklet import build as builder
    from booklet.render import pieces

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "multiroom", content)
    cache = LayoutCache(tmp_path / "out" / builder.CACHE)
    monkeypatch.setitem(builder._LAYOUT_CACHE, 0, cache)
    builder.prepare_booklet(content)
    sheet = cache.sheet
    assert sheet is not None and cache.fonts is not None
    builder.prepare_booklet(content)  # prepared already: nothing to do
    assert cache.sheet is sheet
    programme = load_programme(content).programme
    options = builder._booklet_options(programme, None)
    assert pieces.stylesheets(programme, content, options, cache).sheet is sheet
    # A stylesheet that changed meanwhile is parsed again.
    (content / "styles").mkdir()
    (content / "styles" / "booklet.css").write_text("body { color: #222; }\n")
    assert pieces.stylesheets(programme, content, options, cache).sheet is not sheet


@pytest.mark.slow
def test_layout_cache_lays_out_only_what_changed(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "multiroom", content)
    cache = LayoutCache()
    programme = load_programme(content).programme
    first = render_booklet(programme, content, BookletOptions(), cache)
    assert cache.hits == 0
    # A word changes in an abstract of the last day: front, week and grids are reused.
    text = (content / "programme.yaml").read_text().replace("B again.", "B once more.")
    (content / "programme.yaml").write_text(text)
    programme = load_programme(content).programme
    again = render_booklet(programme, content, BookletOptions(), cache)
    assert cache.hits >= 3
    fresh = render_booklet(programme, content, BookletOptions())
    assert again.page_count == fresh.page_count == first.page_count
    assert again.html == fresh.html
    paths = []
    for name, rendered in (("again", again), ("fresh", fresh)):
        paths.append(tmp_path / f"{name}.pdf")
        write_screen(rendered, paths[-1])
    cached, uncached = Pdf(paths[0]), Pdf(paths[1])
    assert cached.pages_with("B once more.") == uncached.pages_with("B once more.") != []
    for n in range(1, len(cached) + 1):
        assert squash(cached.text(n)) == squash(uncached.text(n))
