"""Where the default styles and fonts live, and the folders an event may add.

The default look ships inside the package (`booklet/data/styles`, `booklet/data/fonts`,
copied there when the wheel is built); in a source checkout it is the repository's
top-level `styles/` and `fonts/`, the look of the default event that users copy to
customise.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

PACKAGE_DATA = Path(__file__).resolve().parent / "data"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _shipped(name: str) -> Path:
    """The default `name` folder: the source checkout's when there is one (an editable
    install, the tests), else the copy inside the installed package."""
    checkout = PROJECT_ROOT / name
    if checkout.is_dir() and (PROJECT_ROOT / "pyproject.toml").is_file():
        return checkout
    return PACKAGE_DATA / name


DEFAULT_STYLES = _shipped("styles")
DEFAULT_FONTS = _shipped("fonts")


def default_styles() -> Path:
    return DEFAULT_STYLES


def default_fonts() -> Path:
    return DEFAULT_FONTS


def event_styles(content_dir: Path) -> Path:
    """An event overrides templates and stylesheets with files of the same name here
    (refused when it is a link leading out of the content folder)."""
    from booklet.confine import event_folder

    return event_folder(content_dir, "styles")


def event_fonts(content_dir: Path) -> Path:
    from booklet.confine import event_folder

    return event_folder(content_dir, "fonts")


def files_in(folders: Iterable[Path], skip: Path | None = None) -> Iterator[tuple[Path, Path]]:
    """(folder, file) for every file of `folders`, recursively, in order, each file once:
    not hidden ones (nor those in hidden folders), nor those in `skip` (the output folder,
    when it is inside the content folder)."""
    seen = set()
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder).parts
            if any(part.startswith(".") for part in relative) or path in seen:
                continue
            if skip is not None and path.is_relative_to(skip):
                continue
            seen.add(path)
            if path.is_file():
                yield folder, path
