"""The output registry: every output `booklet build` can make, each declared once.

An output is an `Output`: its name, the files it writes (`Product`s, each with the name
`--only` knows it by and the preflight checks its file gets), which changed files affect
it, the section of event.yaml that configures it (parsed and checked beside it), and the
function that makes it from a `Task`. The built-in outputs live in this package, one module
each; an installed package adds its own through the entry-point group `booklet.outputs`
(an entry point names an `Output`, or a function that returns one).

`build`, `watch`, `--only`, preflight and the command line read the registry; no other
module lists output names.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.metadata
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from booklet import output as files
from booklet import paths
from booklet.errors import BookletError, Diagnostic

if TYPE_CHECKING:
    from booklet import model
    from booklet.session import Session

log = logging.getLogger(__name__)

ENTRY_POINTS = "booklet.outputs"
# The built-in outputs, in the order they are built (the longest first).
BUILT_IN = ("booklet.outputs.booklet", "booklet.outputs.badges", "booklet.outputs.signs",
            "booklet.outputs.exports", "booklet.outputs.mail")  # fmt: skip

# What kind of file changed, for `Output.affected_by`.
PROGRAMME = "programme"  # event.yaml, people.yaml, programme.yaml: everything depends on it
ABSTRACT = "abstract"  # a Markdown file of the content
STYLE = "style"  # a template or stylesheet, the event's or the default one
FONT = "font"
ATTENDEES = "attendees"  # the attendee list (given with --attendees, or any CSV)
OTHER = "other"  # an image or another file of the content folder
MAIL = "mail"  # a template of the content's mail/ folder: read by `booklet mail` only


@dataclass(frozen=True)
class Change:
    """A file that changed since the last build, and what kind of file it is."""

    path: Path
    kind: str

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class Product:
    """A file an output writes. `name` is what `--only` and the build's result call it;
    `checks` name the preflight rules its file gets besides the common ones ("booklet":
    a multiple of four pages of one size, "email": light enough to mail, "print": trim
    and bleed boxes, "imposed": sheets of a booklet)."""

    name: str
    file: str
    checks: frozenset[str] = frozenset()


@dataclass
class JobResult:
    """What running an output made: product name -> path, its warnings, the time its steps
    took, the booklet's page count, and a few words per product for the command line
    ("12 badges on 3 sheets")."""

    outputs: dict[str, Path] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    pages: int = 0
    details: dict[str, str] = field(default_factory=dict)


@dataclass
class Task:
    """One output to make: the session, the loaded programme, the folder to write into
    (a staging folder: the files are published only if the whole build succeeds), the
    products wanted, the output's settings (its event.yaml section with the command line's
    on top), `step(done, total)` to tell how far it is, and `inputs`: the files of the
    products it `needs`, made by this build or kept from the last."""

    session: Session
    programme: model.Programme
    folder: Path
    wanted: tuple[str, ...]
    settings: Mapping[str, Any]
    step: Callable[[int, int], None] = lambda done, total: None
    inputs: dict[str, Path] = field(default_factory=dict)

    @property
    def content_dir(self) -> Path:
        return self.session.content_dir

    def path(self, product: str, output: Output) -> Path:
        """Where `product` of `output` is written in this build."""
        return self.folder / output.product(product).file

    def write_text(self, file: str, text: str) -> Path:
        """Write a text file into the build (atomically); its path."""
        return files.write_text(self.folder / file, text)

    def write_bytes(self, file: str, data: bytes) -> Path:
        return files.write_bytes(self.folder / file, data)


def _always(change: Change) -> bool:
    return True


@dataclass(frozen=True)
class Output:
    """An output of the build. `run(task)` makes the products in `task.wanted` and returns
    a `JobResult`; it may raise `booklet.errors.ContentError` or `BookletError`.
    `affected_by(change)` tells whether a changed file makes it build again.
    `section` names its mapping in event.yaml, `parse_section(reader)` turns it into the
    settings `run` gets (see `booklet.validate.SectionReader`). `needs` names products of
    other outputs it reads (made first, in the same build); an output that is not
    `default` is made only when `--only` names it. `plugin` names the package an output
    came from, when it is not built in."""

    name: str
    products: tuple[Product, ...]
    run: Callable[[Task], JobResult]
    affected_by: Callable[[Change], bool] = _always
    section: str | None = None
    parse_section: Callable[[Any], Mapping[str, Any]] | None = None
    description: str = ""
    needs: tuple[str, ...] = ()
    default: bool = True
    plugin: str | None = None

    def product(self, name: str) -> Product:
        return next(p for p in self.products if p.name == name)

    @property
    def product_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.products)


@dataclass(frozen=True)
class PluginProblem:
    """A plug-in that could not be loaded."""

    name: str
    message: str


@dataclass(frozen=True)
class Registry:
    """The outputs a build knows, in build order, and the plug-ins that failed to load."""

    outputs: tuple[Output, ...]
    problems: tuple[PluginProblem, ...] = ()

    def __iter__(self):
        return iter(self.outputs)

    def get(self, name: str) -> Output | None:
        return next((o for o in self.outputs if o.name == name), None)

    @property
    def products(self) -> tuple[Product, ...]:
        return tuple(p for o in self.outputs for p in o.products)

    @property
    def product_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.products)

    @property
    def default_products(self) -> tuple[str, ...]:
        """What a build makes when `--only` is not given."""
        return tuple(p.name for o in self.outputs if o.default for p in o.products)

    def owner(self, product: str) -> Output:
        return next(o for o in self.outputs if product in o.product_names)

    def checks_by_file(self) -> dict[str, frozenset[str]]:
        """File name -> the preflight checks its products declare."""
        return {p.file: p.checks for p in self.products}

    def affected(self, changes: Iterable[Change]) -> set[str]:
        """The products that `changes` make build again."""
        changes = list(changes)
        return {
            p.name
            for o in self.outputs
            if any(o.affected_by(change) for change in changes)
            for p in o.products
        }

    def with_output(self, output: Output) -> Registry:
        """This registry and `output` (replacing one of the same name)."""
        kept = tuple(o for o in self.outputs if o.name != output.name)
        return dataclasses.replace(self, outputs=(*kept, output))


def _entry_points() -> list:
    return list(importlib.metadata.entry_points(group=ENTRY_POINTS))


def load_registry(*, plugins: bool = True) -> Registry:
    """The built-in outputs, then those of installed plug-ins. A plug-in that cannot be
    loaded (an import error, not an `Output`, a name or file already taken) is left out and
    reported in `problems`; the others still load."""
    outputs: list[Output] = [importlib.import_module(m).OUTPUT for m in BUILT_IN]
    problems: list[PluginProblem] = []
    for entry in _entry_points() if plugins else ():
        where = f"plug-in {entry.name!r} ({entry.value})"
        try:
            found = entry.load()
            found = found() if callable(found) and not isinstance(found, Output) else found
        except Exception as exc:
            log.debug("loading %s failed", where, exc_info=True)
            problems.append(PluginProblem(entry.name, f"{where} failed to load: {exc}"))
            continue
        problem = _plugin_problem(found, outputs)
        if problem:
            problems.append(PluginProblem(entry.name, f"{where}: {problem}"))
            continue
        outputs.append(dataclasses.replace(found, plugin=entry.dist.name if entry.dist else ""))
    return Registry(tuple(outputs), tuple(problems))


def _plugin_problem(found: object, known: list[Output]) -> str | None:
    if not isinstance(found, Output):
        return f"gives {type(found).__name__}, not a booklet.outputs.Output"
    names = {o.name for o in known} | {p.name for o in known for p in o.products}
    taken = [n for n in (found.name, *found.product_names) if n in names]
    if taken:
        return f"the name {taken[0]!r} is already an output's"
    used = {p.file for o in known for p in o.products}
    clash = [p.file for p in found.products if p.file in used]
    if clash:
        return f"the file {clash[0]!r} is already written by another output"
    return None


FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")


def _styles_dirs(session: Session) -> tuple[Path, ...]:
    try:
        return session.styles_dirs
    except BookletError:  # an event's styles folder linked out: the build it starts says so
        return (paths.default_styles(),)


def classify(path: Path, session: Session) -> Change:
    """What kind of file `path` is, for the outputs' `affected_by`."""
    path = Path(path).resolve()
    if session.attendees is not None and path == session.attendees.resolve():
        kind = ATTENDEES
    elif path.is_relative_to((session.content_dir / "mail").resolve()):
        kind = MAIL
    elif path.suffix.lower() in FONT_SUFFIXES:
        kind = FONT
    elif _is_labels(path, session):
        kind = PROGRAMME  # read with the programme, and every output prints labels
    elif any(path.is_relative_to(folder.resolve()) for folder in _styles_dirs(session)):
        kind = STYLE
    elif path.suffix.lower() == ".md":
        kind = ABSTRACT
    elif path.suffix.lower() == ".csv":
        kind = ATTENDEES
    elif path.suffix.lower() in (".yaml", ".yml"):
        kind = PROGRAMME
    else:
        kind = OTHER
    return Change(path, kind)


def _is_labels(path: Path, session: Session) -> bool:
    """Is `path` the event's own wording of the labels (`styles/labels.yaml`)?"""
    from booklet.i18n import LABELS_FILE

    try:
        return path == (paths.event_styles(session.content_dir) / LABELS_FILE).resolve()
    except BookletError:  # the styles folder linked out: the build it starts says so
        return False


def kinds(*accepted: str, styles: Callable[[str], bool] | None = None):
    """An `affected_by` for outputs that depend on the changes of `accepted` kinds, and on
    the styles whose file name `styles(name)` accepts."""
    wanted = frozenset(accepted)

    def affected_by(change: Change) -> bool:
        if change.kind == STYLE:
            return styles is not None and styles(change.name)
        return change.kind in wanted

    return affected_by
