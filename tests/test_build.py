"""Orchestration: parallel and serial builds agree, --only, the watch loop, the layout cache."""

import gc
import shutil
import threading
import time
import weakref
from pathlib import Path

import pytest

from booklet.build import COLLECT_AFTER, build, parse_only
from booklet.errors import BookletError, UsageError
from booklet.outputs import load_registry
from booklet.render.booklet import BookletOptions
from booklet.render.pieces import LayoutCache, render_booklet, write_screen
from booklet.session import CACHE, Session
from booklet.validate import load_programme
from booklet.watch import DEBOUNCE_SECONDS, affected_outputs, watch

from .conftest import FIXTURES
from .pdfutil import Pdf, squash

EXPORTS = ("xml", "schedule-json", "ics", "html")


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
        "unknown output 'brochure' (choose from booklet, print, imposed, badges, signs, xml, "
        "schedule-json, ics, html, mail, exports)"
    )
    assert parse_only("ics,print") == ("print", "ics")


def test_a_build_runs_the_cycle_collector_less_often(tmp_path):
    before = gc.get_threshold()
    assert before != COLLECT_AFTER
    seen = []
    build(
        FIXTURES / "multiroom", tmp_path / "out", only="exports", run_preflight=False,
        progress=lambda job, state: seen.append(gc.get_threshold()),
    )  # fmt: skip
    assert seen and set(seen) == {COLLECT_AFTER}
    assert gc.get_threshold() == before
    broken = tmp_path / "broken"
    shutil.copytree(FIXTURES / "multiroom", broken)
    (broken / "event.yaml").write_text("title: [unclosed\n")
    with pytest.raises(BookletError):
        build(broken, tmp_path / "out")
    assert gc.get_threshold() == before


def test_a_build_frees_the_cycles_it_left(tmp_path):
    """Cycles made during a build and left in the oldest generation are freed when it ends,
    not in some later collection: a watcher would grow by every build's layouts."""

    class Node:
        pass

    freed = []

    def progress(job, state):
        if state == "start" and not freed:
            node = Node()
            node.me = node
            gc.collect()  # it survives: in the oldest generation now
            weakref.finalize(node, freed.append, True)
            freed.append(False)

    build(FIXTURES / "multiroom", tmp_path, only="exports", run_preflight=False, progress=progress)
    assert freed == [False, True]


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_tells_how_far_each_job_is(tmp_path, jobs):
    """Steps come from the jobs, run here or in worker processes: each job's count goes up
    to its total, the badges' by sheets and the signs' by signs, so their totals are the
    files' page counts; the booklet's by the work of its pieces (each laid out, then
    written), then the join's."""
    told: dict[str, list] = {}
    lock = threading.Lock()

    def progress(job, state):
        with lock:
            told.setdefault(job, []).append(state)

    build(FIXTURES / "multiroom", tmp_path, jobs=jobs, run_preflight=False, progress=progress)
    assert set(told) == {"booklet", "badges", "signs", "exports"}
    for job, states in told.items():
        # a job's start is told from its process, its end by this one: the two may cross
        assert states.count("start") == states.count("done") == 1, job
        counts = [s for s in states if isinstance(s, tuple)]
        assert all(states.index("start") < states.index(c) for c in counts), job
        if job == "exports":
            assert not counts  # a job that does not say runs a pulsing bar
            continue
        dones = [done for done, _ in counts]
        if job == "booklet":
            assert dones[0] == 0 and dones == sorted(set(dones)), dones
        else:
            assert dones == list(range(dones[0], dones[0] + len(dones))) and dones[0] < 2, job
        assert counts[-1][0] == counts[-1][1], job
    last = {job: [s for s in states if isinstance(s, tuple)][-1] for job, states in told.items()
            if job != "exports"}  # fmt: skip
    assert last["badges"][1] == len(Pdf(tmp_path / "badges.pdf").reader.pages)
    assert last["signs"][1] == len(Pdf(tmp_path / "signs.pdf").reader.pages)
    booklet = [s for s in told["booklet"] if isinstance(s, tuple)]
    assert len({total for _, total in booklet}) == 1  # notes pages may join: the bar stays
    assert len(booklet) % 2 == 0  # the start, each piece laid out and written, the join
    assert booklet[-2][0] < booklet[-1][0]  # the join has its share of the bar


def test_affected_outputs():
    content = FIXTURES / "multiroom"
    registry = load_registry()

    def affected(path, attendees=None):
        return affected_outputs([path], Session(content, attendees=attendees), registry)

    assert affected(content / "abstracts" / "x.md") == {
        "booklet",
        "print",
        "imposed",
        "xml",
        "schedule-json",
        "ics",
        "html",
    }
    assert affected(Path("styles/booklet.css").resolve()) == {"booklet", "print", "imposed"}
    assert affected(Path("styles/web.css").resolve()) == {"xml", "schedule-json", "ics", "html"}
    assert affected(content / "people.yaml") == set(registry.default_products)
    assert affected(content / "guests.csv", content / "guests.csv") == {"badges"}
    assert affected(content / "mail" / "body.txt.j2") == set()  # read by `booklet mail` only


