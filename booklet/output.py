"""The only module that writes under the output folder, and it writes atomically.

Each output is written to a temporary file in the same folder and renamed over the old one,
so a failed or interrupted build leaves the last good file in place, never half a PDF.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target`."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    except OSError as exc:
        if exc.filename is not None or exc.errno is None:
            raise
        # A write that failed (a full disk, a file-size limit) says only why: name the file.
        raise OSError(exc.errno, exc.strerror, str(target)) from exc
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_bytes(target: Path, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: Path, text: str) -> Path:
    return write_bytes(target, text.encode("utf-8"))


def write_with(target: Path, writer: Callable[[Path], object]) -> Path:
    """Let `writer(tmp_path)` produce the file (e.g. WeasyPrint's write_pdf), then rename."""
    with atomic_path(target) as tmp:
        writer(tmp)
    return Path(target)


@contextlib.contextmanager
def staging(out_dir: Path) -> Iterator[Path]:
    """A folder beside the outputs to write a whole build into.

    Call `publish` with what was written to move it into `out_dir`; anything not published
    (a job failed) is removed, so `out_dir` keeps the last good build's files, never a mix.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out_dir)
    folder = Path(tempfile.mkdtemp(prefix=STAGING, dir=out_dir))
    # The build owns its folder while it holds this lock; the system releases it when the
    # process ends, however it ends, so a later build can tell a killed build's leftovers.
    lock = os.open(folder / LOCK, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(lock)


STAGING = ".staging-"
LOCK = ".lock"
# A staging folder without a lock is either being created this instant or was left by a
# version without locks: one older than this is surely a leftover.
UNLOCKED_STALE_AFTER = 3600  # seconds
JUST_MADE = 60  # seconds


def remove_stale_staging(out_dir: Path) -> list[Path]:
    """Remove the staging folders of builds that were killed (no process holds their lock);
    those removed."""
    import time

    removed = []
    for folder in sorted(Path(out_dir).glob(STAGING + "*")):
        if folder.is_symlink() or not folder.is_dir():
            continue
        try:
            lock = os.open(folder / LOCK, os.O_RDONLY | os.O_NOFOLLOW)
        except FileNotFoundError:
            age = time.time() - folder.stat().st_mtime
            if age > UNLOCKED_STALE_AFTER:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
            continue
        except OSError:
            continue
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a running build holds it
            continue
        else:
            # (a build that has just made its folder may not hold its lock yet)
            if time.time() - folder.stat().st_mtime > JUST_MADE:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        finally:
            os.close(lock)
    return removed


def publish(staged: dict[str, Path], out_dir: Path) -> dict[str, Path]:
    """Move staged files into `out_dir` (each rename atomic); name -> final path."""
    final = {}
    for name, path in staged.items():
        target = Path(out_dir) / path.name
        os.replace(path, target)
        final[name] = target
    return final
