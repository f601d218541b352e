"""The example event `booklet init` writes: a small, valid content folder with comments.

The files beside this module (event.yaml, people.yaml, programme.yaml and one abstract) are
package data, read with importlib.resources so that they are found in an installed wheel too.
Every YAML key is explained in a comment above it, so the example doubles as a reference.
"""

from __future__ import annotations

from pathlib import Path

from booklet import output
from booklet.errors import UsageError

# Listed rather than globbed, so that __init__.py and __pycache__ never end up in an event.
FILES = (
    "event.yaml",
    "people.yaml",
    "programme.yaml",
    "abstracts/mensah-reproducible-research-software.md",
)


def read_template(name: str) -> str:
    """The text of one template file, e.g. 'abstracts/....md'."""
    from importlib import resources

    resource = resources.files(__name__)
    for part in name.split("/"):  # joinpath takes one part at a time before Python 3.11
        resource = resource / part
    return resource.read_text(encoding="utf-8")


def write_example(folder: Path) -> list[Path]:
    """Write the example event into `folder`, which must be new or empty."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file", "give the name of a new folder")
    if folder.is_dir() and any(folder.iterdir()):
        # Never mix the example with an event's own files, nor replace them.
        raise UsageError(
            f"{folder} is not empty",
            "give a new or empty folder, e.g. 'booklet init my-event'",
        )
    texts = {name: read_template(name) for name in FILES}  # all read before anything is written
    return [output.write_text(folder / name, text) for name, text in texts.items()]
