"""An attendee list (CSV or YAML) or the programme's speakers -> checked `Recipient`s.

Every address is checked before anything is sent; one invalid address stops the run with
`file:line` and the address. An address listed twice gets one message, with a warning
naming both lines. Someone without an address is left out, with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from booklet import model
from booklet.attendees import TWICE_HINT, read_attendees
from booklet.errors import ContentError, Diagnostic, Location, UsageError
from booklet.mail.address import AddressProblem, check_address
from booklet.mail.settings import SPEAKERS, MailSettings
from booklet.sources import DEFAULT_LIMITS, Limits, Mapping, Sequence, load_yaml, resolve_inside

# Warnings about people without an address: this many by name, then one with the count.
NAMED_MISSING = 5


@dataclass(frozen=True)
class Recipient:
    name: str
    address: str  # checked; the domain in ASCII
    given_name: str = ""
    family_name: str = ""
    role: str = "attendee"
    affiliation: str | None = None
    person: model.Person | None = field(default=None, compare=False)  # their talks
    location: Location | None = field(default=None, compare=False)


@dataclass
class RecipientList:
    recipients: list[Recipient]
    source: str  # what they were read from, for the summary
    name: str = "list"  # names the list's mail-out (its journal): "speakers", a file's stem
    warnings: list[Diagnostic] = field(default_factory=list)


def load_recipients(
    programme: model.Programme,
    content_dir: Path,
    to: str | Path | None,
    settings: MailSettings,
    limits: Limits = DEFAULT_LIMITS,
) -> RecipientList:
    """The recipients of `to` (a file or `speakers`), else of `mail.recipients`."""
    if to is None and settings.recipients is None:
        raise UsageError(
            "no recipients given",
            "pass --to FILE (CSV or YAML with an email column) or --to speakers, "
            "or set mail.recipients in event.yaml",
        )
    if to is None:
        if settings.recipients == SPEAKERS:
            return from_speakers(programme, content_dir)
        path = resolve_inside(Path(content_dir), settings.recipients or "")
        if path is None:
            raise ContentError(
                diagnostics=[
                    Diagnostic(
                        settings.locations.get("recipients", Location(None)),
                        "mail.recipients",
                        f"file {settings.recipients!r} is outside the content folder",
                        "give a path relative to the content folder",
                    )
                ]
            )
        return from_file(programme, path, limits)
    if str(to) == SPEAKERS and not Path(to).is_file():
        return from_speakers(programme, content_dir)
    path = Path(to)
    if not path.exists() and not path.is_absolute():  # a list kept in the content folder
        inside = resolve_inside(Path(content_dir), str(to))
        if inside is not None and inside.is_file():
            path = inside
    return from_file(programme, path, limits)


class _Collector:
    """Checks addresses and drops duplicates, collecting diagnostics."""

    def __init__(self) -> None:
        self.recipients: list[Recipient] = []
        self.diagnostics: list[Diagnostic] = []
        self.seen: dict[str, Location | None] = {}
        self.missing: list[tuple[str, Location | None, str]] = []

    def add(self, written: str | None, loc: Location | None, where: str, **fields) -> None:
        at = loc or Location(None)
        if not written:
            self.missing.append((fields["name"], loc, where))
            return
        try:
            address = check_address(written)
        except AddressProblem as exc:
            self.diagnostics.append(
                Diagnostic(at, where, f"invalid email address {written!r}: {exc.what}", exc.hint)
            )
            return
        key = address.casefold()
        if key in self.seen:
            first = self.seen[key]
            also = f" (also at line {first.line})" if first and first.line else ""
            self.diagnostics.append(
                Diagnostic(
                    at,
                    where,
                    f"{address} is listed twice{also}",
                    "it gets one message",
                    "warning",
                )
            )
            return
        self.seen[key] = loc
        self.recipients.append(Recipient(address=address, location=loc, **fields))

    def finish(self, source: str, name: str) -> RecipientList:
        for name, loc, where in self.missing[:NAMED_MISSING]:
            self.diagnostics.append(
                Diagnostic(
                    loc or Location(None),
                    where,
                    f"{name} has no email address",
                    "not mailed",
                    "warning",
                )
            )
        if len(self.missing) > NAMED_MISSING:
            more = len(self.missing) - NAMED_MISSING
            self.diagnostics.append(
                Diagnostic(
                    Location(None),
                    "",
                    f"{more} more people of {source} have no email address",
                    "not mailed",
                    "warning",
                )
            )
        if any(d.is_error for d in self.diagnostics):
            raise ContentError(diagnostics=self.diagnostics)
        if not self.recipients:
            raise ContentError(
                diagnostics=[
                    *self.diagnostics,
                    Diagnostic(
                        Location(None),
                        "",
                        f"nobody to mail: no one in {source} has an email address",
                        "add an email column (or email: in people.yaml)",
                    ),
                ]
            )
        return RecipientList(self.recipients, source, name, self.diagnostics)


def from_file(programme: model.Programme, path: Path, limits: Limits) -> RecipientList:
    """The attendees of a CSV or YAML list that have an `email`."""
    listed = read_attendees(path, limits)
    if not any(a.email for a in listed.attendees):
        raise ContentError(
            diagnostics=[
                Diagnostic(
                    Location(path, 1),
                    "",
                    "no email addresses in the list",
                    "add an 'email' column (a key 'email' in YAML)",
                )
            ]
        )
    people = {p.id: p for p in programme.people}
    by_address = {p.email.casefold(): p for p in programme.people if p.email}
    collector = _Collector()
    collector.diagnostics.extend(w for w in listed.warnings if w.hint != TWICE_HINT)
    for a in listed.attendees:
        person = people.get(a.id or "")
        if person is None and a.email:
            try:
                person = by_address.get(check_address(a.email).casefold())
            except AddressProblem:
                person = None
        collector.add(
            a.email,
            a.location,
            a.where,
            name=a.name,
            given_name=a.given_name,
            family_name=a.family_name,
            role=a.role,
            affiliation=a.affiliation,
            person=person,
        )
    return collector.finish(str(path), path.stem)


def from_speakers(programme: model.Programme, content_dir: Path) -> RecipientList:
    """Every speaker in people.yaml with an `email`, located at their email."""
    path = Path(content_dir) / "people.yaml"
    locations = _email_locations(path)
    collector = _Collector()
    for person in programme.speakers:
        collector.add(
            person.email,
            locations.get(person.id, Location(path)),
            f"people[{person.id}].email",
            name=person.name,
            given_name=person.given_name or person.family_name,
            family_name=person.family_name if person.given_name else "",
            role="speaker",
            affiliation=person.affiliation,
            person=person,
        )
    if not programme.speakers:
        raise ContentError(
            diagnostics=[Diagnostic(Location(path), "", "the programme has no speakers")]
        )
    return collector.finish("the speakers in people.yaml", SPEAKERS)


def _email_locations(path: Path) -> dict[str, Location]:
    """person id -> where their `email` is written in people.yaml (validated before)."""
    data = load_yaml(path) if path.is_file() else None
    people = data.get("people") if isinstance(data, Mapping) else None
    found: dict[str, Location] = {}
    if not isinstance(people, Sequence):
        return found
    for entry, loc in zip(people, people.item_locs, strict=True):
        if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
            found[entry["id"]] = entry.value_locs.get("email", loc)
    return found
