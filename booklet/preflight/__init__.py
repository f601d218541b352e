"""PDF files -> what a print shop checks before printing them, as a table (`Report`).

Everything is read from the PDFs themselves (pikepdf for the objects, fontTools for the
embedded font programs), so any PDF can be checked, not only ours. The work is in stages:
`stream` tokenizes content streams, `fonts` decodes what a font's codes show, `scan` reads
what pages draw, `checks` turns a file and what it draws into findings, and `report` lays
them out. This module reads the files, in parts and processes when they are long.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from booklet.preflight.checks import checks_of, finish, open_file
from booklet.preflight.report import FAIL, NOTE, WARN, FileReport, Finding, Report
from booklet.preflight.scan import Found, scan_pages
from booklet.preflight.stream import operations

__all__ = [
    "FAIL",
    "NOTE",
    "WARN",
    "FileReport",
    "Finding",
    "Report",
    "work_batches",
    "operations",
    "preflight",
]


def preflight(paths, jobs: int = 1) -> Report:
    """Check each PDF (a folder means the PDFs directly in it) and report. With `jobs` > 1
    the pages are read in that many processes at once; the report is the same."""
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files.extend(sorted(p for p in path.glob("*.pdf") if not p.name.startswith(".")))
        else:
            files.append(path)
    opened = [open_file(p) for p in files]
    batches = work_batches([(p, n) for p, (_, n) in zip(files, opened, strict=True) if n], jobs)
    if jobs > 1 and len(batches) > 1:
        import concurrent.futures
        import multiprocessing

        context = multiprocessing.get_context("fork")
        workers = min(jobs, len(batches))
        with concurrent.futures.ProcessPoolExecutor(workers, context) as pool:
            results = list(pool.map(scan_pages, batches))
    else:
        results = [scan_pages(batch) for batch in batches]
    found: dict[Path, Found] = {}
    for batch, result in zip(batches, results, strict=True):
        for (path, _), part in zip(batch, result, strict=True):
            if path in found:
                found[path].merge(part)
            else:
                found[path] = part
    for path, (report, _) in zip(files, opened, strict=True):
        if path in found:
            finish(report, found[path])
    return Report([report for report, _ in opened])


# A file (or files of the same length, read together) of more pages than this is read in
# several processes.
SPLIT_PAGES = 24


Batch = list[tuple[Path, tuple[int, ...]]]  # (file, page indices from 0) read in one process


def work_batches(files: list[tuple[Path, int]], jobs: int) -> list[Batch]:
    """Work for `jobs` processes, each a list of (file, page indices): files of the same
    page count (a booklet's variants, which share their content) together, long ones cut in
    parts, the largest first. The imposed file goes with the print file's pages it shows:
    its sheets cut in parts, each with those pages of the booklet's variants."""
    if jobs <= 1:  # the imposed file last: the pages it shows are read by then
        files = sorted(files, key=lambda file: "imposed" in checks_of(file[0].name))
        return [[(path, tuple(range(n))) for path, n in files]] if files else []
    from booklet.render.impose import page_order

    groups: dict[int, list[Path]] = {}
    for path, n in files:
        groups.setdefault(n, []).append(path)
    imposed = {}  # booklet page count -> (imposed file, the pages on each of its sides)
    for path, n in files:
        if "imposed" not in checks_of(path.name):
            continue
        for m, paths in groups.items():
            if not any("print" in checks_of(p.name) for p in paths):
                continue
            sides = page_order(m)  # the sides `booklet impose` makes of m pages
            if len(sides) == n:
                imposed[m] = (path, sides)
                groups[n].remove(path)
                break
    batches = []
    for n, paths in groups.items():
        if not paths:
            continue
        parts = jobs if n * len(paths) > SPLIT_PAGES else 1
        if n in imposed:
            path, sides = imposed[n]
            sheets = len(sides) // 2
            cuts = [2 * (sheets * k // parts) for k in range(parts + 1)]
            for a, b in itertools.pairwise(cuts):
                if b > a:
                    shown = sorted({i for side in sides[a:b] for i in side if i is not None})
                    batch = [(p, tuple(shown)) for p in paths]
                    batches.append([*batch, (path, tuple(range(a, b)))])
            continue
        cuts = [n * k // parts for k in range(parts + 1)]
        for a, b in itertools.pairwise(cuts):
            if b > a:
                batches.append([(path, tuple(range(a, b))) for path in paths])
    batches.sort(key=lambda batch: -sum(len(pages) for _, pages in batch))
    return batches
