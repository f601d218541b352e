"""Orchestration: load and check everything, render, then write the outputs.

Nothing is written until the whole content loaded and validated; each output is written
atomically by `output`, so a failed build leaves the previous files in place.

Outputs are grouped into jobs that share their expensive work: the screen, print and imposed
booklets share one layout. Jobs are independent of each other, so with `jobs > 1` they run in
parallel processes (the programme, a tree of frozen dataclasses, is sent to each); `jobs=1`
runs them one after the other in this process and writes the same bytes.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import gc
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from booklet import model, output
from booklet.errors import BookletError, ContentError, Diagnostic, Location, UsageError
from booklet.sources import DEFAULT_LIMITS, Limits
from booklet.validate import load_programme

log = logging.getLogger(__name__)

# Every output `booklet build` can write, in the order they are built.
OUTPUTS = ("booklet", "print", "imposed", "badges", "signs", "exports")
FILES = {
    "booklet": "programme.pdf",
    "print": "programme-print.pdf",
    "imposed": "programme-imposed.pdf",
    "badges": "badges.pdf",
    "signs": "signs.pdf",
}
BOOKLET_OUTPUTS = ("booklet", "print", "imposed")
CACHE = ".booklet-cache"  # in the output folder: the booklet's pieces, for the next build
# Joining the pieces into the booklet's files takes about this share of the time the
# pieces took, on the booklet's progress bar (one process joins what two laid out).
JOIN_SHARE = 0.07


@dataclass(frozen=True)
class Options:
    page_size: str | None = None
    keep_html: bool = False
    strict: bool = False
    attendees: Path | None = None
    jobs: int = 1
    cache_dir: Path | None = None  # where the booklet's pieces are kept between builds


@dataclass
class JobResult:
    outputs: dict[str, Path] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    pages: int = 0


@dataclass
class BuildResult(JobResult):
    preflight: object | None = None  # booklet.preflight.Report
    kept: set[str] = field(default_factory=set)  # outputs left as the last build wrote them


def parse_only(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """'booklet,print' -> ('booklet', 'print'); None -> every output."""
    if value is None:
        return OUTPUTS
    names = value.split(",") if isinstance(value, str) else list(value)
    names = [n.strip() for n in names if n.strip()]
    unknown = [n for n in names if n not in OUTPUTS]
    if unknown:
        raise UsageError(f"unknown output {unknown[0]!r}", "choose from " + ", ".join(OUTPUTS))
    return tuple(n for n in OUTPUTS if n in names)


class _Timed:
    """`with timed("booklet"):` adds the block's wall time to `timings["booklet"]`."""

    def __init__(self, timings: dict[str, float]):
        self.timings = timings

    def __call__(self, name: str):
        return _Timer(self.timings, name)


class _Timer:
    def __init__(self, timings: dict[str, float], name: str):
        self.timings, self.name = timings, name

    def __enter__(self):
        self.t0 = time.perf_counter()

    def __exit__(self, *exc):
        elapsed = time.perf_counter() - self.t0
        self.timings[self.name] = self.timings.get(self.name, 0.0) + elapsed


# -- jobs: each runs in a worker process (or inline with jobs=1) ------------------------


@dataclass(frozen=True)
class Job:
    programme: model.Programme
    content_dir: Path
    out_dir: Path
    wanted: tuple[str, ...]
    options: Options


