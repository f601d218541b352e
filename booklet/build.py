"""Orchestration: a session's content loaded and checked, its outputs made, then published.

Nothing is written until the whole content loaded and validated. Each registered output
(`booklet.outputs`) runs as one job into a staging folder; only when every built-in job
succeeded are the new files moved over the old ones (`output.publish`), so a failed build
leaves the previous files in place. A plug-in's failure is reported, and the other outputs
are still published.

Jobs are independent of each other, so with more than one process they run in parallel
forked processes (`render.workers.Pool`), which tell how far they are by message; with
`jobs=1` they run one after the other in this process and write the same bytes.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from booklet import output
from booklet.errors import BookletError, ContentError, Diagnostic, UsageError
from booklet.outputs import JobResult, Output, Registry, Task, classify, load_registry
from booklet.session import CACHE, Session
from booklet.sources import DEFAULT_LIMITS, Limits

log = logging.getLogger(__name__)

__all__ = ["CACHE", "BuildResult", "JobResult", "build", "parse_only", "run", "timed"]


@dataclass
class BuildResult(JobResult):
    preflight: object | None = None  # booklet.preflight.Report
    kept: set[str] = field(default_factory=set)  # outputs left as the last build wrote them
    failures: list[str] = field(default_factory=list)  # plug-ins that failed, one line each


@contextlib.contextmanager
def timed(timings: dict[str, float], name: str):
    """Add the block's wall time to `timings[name]`."""
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - start


def parse_only(value: str | Iterable[str] | None, registry: Registry | None = None):
    """'booklet,print' -> ('booklet', 'print'); None -> every product. A name is a product
    (`print`, `xml`) or an output, meaning all its products (`exports`)."""
    registry = registry or load_registry()
    if value is None:
        return registry.default_products
    names = value.split(",") if isinstance(value, str) else list(value)
    names = [n.strip() for n in names if n.strip()]
    chosen: set[str] = set()
    for name in names:
        if name in registry.product_names:
            chosen.add(name)
        elif (found := registry.get(name)) is not None:
            chosen.update(found.product_names)
        else:
            failed = [p.message for p in registry.problems if p.name == name]
            raise UsageError(
                f"unknown output {name!r}",
                failed[0] if failed else "choose from " + ", ".join(only_names(registry)),
            )
    for product in list(chosen):  # what an output needs is made in the same build
        chosen.update(registry.owner(product).needs)
    return tuple(n for n in registry.product_names if n in chosen)


def only_names(registry: Registry) -> list[str]:
    """The names `--only` takes: each product, and each output whose name is not one."""
    names = list(registry.product_names)
    names += [o.name for o in registry if o.name not in names]
    return names


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

    def line(self) -> str:
        return str(self.error()) if not self.diagnostics else str(self.diagnostics[0])


@dataclass(frozen=True)
class _Jobs:
    """What every job of one build shares, inherited by the forked processes that run
    them: the session, the programme, the staging folder, the products wanted and the
    outputs by name."""

    session: Session
    programme: object
    folder: Path
    wanted: tuple[str, ...]
    outputs: dict[str, Output]

    def wanted_of(self, name: str) -> tuple[str, ...]:
        """The products of output `name` this build wants."""
        return tuple(p for p in self.outputs[name].product_names if p in self.wanted)

    def run(
        self, name: str, send: Callable[[object], None], inputs: dict[str, Path] | None = None
    ) -> None:
        """Run output `name`; tell `send` "start", each ("step", (done, total)), then
        ("result", its JobResult or JobFailure). A plug-in's unexpected error is a
        failure naming it; a built-in output's is a bug, and raises."""
        out = self.outputs[name]
        send("start")
        task = Task(
            self.session,
            self.programme,
            self.folder,
            self.wanted_of(name),
            _settings(out, self.programme, self.session),
            step=lambda done, total: send(("step", (done, total))),
            inputs=dict(inputs or {}),
        )
        try:
            value: JobResult | JobFailure = out.run(task)
            if not isinstance(value, JobResult):
                raise TypeError(f"run() returned {type(value).__name__}, not a JobResult")
        except ContentError as exc:
            value = JobFailure(exc.message, None, tuple(exc.diagnostics), exc.exit_code)
        except BookletError as exc:
            value = JobFailure(exc.message, exc.hint, (), exc.exit_code)
        except Exception as exc:
            if out.plugin is None:
                raise
            log.debug("output %r failed", name, exc_info=True)
            value = JobFailure(
                f"output {name!r} of plug-in {out.plugin!r} failed: {type(exc).__name__}: {exc}",
                "run with --debug to see the traceback",
                (),
                1,
            )
        send(("result", value))


