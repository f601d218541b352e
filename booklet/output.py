"""The only module that writes under the output folder, and it writes atomically.

Each output is written to a temporary file in the same folder and renamed over the old one,
so a failed or interrupted build leaves the last good file in place, never half a PDF.
"""

from __future__ import annotations

import contextlib
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
    folder = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def publish(staged: dict[str, Path], out_dir: Path) -> dict[str, Path]:
    """Move staged files into `out_dir` (each rename atomic); name -> final path."""
    final = {}
    for name, path in staged.items():
        target = Path(out_dir) / path.name
        os.replace(path, target)
        final[name] = target
    return final
