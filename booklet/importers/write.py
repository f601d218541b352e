"""`ImportedProgramme` -> content files: event.yaml, people.yaml, programme.yaml, abstracts/*.md.

The YAML is formatted by hand (each scalar through `yaml.safe_dump`, so quoting is always
right) because the files are meant to be read and edited: comments at the top of each file
and above uncertain items, times always in quotes, one key per line in a stable order.
Every file is built in memory first; nothing is written if any target exists and `force` is
off, and each file is then written atomically by `booklet.output`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml

from booklet import output
from booklet.errors import UsageError
from booklet.importers import ImportedItem, ImportedProgramme, ImportedSession, slugify

ABSTRACTS_DIR = "abstracts"


def render_files(programme: ImportedProgramme) -> dict[str, str]:
    """Relative path -> file text, for every file the import writes."""
    abstracts = _abstract_paths(programme)
    files = {
        "event.yaml": render_event(programme),
        "people.yaml": render_people(programme),
        "programme.yaml": render_programme(programme, abstracts),
    }
    for item in programme.items:
        if id(item) in abstracts:
            files[abstracts[id(item)]] = (item.abstract or "").strip() + "\n"
    return files


def write_content(
    programme: ImportedProgramme, out_dir: Path, *, force: bool = False
) -> list[Path]:
    """Write the content files under `out_dir`; refuse to replace files unless `force`.

    Only the files this import writes are checked and replaced; anything else in the folder
    (such as abstracts of an earlier import) is left alone.
    """
    out_dir = Path(out_dir)
    files = render_files(programme)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir} is not a folder", "pass a folder with --out")
    existing = [name for name in files if (out_dir / name).exists()]
    if existing and not force:
        shown = ", ".join(existing[:3]) + (f" and {len(existing) - 3} more" if existing[3:] else "")
        raise UsageError(
            f"{out_dir} already holds {shown}",
            "use --force to replace them, or --out to import into another folder",
        )
    written = []
    for name, text in files.items():
        written.append(output.write_text(out_dir / name, text))
    return written


# -- event.yaml ---------------------------------------------------------------------------

_EVENT_COMMENTS = {
    "title": "Main title, shown on the cover.",
    "subtitle": "Cover line below the title.",
    "city": "City where the event takes place.",
    "timezone": "All programme times are local time in this IANA time zone.",
    "language": "Language of the booklet (BCP 47 tag).",
    "rooms": "Rooms referred to by id from programme.yaml.",
    "tracks": "Tracks referred to by id from programme.yaml, each with its colour.",
}


def render_event(programme: ImportedProgramme) -> str:
    source = _one_line(programme.source)
    lines = [
        f"# Event-wide settings, imported by 'booklet import' from {source}.",
        "# Check every value; see the README for the other keys (venues, info, settings).",
    ]
    for key, value in programme.event.items():
        lines.append("")
        if key in _EVENT_COMMENTS:
            lines.append(f"# {_EVENT_COMMENTS[key]}")
        trailing = _one_line(programme.event_comments.get(key) or "")
        if isinstance(value, list):
            lines.append(f"{key}:" + ("   # " + trailing if trailing else ""))
            lines.extend(_list_of_mappings(value, indent=2))
            if not value:
                lines[-1] += " []"
        else:
            lines.append(f"{key}: {_scalar(value)}" + ("   # " + trailing if trailing else ""))
    return "\n".join(lines) + "\n"


def _list_of_mappings(values: list[Any], indent: int) -> list[str]:
    pad = " " * indent
    out = []
    for value in values:
        if isinstance(value, dict):
            first = True
            for key, sub in value.items():
                prefix = f"{pad}- " if first else f"{pad}  "
                out.append(f"{prefix}{key}: {_scalar(sub)}")
                first = False
        else:
            out.append(f"{pad}- {_scalar(value)}")
    return out


# -- people.yaml --------------------------------------------------------------------------


def render_people(programme: ImportedProgramme) -> str:
    source = _one_line(programme.source)
    lines = [
        f"# Everyone named in the programme, imported from {source}; each person is",
        "# defined once and referred to by id. sort_name is 'Family, Given' and orders the",
        "# speaker index: check it for names with particles or several family names.",
    ]
    if not programme.people:
        lines.append("people: []")
        return "\n".join(lines) + "\n"
    lines.append("people:")
    for person in programme.people:
        lines.append(f"  - id: {_scalar(person.id)}")
        lines.append(f"    name: {_scalar(person.name)}")
        lines.append(f"    sort_name: {_scalar(person.sort_name)}")
        if person.affiliation:
            lines.append(f"    affiliation: {_scalar(person.affiliation)}")
        lines.append(f"    role: {_scalar(person.role)}")
    return "\n".join(lines) + "\n"


# -- programme.yaml -----------------------------------------------------------------------


def render_programme(programme: ImportedProgramme, abstracts: dict[int, str]) -> str:
    timezone = _one_line(str(programme.event.get("timezone", "the event's time zone")))
    source = _one_line(programme.source)
    lines = [
        f"# The programme, imported by 'booklet import' from {source}, day by day.",
        f"# Times are local ({timezone}) and always quoted; an item without 'end' is open-ended.",
        "# kind is one of: talk, tutorial, keynote, poster, break, meal, social, other.",
        "# Comments starting with 'line N' point at the source line an item was guessed from.",
        "days:",
    ]
    for d, day in enumerate(programme.days):
        if d:
            lines.append("")
        if day.comment:
            lines.extend(_comment(day.comment, 2))
        lines.append(f"  - date: {day.date.isoformat()}")
        if day.title:
            lines.append(f"    title: {_scalar(day.title)}")
        if not day.items:
            lines.append("    items: []")
            continue
        lines.append("    items:")
        current = None  # the session whose items are being written
        for item in day.items:
            if item.session is not None and item.session is not current:
                lines.extend(_session_lines(item.session))
            current = item.session
            item_lines = _item_lines(item, abstracts.get(id(item)))
            # a session's items are its own list, six columns further in
            lines.extend(" " * 6 + line if current else line for line in item_lines)
    return "\n".join(lines) + "\n"


def _session_lines(session: ImportedSession) -> list[str]:
    out = _comment(session.comment, 6) if session.comment else []
    out += ["      - session:", f"          title: {_scalar(session.title)}"]
    if session.chairs:
        out.append(f"          chairs: [{', '.join(_scalar(c) for c in session.chairs)}]")
    if session.chair_role:
        out.append(f"          chair_role: {_scalar(session.chair_role)}")
    if session.track:
        out.append(f"          track: {_scalar(session.track)}")
    out.append("          items:")
    return out


def _item_lines(item: ImportedItem, abstract_file: str | None) -> list[str]:
    out = _comment(item.comment, 6) if item.comment else []
    out.append(f'      - start: "{item.start:%H:%M}"')
    if item.end is not None:
        out.append(f'        end: "{item.end:%H:%M}"')
    out.append(f"        kind: {item.kind}")
    if item.title:
        out.append(f"        title: {_scalar(item.title)}")
    if item.speakers:
        out.append(f"        speakers: [{', '.join(_scalar(s) for s in item.speakers)}]")
    if item.rooms:
        out.append(f"        rooms: [{', '.join(_scalar(r) for r in item.rooms)}]")
    if item.track:
        out.append(f"        track: {_scalar(item.track)}")
    if abstract_file:
        out.append(f"        abstract_file: {_scalar(abstract_file)}")
    return out


def _one_line(text: str) -> str:
    """Text for the end of a comment line: a line break in it (a file name, a title) would
    end the comment and start YAML."""
    return " ".join(text.splitlines())


def _comment(text: str, indent: int) -> list[str]:
    return [" " * indent + "# " + line for line in text.splitlines()]


# -- abstracts ----------------------------------------------------------------------------


def _abstract_paths(programme: ImportedProgramme) -> dict[int, str]:
    """id(item) -> 'abstracts/<speakers>-<title>.md', unique, for items with an abstract."""
    paths: dict[int, str] = {}
    used: set[str] = set()
    family = {p.id: slugify(p.sort_name.split(",", 1)[0]) for p in programme.people}
    for day in programme.days:
        for item in day.items:
            if not item.abstract:
                continue
            # Family names first, like the hand-made content: files sort by speaker.
            families = [family.get(pid, pid) for pid in item.speakers[:3]]
            base = (
                "-".join(part for part in [*families, slugify(item.title or "", 40)] if part)
                or f"{day.date:%Y-%m-%d}-{item.start:%H%M}"
            )
            name, n = base, 2
            while name in used:
                name, n = f"{base}-{n}", n + 1
            used.add(name)
            paths[id(item)] = f"{ABSTRACTS_DIR}/{name}.md"
    return paths


def _scalar(value: Any) -> str:
    """One YAML scalar on one line, quoted only when YAML needs it."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=math.inf)
    return text.removesuffix("\n").removesuffix("\n...").strip()
