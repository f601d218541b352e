"""Scores an imported programme against the one a careful reader wrote by hand.

An expected result (YAML beside the fixture) lists days (by date, or by order when the text
gives none) and their items: start, end, title, speakers, kind, room. Items are matched within
their day by start time and title similarity; then each field is compared exactly. The
measures, each between 0 and 1:

- precision: matched items / items imported; recall: matched items / items expected;
- titles, speakers, kinds, rooms, times (start and end): exact on expected items (an
  item that was not matched counts as wrong);
- sessions: session headings (lines listed under `sessions`) that became no item and were
  reported by a note on their line;
- coverage: source lines that reach the result or are named by a note (must be 1.0).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from booklet.importers import ImportedItem, ImportedProgramme, read_programme

MEASURES = ("precision", "recall", "titles", "speakers", "kinds", "rooms", "times")


def _fold(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def _same(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


def _hhmm(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, int):  # YAML 1.1 reads 10:30 as sexagesimal 630
        return f"{value // 60:02d}:{value % 60:02d}"
    hours, minutes = str(value).split(":")
    return f"{int(hours):02d}:{int(minutes):02d}"


@dataclass
class Score:
    name: str
    patterns: list[str]
    expected: int = 0
    imported: int = 0
    matched: int = 0
    exact: dict[str, int] = field(default_factory=dict)
    sessions: tuple[int, int] = (0, 0)  # reported, listed
    uncovered: list[int] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)  # what differed, for the test's message

    def measure(self, name: str) -> float:
        if name == "precision":
            return self.matched / self.imported if self.imported else 0.0
        if name == "recall":
            return self.matched / self.expected if self.expected else 1.0
        if name == "sessions":
            done, listed = self.sessions
            return done / listed if listed else 1.0
        return self.exact.get(name, 0) / self.expected if self.expected else 1.0

    def row(self) -> dict[str, float]:
        return {m: round(self.measure(m), 2) for m in (*MEASURES, "sessions")}


def _speaker_names(item: ImportedItem, people: dict[str, str]) -> list[str]:
    return [people.get(pid, pid) for pid in item.speakers]


def _room_names(item: ImportedItem, rooms: dict[str, str]) -> str | None:
    named = [rooms.get(r, r) for r in item.rooms]
    # The one default room of a text that names none is no room at all.
    named = [n for n in named if n != "Main room"]
    return ", ".join(named) or None


def score(programme: ImportedProgramme, expected: dict, source_lines: list[str], name: str):
    result = Score(name, list(expected.get("patterns", [])))
    people = {p.id: p.name for p in programme.people}
    rooms = {r["id"]: r["name"] for r in programme.event.get("rooms", [])}
    result.imported = len(programme.items)
    days = programme.days
    for index, want_day in enumerate(expected["days"]):
        date = want_day.get("date")
        if date is not None:
            got_day = next((d for d in days if d.date == date), None)
        else:
            got_day = days[index] if index < len(days) else None
        free = list(got_day.items) if got_day else []
        for want in want_day["items"]:
            result.expected += 1
            start, end = _hhmm(want["start"]), _hhmm(want.get("end"))
            same_start = [it for it in free if _hhmm(it.start) == start]
            best, best_ratio = None, 0.0
            for it in same_start:
                ratio = difflib.SequenceMatcher(
                    None, _fold(it.title), _fold(want.get("title"))
                ).ratio()
                if ratio > best_ratio:
                    best, best_ratio = it, ratio
            if best is None or best_ratio < 0.5:
                solo = [it for it in same_start if _hhmm(it.end) == end]
                best = solo[0] if len(same_start) == 1 and solo else None
            label = f"{date or f'day {index + 1}'} {start} {want.get('title')!r}"
            if best is None:
                result.misses.append(f"missing: {label}")
                continue
            free.remove(best)
            result.matched += 1
            checks = {
                "titles": (_same(best.title, want.get("title")), best.title),
                "speakers": (
                    _speaker_names(best, people) == list(want.get("speakers") or []),
                    _speaker_names(best, people),
                ),
                "kinds": (best.kind == want.get("kind"), best.kind),
                "rooms": (
                    _same(_room_names(best, rooms), want.get("room")),
                    _room_names(best, rooms),
                ),
                "times": (_hhmm(best.end) == end, _hhmm(best.end)),
            }
            for measure, (ok, got) in checks.items():
                if ok:
                    result.exact[measure] = result.exact.get(measure, 0) + 1
                else:
                    result.misses.append(f"{measure}: {label}: got {got!r}")
    session_lines = list(expected.get("sessions") or [])
    item_lines = {it.line for it in programme.items}
    reported = {
        n.line for n in programme.notes if n.line is not None and "session" in n.message.lower()
    }
    done = sum(1 for n in session_lines if n not in item_lines and n in reported)
    result.sessions = (done, len(session_lines))
    result.uncovered = uncovered_lines(programme, source_lines)
    return result


def uncovered_lines(programme: ImportedProgramme, source_lines: list[str]) -> list[int]:
    """Lines with words that reach neither the result nor a note naming their number."""
    named = {n.line for n in programme.notes} | {d.line for d in programme.days}
    named |= {it.line for it in programme.items}
    parts: list[str] = [str(v) for v in programme.event.values() if isinstance(v, str)]
    parts += [r["name"] for r in programme.event.get("rooms", [])]
    parts += [p.name for p in programme.people] + [p.affiliation or "" for p in programme.people]
    for day in programme.days:
        parts.append(day.title or "")
        for item in day.items:
            parts += [item.title or "", item.abstract or "", item.comment or ""]
    words = set(_fold(" ".join(parts)).split())
    out = []
    for number, line in enumerate(source_lines, 1):
        own = [w for w in _fold(line).split() if len(w) > 2 and not w.isdigit()]
        if not own or number in named:
            continue
        if sum(w in words for w in own) < len(own) / 2:
            out.append(number)
    return out


def score_fixture(text_path: Path, **options) -> Score:
    expected = yaml.safe_load(text_path.with_suffix(".yaml").read_text(encoding="utf-8"))
    programme = read_programme(text_path, today=dt.date(2026, 1, 1), **options)
    # Line coverage is for text; a schedule's XML or JSON lines are markup.
    lines = text_path.read_text(encoding="utf-8").splitlines() if text_path.suffix == ".txt" else []
    return score(programme, expected, lines, text_path.stem)


def table(scores: list[Score]) -> str:
    """Scores by fixture, then the mean of each measure by pattern, as a Markdown table."""
    head = ["fixture", *MEASURES, "sessions", "uncovered"]
    rows = [
        [s.name, *[f"{s.measure(m):.2f}" for m in (*MEASURES, "sessions")], str(len(s.uncovered))]
        for s in scores
    ]
    for pattern in sorted({p for s in scores for p in s.patterns}):
        group = [s for s in scores if pattern in s.patterns]
        rows.append(
            [f"pattern {pattern}"]
            + [
                f"{sum(s.measure(m) for s in group) / len(group):.2f}"
                for m in (*MEASURES, "sessions")
            ]
            + [str(sum(len(s.uncovered) for s in group))]
        )
    rows.append(
        ["mean"]
        + [
            f"{sum(s.measure(m) for s in scores) / len(scores):.2f}"
            for m in (*MEASURES, "sessions")
        ]
        + [str(sum(len(s.uncovered) for s in scores))]
    )
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    folder = Path(
        sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "fixtures/import/real"
    )
    found = []
    for path in sorted(folder.glob("*")):
        if path.suffix in (".yaml", ".md"):
            continue
        try:
            found.append(score_fixture(path))
        except Exception as exc:  # a fixture the importer refuses scores zero
            print(f"{path.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            bad = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
            s = Score(path.stem, list(bad.get("patterns", [])))
            s.expected = sum(len(d["items"]) for d in bad["days"])
            found.append(s)
    print(table(found))
    if "-v" in sys.argv:
        for s in found:
            print(f"\n## {s.name}: uncovered lines {s.uncovered}")
            print("\n".join(s.misses))
