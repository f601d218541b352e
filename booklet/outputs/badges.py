"""Name badges: the attendee list (or the people) into `badges.pdf`, drawn with ReportLab.
Configured by `badges:` in event.yaml; the command line may give `layout` and `duplex`."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from booklet import model, paper
from booklet.errors import ContentError, Location
from booklet.outputs import (
    ATTENDEES,
    FONT,
    OTHER,
    PROGRAMME,
    JobResult,
    Output,
    Product,
    Task,
    kinds,
)
from booklet.sources import Mapping, not_regular

# A logo's pixels at most: it is drawn a few centimetres wide, and a small file can declare
# an image that takes gigabytes once decoded.
MAX_LOGO_PIXELS = 25_000_000


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def make_badges(task: Task) -> JobResult:
    from booklet.attendees import load_attendees
    from booklet.build import timed
    from booklet.render.badges import layout_for, render_badges

    session = task.session
    result = JobResult()
    duplex = bool(task.settings.get("duplex"))
    with timed(result.timings, "badges"):
        listed = load_attendees(task.programme, task.content_dir, session.attendees, session.limits)
        session.check(listed.warnings)
        layout = layout_for(task.settings.get("layout"), task.programme.event.badges)
        rendered = render_badges(
            task.programme, listed.attendees, layout, duplex=duplex, step=task.step
        )
        target = task.write_bytes(OUTPUT.product("badges").file, rendered.pdf)
    result.warnings += list(listed.warnings) + list(rendered.diagnostics)
    result.outputs["badges"] = target
    sheets = rendered.pages // 2 if duplex else rendered.pages
    result.details["badges"] = (
        f"{_count(len(rendered.placements), 'badge')} on {_count(sheets, 'sheet')}, "
        f"{rendered.layout.name}" + (", with backs" if duplex else "")
    )
    return result


def parse_section(section) -> model.BadgeSettings:
    """The `badges:` mapping of event.yaml (a `validate.SectionReader`): layout, stock,
    colours, QR, logo, attendee list, backs."""
    from booklet.validate.checker import join_key, unknown_ref

    c, w, raw = section.checker, section.name, section.raw
    keys = dict.fromkeys(("layout", "custom", "colours", "qr", "logo", "attendees", "back"))
    if not c.mapping(raw, raw.loc, w, keys):
        return model.BadgeSettings()
    settings: dict[str, Any] = {}
    for key, known in (("layout", model.BADGE_LAYOUTS), ("back", model.BADGE_BACKS)):
        value = c.text(raw, key, w)
        if value is not None and value.casefold() in known:
            settings[key] = value.casefold()
        elif value is not None:
            what, hint = unknown_ref(f"badge {key}", value, dict.fromkeys(known))
            c.error(raw.value_locs[key], join_key(w, key), what, hint)
    if raw.get("custom") is not None:
        settings["custom"] = _badge_grid(c, raw["custom"], raw.value_locs["custom"])
    elif settings.get("layout") == "custom":
        c.error(
            raw.value_locs["layout"],
            "badges.layout",
            "layout 'custom' needs a 'custom:' mapping",
            "give the badge width, height, columns and rows, e.g. {width: 85mm, height: "
            "55mm, columns: 2, rows: 5, paper: A4}",
        )
    colours = raw.get("colours")
    if colours is not None and c.mapping(
        colours,
        raw.value_locs["colours"],
        "badges.colours",
        dict.fromkeys(colours) if isinstance(colours, Mapping) else {},
    ):
        pairs = []
        for role in colours:
            where, loc = f"badges.colours.{role}", colours.key_locs[role]
            close = difflib.get_close_matches(role, model.ROLES, n=1, cutoff=0.75)
            if role not in model.ROLES and close:  # a typo; other words are custom roles
                c.error(loc, where, f"unknown role {role!r}", f"did you mean '{close[0]}'?")
            colour = c.text(colours, role, "badges.colours")
            if colour is not None and not re.match(r"^#([0-9a-fA-F]{3}){1,2}$", colour):
                c.error(
                    colours.value_locs[role],
                    where,
                    f"bad colour {colour!r}",
                    'write it as "#rrggbb" in quotes, e.g. "#0b5cad"',
                )
            elif colour is not None:
                pairs.append((role, long_hex(colour)))
        settings["colours"] = tuple(pairs)
    qr = c.text(raw, "qr", w)
    if qr is not None:
        problem = qr_problem(qr)
        if problem:
            c.error(raw.value_locs["qr"], "badges.qr", problem[0], problem[1])
        else:
            settings["qr"] = qr if qr.casefold() not in ("vcard", "none") else qr.casefold()
    for key in ("logo", "attendees"):
        relative = c.text(raw, key, w)
        if relative is None:
            continue
        path = c.inside(relative, raw.value_locs[key], join_key(w, key))
        if path is None:
            continue
        problem = not_regular(path)
        if problem == "not found":
            c.error(
                raw.value_locs[key],
                join_key(w, key),
                f"file {relative!r} not found in the content folder",
                "give a path relative to the content folder, without '..'",
            )
        elif problem is not None:
            c.error(raw.value_locs[key], join_key(w, key), f"file {relative!r} is {problem}")
        elif key == "attendees":
            settings[key] = relative
        else:
            settings[key] = _badge_logo(section, path, raw.value_locs[key])
    return model.BadgeSettings(**settings)


def _badge_grid(c, raw: Any, loc: Location) -> model.BadgeGrid | None:
    """`badges.custom`: a stock of the event's own, which must fit its paper."""
    from booklet.validate.checker import join_key, millimetres

    w = "badges.custom"
    keys = {"width": True, "height": True, "columns": True, "rows": True}
    if not c.mapping(raw, loc, w, keys | {"paper": False, "gap": False}):
        return None
    values: dict[str, Any] = {}
    for key in ("width", "height", "gap", "columns", "rows"):
        value = raw.get(key)
        if value is None:
            continue
        if key in ("columns", "rows"):
            ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 20
            parsed = value if ok else None
        else:
            parsed = millimetres(value)
            least = 0 if key == "gap" else 1e-9  # badges may meet edge to edge
            parsed = parsed if parsed is not None and parsed >= least else None
        if parsed is None:
            c.error(
                raw.value_locs[key],
                join_key(w, key),
                f"bad {key} {str(value)!r}",
                "a whole number from 1 to 20"
                if key in ("columns", "rows")
                else "a length such as 85mm or 3.5in (a plain number is mm)",
            )
            return None
        values[key] = parsed
    sheet_name = c.text(raw, "paper", w, default="A4")
    sheet = paper.find(sheet_name, paper.BADGE_SHEETS)
    if sheet is None:
        c.error(
            raw.value_locs["paper"],
            join_key(w, "paper"),
            f"unknown paper {sheet_name!r}",
            "use one of " + ", ".join(paper.BADGE_SHEETS),
        )
        return None
    grid = model.BadgeGrid(paper=sheet.name, **values)
    if min(grid.width, grid.height) < 30 or max(grid.width, grid.height) < 50:
        c.error(
            loc,
            w,
            f"badges of {grid.width:g} x {grid.height:g} mm are too small for a readable name",
            "make them at least 50 x 30 mm",
        )
        return None
    paper_w, paper_h = paper.paper(grid.paper).portrait_mm
    need_w = grid.columns * grid.width + (grid.columns - 1) * grid.gap
    need_h = grid.rows * grid.height + (grid.rows - 1) * grid.gap
    if need_w > paper_w + 0.01 or need_h > paper_h + 0.01:
        c.error(
            loc,
            w,
            f"{grid.columns} x {grid.rows} badges of {grid.width:g} x {grid.height:g} mm "
            f"need {need_w:g} x {need_h:g} mm, more than {grid.paper} "
            f"({paper_w:g} x {paper_h:g} mm)",
            "use fewer columns or rows, smaller badges or a smaller gap",
        )
        return None
    return grid