def _settings(out: Output, programme, session: Session) -> dict:
    """The output's settings: its event.yaml section, with the command line's on top."""
    section = programme.event.output_settings(out.name) if out.section else {}
    return {**section, **session.settings_for(out.name)}


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
    settings: dict | None = None,
    registry: Registry | None = None,
    language: str | None = None,
) -> BuildResult:
    """Build the outputs in `only` (default: all) of `content_dir` into `out_dir`: a
    `Session` of these arguments, then `run`. `progress(output, state)` is told when each
    output starts ("start"), how far it is (`(done, total)`) and when it ends ("done" or
    "failed"). `limits` bound what the content may hold (file sizes, items). `cache`:
    reuse what the last build kept in `out_dir/.booklet-cache` (and keep this build's).
    `language`: a BCP 47 tag replacing event.yaml's for this build."""
    session = Session(
        content_dir=Path(content_dir),
        out_dir=Path(out_dir),
        attendees=attendees,
        limits=limits,
        strict=strict,
        jobs=jobs,
        page_size=page_size,
        keep_html=keep_html,
        cache=cache,
        preflight=run_preflight,
        progress=progress,
        settings=settings or {},
        language=language,
    )
    return run(session, only=only, registry=registry)


@fewer_collections()
def run(
    session: Session, *, only: str | Iterable[str] | None = None, registry: Registry | None = None
) -> BuildResult:
    """Build the products in `only` (default: all) of the session's content."""
    registry = registry or load_registry()
    wanted = parse_only(only, registry)
    result = BuildResult()
    result.failures += [p.message for p in registry.problems]
    previous = files = None
    if session.cache:  # what the files were before loading them: an edit made meanwhile is seen
        from booklet import reuse

        previous = reuse.Record.load(session.out_dir, session.out_dir / CACHE / reuse.RECORD)
        extra = [session.attendees] if session.attendees else []
        files = reuse.snapshot(session.content_dir, session.out_dir, extra)
    with timed(result.timings, "load"):
        loaded = session.load(registry)
    result.warnings.extend(loaded.warnings)
    keeping = None
    if previous is not None:
        keeping = _Keeping(previous, files, session, loaded.programme, registry)
    with output.staging(session.out_dir) as staged:
        jobs = _Jobs(
            session,
            loaded.programme,
            staged,
            wanted,
            {o.name: o for o in registry if set(o.product_names) & set(wanted)},
        )
        made = _run_jobs(jobs, result, keeping)
        # Every built-in job succeeded: only now do the new files replace the old ones.
        published = output.publish(  # not what an output wrote in place (mail previews)
            {n: p for n, p in result.outputs.items() if n in made and p.is_relative_to(staged)},
            session.out_dir,
        )
        result.outputs = {n: published.get(n, p) for n, p in result.outputs.items()}

    pdfs = [p for p in result.outputs.values() if p.suffix == ".pdf"]
    if session.preflight and pdfs:
        with timed(result.timings, "preflight"):
            result.preflight = _preflight(pdfs, session.workers, keeping)
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

    def __init__(self, record, files, session: Session, programme, registry: Registry):
        import hashlib
        import importlib.metadata

        from booklet import reuse

        self.record, self.files, self.session, self.registry = record, files, session, registry
        listed = programme.event.badges.attendees
        if listed and session.attendees is None:  # it may lie outside
            listed = (session.content_dir / listed).resolve()
            self.files = {**files, str(listed): reuse.file_digest(listed) or "missing"}
        logo = programme.event.badges.logo
        plugins = {}
        for out in registry:
            if out.plugin:
                try:
                    plugins[out.name] = importlib.metadata.version(out.plugin)
                except importlib.metadata.PackageNotFoundError:
                    plugins[out.name] = None
        attendees = session.attendees
        self.key = reuse.build_key({
            "page_size": session.page_size,
            "keep_html": session.keep_html,
            "strict": session.strict,
            "settings": {k: dict(v) for k, v in session.settings.items()},
            "plugins": plugins,
            "attendees": None if attendees is None else str(attendees.resolve()),
            "content": str(session.content_dir.resolve()),
            "logo": None if logo is None else hashlib.sha256(logo).hexdigest(),
            "epoch": os.environ.get("SOURCE_DATE_EPOCH"),  # the dates written in the files
            # absent without --language, so the records of earlier builds still match
            **({"language": session.language} if session.language is not None else {}),
        })  # fmt: skip
        self.made: dict[str, tuple[tuple[str, ...], JobResult]] = {}

    def kept(self, name: str, wanted: tuple[str, ...]):
        def affected(paths):
            return self.registry.affected(classify(p, self.session) for p in paths)

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


