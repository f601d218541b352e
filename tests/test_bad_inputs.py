"""Hostile and broken input: never a crash, never a leaked file, never a lost good output.

Every case of tests/fixtures/bad/cases.yaml runs through the CLI and must stop with its exact
message and exit code, without a traceback. A content error met by `build` leaves the
previous good build byte-identical. Cases with `pdf:` are built (slow) and the PDF checked:
hostile text printed as text, nothing fetched, no secret inside.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
import tracemalloc
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from booklet.build import build
from booklet.cli import cli

from .badinput import (
    BASE,
    CASES,
    SECRET,
    Server,
    chars_off_page,
    pdf_streams,
    pdf_texts,
    prepare,
    snapshot,
    write_secrets,
)


@pytest.fixture(scope="module")
def server():
    with Server() as running:
        yield running


@pytest.fixture(scope="module")
def good_build(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """The base event built once, every output: what a failed build must leave alone."""
    out = tmp_path_factory.mktemp("good") / "out"
    build(BASE, out, run_preflight=False)
    files = snapshot(out)
    assert {"programme.pdf", "programme-print.pdf", "badges.pdf", "signs.pdf"} <= set(files)
    return out, files


def fill(text: str, values: dict[str, str]) -> str:
    """The placeholders replaced; not str.format, which would read '{{ 7*7 }}'."""
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def invoke(args: list[str]):
    return CliRunner().invoke(cli, args, obj={})


def assert_no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )


def setup_case(case: dict, tmp_path: Path, server: Server) -> dict[str, str]:
    secret = write_secrets(tmp_path / "outside")
    return prepare(case, tmp_path / "case", server.url, secret)


def by_id(case: dict) -> str:
    return case["case"]


@pytest.mark.parametrize("case", CASES, ids=by_id)
def test_case(case, tmp_path, server, good_build):
    values = setup_case(case, tmp_path, server)
    good_out, good_files = good_build
    args = [fill(str(a), values) for a in case["run"]]
    if "{out}" in case["run"]:
        shutil.copytree(good_out, values["out"])
    started = time.perf_counter()
    result = invoke(args)
    elapsed = time.perf_counter() - started
    assert_no_traceback(result)
    assert (result.exit_code, result.stderr) == (case["exit"], fill(case["stderr"], values))
    if "stdout" in case:
        assert result.stdout == fill(case["stdout"], values)
    if "seconds" in case:
        assert elapsed < case["seconds"], f"refused in {elapsed:.2f} s"
    if "{out}" in case["run"] and case["exit"] != 0:
        assert snapshot(Path(values["out"])) == good_files
    if case["run"][0] == "check" and case["exit"] == 1 and case.get("build", True):
        # The same content met by a build: the same messages, and the last good outputs
        # stay exactly as they were.
        out = Path(values["tmp"]) / "rebuild"
        shutil.copytree(good_out, out)
        rebuilt = invoke(["build", *args[1:], "--out", str(out)])
        assert_no_traceback(rebuilt)
        assert (rebuilt.exit_code, rebuilt.stderr) == (1, fill(case["stderr"], values))
        assert snapshot(out) == good_files


@pytest.mark.parametrize("case", [c for c in CASES if "max_mb" in c], ids=by_id)
def test_limits_are_refused_in_bounded_memory(case, tmp_path, server):
    from booklet.errors import ContentError
    from booklet.validate import load_programme

    values = setup_case(case, tmp_path, server)
    tracemalloc.start()
    try:
        with pytest.raises(ContentError):
            load_programme(values["content"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < case["max_mb"] * 1_000_000, f"peak {peak / 1e6:.1f} MB"


def _squash(text: str) -> str:
    """Text for comparison: NFKC, without whitespace or hyphens (line breaks and hyphenation
    put them anywhere)."""
    text = unicodedata.normalize("NFKC", text)
    for hyphen in ("-", "\u2010", "\u00ad", "\ufffe"):  # PDFium: U+FFFE at a hyphenation
        text = text.replace(hyphen, "")
    return "".join(text.split())


def _pdf_cases():
    for case in CASES:
        if "pdf" not in case:
            continue
        marks = [pytest.mark.slow]
        if "xfail" in case["pdf"]:
            marks.append(pytest.mark.xfail(strict=True, reason=case["pdf"]["xfail"]))
        yield pytest.param(case, marks=marks, id=case["case"])


@pytest.mark.parametrize("case", list(_pdf_cases()))
def test_pdf(case, tmp_path, server):
    spec = case["pdf"]
    values = setup_case(case, tmp_path, server)
    before = len(server.requests)
    out = Path(values["out"])
    result = invoke(["-q", "build", values["content"], "--out", str(out), "--only", "booklet"])
    assert_no_traceback(result)
    # a character no font has is written, then preflight fails the build naming its page
    assert result.exit_code == spec.get("exit", 0), result.output
    for needle in spec.get("stderr", []):
        assert needle in result.stderr, needle
    assert server.requests[before:] == []
    data = (out / "programme.pdf").read_bytes()
    assert SECRET.encode() not in pdf_streams(data)
    assert b"/EmbeddedFile" not in data and b"/FileAttachment" not in data
    for url in spec.get("refused", []):
        assert f"refused to fetch '{fill(url, values)}'" in result.stderr
    pages = pdf_texts(out / "programme.pdf")
    if spec.get("inside_pages"):
        assert chars_off_page(out / "programme.pdf") == []
    text = _squash("\n".join(pages))
    for needle in spec.get("contains", []):
        assert _squash(fill(needle, values)) in text, needle
    for needle in spec.get("lacks", []):
        assert _squash(fill(needle, values)) not in text, needle
    for needle, count in (spec.get("count") or {}).items():
        assert text.count(_squash(needle)) == count, needle
    for number, needle in (spec.get("on_page") or {}).items():
        assert _squash(needle) in _squash(pages[int(number) - 1]), f"not on page {number}"


# -- the event's theme (styles/ in the content folder) -----------------------------------------
# Templates come with the content: sandboxed, and confined to their folder.


def test_a_theme_template_cannot_run_code(tmp_path):
    from booklet.errors import BookletError
    from booklet.themes import Theme

    styles = tmp_path / "content" / "styles"
    styles.mkdir(parents=True)
    (styles / "evil.html.j2").write_text("{{ cycler.__init__.__globals__.os.getcwd() }}")
    try:
        rendered = Theme(tmp_path / "content").render("evil.html.j2")
    except BookletError:
        rendered = ""
    assert os.getcwd() not in rendered


def test_a_theme_file_linked_outside_is_not_read(tmp_path):
    from booklet.errors import BookletError
    from booklet.themes import Theme

    secrets = write_secrets(tmp_path / "outside")
    styles = tmp_path / "content" / "styles"
    styles.mkdir(parents=True)
    (styles / "notes.html.j2").symlink_to(secrets / "secret.txt")
    (styles / "custom.css").symlink_to(secrets / "secret.css")
    theme = Theme(tmp_path / "content")
    read = []
    for name, call in (("notes.html.j2", theme.render), ("custom.css", theme.stylesheet)):
        with contextlib.suppress(BookletError):
            read.append(call(name))
    assert SECRET not in "".join(read)


def test_debug_shows_the_traceback(tmp_path, server):
    """A user mistake is one line; with --debug it is the exception and its traceback."""
    from booklet.errors import ContentError

    (case,) = [c for c in CASES if c["case"] == "26-time-25-hours"]
    values = setup_case(case, tmp_path, server)
    result = invoke(["--debug", "check", values["content"]])
    assert result.exit_code == 1
    assert isinstance(result.exception, ContentError)
    result = invoke(["--debug", "export", "xml", str(BASE), "--out", "/dev/null/x.xml"])
    assert isinstance(result.exception, OSError)
    result = invoke(["export", "xml", str(BASE), "--out", "/dev/null/x.xml"])
    assert (result.exit_code, result.stderr) == (1, "Error: /dev/null: File exists\n")


def test_import_writes_no_yaml_from_a_line_break_in_a_comment():
    """The source's file name and guessed values go into comments: a line break in them
    would end the comment and write YAML."""
    import yaml

    from booklet.importers import ImportedProgramme
    from booklet.importers.write import render_files

    programme = ImportedProgramme(
        "evil\ndays: []\n\u2028people: 1",
        {"title": "T", "timezone": "UTC\nrooms: [x]"},
        event_comments={"title": "guessed\nrooms: [x]"},
    )
    files = {name: yaml.safe_load(text) for name, text in render_files(programme).items()}
    assert files == {
        "event.yaml": {"title": "T", "timezone": "UTC\nrooms: [x]"},
        "people.yaml": {"people": []},
        "programme.yaml": {"days": None},
    }


TEXT_FIELDS = [  # where (as messages name it), and the YAML that sets it
    ("title", "event.yaml", "title: Hostile Input Workshop"),
    ("subtitle", "event.yaml", "city: Lyon"),
    ("city", "event.yaml", "city: Lyon"),
    ("organizers[0]", "event.yaml", "organizers: [Ada Lovelace]"),
    ("venues[0].name", "event.yaml", "name: Campus"),
    ("venues[0].address", "event.yaml", "address: 1 rue de la Paix"),
    ("rooms[0].name", "event.yaml", "name: Room A"),
    ("info[0].title", "event.yaml", "title: Wifi"),
    ("info[0].body", "event.yaml", "body: Network **guests**."),
    ("people[0].name", "people.yaml", "name: Ada Lovelace"),
    ("people[0].affiliation", "people.yaml", "affiliation: Analytical Engines"),
    ("days[0].title", "programme.yaml", "title: Day one"),
    ("days[0].items[0].title", "programme.yaml", "title: Opening talk"),
    ("days[0].items[2].abstract", "programme.yaml", "abstract: The second talk."),
]


@pytest.mark.parametrize(("where", "name", "line"), TEXT_FIELDS, ids=[f[0] for f in TEXT_FIELDS])
def test_every_text_field_loses_its_control_characters_with_a_warning(tmp_path, where, name, line):
    from booklet.validate import load_programme

    content = tmp_path / "content"
    shutil.copytree(BASE, content)
    key, _, value = line.partition(": ")
    if where == "subtitle":
        new = f'{line}\nsubtitle: "A \\u202eB\\x1b[2J"'
    elif value.startswith("["):
        new = f'{key}: ["{value[1:-1]}\\u202e\\x1b[2J"]'
    else:
        new = f'{key}: "{value}\\u202e\\x1b[2J"'
    text = (content / name).read_text()
    assert text.count(line) >= 1
    (content / name).write_text(text.replace(line, new, 1))
    result = load_programme(content)
    warnings = [(w.where, w.what) for w in result.warnings]
    assert (where, "removed invisible control characters U+001B, U+202E") in warnings
    printed = repr(result.programme)
    assert "\u202e" not in printed and "\x1b" not in printed


@pytest.mark.parametrize("name", ["styles", "fonts"])
def test_a_folder_linked_outside_is_refused_by_what_reads_it(tmp_path, name):
    """Not only `check`: the theme and the booklet's fetcher refuse a linked-out folder
    themselves (watch and the other commands reach them too)."""
    from booklet import paths
    from booklet.errors import BookletError
    from booklet.render.fetch import SafeFetcher
    from booklet.themes import Theme

    secrets = write_secrets(tmp_path / "outside")
    content = tmp_path / "content"
    shutil.copytree(BASE, content)
    (content / name).symlink_to(secrets)
    folder = paths.event_styles if name == "styles" else paths.event_fonts
    with pytest.raises(BookletError, match=f"{name}: folder is a link to a folder outside"):
        folder(content)
    if name == "styles":
        with pytest.raises(BookletError):
            Theme(content)
    # the content folder as a root does not let a link inside it reach out either
    fetcher = SafeFetcher([content])
    with pytest.raises(ValueError):
        fetcher.fetch((content / name / "secret.txt").as_uri())


# -- what an event's template may compute ------------------------------------------------------
# Each a template in the content's styles/ whose third line fails at run time: one line naming
# the template file and line, quickly and in bounded memory.

RUNAWAY_TEMPLATES = [
    ("{{ range(10**9)|length }}", "range() of 1,000,000,000 items goes over the limit"),
    ("{{ ('x' * 400000000)|length }}", "a repetition of 400,000,000 items goes over the limit"),
    ("{{ (['x'] * 10**8)|length }}", "a repetition of 100,000,000 items goes over the limit"),
    ("{% for i in range(10**5) %}{{ range(10**5)|length }}{% endfor %}", "per template"),
    ("{{ 9 ** (9 ** 9) }}", "9 ** 387420489 is too large a number"),
    ("{{ 'x'|center(10**9) }}", "the number 1,000,000,000 is over the limit"),
    ("{{ 'x'.ljust(10**9) }}", "the number 1,000,000,000 is over the limit"),
    ("{{ '{:>999999999}'.format(1) }}", "a format width or precision over 999,999"),
    ("{{ '%999999999d' % 1 }}", "a format width or precision over 999,999"),
    ("{{ '%999999999d'|format(1) }}", "a format width or precision over 999,999"),
    ("{{ 1 / 0 }}", "division by zero"),
    ("{{ 1 // 0 }}", "division by zero"),
    ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "endless recursion"),
    ("{% include 'missing.html.j2' %}", "template 'missing.html.j2' not found"),
    ("{% include '../../../../etc/passwd' %}", "template '../../../../etc/passwd' not found"),
    ("{% include '/etc/passwd' %}", "template '/etc/passwd' not found"),
    ("{{ nothing_here }}", "'nothing_here' is undefined"),
    ("{{ ''.__class__ }}", "access to attribute '__class__' of 'str' object is unsafe"),
]


@pytest.mark.parametrize(("code", "what"), RUNAWAY_TEMPLATES, ids=[t[0] for t in RUNAWAY_TEMPLATES])
def test_a_runaway_template_is_one_located_line(tmp_path, code, what):
    from booklet.errors import BookletError
    from booklet.themes import Theme

    styles = tmp_path / "content" / "styles"
    styles.mkdir(parents=True)
    (styles / "notes.html.j2").write_text(f"<p>notes</p>\n{{# the next line fails #}}\n{code}\n")
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(BookletError) as caught:
            Theme(tmp_path / "content").render("notes.html.j2")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(caught.value)
    assert message.startswith(f"{styles / 'notes.html.j2'}:3: template error: "), message
    assert what in message
    assert "\n" not in message
    assert peak < 50_000_000, f"peak {peak / 1e6:.0f} MB"
    assert time.perf_counter() - started < 10


def test_a_failing_include_names_the_including_template(tmp_path):
    from booklet.errors import BookletError
    from booklet.themes import Theme

    styles = tmp_path / "content" / "styles"
    styles.mkdir(parents=True)
    (styles / "notes.html.j2").write_text("<p>\n\n{% include 'part.html.j2' %}\n")
    (styles / "part.html.j2").write_text("one\n{{ 1 / 0 }}\n")
    with pytest.raises(BookletError, match=r"part\.html\.j2:2: template error: division by zero"):
        Theme(tmp_path / "content").render("notes.html.j2")
    (styles / "part.html.j2").unlink()
    with pytest.raises(BookletError, match=r"notes\.html\.j2:3: template error: template 'part"):
        Theme(tmp_path / "content").render("notes.html.j2")


RELATIVE_LINKS = ["../../etc/passwd", "/etc/passwd", "//host/x", "x.html", "#top", r"\\host\x"]


def _uris(pdf: Path) -> list[str]:
    import pypdf

    uris = []
    for page in pypdf.PdfReader(pdf).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


@pytest.mark.slow
def test_markdown_links_are_only_http_or_mailto(tmp_path):
    """Relative links would become file:// links in the PDF and links anywhere on the web
    page's host: the page and the booklet keep only the absolute http(s) and mailto ones."""
    content = tmp_path / "content"
    shutil.copytree(BASE, content)
    links = " ".join(f"[rel{i}]({url})" for i, url in enumerate(RELATIVE_LINKS))
    (content / "abstracts" / "opening.md").write_text(
        f"Links: {links} [web](https://example.org/a) [mail](mailto:a@example.org).\n"
    )
    out = tmp_path / "out"
    result = invoke(["-q", "build", str(content), "--out", str(out), "--only", "booklet,exports"])
    assert result.exit_code == 0, result.output
    page = (out / "index.html").read_text()
    import re

    hrefs = re.findall(r'href="([^"]*)"', page)
    assert "https://example.org/a" in hrefs and "mailto:a@example.org" in hrefs
    assert [h for h in hrefs if not re.match(r"(https?:|mailto:)", h)] == []
    uris = _uris(out / "programme.pdf")
    assert "https://example.org/a" in uris
    assert [u for u in uris if not re.match(r"(https?:|mailto:)", u)] == []
    assert "rel0" in "".join(pdf_texts(out / "programme.pdf"))  # the text stays


