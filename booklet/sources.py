"""Content files -> plain Python data that remembers where every value came from.

YAML is read as a stream of events from PyYAML's (C) parser and built into data here by
hand, so that
- every mapping and sequence keeps the line and column of each key and value (`Mapping`
  and `Sequence` carry them, so the validator can say `file:line:col` about any value),
- times such as `10:00` stay strings (YAML 1.1 would read them as the integer 600),
  and dates stay strings the validator parses itself,
- no tag can construct an object (only the core scalar, sequence and mapping tags),
- a file is refused as soon as it passes a limit (`Limits`): a file too large from its size,
  before it is read; an alias bomb, deep nesting or a huge programme after work and memory
  in proportion to the limit, not to what the file would expand to.

Markdown files referenced from YAML are read after `resolve_inside`, which refuses paths
that leave the content folder (compared on resolved real paths, so `..` and symlinks cannot
escape).
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import yaml

from booklet.errors import ContentError, Diagnostic, Location

try:  # the C composer is several times faster and keeps the same marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass(frozen=True)
class Limits:
    """Bounds on what one content folder may hold; all configurable from the CLI."""

    max_file_bytes: int = 5_000_000
    max_nodes: int = 1_000_000
    max_depth: int = 60
    max_items: int = 20_000
    max_attendees: int = 20_000


DEFAULT_LIMITS = Limits()

_CORE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:binary",
    "tag:yaml.org,2002:merge",
    "tag:yaml.org,2002:value",
}

_BOOL_TRUE = {"true", "yes", "on"}
_BOOL_FALSE = {"false", "no", "off"}


class Mapping(dict):
    """A dict loaded from YAML; `key_locs` and `value_locs` map each key to its location."""

    __slots__ = ("loc", "key_locs", "value_locs")

    def __init__(self, loc: Location):
        super().__init__()
        self.loc = loc
        self.key_locs: dict[str, Location] = {}
        self.value_locs: dict[str, Location] = {}


class Sequence(list):
    """A list loaded from YAML; `item_locs[i]` is where item i starts."""

    __slots__ = ("loc", "item_locs")

    def __init__(self, loc: Location):
        super().__init__()
        self.loc = loc
        self.item_locs: list[Location] = []


def _problem(path: Path, line: int | None, col: int | None, what: str, hint: str | None = None):
    return ContentError(diagnostics=[Diagnostic(Location(path, line, col), "", what, hint)])


def decode_text(data: bytes, path: Path) -> str:
    """Bytes of a content file -> text. UTF-8 (with or without BOM) only, with a clear error."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _problem(
            path,
            1,
            1,
            "file is encoded as UTF-16",
            "save it as UTF-8 (most editors: Save as / Encoding)",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _problem(
            path,
            line,
            col,
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save it as UTF-8; it may be Latin-1 or Windows-1252",
        ) from None
    if "\x00" in text:
        raise _problem(path, 1, 1, "file contains NUL characters", "is it a binary or UTF-16 file?")
    return text


def not_regular(path: Path) -> str | None:
    """None for a regular file; else what `path` is, for a message: 'not found', or 'a
    folder', 'a named pipe (FIFO)', ... (reading those would block or fail)."""
    try:
        mode = Path(path).stat().st_mode
    except (OSError, ValueError):
        return "not found"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    return "a device, not a regular file"