def _run_some(jobs: _Jobs, names: list[str], results: dict, inputs: dict | None = None) -> None:
    """Run the outputs `names`; their results (or failures) into `results`. In parallel
    forked processes when the session allows more than one; watching, the booklet is made
    in this process, where its layout cache lives, and the others meanwhile in workers."""
    from booklet.render.workers import Pool, TaskFailed

    session = jobs.session

    def receive(name: str, message: object) -> None:
        if message == "start":
            session.tell(name, message)
        elif message[0] == "step":
            session.tell(name, message[1])
        elif message[0] == "result":
            results[name] = message[1]
            failed = isinstance(message[1], JobFailure)
            session.tell(name, "failed" if failed else "done")

    here = []
    if session.layout_cache is not None and "booklet" in names:
        here = ["booklet"]
    elsewhere = [n for n in names if n not in here]
    if session.workers <= 1 or len(names) <= 1:
        here, elsewhere = names, []
    workers = min(session.workers, len(elsewhere))
    pool = Pool(workers, functools.partial(_serve, jobs, inputs)) if elsewhere else None
    try:
        for name in elsewhere:
            pool.submit(name, name)
        for name in here:
            jobs.run(name, functools.partial(receive, name), inputs)
        for name, message in pool.messages() if pool is not None else ():
            if isinstance(message, TaskFailed):  # a bug in a built-in output
                if message.error is not None:
                    raise message.error
                raise BookletError(f"output {name!r} failed", message.trace.splitlines()[-1])
            if message != Pool.DONE:
                receive(name, message)
    finally:
        if pool is not None:
            pool.close()


def _serve(jobs: _Jobs, inputs: dict | None, name: str, send) -> None:
    """A worker process's task: run one output, its messages sent to the parent."""
    jobs.run(name, send, inputs)


def _run_jobs(jobs: _Jobs, result: BuildResult, keeping: _Keeping | None) -> set[str]:
    """Run the jobs the wanted products need, but those `keeping` says the last build's
    files serve; their outputs go into `result`. Returns the names of the products made."""
    names = list(jobs.outputs)
    results: dict[str, JobResult | JobFailure] = {}
    kept: set[str] = set()
    for name in names if keeping is not None else ():
        found = keeping.kept(name, jobs.wanted_of(name))
        if found is not None:
            results[name] = JobResult(dict(found.outputs), list(found.warnings), {}, found.pages)
            kept.add(name)
    # Those that need others' products run once those are made (or kept).
    waiting = [n for n in names if n not in kept and jobs.outputs[n].needs]
    _run_some(jobs, [n for n in names if n not in kept and n not in waiting], results)
    if waiting:
        made_here = {
            product: path
            for value in results.values()
            if isinstance(value, JobResult)
            for product, path in value.outputs.items()
        }
        for name in waiting:
            missing = [p for p in jobs.outputs[name].needs if p not in made_here]
            if missing:
                message = f"output {name!r} needs {missing[0]!r}, which was not made"
                results[name] = JobFailure(message, None, (), 1)
        _run_some(jobs, [n for n in waiting if n not in results], results, made_here)

    errors = []
    made: set[str] = set()
    succeeded = []
    for name in names:
        value = results[name]
        if isinstance(value, JobFailure):
            if jobs.outputs[name].plugin is not None:
                result.failures.append(value.line())
            else:
                errors.append(value.error())
            continue
        succeeded.append((name, value))
    if errors:
        raise errors[0]
    jobs.session.check(w for _, value in succeeded for w in value.warnings)
    for name, value in succeeded:
        result.outputs.update(value.outputs)
        result.warnings.extend(value.warnings)
        result.timings.update(value.timings)
        result.details.update(value.details)
        result.pages = value.pages or result.pages
        if name in kept:
            result.kept.update(value.outputs)
        else:
            made.update(value.outputs)
            if keeping is not None:
                keeping.made[name] = (jobs.wanted_of(name), value)
    return made
