"""Programme -> JSON for scripts. The key names are a contract: other tools read them."""

from __future__ import annotations

import json
from typing import Any

from booklet import model


def person(p: model.Person) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "sort_name": p.sort_name,
        "affiliation": p.affiliation,
        "role": p.role,
        "bio": p.bio,
    }


def item(i: model.Item) -> dict[str, Any]:
    return {
        "id": i.id,
        "start": f"{i.start:%H:%M}",
        "end": f"{i.end:%H:%M}" if i.end else None,
        "kind": i.kind,
        "title": i.title,
        "speakers": [
            {"id": p.id, "name": p.name, "affiliation": p.affiliation} for p in i.speakers
        ],
        "rooms": [r.name for r in i.rooms],
        "all_rooms": i.all_rooms,
        "abstract": i.abstract,
        "links": [{"title": link.title, "url": link.url} for link in i.links],
        "session": i.session,
        "track": i.track.id if i.track else None,
        "board": i.board,
    }


def session(s: model.Session) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "date": s.day.isoformat(),
        "start": f"{s.start:%H:%M}",
        "end": f"{s.end:%H:%M}" if s.end else None,
        "rooms": [r.name for r in s.rooms],
        "chairs": [{"id": p.id, "name": p.name, "affiliation": p.affiliation} for p in s.chairs],
        "chair_role": s.chair_role,
        "track": s.track.id if s.track else None,
        "posters": s.is_poster_session,
        "abstract": s.abstract,
        "items": [i.id for i in s.items],
    }


def to_data(programme: model.Programme) -> dict[str, Any]:
    event = programme.event
    return {
        "event": {
            "title": event.title,
            "subtitle": event.subtitle,
            "city": event.city,
            "timezone": event.timezone,
            "language": event.language,
            "website": event.website,
            "organizers": list(event.organizers),
            "start_date": programme.start_date.isoformat() if programme.start_date else None,
            "end_date": programme.end_date.isoformat() if programme.end_date else None,
            "venues": [{"id": v.id, "name": v.name, "address": v.address} for v in event.venues],
        },
        "days": [
            {
                "date": day.date.isoformat(),
                "title": day.title,
                "venue": day.venue.name if day.venue else None,
                "items": [item(i) for i in day.items],
            }
            for day in programme.days
        ],
        "people": [person(p) for p in programme.people],
        "rooms": [
            {
                "id": r.id,
                "name": r.name,
                "capacity": r.capacity,
                "floor": r.floor,
                "building": r.building,
            }
            for r in programme.rooms
        ],
        "sessions": [session(s) for s in programme.sessions],
        "tracks": [{"id": t.id, "name": t.name, "colour": t.colour} for t in programme.tracks],
    }


def dumps(programme: model.Programme) -> str:
    return json.dumps(to_data(programme), ensure_ascii=False, indent=2) + "\n"
