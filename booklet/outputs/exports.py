"""Schedules, calendar and web page: the programme as frab `schedule.xml` and its JSON
flavour, iCalendar `programme.ics` and a self-contained `index.html`. `--only exports`
makes the four; `--only xml` (or `schedule-json`, `ics`, `html`) one of them."""

from __future__ import annotations

from booklet.outputs import ABSTRACT, OTHER, PROGRAMME, JobResult, Output, Product, Task, kinds


def make_exports(task: Task) -> JobResult:
    from booklet.build import timed
    from booklet.export import frab, ics, web

    programme = task.programme
    result = JobResult()
    with timed(result.timings, "exports"):
        wanted = set(task.wanted)
        data = frab.to_data(programme) if wanted & {"xml", "schedule-json"} else None
        makers = {  # both flavours of the schedule say the same: one `data` for both
            "xml": lambda: frab.to_xml(programme, data),
            "schedule-json": lambda: frab.to_json(programme, data),
            "ics": lambda: ics.to_ics(programme, breaks=task.settings.get("breaks", True)),
            "html": lambda: web.render_web(programme, task.content_dir),
        }
        for product in OUTPUT.products:
            if product.name in wanted:
                result.outputs[product.name] = task.write_text(product.file, makers[product.name]())
    return result


OUTPUT = Output(
    name="exports",
    products=(
        Product("xml", "schedule.xml"),
        Product("schedule-json", "schedule.json"),
        Product("ics", "programme.ics"),
        Product("html", "index.html"),
    ),
    run=make_exports,
    affected_by=kinds(PROGRAMME, ABSTRACT, OTHER, styles=lambda name: name.startswith("web.")),
    description="schedules, calendar and web page: schedule.xml, schedule.json, "
    "programme.ics, index.html",
)
