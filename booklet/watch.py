"""`booklet watch`: rebuild when a content, style or font file changes.

File events come from watchdog (inotify on Linux, FSEvents on macOS). A change rebuilds only
the outputs it affects (a stylesheet: the booklets; the attendee list: the badges; an
abstract: the booklets and the exports), and the booklet is laid out in this process, which
keeps the sections that did not change between builds. Each rebuild prints the time from the
save to the finished files.
"""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Callable
from pathlib import Path

from booklet.outputs import FONT_SUFFIXES, Registry, classify
from booklet.session import Session

log = logging.getLogger(__name__)

# The kinds of file a build reads: content, templates, stylesheets, fonts, and the images a
# stylesheet may show (every kind WeasyPrint draws).
WATCHED = {".yaml", ".yml", ".md", ".csv", ".css", ".j2", *FONT_SUFFIXES,
           ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}  # fmt: skip
# The file events that are changes. A deleted file counts: an event's own stylesheet
# removed brings the default one back, a removed abstract file is an error to report.
CHANGES = ("modified", "created", "moved", "deleted")
DEBOUNCE_SECONDS = 0.15  # editors write a file in several steps: wait for them to settle


def affected_outputs(changed: list[Path], session: Session, registry: Registry) -> set[str]:
    """Which products a set of changed files affects, by the registered outputs' rules."""
    affected = registry.affected(classify(path, session) for path in changed)
    return affected & set(registry.default_products)  # not those made only when asked


def watch(
    session: Session,
    registry: Registry,
    rebuild: Callable[[set[str] | None], None],
    *,
    stop: Callable[[], bool] = lambda: False,
    report: Callable[[str], None] = print,
    prepare: Callable[[], None] = lambda: None,
) -> None:
    """Build everything once, then rebuild what each change affects until `stop()`.
    `prepare()` runs once after the first build, before the first change is rebuilt.

    A build that fails (a content error) is reported and watching goes on; what it was to
    make is made by the next build, with what that one's change affects: a fix in another
    file than the one whose change failed still brings every output up to date."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    events: queue.Queue[tuple[float, Path]] = queue.Queue()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event):
            if event.is_directory or event.event_type not in CHANGES:
                return
            path = Path(getattr(event, "dest_path", "") or event.src_path)
            if path.name.startswith(".") or path.suffix.lower() not in WATCHED:
                return  # editors' and sed's temporary files, our own staging folder
            events.put((time.time(), path))

    folders = session.watched_dirs
    observer = Observer()
    for folder in folders:
        if folder.is_dir():
            observer.schedule(Handler(), str(folder), recursive=True)
    observer.start()
    left: set[str] | None = set()  # what failed builds did not make (None: everything)

    def attempt(wanted: set[str] | None) -> set[str] | None:
        """Rebuild `wanted` and what a failed build left; what was rebuilt. Raises as
        `rebuild` does, and the outputs it did not make are then left for the next."""
        nonlocal left
        todo = None if wanted is None or left is None else wanted | left
        left = todo
        rebuild(todo)
        left = set()
        return todo

    try:
        try:
            attempt(None)
        except Exception as exc:  # a content error: watching goes on, the fix is a save away
            report(f"not built: {exc}")
        report(f"watching {', '.join(sorted(str(f) for f in folders))} (Ctrl-C to stop)")
        try:  # a save meanwhile is queued: it is rebuilt once this is done
            prepare()
        except Exception:  # only a head start: the next build does it again, and reports
            log.debug("preparing the next build failed", exc_info=True)
        while not stop():
            try:
                saved, path = events.get(timeout=0.2)
            except queue.Empty:
                continue
            changed = [path]
            time.sleep(DEBOUNCE_SECONDS)
            while not events.empty():
                changed.append(events.get()[1])
            names = ", ".join(sorted({p.name for p in changed}))
            try:
                done = attempt(affected_outputs(changed, session, registry))
            except Exception as exc:  # a content error: report it and keep watching
                report(f"{names} changed: not rebuilt: {exc}")
                continue
            report(
                f"{names} changed: rebuilt "
                f"{', '.join(o for o in registry.default_products if done is None or o in done)} "
                f"in {time.time() - saved:.1f} s from the save"
            )
    finally:
        observer.stop()
        observer.join()