# -- a damaged cache: valid JSON of the wrong shape --------------------------------------------


def _paths(value, path=()):
    """Every place in a JSON value (of a mapping of many similar entries, the first)."""
    yield path
    if isinstance(value, dict):
        for number, (key, inner) in enumerate(value.items()):
            if number and len(value) > 4:
                break
            yield from _paths(inner, (*path, key))
    elif isinstance(value, list) and value:
        yield from _paths(value[0], (*path, 0))


def _replaced(value, path, new):
    if not path:
        return new
    copy = value.copy()
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


WRONG = [None, "x", -7, 10**30, [], {}, [["x"]], [{"a": 1}], {"a": [1]}, True]


def _wrong_values(old):
    return [w for w in WRONG if type(w) is not type(old) or w != old]


@pytest.mark.slow
def test_a_cache_record_of_the_wrong_shape_is_a_silent_rebuild(tmp_path):
    import json

    out = tmp_path / "out"
    build(BASE, out, only="exports,signs")
    record = out / ".booklet-cache" / "outputs.json"
    good = json.loads(record.read_text())
    files = snapshot(out)
    tried = 0
    for path in _paths(good):
        value = good
        for key in path:
            value = value[key]
        for wrong in _wrong_values(value)[tried % 3 :: 3]:  # a third of them, in turn
            tried += 1
            record.write_text(json.dumps(_replaced(good, path, wrong)))
            result = invoke(["build", str(BASE), "--out", str(out), "--only", "exports,signs"])
            assert_no_traceback(result)
            assert result.exit_code == 0, (path, wrong, result.output)
            assert snapshot(out) == files
    assert tried > 30