def booklet_job(job: Job) -> JobResult:
    from booklet.render.pieces import LayoutCache, render_booklet, write_print, write_screen
    from booklet.system import require_weasyprint

    require_weasyprint()
    result = JobResult()
    timed = _Timed(result.timings)
    options = _booklet_options(job.programme, job.options.page_size)
    cache = _LAYOUT_CACHE.get(0)
    # Watching, after the first build an edit changes a piece or two: they are laid out in
    # the watching process, whose fonts and hyphenation dictionaries stay loaded from one
    # build to the next, faster than in new worker processes.
    jobs = 1 if cache is not None and cache.pieces else job.options.jobs
    if cache is None and job.options.cache_dir is not None:
        cache = LayoutCache(job.options.cache_dir)
    step, total = steps("booklet"), [1]

    def pieces_step(done: int, work: int) -> None:  # the pieces' work, then the join's
        total[0] = work + max(1, round(JOIN_SHARE * work))
        step(done, total[0])

    with timed("booklet pieces"):  # laid out and written, in parallel
        rendered = render_booklet(
            job.programme, job.content_dir, options, cache, jobs=jobs, step=pieces_step
        )
    result.pages = rendered.page_count
    print_path = job.out_dir / FILES["print"]
    screen_path = job.out_dir / FILES["booklet"]
    imposed_path = job.out_dir / FILES["imposed"]
    writers = []
    if "print" in job.wanted or "imposed" in job.wanted:
        then = None
        if "imposed" in job.wanted:  # imposed from the print file, in the process writing it

            def then():
                from booklet.render.impose import impose

                impose(print_path, imposed_path)

        writers.append((print_path, write_print, then))
    if "booklet" in job.wanted:
        writers.append((screen_path, write_screen, None))
    with timed("booklet join"):  # the pieces joined into the print and screen files
        _write_all(rendered, writers, parallel=job.options.jobs > 1)
    step(total[0], total[0])
    for url in dict.fromkeys(rendered.refused_urls):  # each once, in the order met
        result.warnings.append(
            Diagnostic(
                Location(job.content_dir),
                "booklet",
                f"refused to fetch {url!r}",
                "the booklet only uses files of the content, styles and fonts folders",
            )
        )
    if "booklet" in job.wanted:
        result.outputs["booklet"] = screen_path
    if "print" in job.wanted:
        result.outputs["print"] = print_path
    if "imposed" in job.wanted:
        result.outputs["imposed"] = imposed_path
    if job.options.keep_html:
        result.outputs["booklet-html"] = output.write_text(
            job.out_dir / "programme.html", rendered.html
        )
    order = (*BOOKLET_OUTPUTS, "booklet-html")
    result.outputs = {name: result.outputs[name] for name in order if name in result.outputs}
    return result


# Set by `booklet watch` (which builds the booklet in its own process): sections laid out
# by one build are reused by the next when their HTML is unchanged.
_LAYOUT_CACHE: dict[int, object] = {}

# Where a job tells that it starts and how far it is, as `(job, "start")` and
# `(job, (done, total))`: the build's `progress` callback in this process, or a queue to it
# from a worker process (set before the workers are forked, so that they inherit it).
_STEPS: Callable[[str, object], None] | None = None


def steps(name: str) -> Callable[[int, int], None]:
    """For job `name`: a function to call with (done, total) as its work goes on."""
    sink = _STEPS
    if sink is None:
        return lambda done, total: None
    return lambda done, total: sink(name, (done, total))


def _booklet_options(programme: model.Programme, page_size: str | None):
    from booklet.render.booklet import BookletOptions

    settings = programme.event.settings
    return BookletOptions(page_size=page_size or settings.page_size, bleed_mm=settings.bleed_mm)


def prepare_booklet(content_dir: Path) -> None:
    """Watching: load what the next booklet build needs (WeasyPrint, the parsed stylesheets
    and their fonts) into the layout cache, if the last build did not. After a first build
    that found every output unchanged, the first edit then lays out only its own piece."""
    from booklet.render.pieces import stylesheets
    from booklet.system import require_weasyprint

    cache = _LAYOUT_CACHE.get(0)
    if cache is None or cache.sheet is not None:
        return
    require_weasyprint()
    programme = load_programme(Path(content_dir)).programme
    stylesheets(programme, Path(content_dir), _booklet_options(programme, None), cache)


def _write_all(document, writers, *, parallel: bool) -> None:
    """Write each (path, writer, then) from one laid-out booklet, then call `then()` if it
    is not None (a file made from the one just written). In parallel, the first writers run
    in forked children, which inherit the booklet's pieces, and write while this process
    writes the last one."""
    from booklet import output

    def write(path, writer, then):
        output.write_with(path, lambda tmp: writer(document, tmp))
        if then is not None:
            then()

    children = []
    for path, writer, then in writers[:-1] if parallel else []:
        pid = os.fork()
        if pid == 0:  # the child: write, then leave without running any cleanup
            code = 1
            try:
                write(path, writer, then)
                code = 0
            except BaseException:
                log.exception("writing %s failed", path)
            finally:
                os._exit(code)
        children.append((pid, path))
    for path, writer, then in writers[len(children) :]:
        write(path, writer, then)
    for pid, path in children:
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise BookletError(f"writing {path.name} failed", "run with --debug -j 1 to see why")


