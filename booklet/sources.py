"""Content files -> plain Python data that remembers where every value came from.

YAML is composed into nodes with PyYAML's safe composer and converted here by hand, so that
- every mapping and sequence keeps the line and column of each key and value (`SourceMap`
  lookups give `file:line:col` for any value the validator complains about),
- times such as `10:00` stay strings (YAML 1.1 would read them as the integer 600),
  and dates stay strings the validator parses itself,
- no tag can construct an object (only the core scalar, sequence and mapping tags),
- alias bombs and deep nesting are refused after a bounded amount of work.

Markdown files referenced from YAML are read through `read_text_file`, which refuses paths
that leave the content folder (compared on resolved real paths, so `..` and symlinks cannot
escape).
"""

from __future__ import annotations

import codecs
import re
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


def read_bytes(path: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise _problem(
            path,
            None,
            None,
            f"file is {size:,} bytes, over the limit of {limits.max_file_bytes:,}",
            "split it, or raise the limit with --max-file-size",
        )
    return path.read_bytes()


def load_yaml(path: Path, limits: Limits = DEFAULT_LIMITS):
    """Read one YAML file into Mapping/Sequence/scalars with locations. None if empty."""
    text = decode_text(read_bytes(path, limits), path)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or "YAML syntax error"
        if exc.context:
            what = f"{what} ({exc.context})"
        raise _problem(
            path,
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
            f"YAML syntax error: {what}",
            "check indentation, colons and quotes around this line",
        ) from None
    except yaml.YAMLError as exc:
        raise _problem(path, None, None, f"YAML error: {exc}") from None
    if node is None:
        return None
    return _Converter(path, limits).convert(node, 0)


_TIMEISH = re.compile(r"^[0-9]+(:[0-9]+)+$")


class _Converter:
    def __init__(self, path: Path, limits: Limits):
        self.path = path
        self.limits = limits
        self.count = 0

    def loc(self, node) -> Location:
        return Location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def fail(self, node, what: str, hint: str | None = None):
        raise _problem(self.path, node.start_mark.line + 1, node.start_mark.column + 1, what, hint)

    def convert(self, node, depth: int):
        self.count += 1
        if self.count > self.limits.max_nodes:
            self.fail(
                node,
                f"too many values (over {self.limits.max_nodes:,}): aliases may be expanding",
                "remove YAML aliases (*name) or split the content",
            )
        if depth > self.limits.max_depth:
            self.fail(
                node, f"nesting deeper than {self.limits.max_depth} levels", "flatten the data"
            )
        if node.tag not in _CORE_TAGS:
            self.fail(
                node,
                f"YAML tag {node.tag!r} is not allowed",
                "content files hold plain values only; remove the tag",
            )
        if isinstance(node, yaml.MappingNode):
            result = Mapping(self.loc(node))
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.fail(
                        key_node, "YAML merge keys (<<) are not supported", "write the keys out"
                    )
                key = self.convert(key_node, depth + 1)
                if not isinstance(key, str):
                    key = str(key)
                if key in result:
                    self.fail(key_node, f"key {key!r} appears twice in this mapping", "keep one")
                result[key] = self.convert(value_node, depth + 1)
                result.key_locs[key] = self.loc(key_node)
                result.value_locs[key] = self.loc(value_node)
            return result
        if isinstance(node, yaml.SequenceNode):
            result = Sequence(self.loc(node))
            for item in node.value:
                result.append(self.convert(item, depth + 1))
                result.item_locs.append(self.loc(item))
            return result
        return self.scalar(node)

    def scalar(self, node):
        text = node.value
        tag = node.tag
        if node.style:  # quoted or block scalar: always a string
            return text
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


def resolve_inside(root: Path, relative: str) -> Path | None:
    """`root/relative` if it stays inside `root` once symlinks are resolved, else None."""
    if not relative or Path(relative).is_absolute() or "\x00" in relative:
        return None
    base = root.resolve()
    candidate = (root / relative).resolve()
    try:
        candidate.relative_to(base)
    except ValueError:
        return None
    return candidate