@pytest.mark.slow
def test_a_piece_cache_entry_of_the_wrong_shape_is_laid_out_again(tmp_path):
    import json

    out = tmp_path / "out"
    build(BASE, out, only="booklet", run_preflight=False)
    metas = sorted((out / ".booklet-cache").rglob("*.json"))
    metas = [m for m in metas if m.name != "outputs.json"]
    assert metas
    good = {m: json.loads(m.read_text()) for m in metas}
    texts = pdf_texts(out / "programme.pdf")
    first = good[metas[0]]
    for number, path in enumerate(_paths(first)):
        if not path:
            continue
        value = first
        for key in path:
            value = value[key]
        wrong = _wrong_values(value)[number % 5]
        for meta, data in good.items():
            with contextlib.suppress(KeyError, IndexError, TypeError):
                meta.write_text(json.dumps(_replaced(data, path, wrong)))
        result = invoke(["-q", "build", str(BASE), "--out", str(out), "--only", "booklet"])
        assert_no_traceback(result)
        assert result.exit_code == 0, (path, wrong, result.output)
        assert pdf_texts(out / "programme.pdf") == texts


def test_badges_show_their_progress(tmp_path, monkeypatch):
    """`booklet badges` tells the progress display each sheet drawn (it shows a bar once the
    work takes over a second, as for a long attendee list)."""
    import booklet.progress

    told = []

    @contextlib.contextmanager
    def recording(*, enabled=True):
        yield lambda job, state: told.append((job, state))

    monkeypatch.setattr(booklet.progress, "job_progress", recording)
    attendees = tmp_path / "many.csv"
    attendees.write_text("name\n" + "".join(f"Person {i}\n" for i in range(41)))
    result = invoke(["badges", str(BASE), "--attendees", str(attendees), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    steps = [state for job, state in told if isinstance(state, tuple)]
    assert told[0] == ("badges", "start") and told[-1] == ("badges", "done")
    assert steps[-1] == (11, 11) and len(steps) >= 2  # 41 badges, 4 a sheet


# -- interrupted and failed builds -------------------------------------------------------------


def _staging_holder(out: Path, kill: bool) -> str:
    """Python code that opens a build's staging folder in `out`, then is killed, or waits."""
    end = (
        "os.kill(os.getpid(), signal.SIGKILL)"
        if kill
        else "print(folder, flush=True); time.sleep(60)"
    )
    return (
        "import os, signal, sys, time\n"
        "from booklet import output\n"
        f"with output.staging({str(out)!r}) as folder:\n"
        "    (folder / 'programme.pdf').write_bytes(b'half')\n"
        f"    {end}\n"
    )


def test_a_killed_builds_staging_folder_is_removed_by_the_next_build(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    killed = subprocess.run([sys.executable, "-c", _staging_holder(out, True)], env=env)
    assert killed.returncode == -9
    (left,) = out.glob(".staging-*")
    running = subprocess.Popen(
        [sys.executable, "-c", _staging_holder(out, False)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        busy = Path(running.stdout.readline().strip())
        old = time.time() - 3600
        for folder in (left, busy):
            os.utime(folder, (old, old))  # neither was just made
        result = invoke(["-q", "build", str(BASE), "--out", str(out), "--only", "exports"])
        assert result.exit_code == 0, result.output
        assert not left.exists()  # no process holds its lock
        assert (busy / "programme.pdf").read_bytes() == b"half"  # its build still runs
    finally:
        running.kill()
        running.wait()
    assert {p.name for p in out.iterdir() if p.name.startswith(".staging")} == {busy.name}


def test_a_full_disk_names_the_file(tmp_path):
    """A write that fails for want of room says which file (here a file-size limit stands in
    for the full disk: the same failed write, without filling one)."""
    import resource
    import signal
    import subprocess
    import sys

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    target = tmp_path / "schedule.xml"
    result = subprocess.run(
        [sys.executable, "-m", "booklet", "export", "xml", str(BASE), "--out", str(target)],
        env=env,
        preexec_fn=small_files,
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stderr) == (1, f"Error: {target}: File too large\n")
    assert not target.exists() and list(tmp_path.iterdir()) == []


# -- times across a clock change -----------------------------------------------------------------


def _event_on(tmp_path: Path, date: str, start: str, end: str, timezone="Europe/Paris") -> Path:
    content = tmp_path / "content"
    shutil.copytree(BASE, content)
    programme = (content / "programme.yaml").read_text()
    programme = programme.replace("2025-03-03", date)
    programme = programme.replace('start: "09:00"', f'start: "{start}"')
    programme = programme.replace('end: "10:00"', f'end: "{end}"')
    (content / "programme.yaml").write_text(programme)
    event = (content / "event.yaml").read_text().replace("Europe/Paris", timezone)
    (content / "event.yaml").write_text(event)
    return content


CLOCK_CHANGES = [  # time zone, date, start, end, real minutes, warnings (key, what)
    ("Europe/Paris", "2025-03-30", "02:00", "03:30", 30, [("start", "02:00 does not exist")]),
    ("Europe/Paris", "2025-10-26", "01:30", "02:30", 60, [("end", "02:30 happens twice")]),
    ("America/New_York", "2025-03-09", "01:30", "03:15", 45, []),
    ("America/New_York", "2025-03-09", "02:15", "02:45", 30, [("start", ""), ("end", "")]),
    ("Australia/Lord_Howe", "2025-04-06", "01:45", "03:00", 105, [("start", "01:45 happens")]),
    ("Europe/Paris", "2025-03-03", "09:00", "10:00", 60, []),
]


@pytest.mark.parametrize(
    ("timezone", "date", "start", "end", "minutes", "warned"),
    CLOCK_CHANGES,
    ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CLOCK_CHANGES],
)
def test_an_item_across_a_clock_change(tmp_path, timezone, date, start, end, minutes, warned):
    """Warned about, located, at validation; exported with the time it really lasts."""
    import xml.etree.ElementTree as ET

    from booklet.export.frab import to_xml
    from booklet.validate import load_programme

    content = _event_on(tmp_path, date, start, end, timezone)
    result = load_programme(content)
    clock = [w for w in result.warnings if "does not exist" in w.what or "happens twice" in w.what]
    assert [w.where for w in clock] == [f"days[0].items[0].{key}" for key, _ in warned]
    for (key, what), warning in zip(warned, clock, strict=True):
        assert what in warning.what
        assert warning.location.path == content / "programme.yaml"
        assert warning.location.line == 6 + (key == "end")
    first = ET.fromstring(to_xml(result.programme)).find("day/room/event")
    assert first.findtext("duration") == f"{minutes // 60:02d}:{minutes % 60:02d}"


@pytest.mark.parametrize(
    ("timezone", "date"), [("Europe/Paris", "0001-01-01"), ("Asia/Kolkata", "1850-06-01")]
)
def test_a_local_mean_time_keeps_schedule_xml_valid(tmp_path, timezone, date):
    """Before standard time, zones are offset by seconds (Paris: +00:09:21), which
    xs:dateTime cannot write: those times are written in UTC, the same instants."""
    import datetime as dt
    import xml.etree.ElementTree as ET

    from booklet.export.frab import to_xml
    from booklet.validate import load_programme

    from .test_export_frab import XSD

    content = _event_on(tmp_path, date, "09:00", "10:00", timezone)
    xml = to_xml(load_programme(content).programme)
    first = ET.fromstring(xml).find("day/room/event")
    written = dt.datetime.fromisoformat(first.findtext("date"))
    local = dt.datetime.fromisoformat(f"{date}T09:00").replace(tzinfo=ZoneInfo(timezone))
    assert written == local and written.utcoffset().total_seconds() % 60 == 0
    if not XSD.is_file():
        pytest.skip(f"the C3VOC XSD is not at {XSD} (../shared is absent)")
    etree = pytest.importorskip("lxml.etree", reason="lxml (a test dependency) is missing")
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(etree.fromstring(xml.encode("utf-8"))), schema.error_log


def _font_names(pdf: Path) -> set[str]:
    import pypdf

    names = set()
    for page in pypdf.PdfReader(pdf).pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for font in fonts.values():
            names.add(str(font.get_object().get("/BaseFont")))
    return names


@pytest.mark.slow
def test_a_stylesheet_cannot_embed_a_system_font(tmp_path):
    """Fonts come only from the fonts folders: `local()` in an event's @font-face is
    refused with a warning, and the machine's font is not embedded."""
    system = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
    if not system.is_file():
        pytest.skip("needs DejaVu Sans Mono (fonts-dejavu-core) installed")
    content = tmp_path / "content"
    shutil.copytree(BASE, content)
    (content / "styles").mkdir()
    (content / "styles" / "custom.css").write_text(
        "@font-face { font-family: Leak; src: local('DejaVu Sans Mono'), local(DejaVuSansMono); }\n"
        "body, h1, h2, h3, p, td, li { font-family: Leak !important; }\n"
        '.x::before { content: "local(kept as text)"; }\n'
    )
    out = tmp_path / "out"
    result = invoke(["-q", "build", str(content), "--out", str(out), "--only", "booklet"])
    assert result.exit_code == 0, result.output
    assert "refused to fetch 'local:DejaVu%20Sans%20Mono'" in result.stderr
    assert "refused to fetch 'local:DejaVuSansMono'" in result.stderr
    assert not [n for n in _font_names(out / "programme.pdf") if "Mono" in n]


def test_only_font_face_rules_lose_their_local_sources():
    from booklet.render.booklet import no_system_fonts

    css = (
        '@FONT-FACE { src: local( "A B" ), url(x.ttf), LOCAL(C) }\n'
        'p::before { content: "local(x)" }'
    )
    assert no_system_fonts(css) == (
        '@FONT-FACE { src: url("local:A%20B"), url(x.ttf), url("local:C") }\n'
        'p::before { content: "local(x)" }'
    )


def test_a_line_break_in_an_imported_name_stays_in_its_message(tmp_path):
    """Every message is one line: a room named with a line break (and an escape sequence)
    is printed with them escaped."""
    source = tmp_path / "schedule.xml"
    source.write_text(
        '<?xml version="1.0"?><schedule><conference><title>T</title></conference>'
        '<day index="1" date="2025-03-03"><room name="Hall&#10;error: fake&#133;&#8238;">'
        '<event id="1"><title>No start</title></event>'
        '<event id="2"><title>Talk</title><start>10:00</start><duration>00:30</duration>'
        "</event></room></day></schedule>"
    )
    result = invoke(["import", str(source), "--out", str(tmp_path / "imported")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any("room Hall\\nerror: fake\\x85\\u202e" in line for line in lines), lines
    assert all(line.startswith(("Imported", str(source))) for line in lines), lines


FIFOS = [  # the FIFO, the command, the message
    (
        "abstracts/opening.md",
        ["check", "{content}"],
        "error: {content}/programme.yaml:11:24: days[0].items[0].abstract_file: file "
        "'abstracts/opening.md' is a named pipe (FIFO), not a regular file\n"
        "Aborted with 1 error.\n",
    ),
    (
        "people.yaml",
        ["check", "{content}"],
        "error: {content}/people.yaml: people.yaml is a named pipe (FIFO), not a regular file "
        "(give a YAML file)\nAborted with 1 error.\n",
    ),
    (
        "attendees.csv",
        ["badges", "{content}", "--attendees", "{content}/attendees.csv", "--out", "{content}"],
        "error: {content}/attendees.csv: attendee file is a named pipe (FIFO), not a regular "
        "file (give a CSV or YAML file)\nAborted with 1 error.\n",
    ),
    (
        "styles/custom.css",
        ["build", "{content}", "--out", "{content}/out", "--only", "booklet"],
        "Error: {content}/styles/custom.css: template or stylesheet 'custom.css' is a named "
        "pipe (FIFO), not a regular file (make it a regular file)\n",
    ),
    (
        "styles/notes.html.j2",
        ["build", "{content}", "--out", "{content}/out", "--only", "booklet"],
        # (where booklet.html.j2 includes it, then why)
        "template error: {content}/styles/notes.html.j2: template or stylesheet "
        "'notes.html.j2' is a named pipe (FIFO), not a regular file (make it a regular file)\n",
    ),
]


@pytest.mark.parametrize(("fifo", "run", "stderr"), FIFOS, ids=[f[0] for f in FIFOS])
def test_a_fifo_is_named_for_what_it_is(tmp_path, fifo, run, stderr):
    """Not "not found", not passed over for the default, and never opened (reading it would
    wait for a writer for ever)."""
    content = tmp_path / "content"
    shutil.copytree(BASE, content)
    path = content / fifo
    path.parent.mkdir(exist_ok=True)
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    result = invoke([a.replace("{content}", str(content)) for a in run])
    assert_no_traceback(result)
    expected = stderr.replace("{content}", str(content))
    assert result.exit_code == 1
    if expected.startswith("template error"):
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
        assert result.stderr.endswith(expected)
    else:
        assert result.stderr == expected


LIMITED_COMMANDS = [
    ["check", "{content}"],
    ["build", "{content}", "--out", "{out}", "--only", "exports"],
    ["badges", "{content}", "--out", "{out}"],
    ["signs", "{content}", "--out", "{out}"],
    ["export", "xml", "{content}"],
]


@pytest.mark.parametrize("run", LIMITED_COMMANDS, ids=[" ".join(r[:2]) for r in LIMITED_COMMANDS])
def test_every_command_that_reads_content_takes_the_limits(tmp_path, run):
    args = [a.replace("{content}", str(BASE)).replace("{out}", str(tmp_path)) for a in run]
    result = invoke([*args, "--max-items", "2", "--max-file-size", "1MB", "--max-attendees", "5"])
    assert result.exit_code == 1
    assert "the programme has over 2 items (raise the limit with --max-items" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_watch_sorts_a_change_under_a_linked_out_folder_and_the_build_refuses_it(tmp_path):
    from booklet.outputs import load_registry
    from booklet.session import Session
    from booklet.watch import affected_outputs

    content = tmp_path / "content"
    shutil.copytree(BASE, content)
    (content / "styles").symlink_to(write_secrets(tmp_path / "outside"))
    changed = [content / "styles" / "secret.css"]
    session = Session(content, out_dir=tmp_path / "out")
    assert affected_outputs(changed, session, load_registry())  # no error while watching...
    result = invoke(["build", str(content), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1  # ...the build it starts refuses the folder
    assert "styles: folder is a link to a folder outside the content folder" in result.stderr