def badges_job(job: Job) -> JobResult:
    from booklet.attendees import load_attendees
    from booklet.render.badges import build_badges

    result = JobResult()
    with _Timed(result.timings)("badges"):
        listed = load_attendees(job.programme, job.content_dir, job.options.attendees)
        target = job.out_dir / FILES["badges"]
        _, warnings = build_badges(
            job.programme, listed.attendees, target, strict=job.options.strict,
            step=steps("badges"),
        )  # fmt: skip
    result.warnings += list(listed.warnings) + list(warnings)
    result.outputs["badges"] = target
    return result


def signs_job(job: Job) -> JobResult:
    from booklet.render.signs import build_signs

    result = JobResult()
    target = job.out_dir / FILES["signs"]
    with _Timed(result.timings)("signs"):
        result.warnings += build_signs(job.programme, target, step=steps("signs"))
    result.outputs["signs"] = target
    return result


def exports_job(job: Job) -> JobResult:
    from booklet.export import write_exports

    result = JobResult()
    with _Timed(result.timings)("exports"):
        written = write_exports(job.programme, job.out_dir, job.content_dir)
    result.outputs.update(written)
    return result


JOBS: dict[str, tuple[tuple[str, ...], Callable[[Job], JobResult]]] = {
    "booklet": (BOOKLET_OUTPUTS, booklet_job),
    "badges": (("badges",), badges_job),
    "signs": (("signs",), signs_job),
    "exports": (("exports",), exports_job),
}


@dataclass(frozen=True)
class JobFailure:
    """A user-facing error raised in a job, in a form that survives the trip between
    processes (exceptions with extra fields do not unpickle reliably)."""

    message: str
    hint: str | None
    diagnostics: tuple[Diagnostic, ...]
    exit_code: int

    def error(self) -> BookletError:
        if self.diagnostics:
            return ContentError(diagnostics=list(self.diagnostics))
        error = BookletError(self.message, self.hint)
        error.exit_code = self.exit_code
        return error


def _run(name: str, job: Job) -> tuple[str, JobResult | JobFailure]:
    """Run one job; errors come back as values so the other jobs still finish. It starts
    (for the build's `progress`) here, where it runs, not while it waits for a process."""
    if _STEPS is not None:
        _STEPS(name, "start")
    try:
        return name, JOBS[name][1](job)
    except ContentError as exc:
        return name, JobFailure(exc.message, None, tuple(exc.diagnostics), exc.exit_code)
    except BookletError as exc:
        return name, JobFailure(exc.message, exc.hint, (), exc.exit_code)


def default_jobs() -> int:
    return max(1, min(len(JOBS), os.cpu_count() or 1))


# Python's cycle collector runs after this many new objects, instead of 700 (its default),
# then on the older ones every 50th and every 100th time, instead of every 10th.
COLLECT_AFTER = (100_000, 50, 100)


@contextlib.contextmanager
def fewer_collections():
    """Run Python's cycle collector less often while building. Laying out a piece makes
    millions of small objects that live until it is written, and with the default
    thresholds the collector walks them over and over: on the 600-talk benchmark event
    that was 8 s of the booklet's 60 s of CPU, under 1 s with these. Objects are still
    freed as soon as nothing refers to them; only cycles wait longer. The processes forked
    meanwhile inherit the thresholds.

    At the end, one full collection frees the cycles the build left: a process that builds
    again and again (`booklet watch`) would otherwise grow by each build's layouts, about
    20 MB a build of the default event."""
    before = gc.get_threshold()
    gc.set_threshold(*COLLECT_AFTER)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.collect()


