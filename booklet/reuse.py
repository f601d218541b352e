"""Outputs a build keeps from the last one, because nothing they are made from changed.

After each build, `outputs.json` in the output folder's `.booklet-cache/` (beside the
booklet's pieces, `pieces.LayoutCache`) records, for each job
(booklet, badges, signs, exports):

- the digest of every file a build may read when it ran: the content folder, the styles and
  fonts folders, the attendee list;
- what else decides its files: the options, the versions of booklet and of the libraries
  that draw them, the system's font set, the badge logo;
- the digests of the files it wrote, its warnings and the booklet's page count;

and, for each PDF, its preflight report, by the PDF's digest.

The next build keeps a job's files, without making them again, when they are the ones
recorded, the options and versions are the same, and no changed file affects that job by
the rules `booklet watch` follows (`watch.affected_outputs`: an abstract changes the
booklets and the exports, the attendee list the badges, a stylesheet the booklets, ...).
Editing one abstract of a 600-talk event then lays out that day's abstracts again, and
leaves the 2,000 badges and the door signs as they are. A PDF whose digest has a report is
not preflighted again.

`booklet build --no-cache` neither reads nor writes the record.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from booklet import __version__, output, paths
from booklet.errors import Diagnostic, Location
from booklet.fontset import system_fonts_digest

log = logging.getLogger(__name__)

RECORD = "outputs.json"  # in the output folder's cache folder
FORMAT = 1
# Libraries whose version may change what a job writes.
LIBRARIES = ("weasyprint", "pydyf", "pikepdf", "reportlab", "fonttools", "uharfbuzz",
             "icalendar", "markdown-it-py", "nh3", "zxing-cpp")  # fmt: skip


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    """The digest of a regular file's bytes; None for anything else (missing, a folder, a
    FIFO, whose reading would wait for a writer that never comes)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        return _digest(Path(path).read_bytes())
    except OSError:
        return None


def snapshot(content_dir: Path, out_dir: Path, extra: Iterable[Path] = ()) -> dict[str, str]:
    """Path -> digest of every file a build may read: the content folder (but the output
    folder, when it is inside, and hidden files), the default styles and fonts, and the
    `extra` files (an attendee list outside the content folder)."""
    files: dict[str, str] = {}
    folders = (Path(content_dir).resolve(), paths.DEFAULT_STYLES, paths.DEFAULT_FONTS)
    for _, path in paths.files_in(folders, Path(out_dir).resolve()):
        if (digest := file_digest(path)) is not None:
            files[str(path)] = digest
    for path in extra:
        path = Path(path).resolve()
        files[str(path)] = file_digest(path) or "missing"
    return files


