"""Deliveries of a mail-out -> a JSON-lines journal under `OUT/mail/`, and back.

Each line is one event: `delivered` (the server accepted the message), `refused` (a
permanent 5xx for that address) or `deferred` (temporary failures, retries used up), with
the address, the Message-ID, the time, the SMTP reply and the digest of the message
(`mailout`). A line is appended, flushed and synced to disk as soon as the server answers,
so a run that is killed loses at most the answer it was writing.

A mail-out is one recipient list mailed from one output folder: its journal is
`journal-<list>.jsonl` (`journal-speakers.jsonl`, `journal-attendees.jsonl` for
attendees.csv), so the speakers get their own message even when they are on the attendee
list too. Running again continues the same mail-out, sending only to addresses without a
`delivered` line (and `refused` ones only with `--retry-failed`), even when the message
changed since (a typo fixed half-way must not mail the first half twice). `--new-mailout`
starts another mail-out to the same list: the journal is renamed with its date and a new
one begins. Only one run may write a journal at a time (a lock).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from booklet.errors import BookletError


def journal_name(list_name: str) -> str:
    """The journal of a list's mail-out: 'attendees' -> 'journal-attendees.jsonl'."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", list_name).strip("-.") or "list"
    return f"journal-{slug}.jsonl"


DELIVERED, REFUSED, DEFERRED = "delivered", "refused", "deferred"


@dataclass
class Entry:
    status: str
    address: str
    message_id: str
    time: str
    mailout: str
    reply: str = ""


@dataclass
class State:
    """What a journal says about each address: its last status (a delivery is final)."""

    entries: dict[str, Entry] = field(default_factory=dict)  # casefolded address -> last
    damaged: int = 0  # lines that could not be read (a run killed while writing one)

    def status(self, address: str) -> str | None:
        entry = self.entries.get(address.casefold())
        return entry.status if entry else None

    def counts(self) -> Counter:
        return Counter(e.status for e in self.entries.values())

    def mailouts(self, status: str = DELIVERED) -> Counter:
        return Counter(e.mailout for e in self.entries.values() if e.status == status)


def read_state(path: Path) -> State:
    state = State()
    if not path.is_file():
        return state
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                entry = Entry(**json.loads(line))
            except (ValueError, TypeError):
                state.damaged += 1
                continue
            key = entry.address.casefold()
            if state.status(key) != DELIVERED:  # once delivered, it stays delivered
                state.entries[key] = entry
    return state


def archive(path: Path) -> Path | None:
    """Set a finished mail-out's journal aside (`journal-YYYYMMDD-HHMMSS.jsonl`)."""
    if not path.is_file():
        return None
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}-{stamp}-{n}{path.suffix}")
    os.replace(path, target)
    return target


class Journal:
    """The journal open for appending, locked against a second run on the same folder."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(self.path, "ab")  # noqa: SIM115 - closed by close()
        try:
            _lock(self.file)
        except BlockingIOError:
            self.file.close()
            raise BookletError(
                f"another 'booklet mail' is sending from {self.path.parent}",
                "wait for it to finish; two runs would mail people twice",
            ) from None
        self.state = read_state(self.path)
        if self.file.tell() and not _ends_with_newline(self.path):
            self.file.write(b"\n")  # after a line cut short by a kill

    def record(self, status: str, address: str, message_id: str, mailout: str, reply="") -> None:
        entry = Entry(
            status=status,
            address=address,
            message_id=message_id,
            time=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            mailout=mailout,
            reply=reply,
        )
        line = json.dumps(entry.__dict__, ensure_ascii=False) + "\n"
        self.file.write(line.encode("utf-8"))
        self.file.flush()
        os.fsync(self.file.fileno())  # on disk before the next message goes out
        key = address.casefold()
        if self.state.status(key) != DELIVERED:
            self.state.entries[key] = entry

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.file.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as f:
        f.seek(-1, os.SEEK_END)
        return f.read(1) == b"\n"


def _lock(file) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock, one run at a time by hand
        return
    fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