@fewer_collections()
def build(
    content_dir: Path,
    out_dir: Path,
    *,
    page_size: str | None = None,
    keep_html: bool = False,
    only: str | Iterable[str] | None = None,
    strict: bool = False,
    attendees: Path | None = None,
    jobs: int | None = None,
    progress: Callable[[str, object], None] | None = None,
    run_preflight: bool = True,
    limits: Limits = DEFAULT_LIMITS,
    cache: bool = True,
) -> BuildResult:
    """Build the outputs in `only` (default: all). `progress(job, state)` is told when each
    job starts ("start"), how far it is (`(done, total)`, from the booklet, badges and
    signs) and when it ends ("done" or "failed"); with `jobs` > 1 it may be called from
    another thread, and a job's start and steps may come after its end. `limits` bound
    what the content may hold (file sizes, items). `cache`: reuse the booklet pieces the
    last build kept in `out_dir/.booklet-cache` (and keep this build's)."""
    wanted = parse_only(only)
    content_dir, out_dir = Path(content_dir), Path(out_dir)
    result = BuildResult()
    timed = _Timed(result.timings)
    previous = None
    if cache:  # what the files were before loading them: an edit made meanwhile is seen
        from booklet import reuse

        previous = reuse.Record.load(out_dir, out_dir / CACHE / reuse.RECORD)
        files = reuse.snapshot(content_dir, out_dir, [attendees] if attendees else [])
    with timed("load"):
        loaded = load_programme(content_dir, limits)
    result.warnings.extend(loaded.warnings)
    if strict and loaded.warnings:
        raise ContentError(
            diagnostics=[dataclasses.replace(w, severity="error") for w in loaded.warnings]
        )
    keeping = None
    if previous is not None:
        options = {"page_size": page_size, "keep_html": keep_html, "strict": strict}
        keeping = _Keeping(previous, files, content_dir, attendees, loaded.programme, options)
    with output.staging(out_dir) as staged:
        job = Job(
            loaded.programme,
            content_dir,
            staged,
            wanted,
            Options(
                page_size=page_size,
                keep_html=keep_html,
                strict=strict,
                attendees=attendees,
                jobs=default_jobs() if jobs is None else max(1, jobs),
                cache_dir=out_dir / CACHE if cache else None,
            ),
        )
        made = _run_jobs(job, result, jobs, progress, keeping)
        # Every job succeeded: only now do the new files replace the old ones.
        published = output.publish({n: p for n, p in result.outputs.items() if n in made}, out_dir)
        result.outputs = {n: published.get(n, p) for n, p in result.outputs.items()}

    pdfs = [p for p in result.outputs.values() if p.suffix == ".pdf"]
    if run_preflight and pdfs:
        with timed("preflight"):
            result.preflight = _preflight(pdfs, default_jobs() if jobs is None else jobs, keeping)
    if keeping is not None:
        keeping.save(result)
    return result


def _preflight(pdfs: list[Path], jobs: int, keeping: _Keeping | None):
    """The preflight report of `pdfs`; those preflighted before (same bytes) not again."""
    from booklet.preflight import Report, preflight

    known = {p: keeping.record.report(p) for p in pdfs} if keeping is not None else {}
    unknown = [p for p in pdfs if known.get(p) is None]
    checked = iter(preflight(unknown, jobs=jobs).files if unknown else ())
    return Report([known.get(p) or next(checked) for p in pdfs])


class _Keeping:
    """Which jobs a build can leave as the last build wrote them (`reuse`), and the record
    of this build's outputs for the next."""

    def __init__(self, record, files, content_dir, attendees, programme, options: dict):
        import hashlib

        from booklet import reuse

        self.record, self.files = record, files
        self.content_dir, self.attendees = content_dir, attendees
        if programme.event.badges.attendees and attendees is None:  # it may lie outside
            listed = (Path(content_dir) / programme.event.badges.attendees).resolve()
            self.files = {**files, str(listed): reuse.file_digest(listed) or "missing"}
        logo = programme.event.badges.logo
        self.key = reuse.build_key({
            **options,
            "attendees": None if attendees is None else str(Path(attendees).resolve()),
            "content": str(Path(content_dir).resolve()),
            "logo": None if logo is None else hashlib.sha256(logo).hexdigest(),
            "epoch": os.environ.get("SOURCE_DATE_EPOCH"),  # the dates written in the files
        })  # fmt: skip
        self.made: dict[str, tuple[tuple[str, ...], JobResult]] = {}

    def kept(self, name: str, wanted: tuple[str, ...]):
        from booklet.watch import affected_outputs

        def affected(paths):
            return affected_outputs(paths, self.content_dir, self.attendees)

        return self.record.kept(name, wanted, self.files, self.key, affected)

    def save(self, result: BuildResult) -> None:
        for name, (wanted, value) in self.made.items():
            outputs = {n: result.outputs[n] for n in value.outputs}
            self.record.remember(
                name, wanted, self.files, self.key, outputs, value.warnings, value.pages
            )
        if result.preflight is not None:
            self.record.keep_reports(result.preflight.files)
        self.record.save()


