"""Programme -> iCalendar (RFC 5545): one VEVENT per item, for calendar programs.

Times are written in the event's time zone (DTSTART;TZID=Europe/Paris:...) with a VTIMEZONE
generated from the tz database, so clients show them right wherever the reader is; an event
in UTC gets plain UTC times. UIDs are `<item id>@<event slug>`, stable across rebuilds, so a
re-imported or subscribed calendar updates its events instead of doubling them. DTSTAMP is
`export.build_time` (SOURCE_DATE_EPOCH, else a fixed value): the same content gives the same
bytes.

An open-ended item (no end time) has a DTSTART and neither DTEND nor DURATION: RFC 5545
(3.6.1) defines that as an instant, and calendar programs show it as a moment at its start
time rather than inventing an end the programme does not give.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import icalendar

from booklet import __version__, i18n, markup, model
from booklet.export import build_time, event_slug, local_datetime

PRODID = f"-//booklet//booklet {__version__}//EN"


def item_uid(programme: model.Programme, item: model.Item) -> str:
    return f"{item.id}@{event_slug(programme.event)}"


def to_calendar(programme: model.Programme, *, breaks: bool = True) -> icalendar.Calendar:
    """The calendar; `breaks=False` leaves out breaks and meals."""
    event = programme.event
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", event.title)  # RFC 7986
    cal.add("x-wr-calname", event.title)  # the same, for Apple and Google
    cal.add("x-wr-timezone", event.timezone)
    stamp = build_time(programme)
    utc = event.timezone in ("UTC", "Etc/UTC")
    for day in programme.days:
        for item in day.items:
            if item.is_pause and not breaks:
                continue
            cal.add_component(_vevent(programme, day, item, stamp, utc))
    if not utc and programme.days:
        # Transitions of the event's years only: a few lines instead of decades of them.
        first = dt.date(programme.days[0].date.year, 1, 1)
        last = dt.date(programme.days[-1].date.year + 1, 1, 1)
        timezone = icalendar.Timezone.from_tzid(event.timezone, first_date=first, last_date=last)
        cal.subcomponents.insert(0, timezone)
    return cal


def _vevent(
    programme: model.Programme, day: model.Day, item: model.Item, stamp: dt.datetime, utc: bool
) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", item_uid(programme, item))
    vevent.add("dtstamp", stamp)
    start = local_datetime(programme, day.date, item.start)
    vevent.add("dtstart", start.astimezone(dt.timezone.utc) if utc else start)
    if item.end is not None:
        end = local_datetime(programme, day.date, item.end)
        vevent.add("dtend", end.astimezone(dt.timezone.utc) if utc else end)
    vevent.add("summary", item.display_title)
    location = _location(programme, day, item)
    if location:
        vevent.add("location", location)
    lang = i18n.language_of(programme.event)
    session = programme.session(item.session)
    description = _description(item, lang, session)
    if description:
        vevent.add("description", description)
    # The kind, then the session and the track: calendar programs filter on categories.
    categories = [lang.kind_name(item.kind)]
    categories += [session.title] if session is not None else []
    categories += [item.track.name] if item.track is not None else []
    vevent.add("categories", categories)
    if programme.event.website:
        vevent.add("url", programme.event.website)
    return vevent


def _location(programme: model.Programme, day: model.Day, item: model.Item) -> str:
    parts = []
    # An item across every room of a multi-room event is simply at the venue.
    if item.rooms and not (item.all_rooms and len(programme.rooms) > 1):
        parts.append(", ".join(r.name for r in item.rooms))
    if day.venue is not None:
        parts.append(day.venue.name)
        if day.venue.address:
            parts.append(day.venue.address)
    return ", ".join(parts)


def _description(
    item: model.Item, lang: i18n.Language, session: model.Session | None = None
) -> str:
    parts = []
    if session is not None:
        line = lang.gettext("Session: %(title)s") % {"title": session.title}
        parts.append(line + (f" ({session.chairs_line})" if session.chairs else ""))
    if item.board:
        parts.append(lang.gettext("Board %(board)s") % {"board": item.board})
    if item.speakers:
        names = [f"{p.name} ({p.affiliation})" if p.affiliation else p.name for p in item.speakers]
        label = lang.ngettext("Speaker: {names}", "Speakers: {names}", len(names))
        parts.append(label.format(names=", ".join(names)))
    if item.abstract:
        parts.append(plain_text(item.abstract))
    if item.links:
        parts.append("\n".join(f"{link.title}: {link.url}" for link in item.links))
    return "\n\n".join(parts)


def plain_text(markdown: str) -> str:
    """Markdown -> readable plain text (calendar descriptions are not rendered)."""
    text = str(markup.markdown(markdown))
    # The renderer's own newlines after block tags; the block tags below set the breaks.
    text = re.sub(
        r"(</?(?:p|ul|ol|li|h[1-6]|blockquote|table|thead|tbody|tr|t[dh])>|<hr ?/?>)\n", r"\1", text
    )
    text = re.sub(r"<a href=\"([^\"]*)\"[^>]*>(.*?)</a>", _link_text, text, flags=re.S)
    text = re.sub(r"<li>", "- ", text)
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = re.sub(r"</(p|h[1-6]|pre|blockquote)>", "\n\n", text)
    text = re.sub(r"</(li|tr|ul|ol|table)>|<hr ?/?>", "\n", text)
    text = re.sub(r"</t[dh]>", "\t", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _link_text(match: re.Match) -> str:
    url, label = html.unescape(match[1]), match[2]
    return label if html.unescape(label) == url else f"{label} ({url})"


def to_ics(programme: model.Programme, *, breaks: bool = True) -> str:
    """The .ics text, CRLF line ends and folded lines as RFC 5545 requires: icalendar's
    own `to_ical()`, with its lines folded by `fold` (the same lines, faster)."""
    lines = to_calendar(programme, breaks=breaks).content_lines()
    return "".join(fold(line) + "\r\n" for line in lines if line)


def fold(line: str, limit: int = 75) -> str:
    """A content line folded as RFC 5545 (3.1) asks and as icalendar folds it: parts of at
    most `limit` - 1 octets of UTF-8, never cut inside a character, each after the first
    on a new line that starts with a space; a part does not end with the backslash of an
    escape (or the caret of RFC 6868), which goes on to the next part.

    icalendar measures every character on its own: its folding took 1.5 s of the 3.5 s
    that the calendar of a 600-talk event took. This cuts the encoded line instead."""
    data = line.encode("utf-8")
    if len(data) < limit:
        return line
    parts = []
    start, end = 0, len(data)
    while end - start >= limit:
        cut = start + limit - 1
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: back to its character
            cut -= 1
        # a backslash or caret ending a part of more than one character moves on
        if data[cut - 1] in b"\\^" and cut - 1 > start:
            cut -= 1
        parts.append(data[start:cut])
        start = cut
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode("utf-8")