def _source_digest() -> str:
    """The booklet package's own files: a change to the code that draws an output is a
    change to the output."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(f"{path.relative_to(package)}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def build_key(settings: dict) -> str:
    """What decides the outputs besides the files read: `settings` (the build's options),
    the versions of booklet, its code, Python and the libraries in `LIBRARIES`, and the
    system's font set (`fontset`)."""
    import importlib.metadata
    import sys

    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    described = {
        "booklet": __version__,
        "source": _source_digest(),
        "python": sys.version,
        "libraries": versions,
        "settings": settings,
        "system fonts": system_fonts_digest(),  # which font draws a character
    }
    return _digest(json.dumps(described, sort_keys=True, default=str).encode())


def _diagnostic_json(d: Diagnostic) -> dict:
    location = d.location
    return {
        "path": None if location.path is None else str(location.path),
        "line": location.line,
        "col": location.col,
        "where": d.where,
        "what": d.what,
        "hint": d.hint,
        "severity": d.severity,
    }


def _diagnostic(data: dict) -> Diagnostic:
    path = data["path"]
    location = Location(None if path is None else Path(path), data["line"], data["col"])
    return Diagnostic(location, data["where"], data["what"], data["hint"], data["severity"])


def _strings(value, length: int | None = None) -> bool:
    return (
        isinstance(value, list)
        and all(isinstance(v, str) for v in value)
        and (length is None or len(value) == length)
    )


def _int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31


def _optional(value, kind: type) -> bool:
    return value is None or (isinstance(value, kind) and not isinstance(value, bool))


def _warning_shaped(data) -> bool:
    return (
        isinstance(data, dict)
        and _optional(data.get("path"), str)
        and all(_optional(data.get(k), int) for k in ("line", "col"))
        and isinstance(data.get("where"), str)
        and isinstance(data.get("what"), str)
        and _optional(data.get("hint"), str)
        and data.get("severity") in ("error", "warning")
    )


def _job_shaped(entry) -> bool:
    """Is `entry` a job's record as `Record.remember` writes it?"""
    if not isinstance(entry, dict):
        return False
    files, outputs, warnings = entry.get("files"), entry.get("outputs"), entry.get("warnings")
    return (
        isinstance(entry.get("key"), str)
        and _strings(entry.get("wanted"))
        and isinstance(files, dict)
        and all(_optional(v, str) for v in files.values())
        and isinstance(outputs, list)
        and all(_strings(o, 3) for o in outputs)
        and isinstance(warnings, list)
        and all(_warning_shaped(w) for w in warnings)
        and _int(entry.get("pages"))
    )


def _report_shaped(data) -> bool:
    """Is `data` a preflight report as `Record.keep_reports` writes it?"""
    from booklet.preflight import FileReport

    if not isinstance(data, dict):
        return False
    findings = data.get("findings")
    if not isinstance(findings, list) or not all(_strings(f, 2) for f in findings):
        return False
    fields = {
        f.name: f for f in dataclasses.fields(FileReport) if f.name not in ("path", "findings")
    }
    return set(data) == {*fields, "findings"} and all(
        _int(data[name]) if isinstance(field.default, int) else isinstance(data[name], str)
        for name, field in fields.items()
    )


@dataclasses.dataclass
class Kept:
    """A job's outputs as the last build wrote them."""

    outputs: dict[str, Path]
    warnings: list[Diagnostic]
    pages: int


class Record:
    """The last build's record of its outputs (empty if there is none or it cannot be
    read: every output is then made)."""

    def __init__(self, out_dir: Path, path: Path, data: dict | None = None):
        self.out_dir, self.path = Path(out_dir), Path(path)
        data = data if data is not None and data.get("format") == FORMAT else {}
        # A record is only read back, never trusted: entries of another shape are dropped
        # (their outputs are made again).
        jobs, reports = data.get("jobs"), data.get("reports")
        jobs = jobs if isinstance(jobs, dict) else {}
        reports = reports if isinstance(reports, dict) else {}
        self.jobs: dict[str, dict] = {k: v for k, v in jobs.items() if _job_shaped(v)}
        self.reports: dict[str, dict] = {k: v for k, v in reports.items() if _report_shaped(v)}
        self._digests: dict[tuple, str | None] = {}

    def digest(self, path: Path) -> str | None:
        """`file_digest(path)`, read once while the file keeps its size and time: a build
        compares, reports on and records each output, every time by its digest."""
        try:
            stat = Path(path).stat()
        except OSError:
            return None
        known = (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino)
        if known not in self._digests:
            self._digests[known] = file_digest(path)
        return self._digests[known]

    @classmethod
    def load(cls, out_dir: Path, path: Path) -> Record:
        """The record at `path` of the outputs in `out_dir`."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        return cls(out_dir, path, data if isinstance(data, dict) else None)

    def kept(
        self,
        job: str,
        wanted: tuple[str, ...],
        files: dict[str, str],
        key: str,
        affected,
    ) -> Kept | None:
        """The job's outputs if they can be kept: the same `wanted` outputs and `key`, and
        no file of `files` changed since (added, removed or edited) that `affected(paths)`
        says touches one of `wanted`. None if the job is to run."""
        entry = self.jobs.get(job)
        if entry is None or entry.get("key") != key or entry.get("wanted") != list(wanted):
            return None
        try:
            before = entry["files"]
            changed = [Path(p) for p in before.keys() | files.keys()
                       if before.get(p) != files.get(p)]  # fmt: skip
            if changed and set(affected(changed)) & set(wanted):
                return None
            if not entry["outputs"]:
                return None  # it wrote no file of its own to compare: made again
            outputs = {}
            for name, filename, digest in entry["outputs"]:
                path = self.out_dir / filename
                if self.digest(path) != digest:
                    return None  # removed or changed since: made again
                outputs[name] = path
            warnings = [_diagnostic(w) for w in entry["warnings"]]
            return Kept(outputs, warnings, int(entry["pages"]))
        except (KeyError, TypeError, ValueError):
            return None

    def remember(
        self,
        job: str,
        wanted: tuple[str, ...],
        files: dict[str, str],
        key: str,
        outputs: dict[str, Path],
        warnings: list[Diagnostic],
        pages: int,
    ) -> None:
        self.jobs[job] = {
            "wanted": list(wanted),
            "key": key,
            "files": files,
            "outputs": [
                [name, p.name, digest]
                for name, p in outputs.items()
                if (digest := self.digest(p)) is not None and p.is_file()
            ],
            "warnings": [_diagnostic_json(w) for w in warnings],
            "pages": pages,
        }

    # -- preflight reports ------------------------------------------------------------------

    def report(self, path: Path):
        """The preflight report of a PDF whose bytes were preflighted before, else None."""
        from booklet.preflight import FileReport, Finding

        data = self.reports.get(self.digest(path) or "")
        if data is None:
            return None
        try:
            fields = dict(data)
            findings = [Finding(level, what) for level, what in fields.pop("findings")]
            return FileReport(Path(path), findings=findings, **fields)
        except (KeyError, TypeError, ValueError):
            return None

    def keep_reports(self, reports: Iterable) -> None:
        """Remember these reports (and forget those of files no longer written)."""
        kept = {}
        for report in reports:
            digest = self.digest(report.path)
            if digest is not None:
                data = dataclasses.asdict(report)
                del data["path"]
                data["findings"] = [[f["level"], f["what"]] for f in data["findings"]]
                kept[digest] = data
        self.reports = kept

    def save(self) -> None:
        data = {"format": FORMAT, "jobs": self.jobs, "reports": self.reports}
        try:
            output.write_text(self.path, json.dumps(data, sort_keys=True))
        except OSError as exc:  # the outputs are written: only the next build is slower
            log.warning("could not write %s: %s", self.path, exc)
