"""The benchmark: `python bench/run.py [--sizes 40,150,600] [--attendees 2000] [--jobs N]
[--repeat N]`.

Builds synthetic events (bench/make_event.py: 8 rooms, 5 days) and prints one table: for each
output, wall time and peak memory (the largest resident size of any process of the command),
the booklet's page count, and, measured in the same run, the time WeasyPrint alone takes on
the booklet's final HTML (`booklet build --keep-html` writes it; the `weasyprint` command
renders it to the same pages), both to a plain PDF and to the kind of file the booklet is,
tagged PDF/UA-1 (`--pdf-variant pdf/ua-1`); with `--repeat N`, each of these N times in
turns, the median of each and of the ratios. Also how long WeasyPrint takes to lay those
pages out without writing them, and that over the number of cores: the least any booklet
WeasyPrint lays out can take on this machine. These builds use `--no-cache`, as a first
build: every piece of the booklet is laid out. Then rebuilds that reuse what the last build
kept (the booklet's pieces, the outputs an edit does not affect), of the booklet alone and of
everything, with nothing changed and after one abstract edited. Then the smaller targets:
2,000 badges in a7-8up, imposing 200 pages, `booklet check` on the largest event,
`booklet --help`.

Every measurement is a separate command run in a fresh process, as an organizer would run
it. It reports; it does not fail on a number. Not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.make_event import make_event  # noqa: E402

BIN = Path(sys.executable).parent
BOOKLET = (
    [str(BIN / "booklet")] if (BIN / "booklet").exists() else [sys.executable, "-m", "booklet"]
)
WEASYPRINT = str(BIN / "weasyprint") if (BIN / "weasyprint").exists() else "weasyprint"

# Targets from the issue, for the table's last column (reported, never enforced).
TARGETS = {
    ("600", "everything"): "< 30 s, < 600 MB",
    ("600", "booklet"): "< 12 s",
    ("*", "badges a7-8up"): "< 6 s",
    ("*", "impose 200 pages"): "< 2 s",
    ("600", "check"): "< 1 s",
    ("*", "--help"): "< 0.3 s",
}


# The pages of an HTML file laid out by WeasyPrint, in one process: the seconds it took
# (after the import) and the page count.
LAYOUT_ONLY = (
    "import sys, time\n"
    "from weasyprint import HTML\n"
    "start = time.perf_counter()\n"
    "document = HTML(filename=sys.argv[1]).render()\n"
    "print(time.perf_counter() - start, len(document.pages))\n"
)


def measure(command: list[str], cwd: Path | None = None) -> tuple[float, float, str]:
    """(wall seconds, peak MB, stdout) of a command run in a fresh process.

    The peak comes from a small wrapper that waits for the command and reads
    RUSAGE_CHILDREN: the largest resident size of the command or any process it waited for.
    """
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "sys.stderr.write(p.stderr)\n"
        "print(f'{wall} {peak} {p.returncode}')\n"
        "print(p.stdout, end='')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *command], capture_output=True, text=True, cwd=cwd
    )
    first, _, rest = done.stdout.partition("\n")
    wall, peak, code = first.split()
    if code != "0" and "Preflight" not in rest:
        print(f"  ! {' '.join(command[-6:])} exited {code}: {done.stderr.strip()[-300:]}")
    return float(wall), float(peak), rest


def timed(command: list[str], inside: bool = False) -> tuple[float, float]:
    """(seconds, peak MB) of a command: its wall time, or with `inside` the seconds it
    printed first (its own timing, without its start)."""
    wall, peak, told = measure(command)
    return (float(told.split()[0]), peak) if inside else (wall, peak)


def ratios_note(runs, n: int, cores: int = 1) -> str:
    """The booklet's time (runs[k][0]) over that of runs[k][n] spread on `cores`: the
    median, and each turn's."""
    ratios = [r[0][0] / (r[n][0] / cores) for r in runs]
    note = f"{statistics.median(ratios):.2f}"
    if len(ratios) > 1:
        note += f" ({', '.join(f'{r:.2f}' for r in ratios)})"
    return note


def pages_of(pdf: Path) -> int:
    import pikepdf

    with pikepdf.open(pdf) as document:
        return len(document.pages)


