"""A content folder -> the folders inside it that are links leading out of it, refused.

Everything booklet reads of an event (its YAML, abstracts, `styles/`, `fonts/`, logo and
attendee list) must stay inside the content folder. Files are checked one by one when they
are read (`sources.resolve_inside`); a folder that is a symbolic link leading out would
instead widen every check that trusts it as a root (the fetcher allows files under `fonts/`,
the template loader files under `styles/`), so such folders are refused as a whole, before
anything is read. Both sides are compared resolved: a content folder that is itself a link
is fine, and so is a link to a folder elsewhere inside it.
"""

from __future__ import annotations

import os
from pathlib import Path

from booklet.errors import BookletError, Diagnostic, Location

HINT = "copy the folder into the content folder instead of linking to it"


def _outside(path: Path, root: Path) -> bool:
    try:
        return not path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a loop of links
        return True


def folder_links_out(content_dir: Path) -> list[Path]:
    """Every folder link under `content_dir` (not in hidden folders, not followed) that
    resolves outside it, in path order."""
    root = Path(content_dir).resolve()
    found = []
    for parent, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in [*dirs, *files]:
            path = Path(parent) / name
            if path.is_symlink() and path.is_dir() and _outside(path, root):
                found.append(path)
    # os.walk lists links to folders among `dirs` but does not enter them (followlinks=False)
    return sorted(found)


def diagnostics(content_dir: Path) -> list[Diagnostic]:
    """An error for each folder link leading out of `content_dir`, named as the user wrote it."""
    root = Path(content_dir)
    real = root.resolve()
    return [
        Diagnostic(
            Location(root / path.relative_to(real)),
            "",
            "folder is a link to a folder outside the content folder",
            HINT,
        )
        for path in folder_links_out(root)
    ]


def event_folder(content_dir: Path, name: str) -> Path:
    """`content_dir/name` (`styles`, `fonts`): refused when it, or a folder on its way,
    resolves outside the content folder."""
    folder = Path(content_dir) / name
    if (folder.is_symlink() or folder.exists()) and _outside(folder, Path(content_dir).resolve()):
        raise BookletError(
            f"{folder}: folder is a link to a folder outside the content folder", HINT
        )
    return folder