def _run_some(
    job: Job, names: list[str], jobs: int, notify, results: dict, relay: _Relay | None
) -> None:
    """Run the jobs `names`, in parallel processes if `jobs` > 1; their results (or
    failures) into `results`. `relay` is started once the processes are forked."""
    if _LAYOUT_CACHE and "booklet" in names and len(names) > 1 and jobs > 1:
        # Watching: the booklet is built here, where its cache lives, the others meanwhile
        # in worker processes.
        context = multiprocessing.get_context("fork")
        others = [n for n in names if n != "booklet"]
        with concurrent.futures.ProcessPoolExecutor(min(jobs, len(others)), context) as pool:
            futures = [pool.submit(_run, name, job) for name in others]
            if relay is not None:
                relay.start()
            results["booklet"] = _run("booklet", job)[1]
            for future in concurrent.futures.as_completed(futures):
                name, value = future.result()
                results[name] = value
        for name in names:
            notify(name, "failed" if isinstance(results[name], JobFailure) else "done")
    elif jobs == 1 or len(names) <= 1:
        for name in names:
            results[name] = _run(name, job)[1]
            notify(name, "failed" if isinstance(results[name], JobFailure) else "done")
    else:
        # fork: workers inherit the imported modules instead of importing them again.
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(min(jobs, len(names)), context) as pool:
            # the booklet first: it is the longest
            futures = [pool.submit(_run, name, job) for name in names]
            if relay is not None:
                relay.start()
            for future in concurrent.futures.as_completed(futures):
                name, value = future.result()
                results[name] = value
                notify(name, "failed" if isinstance(value, JobFailure) else "done")


class _Relay:
    """Steps told by jobs in forked processes (`steps`), passed on to `progress` by a
    thread of this process. `start` it once the processes are forked: a process forked
    while another thread runs may inherit locks that thread held."""

    def __init__(self, progress: Callable[[str, object], None]):
        self.progress = progress
        self.queue = multiprocessing.get_context("fork").SimpleQueue()
        self.thread = None

    def send(self, name: str, value: object) -> None:
        self.queue.put((name, value))

    def start(self) -> None:
        import threading

        self.thread = threading.Thread(target=self._forward, name="booklet-steps", daemon=True)
        self.thread.start()

    def _forward(self) -> None:
        while (message := self.queue.get()) is not None:
            self.progress(*message)

    def close(self) -> None:
        """Once the jobs are done: pass on the steps still queued, then stop."""
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
        self.queue.close()


def _outputs_of(name: str, wanted: tuple[str, ...]) -> tuple[str, ...]:
    """The outputs of job `name` a build wants."""
    return tuple(o for o in JOBS[name][0] if o in wanted)


def _run_jobs(
    job: Job,
    result: BuildResult,
    jobs: int | None,
    progress: Callable[[str, object], None] | None,
    keeping: _Keeping | None = None,
) -> set[str]:
    """Run the jobs `job.wanted` needs, but those `keeping` says the last build's files
    serve; their outputs go into `result`. Returns the names of the outputs made."""
    wanted = job.wanted
    names = [n for n, (outputs, _) in JOBS.items() if set(outputs) & set(wanted)]
    jobs = default_jobs() if jobs is None else max(1, jobs)
    notify = progress or (lambda name, state: None)

    results: dict[str, JobResult | JobFailure] = {}
    kept: set[str] = set()
    for name in names if keeping is not None else ():
        found = keeping.kept(name, _outputs_of(name, wanted))
        if found is not None:
            results[name] = JobResult(dict(found.outputs), list(found.warnings), {}, found.pages)
            kept.add(name)
    ordered = names
    names = [n for n in names if n not in kept]
    global _STEPS
    relay = _Relay(progress) if progress is not None and jobs > 1 and len(names) > 1 else None
    _STEPS = relay.send if relay is not None else progress
    try:
        _run_some(job, names, jobs, notify, results, relay)
    finally:
        _STEPS = None
        if relay is not None:
            relay.close()

    errors = []
    made: set[str] = set()
    for name in ordered:
        value = results[name]
        if isinstance(value, JobFailure):
            errors.append(value.error())
            continue
        result.outputs.update(value.outputs)
        result.warnings.extend(value.warnings)
        result.timings.update(value.timings)
        result.pages = value.pages or result.pages
        if name in kept:
            result.kept.update(value.outputs)
        else:
            made.update(value.outputs)
            if keeping is not None:
                keeping.made[name] = (_outputs_of(name, wanted), value)
    if errors:
        raise errors[0]
    return made
