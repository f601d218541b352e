"""Door signs: a landscape page per room and day into `signs.pdf`, drawn with ReportLab.
Configured by `signs:` in event.yaml; the command line may give `page_size`."""

from __future__ import annotations

from booklet import model
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


def parse_section(section) -> model.SignSettings:
    """The `signs:` mapping of event.yaml (a `validate.SectionReader`): the paper."""
    from booklet import paper

    raw = section.raw
    if not section.allow("page_size"):
        return model.SignSettings()
    size = section.text("page_size")
    if size is None:
        return model.SignSettings()
    found = paper.find(size, paper.SIGN_SIZES)
    if found is not None:
        return model.SignSettings(page_size=found.name)
    section.checker.error(
        raw.value_locs["page_size"],
        "signs.page_size",
        f"unknown page size {size!r} for door signs",
        "use one of " + ", ".join(paper.SIGN_SIZES) + "; signs are printed landscape",
    )
    return model.SignSettings()


OUTPUT = Output(
    name="signs",
    products=(Product("signs", "signs.pdf"),),
    run=make_signs,
    affected_by=kinds(PROGRAMME, FONT, OTHER),
    section="signs",
    parse_section=parse_section,
    description="door signs: signs.pdf",
)
