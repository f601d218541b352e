"""Dated draft days -> the `ImportedProgramme`: items with kinds, people merged by name, and
the event (title, time zone, language, the one room) with a comment on every guess.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from booklet.importers import (
    ImportedDay,
    ImportedItem,
    ImportedPerson,
    ImportedProgramme,
    Note,
    slugify,
)
from booklet.importers.text.assembly import DraftItem
from booklet.importers.text.dates import FRENCH_DATE_WORDS, GERMAN_DATE_WORDS, event_dates
from booklet.importers.text.dating import DaysStage
from booklet.importers.text.kinds import word_kind
from booklet.importers.text.names import sort_name
from booklet.importers.text.rooms import split_room
from booklet.importers.text.tidy import fold, remove_spans, shorten


class ProgrammeBuilder(DaysStage):
    """Turns dated draft days into the importer's neutral programme."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rooms: dict[str, dict[str, str]] = {}  # folded name -> the room's id and name

    def build(self) -> ImportedProgramme:
        people, ids = self.collect_people()
        days = []
        for day in self.days:
            assert day.date is not None
            items = [self.build_item(item, ids) for item in day.items]
            comment = (
                f"TODO: set the date (line {day.line}: the text gives none)"
                if (day.placeholder)
                else None
            )
            if not items:
                self.warn(
                    day.line, f"no timed item under '{day.heading_text}'; kept as an empty day"
                )
            days.append(ImportedDay(day.date, day.title, items, comment, day.line))
        untitled = [it for d in days for it in d.items if it.kind == "talk" and not it.title]
        if untitled:
            self.note(
                None,
                f"{_count(len(untitled), 'talk')} without a title in the text: the "
                "booklet leads with the speaker; add titles in programme.yaml",
            )
        event, comments = self.event()
        return ImportedProgramme(self.source, event, people, days, self.sorted_notes(), comments)

    def sorted_notes(self) -> list[Note]:
        return sorted(self.notes, key=lambda n: -1 if n.line is None else n.line)

    def room_id(self, name: str, line: int) -> str:
        """The id of a room named in the text, made the first time it is named."""
        key = fold(name)
        if key not in self.rooms:
            rid = slugify(name) or f"room-{len(self.rooms) + 1}"
            while rid in {r["id"] for r in self.rooms.values()}:
                rid += "-2"
            self.rooms[key] = {"id": rid, "name": name}
            self.note(line, f"room '{name}' taken from the item's text")
        return self.rooms[key]["id"]

    def build_item(self, item: DraftItem, ids: dict[str, str]) -> ImportedItem:
        assert item.start is not None
        room = item.room
        if item.title and room is None:
            title, room = split_room(item.title)
            item.title = title
        kind = word_kind(item.title or "") if item.title else None
        if kind == "registration":
            kind = "other"
        if item.speakers and kind in ("break", "other") and not item.session:
            kind = "other" if kind == "other" else "talk"
        if item.session:
            kind = "other"
        kind = kind or ("talk" if item.speakers else "other")
        speakers = []
        for name, _, _ in item.speakers:
            pid = ids[name]
            if pid not in speakers:
                speakers.append(pid)
        return ImportedItem(
            start=as_time(item.start),
            end=as_time(item.end) if item.end is not None else None,
            kind=kind,
            title=item.title or None,
            speakers=speakers,
            abstract=_paragraphs(item.abstract),
            rooms=[self.room_id(room, item.line)] if room else [],
            comment="\n".join(item.comments) or None,
            line=item.line,
        )

    def collect_people(self) -> tuple[list[ImportedPerson], dict[str, str]]:
        """Everyone named, once: the same name (ignoring case and accents) is one person."""
        people: dict[str, ImportedPerson] = {}
        ids: dict[str, str] = {}
        for day in self.days:
            for item in day.items:
                for name, affiliation, line in item.speakers:
                    pid = slugify(name) or f"person-{len(people) + 1}"
                    ids[name] = pid
                    person = people.get(pid)
                    if person is None:
                        people[pid] = ImportedPerson(pid, name, sort_name(name), affiliation)
                    elif affiliation and not person.affiliation:
                        person.affiliation = affiliation
                    elif affiliation and fold(affiliation) != fold(person.affiliation or ""):
                        self.warn(
                            line,
                            f"{name} appears with the affiliation '{affiliation}' "
                            f"here and '{person.affiliation}' before; kept the "
                            "first",
                        )
        return list(people.values()), ids

    def event(self) -> tuple[dict, dict[str, str]]:
        comments: dict[str, str] = {}
        title = self.event_title(comments)
        timezone = self.options.timezone
        if not timezone:
            timezone = "UTC"
            comments["timezone"] = "TODO: assumed; set the event's, e.g. Europe/Paris"
            self.note(None, "time zone UTC assumed: use --timezone (e.g. Europe/Paris)")
        event = {"title": title, "timezone": timezone}
        language = self.language()
        if language != "en":
            event["language"] = language
            comments["language"] = "guessed from the text's words"
            self.note(None, f"language '{language}' guessed from the text's words")
        if self.rooms:
            event["rooms"] = list(self.rooms.values())
            comments["rooms"] = "as the text names them; items naming none are in every room"
        else:
            event["rooms"] = [{"id": "main", "name": "Main room"}]
            comments["rooms"] = "the text names no room"
        return event, comments

    def event_title(self, comments: dict[str, str]) -> str:
        if self.options.title:
            return self.options.title
        lines = [line for line in self.event_lines if line.kind in ("text", "dates")]
        title, where = None, None
        for line in lines:
            if title is None:
                found = event_dates(line.clean)
                title = remove_spans(line.clean, [found[3]]) if found else line.clean
                title, where = title or None, line.number
                if title:
                    continue
            self.warn(
                line.number,
                f"not imported: '{shorten(line.clean, 60)}' (text above the "
                "programme; add it to event.yaml by hand if it matters)",
            )
        how = f"line {where}"
        if not title:
            title, how = self.series_title()
        if not title and self.days and self.days[0].title:
            title, how = self.days[0].title, f"the first day's heading (line {self.days[0].line})"
        if not title:
            stem = re.sub(r"[-_]+", " ", Path(self.source).stem).strip()
            title, how = (stem[:1].upper() + stem[1:]) or "Untitled event", "the file name"
        comments["title"] = f"from {how}; --title sets another"
        self.note(where, f"event title '{title}' taken from {how} (--title sets another)")
        return title

    def series_title(self) -> tuple[str | None, str]:
        """'MLIR Winter School, Day 1..4' -> 'MLIR Winter School', completed from the file name."""
        series = {
            d.heading.series for d in self.days if d.heading and d.heading.day_number is not None
        }
        if len(series) != 1 or None in series:
            return None, ""
        name = series.pop()
        assert name is not None
        words = name.split()
        stem = [w for w in re.split(r"[-_\s.]+", Path(self.source).stem) if w]
        if [w.casefold() for w in stem[: len(words)]] == [w.casefold() for w in words]:
            extra = stem[len(words) :]
            if extra:
                return " ".join([*words, *extra]), "the day headings and the file name"
        return name, "the day headings"

    def language(self) -> str:
        text = " ".join(fold(line.clean) for line in self.lines)
        french = len(
            re.findall(
                r"\b(?:et|de|des|du|le|la|les|pour|avec|sur|une|pause|accueil"
                r"|dejeuner|diner|" + "|".join(FRENCH_DATE_WORDS) + r")\b",
                text,
            )
        )
        english = len(
            re.findall(
                r"\b(?:and|of|the|for|with|to|on|is|break|lunch|dinner|coffee"
                r"|monday|tuesday|wednesday|thursday|friday)\b",
                text,
            )
        )
        german = len(
            re.findall(
                r"\b(?:und|der|die|das|den|dem|mit|von|fur|im|zur|zum|uhr|bis|ab|pause"
                r"|begru(?:ss|ß)ung|vortrag|" + "|".join(GERMAN_DATE_WORDS) + r")\b",
                text,
            )
        )
        counts = {"en": english, "fr": french, "de": german}
        best = max(counts, key=lambda k: counts[k])
        return best if counts[best] > english else "en"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _paragraphs(lines: list[tuple[int, str, bool]]) -> str | None:
    """Abstract lines -> Markdown paragraphs. Blank lines separate paragraphs when the text
    has them; otherwise each long line is a paragraph and hard-wrapped lines are joined."""
    if not lines:
        return None
    groups: list[list[str]] = []
    for _, text, blank_before in lines:
        if blank_before or not groups:
            groups.append([])
        groups[-1].append(text)
    paragraphs: list[str] = []
    for group in groups:
        wrapped = len(group) > 1 and max(len(t) for t in group[:-1]) <= 100
        paragraphs.extend(["\n".join(group)] if wrapped else group)
    return "\n\n".join(paragraphs)


def as_time(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)
