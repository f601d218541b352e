"""Name badges: the attendee list (or the people) into `badges.pdf`, drawn with ReportLab.
Configured by `badges:` in event.yaml; the command line may give `layout` and `duplex`."""

from __future__ import annotations

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


OUTPUT = Output(
    name="badges",
    products=(Product("badges", "badges.pdf"),),
    run=make_badges,
    affected_by=kinds(PROGRAMME, ATTENDEES, FONT, OTHER),
    section="badges",
    description="name badges: badges.pdf",
)