def test_watch_rebuilds_what_a_change_affects(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "multiroom", content)
    rebuilds, stop = [], threading.Event()
    messages, prepared = [], []
    thread = threading.Thread(
        target=watch,
        daemon=True,
        kwargs=dict(
            session=Session(content),
            registry=load_registry(),
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
    assert rebuilds[1] == {"booklet", "print", "imposed", *EXPORTS}
    assert messages[-1].startswith(
        "new.md changed: rebuilt booklet, print, imposed, xml, schedule-json, ics, html in "
    )


def _watching(tmp_path, broken: bool):
    """`watch` over a copy of the multiroom fixture, in a thread, with a `rebuild` that
    records its argument and fails while `w.broken[0]` is true. Returns the content folder,
    the calls, that flag, the messages, the stop event and `wait_for(condition)`."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "multiroom", content)
    calls, flag, messages, stop = [], [broken], [], threading.Event()

    def rebuild(only):
        calls.append(only)
        if flag[0]:
            raise BookletError("1 error, the last good files stay in place")

    thread = threading.Thread(
        target=watch,
        daemon=True,
        kwargs=dict(
            session=Session(content),
            registry=load_registry(),
            rebuild=rebuild,
            stop=stop.is_set,
            report=messages.append,
        ),
    )
    thread.start()

    def wait_for(condition, seconds=10):
        deadline = time.time() + seconds
        while not condition() and time.time() < deadline:
            time.sleep(0.05)
        assert condition()
        time.sleep(DEBOUNCE_SECONDS * 2)  # no second rebuild of the same save follows

    wait_for(lambda: any(m.startswith("watching") for m in messages))
    return content, calls, flag, messages, stop, wait_for


def test_watch_goes_on_after_a_failed_first_build(tmp_path):
    """A watcher started on broken content says so and watches; the save that fixes it
    builds everything, since nothing was built yet."""
    content, calls, broken, messages, stop, wait_for = _watching(tmp_path, broken=True)
    try:
        assert messages[0] == "not built: 1 error, the last good files stay in place"
        (content / "abstracts").mkdir()
        (content / "abstracts" / "a.md").write_text("Still broken elsewhere.\n")
        wait_for(lambda: len(calls) == 2)
        assert calls == [None, None]
        assert (
            messages[-1] == "a.md changed: not rebuilt: 1 error, the last good files stay in place"
        )
        broken[0] = False
        (content / "abstracts" / "b.md").write_text("The fix.\n")
        wait_for(lambda: len(calls) == 3)
        assert calls[2] is None  # everything: the first build made nothing
        assert messages[-1].startswith(
            "b.md changed: rebuilt booklet, print, imposed, badges, signs, xml, schedule-json, "
            "ics, html in "
        )
        (content / "abstracts" / "c.md").write_text("An edit.\n")
        wait_for(lambda: len(calls) == 4)
        assert calls[3] == {"booklet", "print", "imposed", *EXPORTS}
    finally:
        stop.set()


def test_watch_makes_what_a_failed_build_left_with_the_next_change(tmp_path):
    """A failed rebuild's outputs are made by the next one, whatever file that one's change
    is in: a stylesheet change that failed, then an attendee list change, rebuild both."""
    content, calls, broken, messages, stop, wait_for = _watching(tmp_path, broken=False)
    (content / "styles").mkdir()
    try:
        broken[0] = True
        (content / "styles" / "booklet.css").write_text("body { color: #222; }\n")
        wait_for(lambda: len(calls) == 2)
        assert calls[1] == {"booklet", "print", "imposed"}
        assert messages[-1].startswith("booklet.css changed: not rebuilt: ")
        broken[0] = False
        (content / "guests.csv").write_text("name\nAda Lovelace\n")
        wait_for(lambda: len(calls) == 3)
        assert calls[2] == {"booklet", "print", "imposed", "badges"}
        assert messages[-1].startswith(
            "guests.csv changed: rebuilt booklet, print, imposed, badges in "
        )
        (content / "guests.csv").write_text("name\nAlan Turing\n")
        wait_for(lambda: len(calls) == 4)
        assert calls[3] == {"badges"}  # built: nothing is left
        # A removed stylesheet is a change too: the default one applies again.
        (content / "styles" / "booklet.css").unlink()
        wait_for(lambda: len(calls) == 5)
        assert calls[4] == {"booklet", "print", "imposed"}
        # So is an image a stylesheet shows; an editor's backup file is not.
        (content / "styles" / "booklet.css~").write_text("body {}\n")
        (content / "styles" / "cover.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
        wait_for(lambda: len(calls) == 6)
        assert calls[5] == {"booklet", "print", "imposed"}
        assert messages[-1].startswith("cover.svg changed: ")
    finally:
        stop.set()


def test_watch_prepares_the_stylesheets_the_next_build_uses(tmp_path, monkeypatch):
    """After a first build that found everything unchanged, `booklet watch` parses the
    stylesheets while waiting; the first edit's build takes them from the cache."""
    from booklet.outputs.booklet import booklet_options, prepare
    from booklet.render import pieces

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "multiroom", content)
    cache = LayoutCache(tmp_path / "out" / CACHE)
    session = Session(content, tmp_path / "out", layout_cache=cache)
    prepare(session)
    sheet = cache.sheet
    assert sheet is not None and cache.fonts is not None
    prepare(session)  # prepared already: nothing to do
    assert cache.sheet is sheet
    programme = load_programme(content).programme
    options = booklet_options(programme, None)
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
