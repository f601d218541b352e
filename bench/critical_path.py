"""The booklet's longest chain of work, and what more processes would take from it:
`python bench/critical_path.py CONTENT_DIR [--jobs 2,4,8]`.

Builds the booklet once in one process (`-j 1`), timing each task of its pieces (laying a
piece out; numbering and writing it) and the join, then:

- the critical path: the longest chain of tasks that must follow one another, however many
  processes there are (a piece is numbered once every piece before it is laid out; the
  index is laid out once the abstracts have their pages; the join comes last);
- for each `--jobs` N, the time a build with N worker processes would take, by scheduling
  the measured tasks on N workers in the order the booklet hands them out (layouts first,
  the front and week before the schedule before the abstracts; then numbering as each
  becomes possible), with the work the main process does alone (making each piece's HTML)
  and the join added.

It reports; it does not fail. Not a test: the numbers are this machine's, on this day.
"""

from __future__ import annotations

import argparse
import heapq
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(content: Path) -> dict:
    """Time each task of one serial build of `content`'s booklet."""
    from booklet.outputs.booklet import booklet_options
    from booklet.render import pieces
    from booklet.render.pieces import render_booklet, write_print, write_screen
    from booklet.validate import load_programme

    programme = load_programme(content).programme
    tasks: list[tuple[str, object, float]] = []  # (kind, piece, seconds), in order run
    original = pieces.PieceWorker.__call__

    def timed(self, task, send):
        start = time.perf_counter()
        original(self, task, send)
        tasks.append((task[0], task[1], time.perf_counter() - start))

    pieces.PieceWorker.__call__ = timed
    try:
        start = time.perf_counter()
        rendered = render_booklet(programme, content, booklet_options(programme, None), jobs=1)
        total = time.perf_counter() - start
    finally:
        pieces.PieceWorker.__call__ = original
    joins = []
    for writer in (write_print, write_screen):
        start = time.perf_counter()
        writer(rendered, Path("/dev/null"))
        joins.append(time.perf_counter() - start)
    return {
        "tasks": tasks,
        "pieces_total": total,
        "join": max(joins),  # the two files are written by two processes at once
        "join_serial": sum(joins),
        "pages": rendered.page_count,
    }


def _name(key) -> str:
    return key if isinstance(key, str) else f"{key[0]} {len(key[1])} day(s)"


def model(measured: dict) -> tuple[list, float]:
    """The tasks as (name, kind, seconds, order, needs) and the main process's own time."""
    layouts, finishes = {}, {}
    order = []
    for kind, key, seconds in measured["tasks"]:
        name = _name(key)
        if name not in order:
            order.append(name)
        if kind == "layout":
            layouts[name] = layouts.get(name, 0) + seconds
        elif kind == "finish":
            finishes[name] = finishes.get(name, 0) + seconds
        else:  # laid out and written at once (the index, or a piece laid out again)
            layouts[name] = layouts.get(name, 0) + seconds
    work = sum(s for _, _, s in measured["tasks"])
    main = max(0.0, measured["pieces_total"] - work)
    tasks = []
    abstracts = [n for n in order if n.startswith("abstracts")]
    for n in order:
        needs = []
        if n == "index":  # its numbers: the abstracts' pages
            needs = [("layout", a) for a in abstracts]
        tasks.append((n, "layout", layouts.get(n, 0.0), needs))
    for i, n in enumerate(order):
        if n in finishes:  # numbered once every piece before it has a length
            needs = [("layout", m) for m in order[: i + 1]]
            if n == "front" or n.startswith("schedule"):  # pages it names must be known
                needs = [("layout", m) for m in order]
            tasks.append((n, "finish", finishes[n], needs))
    return tasks, main


def schedule(tasks: list, workers: int | None) -> float:
    """When the last task ends with `workers` processes (None: as many as there are
    tasks, which leaves only the dependencies: the critical path)."""
    done: dict[tuple[str, str], float] = {}
    free = [0.0] * (workers or len(tasks))
    waiting = list(tasks)
    while waiting:
        ready = [t for t in waiting if all(n in done for n in t[3])]
        if not ready:
            raise RuntimeError("a task needs one that never runs")
        task = ready[0]  # the order the booklet hands them out
        waiting.remove(task)
        name, kind, seconds, needs = task
        start = max([heapq.nsmallest(1, free)[0], *(done[n] for n in needs)])
        free.remove(heapq.nsmallest(1, free)[0])
        free.append(start + seconds)
        done[(kind, name)] = start + seconds
    return max(done.values(), default=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--jobs", default="1,2,4,8")
    args = parser.parse_args()
    measured = measure(args.content)
    tasks, main_alone = model(measured)
    work = sum(t[2] for t in tasks)
    join = measured["join"]
    print(f"{measured['pages']} pages; one process: pieces {measured['pieces_total']:.1f} s "
          f"(tasks {work:.1f} s, the main process alone {main_alone:.1f} s), "
          f"join {measured['join_serial']:.1f} s")  # fmt: skip
    print(f"{'task':<24}{'kind':<8}{'seconds':>8}")
    for name, kind, seconds, _ in sorted(tasks, key=lambda t: -t[2])[:12]:
        print(f"{name:<24}{kind:<8}{seconds:8.2f}")
    path = schedule(tasks, None) + main_alone + join
    print(f"critical path: {path:.1f} s (the tasks' chain, the main process's own "
          f"{main_alone:.1f} s and the join's {join:.1f} s)")  # fmt: skip
    for n in [int(j) for j in args.jobs.split(",")]:
        took = schedule(tasks, n) + main_alone + join
        print(f"-j {n}: {took:.1f} s ({took / path:.2f} of the critical path)")


if __name__ == "__main__":
    main()