def _badge_logo(section, path: Path, loc: Location) -> bytes | None:
    """The logo's bytes, read once with the content's limits: a PNG or JPEG."""
    from booklet.sources import read_bytes

    try:
        data = read_bytes(path, section.limits)
    except ContentError as exc:
        section.checker.extend(exc.diagnostics)
        return None
    if not data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        section.checker.error(
            loc, "badges.logo", "the logo is not a PNG or JPEG image", "convert it to PNG"
        )
        return None
    # A few bytes can declare a huge image, decoded only when the badges are drawn: its
    # size is read from the header now.
    size = image_size(data)
    if size is None:
        section.checker.error(
            loc, "badges.logo", "the logo is a damaged PNG or JPEG image", "save it again"
        )
        return None
    width, height = size
    if width * height > MAX_LOGO_PIXELS:
        section.checker.error(
            loc,
            "badges.logo",
            f"the logo is {width:,} x {height:,} pixels, over the limit of "
            f"{MAX_LOGO_PIXELS:,} pixels",
            "a logo of 1000 x 1000 pixels is plenty for a badge",
        )
        return None
    return data


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) a PNG or JPEG declares in its header, or None if it has none."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        if len(data) < 24 or data[12:16] != b"IHDR":
            return None
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    at = 2  # a JPEG: markers up to the start of frame (SOF0..SOF15 but DHT, JPG, DAC)
    while at + 9 <= len(data) and data[at] == 0xFF:
        marker, length = data[at + 1], int.from_bytes(data[at + 2 : at + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return int.from_bytes(data[at + 7 : at + 9], "big"), int.from_bytes(
                data[at + 5 : at + 7], "big"
            )
        at += 2 + length
    return None


def long_hex(colour: str) -> str:
    """Turn "#AbC" into "#aabbcc"."""
    digits = colour[1:].lower()
    return "#" + (digits if len(digits) == 6 else "".join(d * 2 for d in digits))


QR_FIELDS = ("id", "name", "given_name", "family_name", "role")


def qr_problem(qr: str) -> tuple[str, str] | None:
    """Why a `badges.qr` setting is unusable, or None: vcard, none, or an http(s) pattern."""
    import string

    if qr.casefold() in ("vcard", "none"):
        return None
    if not re.match(r"^https?://", qr):
        return f"bad QR setting {qr!r}", "use vcard, none, or a URL such as https://x.org/{id}"
    try:
        names = [f for _, f, _, _ in string.Formatter().parse(qr) if f is not None]
    except ValueError:
        return f"bad URL pattern {qr!r}", "braces must pair up: {id}"
    for name in names:
        if name not in QR_FIELDS:
            return f"unknown field {{{name}}} in the QR URL", "known: " + ", ".join(QR_FIELDS)
    return None


OUTPUT = Output(
    name="badges",
    products=(Product("badges", "badges.pdf"),),
    run=make_badges,
    affected_by=kinds(PROGRAMME, ATTENDEES, FONT, OTHER),
    section="badges",
    parse_section=parse_section,
    description="name badges: badges.pdf",
)
