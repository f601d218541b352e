"""The machine's font set -> a digest that changes whenever a font is installed, removed or
replaced, or fontconfig's configuration changes.

Which font draws a character is not only the fonts of `fonts/`: WeasyPrint falls back to any
font fontconfig knows, and badges and door signs use a system CJK font when there is one
(`fonts.SYSTEM_CJK`). So the system's font set is an input of every output that draws text,
like a file of the content: after `apt-get install fonts-droid-fallback` they are made again.

The digest is of what `fc-list` lists (each font file with its size and time) and of the
files that configure fontconfig. `fc-list` reads fontconfig's cache, rescanning only the
folders whose time changed, so this takes some milliseconds. Without `fc-list`, the usual
font folders are walked instead (their folders' times change when a font is added).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from booklet import fonts

# Where fonts and fontconfig's settings usually are, when `fc-list` is not there to say.
FONT_FOLDERS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
    Path("/System/Library/Fonts"),
    Path.home() / ".fonts",
    Path.home() / ".local/share/fonts",
    Path.home() / "Library/Fonts",
)
CONFIG_FOLDERS = (Path("/etc/fonts"), Path.home() / ".config/fontconfig")


def _stat_line(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        return f"{path}\0missing\n"
    return f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n"


def _listed() -> list[Path] | None:
    """The font files fontconfig knows, or None if `fc-list` cannot say."""
    command = shutil.which("fc-list")
    if command is None:
        return None
    try:
        run = subprocess.run(
            [command, "--format", "%{file}\n"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if run.returncode != 0:
        return None
    return sorted({Path(line) for line in run.stdout.splitlines() if line.strip()})


def _walked(folders) -> list[Path]:
    """Every folder under `folders` (a font added or removed changes its folder's time)."""
    found = []
    for folder in folders:
        if folder.is_dir():
            found.append(folder)
            for root, dirs, _ in os.walk(folder):
                dirs.sort()
                found += [Path(root) / d for d in dirs]
    return found


def system_fonts_digest() -> str:
    """A digest of the fonts this machine may draw text with, other than booklet's own."""
    digest = hashlib.sha256()
    listed = _listed()
    for path in listed if listed is not None else _walked(FONT_FOLDERS):
        digest.update(_stat_line(path).encode())
    for path in fonts.SYSTEM_CJK:
        digest.update(_stat_line(path).encode())
    config = [Path(p) for p in (os.environ.get("FONTCONFIG_FILE"),) if p]
    config += [Path(p) for p in os.environ.get("FONTCONFIG_PATH", "").split(os.pathsep) if p]
    for path in [p for p in config if not p.is_dir()] + _walked([*CONFIG_FOLDERS, *config]):
        digest.update(_stat_line(path).encode())
        if path.is_dir():
            for entry in sorted(path.iterdir()):
                if entry.is_file():
                    digest.update(_stat_line(entry).encode())
    return digest.hexdigest()
