"""Raw content (from `sources`) -> `model.Programme`, or every problem found.

`load_programme(content_dir)` reads `event.yaml`, `people.yaml`, `programme.yaml` and the
Markdown files they reference, checks everything, and returns the programme with its
warnings. Errors are collected (not raised one by one) and raised together as one
`ContentError`, so the organizer fixes them in one pass.

One module per part of the content: `checker` (values of known shapes, with locations),
`event`, `people`, `programme` (days and items) and `schedule` (warnings about the whole
schedule). Each output's own section of event.yaml is parsed beside that output
(`booklet.outputs`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from booklet import confine, i18n, model
from booklet.cleaning import clean_text, derive_sort_name, quote, removed_warning, unsafe_chars
from booklet.errors import ContentError, Diagnostic, Location
from booklet.paper import normalise_page_size
from booklet.sources import (
    DEFAULT_LIMITS,
    Limits,
    Mapping,
    load_yaml,
    not_regular,
    resolve_inside,
)
from booklet.validate.checker import Checker, SectionReader, join_key
from booklet.validate.event import EVENT_FILE, EventReader
from booklet.validate.people import PeopleReader
from booklet.validate.programme import ProgrammeReader
from booklet.validate.schedule import ScheduleChecks
from booklet.validate.sessions import SessionReader

PEOPLE_FILE = "people.yaml"
PROGRAMME_FILE = "programme.yaml"
ROLES = model.ROLES

__all__ = [
    "EVENT_FILE", "PEOPLE_FILE", "PROGRAMME_FILE", "ROLES", "Checker", "Result",
    "SectionReader", "clean_text", "derive_sort_name", "load_programme",
    "normalise_page_size", "quote", "removed_warning", "unsafe_chars",
]  # fmt: skip


@dataclass
class Result:
    programme: model.Programme
    warnings: list[Diagnostic] = field(default_factory=list)


def load_programme(
    content_dir: Path | str, limits: Limits = DEFAULT_LIMITS, registry=None
) -> Result:
    """Read and check a content folder. Raises `ContentError` listing every error. The
    sections of event.yaml that configure an output are parsed by that output
    (`registry`, default: the installed outputs)."""
    root = Path(content_dir)
    if not root.is_dir():
        raise ContentError(
            diagnostics=[
                Diagnostic(
                    Location(root),
                    "",
                    "content folder not found",
                    "pass the folder holding event.yaml, or create one: 'booklet init DIR' "
                    "starts from an example, 'booklet import FILE' from a programme you have",
                )
            ]
        )
    # Before anything is read: a folder link leading out would widen what may be read.
    links_out = confine.diagnostics(root)
    if links_out:
        raise ContentError(diagnostics=links_out)
    check = Checker(root)
    raw: dict[str, Any] = {}
    for name in (EVENT_FILE, PEOPLE_FILE, PROGRAMME_FILE):
        path = root / name
        problem = not_regular(path)
        if problem not in (None, "not found"):
            check.error(Location(path), "", f"{name} is {problem}", "give a YAML file")
            continue
        if problem is not None:
            if name != PEOPLE_FILE:
                check.error(
                    Location(path),
                    "",
                    f"{name} not found",
                    "every content folder needs event.yaml and programme.yaml "
                    "(start one with 'booklet import' or copy the example in the README)",
                )
            continue
        if resolve_inside(root, name) is None:
            check.error(
                Location(path),
                "",
                f"{name} is a link to a file outside the content folder",
                "copy the file into the content folder",
            )
            continue
        try:
            items_at = ("days", "items") if name == PROGRAMME_FILE else ()
            raw[name] = load_yaml(path, limits, items_at=items_at)
        except ContentError as exc:
            check.extend(exc.diagnostics)
    if any(d.is_error for d in check.diagnostics):
        raise ContentError(diagnostics=check.diagnostics)

    if registry is None:
        from booklet.outputs import load_registry

        registry = load_registry()
    builder = Builder(check, root, limits, raw, registry)
    programme = builder.build()
    if programme is not None:
        try:
            labels, found = i18n.read_labels(root, limits)
        except ContentError as exc:
            labels, found = (), exc.diagnostics
        check.extend(found)
        event = dataclasses.replace(programme.event, labels=labels)
        programme = i18n.localise(dataclasses.replace(programme, event=event))
    if any(d.is_error for d in check.diagnostics) or programme is None:
        raise ContentError(diagnostics=check.diagnostics)
    return Result(programme, [d for d in check.diagnostics if not d.is_error])


class Builder(EventReader, PeopleReader, ProgrammeReader, SessionReader, ScheduleChecks):
    """Raw content -> the programme, or its problems in the checker."""

    def __init__(self, check: Checker, root: Path, limits: Limits, raw: dict[str, Any], registry):
        self.c = check
        self.registry = registry
        self.root = root
        self.limits = limits
        self.raw = raw
        self.venues: dict[str, model.Venue] = {}
        self.rooms: dict[str, model.Room] = {}
        self.room_names: dict[str, model.Room] = {}
        self.people: dict[str, model.Person] = {}
        self.item_locs: dict[str, tuple[Location, str]] = {}
        self.room_locs: dict[str, tuple[Location, str]] = {}
        self.next_suffix: dict[str, int] = {}
        self.tracks: dict[str, model.Track] = {}
        self.chair_role = "chair"
        self.session_ids: dict[str, str] = {}

    def file_loc(self, name: str) -> Location:
        return Location(self.root / name, 1, 1)

    def top(self, name: str, keys: dict[str, bool]) -> Mapping | None:
        data = self.raw.get(name)
        if data is None:
            if name in self.raw:
                self.c.error(self.file_loc(name), "", f"{name} is empty")
            return None
        if not self.c.mapping(data, self.file_loc(name), "", keys):
            return data if isinstance(data, Mapping) else None
        return data

    def build(self) -> model.Programme | None:
        event = self.event()
        people_raw = self.top(PEOPLE_FILE, {"people": False}) if PEOPLE_FILE in self.raw else None
        if people_raw is not None:
            self.read_people(people_raw)
        programme_raw = self.top(PROGRAMME_FILE, {"days": True})
        days = self.read_days(programme_raw) if programme_raw is not None else []
        if event is None:
            return None
        programme = model.Programme(
            event=event,
            days=tuple(days),
            people=tuple(self.people.values()),
            rooms=tuple(self.rooms.values()),
            locations={f"item:{k}": v for k, v in self.item_locs.items()}
            | {f"room:{k}": v for k, v in self.room_locs.items()},
        )
        if not any(d.is_error for d in self.c.diagnostics):
            self.schedule_warnings(programme)
        return programme

    def list_of(self, m: Mapping, key: str, where: str) -> list[tuple[Any, Location]]:
        value = m.get(key)
        if value is None:
            return []
        seq = self.c.sequence(value, m.value_locs[key], join_key(where, key))
        return list(zip(seq, seq.item_locs, strict=True)) if seq is not None else []

    # -- people ----------------------------------------------------------------------------