def read_bytes(path: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """A regular file's bytes; one over `limits.max_file_bytes` is refused from its size alone,
    before a byte is read (and never more than the limit is read, should it grow meanwhile)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise _problem(path, None, None, "not a regular file", "give a text file")
        if info.st_size > limits.max_file_bytes:
            raise _too_big(path, info.st_size, limits)
        with open(path, "rb") as f:
            data = f.read(info.st_size + 1)
            if len(data) > info.st_size:  # it grew since: read on, but not past the limit
                data += f.read(limits.max_file_bytes + 1 - len(data))
    except OSError as exc:
        raise _problem(path, None, None, f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > limits.max_file_bytes:
        raise _too_big(path, len(data), limits)
    return data


def _too_big(path: Path, size: int, limits: Limits) -> ContentError:
    return _problem(
        path,
        None,
        None,
        f"file is {size:,} bytes, over the limit of {limits.max_file_bytes:,}",
        "split it, or raise the limit with --max-file-size",
    )


def parse_size(text: str) -> int:
    """'5000000', '5MB', '20M', '500k', '1GiB' -> bytes (k, M, G are powers of 1000)."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kKmMgG]?)(i?)[bB]?\s*", text)
    if not match:
        raise ValueError(f"not a size: {text!r} (write e.g. 20MB, 500k or 1000000)")
    number, unit, binary = match.groups()
    if binary and not unit:
        raise ValueError(f"not a size: {text!r} (write e.g. 20MB, 500k or 1000000)")
    base = 1024 if binary else 1000
    return int(float(number) * base ** " kmg".index(unit.lower() or " "))


