"""Door signs: a landscape page per room and day into `signs.pdf`, drawn with ReportLab.
Configured by `signs:` in event.yaml; the command line may give `page_size`."""

from __future__ import annotations

from booklet.outputs import FONT, OTHER, PROGRAMME, JobResult, Output, Product, Task, kinds


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def make_signs(task: Task) -> JobResult:
    from booklet.build import timed
    from booklet.render.signs import no_signs_warning, render_signs, signs_for

    result = JobResult()
    with timed(result.timings, "signs"):
        if not signs_for(task.programme):
            result.warnings.append(no_signs_warning())
            return result
        rendered = render_signs(task.programme, task.settings.get("page_size"), task.step)
        target = task.write_bytes(OUTPUT.product("signs").file, rendered.pdf)
    result.warnings += rendered.diagnostics
    result.outputs["signs"] = target
    rooms = len({s.room.id for s in rendered.signs})
    result.details["signs"] = (
        f"{_count(len(rendered.signs), 'sign')} for {_count(rooms, 'room')}, "
        f"{rendered.page_size} landscape"
    )
    return result


OUTPUT = Output(
    name="signs",
    products=(Product("signs", "signs.pdf"),),
    run=make_signs,
    affected_by=kinds(PROGRAMME, FONT, OTHER),
    section="signs",
    description="door signs: signs.pdf",
)