def row(rows, size, output, wall, peak, pages="", note=""):
    target = TARGETS.get((size, output)) or TARGETS.get(("*", output), "")
    rows.append((size, output, f"{wall:.2f}", f"{peak:.0f}", str(pages), note, target))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="40,150,600", help="talks per event")
    parser.add_argument("--attendees", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=None, help="booklet build -j")
    parser.add_argument("--keep", type=Path, help="keep the events in this folder")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of the booklet and WeasyPrint alone, in turns"
    )
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="booklet-bench-"))
    jobs = ["-j", str(args.jobs)] if args.jobs else []
    rows: list[tuple[str, ...]] = []
    booklet_times: dict[int, float] = {}
    sizes = [int(s) for s in args.sizes.split(",")]
    try:
        for talks in sizes:
            event = work / f"event-{talks}"
            if event.exists():
                shutil.rmtree(event)
            make_event(event, talks=talks, rooms=8, days=5, attendees=args.attendees, seed=1)
            out = event / "build"
            size = str(talks)
            print(f"event of {talks} talks ...", file=sys.stderr)
            cold = [*jobs, "--no-cache"]  # every piece laid out, as on a first build
            build = [*BOOKLET, "-q", "build", str(event), "--out", str(out)]
            wall, peak, _ = measure([*build, *cold])
            row(rows, size, "everything", wall, peak, pages_of(out / "programme.pdf"))
            # The booklet's final HTML, for WeasyPrint alone (not timed: the booklet rows
            # time the command as organizers run it, without --keep-html).
            measure([*build, "--only", "booklet", "--keep-html", *cold])
            html = str(out / "programme.html")
            # WeasyPrint alone, twice: a plain PDF, and the kind of file the booklet is
            # (tagged PDF/UA-1), which asks WeasyPrint for more work. The booklet and these
            # run in turns: this machine's speed drifts by 15 % from one minute to the
            # next; the ratio of runs a few seconds apart drifts much less. Each row is the
            # median.
            alone = {
                "": [WEASYPRINT, html, str(out / "weasyprint-alone.pdf")],
                ", pdf/ua-1": [WEASYPRINT, "--pdf-variant", "pdf/ua-1", html,
                               str(out / "weasyprint-alone-ua.pdf")],
            }  # fmt: skip
            # WeasyPrint laying the pages out without writing a PDF, in the same turns:
            # however a build shares the pages between processes, each is laid out once,
            # so this over the number of cores is the least a booklet laid out by
            # WeasyPrint can take here. Timed inside its process, after the import.
            layout = [sys.executable, "-c", LAYOUT_ONLY, html]
            commands = [[*build, "--only", "booklet", *cold], *alone.values(), layout]
            # runs[k][n]: (seconds, peak) of turn k of commands[n]
            runs = [[timed(c, c is layout) for c in commands] for _ in range(args.repeat)]
            medians = [
                tuple(statistics.median(v) for v in zip(*(r[n] for r in runs), strict=True))
                for n in range(len(commands))
            ]
            booklet_times[talks] = medians[0][0]
            pages = pages_of(out / "programme.pdf")
            row(rows, size, "booklet", *medians[0], pages, "--only booklet")
            for n, (variant, command) in enumerate(alone.items(), start=1):
                pdf = pages_of(Path(command[-1]))
                note = f"booklet/weasyprint = {ratios_note(runs, n)}"
                row(rows, size, f"weasyprint alone{variant}", *medians[n], pdf, note)
            cores = os.cpu_count() or 1
            least = medians[-1][0] / cores
            note = f"/ {cores} cores = {least:.1f} s; booklet/that = {ratios_note(runs, -1, cores)}"
            row(rows, size, "weasyprint layout only", *medians[-1], pages, note)
            for only in ("print", "imposed", "signs", "exports"):
                wall, peak, _ = measure([*build, "--only", only, *cold])
                row(rows, size, only, wall, peak)
            # Rebuilds, as organizers do them: what the last build kept is reused (the
            # booklet's pieces; the outputs an edit does not affect).
            abstracts = sorted((event / "abstracts").glob("*.md"))
            abstract = abstracts[len(abstracts) // 2]
            text = abstract.read_text(encoding="utf-8")
            for name, again in (("booklet rebuild", [*build, "--only", "booklet", *jobs]),
                                ("rebuild", [*build, *jobs])):  # fmt: skip
                measure(again)  # fills build/.booklet-cache
                wall, peak, _ = measure(again)
                row(rows, size, name, wall, peak, "", "nothing changed")
                abstract.write_text(text.rstrip() + " One more sentence.\n", encoding="utf-8")
                try:
                    wall, peak, _ = measure(again)
                finally:
                    abstract.write_text(text, encoding="utf-8")
                row(rows, size, name, wall, peak, "", "after an abstract edit")
            wall, peak, _ = measure([*BOOKLET, "-q", "check", str(event)])
            row(rows, size, "check", wall, peak)
        largest = work / f"event-{sizes[-1]}"
        wall, peak, _ = measure(
            [
                *BOOKLET,
                "-q",
                "badges",
                str(largest),
                "--layout",
                "a7-8up",
                "--out",
                str(largest / "build"),
            ]
        )
        row(
            rows,
            "*",
            "badges a7-8up",
            wall,
            peak,
            pages_of(largest / "build" / "badges.pdf"),
            f"{args.attendees} attendees",
        )
        from bench.bench_impose import synthetic_booklet

        source = work / "200-pages.pdf"
        source.write_bytes(synthetic_booklet(200))
        wall, peak, _ = measure([*BOOKLET, "impose", str(source), str(work / "imposed.pdf")])
        row(rows, "*", "impose 200 pages", wall, peak, pages_of(work / "imposed.pdf"))
        wall, peak, _ = measure([*BOOKLET, "--help"])
        row(rows, "*", "--help", wall, peak)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    head = ("talks", "output", "wall s", "peak MB", "pages", "note", "target")
    widths = [max(len(r[k]) for r in [head, *rows]) for k in range(len(head))]
    for r in [head, tuple("-" * w for w in widths), *rows]:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())
    if len(booklet_times) >= 2 and 150 in booklet_times and 600 in booklet_times:
        ratio = booklet_times[600] / booklet_times[150]
        print(
            f"\ngrowth: booklet for 600 talks takes {ratio:.2f} x the time for 150 "
            "(target: at most 4.5)"
        )
    when = time.strftime("%Y-%m-%d %H:%M")
    print(f"\n{os.cpu_count()} cores; {when}; python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