def load_yaml(path: Path, limits: Limits = DEFAULT_LIMITS, *, items_at: tuple[str, ...] = ()):
    """Read one YAML file into Mapping/Sequence/scalars with locations. None if empty.

    `items_at=("days", "items")` counts the entries of every `items` list of every entry of
    the top-level `days` list, and refuses the file as soon as they pass `limits.max_items`.
    """
    text = decode_text(read_bytes(path, limits), path)
    reader = _Reader(path, limits, items_at)
    try:
        return reader.read(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if "maximum nesting depth" in (exc.problem or ""):  # libyaml's own bound (1000)
            raise _problem(
                path,
                line,
                col,
                f"nesting deeper than {limits.max_depth} levels",
                "flatten the data",
            ) from None
        what = exc.problem or "YAML syntax error"
        if exc.context:
            what = f"{what} ({exc.context})"
        raise _problem(
            path,
            line,
            col,
            f"YAML syntax error: {what}",
            "check indentation, colons and quotes around this line",
        ) from None
    except yaml.YAMLError as exc:
        raise _problem(path, None, None, f"YAML error: {exc}") from None


_TIMEISH = re.compile(r"^[0-9]+(:[0-9]+)+$")
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers
_NO_KEY = object()


class _Open:
    """A mapping or sequence being read, until its end event."""

    __slots__ = ("value", "anchor", "first", "height", "items", "role", "key", "key_loc")

    def __init__(self, value, anchor, first: int, items: int, role):
        self.value = value
        self.anchor = anchor
        self.first = first  # values read before this one
        self.height = 0  # levels below it
        self.items = items  # counted items read before this one
        self.role = role  # place on the `items_at` path: ("map", k), ("seq", k) or None
        self.key = _NO_KEY  # a mapping's key waiting for its value
        self.key_loc: Location | None = None


class _Reader:
    """YAML events -> Mapping/Sequence/scalars, checking the limits as it goes.

    Reading events (rather than composing the whole node tree first) means that a file is
    refused as soon as it passes a limit, after work in proportion to the limit and not to
    the file: an alias bomb stops after `max_nodes` values counted (an alias counts every
    value it stands for, though it is read once and shared), deep nesting at `max_depth`,
    a huge programme at `max_items`. No tag can construct an object: only the core tags
    are accepted, and scalars are converted here.
    """

    def __init__(self, path: Path, limits: Limits, items_at: tuple[str, ...]):
        self.path = path
        self.limits = limits
        self.items_at = items_at
        self.count = 0  # values, aliases expanded
        self.items = 0  # entries at `items_at`
        self.aliased = False
        # anchor -> (value, values it holds, its height, counted items it holds)
        self.anchors: dict[str, tuple[object, int, int, int]] = {}
        self.stack: list[_Open] = []
        self.result = None

    def loc(self, event) -> Location:
        return Location(self.path, event.start_mark.line + 1, event.start_mark.column + 1)

    def fail(self, event, what: str, hint: str | None = None, where: str = ""):
        raise ContentError(diagnostics=[Diagnostic(self.loc(event), where, what, hint)])

    def read(self, events):
        documents = 0
        for event in events:
            kind = type(event)
            if kind is yaml.ScalarEvent:
                self.add(event, self.scalar(event), 1, 0, 0)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self.start(event, kind is yaml.MappingStartEvent)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self.end(event)
            elif kind is yaml.AliasEvent:
                self.alias(event)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self.fail(
                        event,
                        "YAML syntax error: a second document starts here",
                        "a content file holds one document: remove this '---' line",
                    )
        return self.result

    # -- limits ------------------------------------------------------------------------------
    def counted(self, event, values: int, depth: int, height: int) -> None:
        self.count += values
        if self.count > self.limits.max_nodes:
            if self.aliased:
                self.fail(
                    event,
                    f"too many values (over {self.limits.max_nodes:,}): aliases may be expanding",
                    "write the values out instead of repeating aliases (*name)",
                )
            self.fail(
                event,
                f"too many values (over {self.limits.max_nodes:,})",
                "a programme needs far fewer: is this the right file?",
            )
        if depth + height > self.limits.max_depth:
            self.fail(
                event, f"nesting deeper than {self.limits.max_depth} levels", "flatten the data"
            )

    def role_of(self, is_mapping: bool | None):
        """The place on the `items_at` path of a new value in the innermost open one."""
        if not self.items_at:
            return None
        if not self.stack:
            return ("map", 0) if is_mapping else None
        parent = self.stack[-1]
        if parent.role is None:
            return None
        kind, k = parent.role
        if kind == "map":
            if parent.key is _NO_KEY or parent.key != self.items_at[k] or is_mapping is not False:
                return None
            return ("seq", k)
        if k == len(self.items_at) - 1:
            return "item"
        return ("map", k + 1) if is_mapping else None

    def count_items(self, event, n: int) -> None:
        self.items += n
        if self.items > self.limits.max_items:
            where = ""
            for frame in self.stack:
                if frame.role is not None and frame.role[0] == "seq":
                    where += f"{'.' if where else ''}{self.items_at[frame.role[1]]}"
                    where += f"[{len(frame.value)}]"
            self.fail(
                event,
                f"the programme has over {self.limits.max_items:,} items",
                "raise the limit with --max-items if this is intended",
                where,
            )

    # -- events ------------------------------------------------------------------------------
    def start(self, event, is_mapping: bool) -> None:
        depth = len(self.stack)
        self.counted(event, 1, depth, 0)
        self.check_tag(event, event.tag)
        role = self.role_of(is_mapping)
        if role == "item":
            self.count_items(event, 1)
            role = None
        loc = self.loc(event)
        value = Mapping(loc) if is_mapping else Sequence(loc)
        self.stack.append(_Open(value, event.anchor, self.count - 1, self.items, role))
        if event.anchor is not None:
            self.anchors.pop(event.anchor, None)  # redefined: the old one until it ends

    def end(self, event) -> None:
        frame = self.stack.pop()
        values = self.count - frame.first
        items = self.items - frame.items
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.value, values, frame.height, items)
        self.attach(frame.value, frame.value.loc, event, frame.height)

    def alias(self, event) -> None:
        self.aliased = True
        anchor = event.anchor
        if anchor not in self.anchors:
            if any(frame.anchor == anchor for frame in self.stack):
                self.fail(
                    event,
                    f"alias *{anchor} is used inside the value it names",
                    "a value cannot contain itself",
                )
            self.fail(event, f"unknown alias *{anchor}", f"define it first with &{anchor}")
        value, values, height, items = self.anchors[anchor]
        self.counted(event, values, len(self.stack), height)
        shape = (
            True if isinstance(value, Mapping) else False if isinstance(value, Sequence) else None
        )
        role = self.role_of(shape)
        if role is not None:
            self.count_items(event, 1 if role == "item" else items)
        self.attach(value, self.loc(event), event, height)

    def add(self, event, value, values: int, height: int, items: int) -> None:
        self.counted(event, values, len(self.stack), height)
        if self.role_of(None) == "item":
            self.count_items(event, 1)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, values, height, items)
        self.attach(value, self.loc(event), event, height)

    def attach(self, value, loc: Location, event, height: int) -> None:
        """Put a finished value in the innermost open mapping or sequence."""
        if not self.stack:
            self.result = value
            return
        parent = self.stack[-1]
        parent.height = max(parent.height, height + 1)
        container = parent.value
        if value is _MERGE and (isinstance(container, Sequence) or parent.key is not _NO_KEY):
            value = "<<"  # only a key merges
        if isinstance(container, Sequence):
            container.append(value)
            container.item_locs.append(loc)
        elif parent.key is _NO_KEY:
            if value is _MERGE:
                self.fail(event, "YAML merge keys (<<) are not supported", "write the keys out")
            key = value if isinstance(value, str) else str(value)
            if key in container:
                self.fail(event, f"key {key!r} appears twice in this mapping", "keep one")
            parent.key, parent.key_loc = key, loc
        else:
            key = parent.key
            container[key] = value
            container.key_locs[key] = parent.key_loc
            container.value_locs[key] = loc
            parent.key = _NO_KEY

    # -- scalars -----------------------------------------------------------------------------
    def check_tag(self, event, tag: str | None) -> None:
        if tag is not None and tag != "!" and tag not in _CORE_TAGS:
            self.fail(
                event,
                f"YAML tag {tag!r} is not allowed",
                "content files hold plain values only; remove the tag",
            )

    def scalar(self, event):
        text = event.value
        tag = event.tag
        if tag is None or tag == "!":
            tag = _resolve(text) if event.implicit[0] else "tag:yaml.org,2002:str"
        self.check_tag(event, tag)
        if event.style:  # quoted or block scalar: always a string
            return text
        if tag == "tag:yaml.org,2002:merge":
            return _MERGE
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            low = text.lower()
            if low in _BOOL_TRUE:
                return True
            if low in _BOOL_FALSE:
                return False
            return text
        if tag == "tag:yaml.org,2002:int":
            if _TIMEISH.match(text):  # 10:00 is a time, not sexagesimal 600
                return text
            try:
                return int(text.replace("_", ""), 0)
            except ValueError:
                return text
        if tag == "tag:yaml.org,2002:float":
            if _TIMEISH.match(text):
                return text
            try:
                return float(text.replace("_", ""))
            except ValueError:
                return text
        return text  # strings, timestamps (parsed by the validator), binary as text


class _MergeKey(str):
    """The plain scalar `<<`: a merge key where a key is expected, the text `<<` elsewhere."""


_MERGE = _MergeKey("<<")


def _resolve(text: str) -> str:
    """The tag YAML 1.1 gives a plain scalar (PyYAML's implicit resolvers)."""
    for tag, regexp in _IMPLICIT.get(text[:1], ()):
        if regexp.match(text):
            return tag
    return "tag:yaml.org,2002:str"


def resolve_inside(root: Path, relative: str, *, follow_links: bool = True) -> Path | None:
    """`root/relative` if it stays inside `root` once symlinks are resolved, else None.

    With `follow_links=False` only `..` is resolved: a link inside `root` counts as inside.
    """
    if not relative or Path(relative).is_absolute() or "\x00" in relative:
        return None
    base = root.resolve()
    if follow_links:
        candidate = (root / relative).resolve()
    else:
        candidate = Path(os.path.normpath(base / relative))
    try:
        candidate.relative_to(base)
    except ValueError:
        return None
    return candidate
