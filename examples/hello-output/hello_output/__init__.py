"""An example output for booklet: `hello.txt`, one line per programme item (its day,
start time and title).

Installed with pip, it is found through the entry-point group `booklet.outputs`:
`booklet build --only hello` makes it, and `booklet build --help` lists it.
"""

from booklet.outputs import ABSTRACT, PROGRAMME, JobResult, Output, Product, Task, kinds


def write_hello(task: Task) -> JobResult:
    """One line per item: `2025-01-27 10:00 Opening words` (an untitled talk is named by
    its speakers). A greeting set in event.yaml (`hello: {greeting: ...}`) comes first."""
    lines = [task.settings.get("greeting", "Hello from booklet")]
    for day in task.programme.days:
        for item in day.items:
            title = item.title or ", ".join(p.name for p in item.speakers) or item.kind
            lines.append(f"{day.date.isoformat()} {item.start:%H:%M} {title}")
    path = task.write_text("hello.txt", "\n".join(lines) + "\n")
    return JobResult(outputs={"hello": path}, details={"hello": f"{len(lines) - 1} items"})


def parse_section(section) -> dict:
    """The `hello:` mapping of event.yaml: an optional `greeting`."""
    greeting = section.text("greeting")
    return {"greeting": greeting} if greeting is not None else {}


OUTPUT = Output(
    name="hello",
    products=(Product("hello", "hello.txt"),),
    run=write_hello,
    affected_by=kinds(PROGRAMME, ABSTRACT),
    section="hello",
    parse_section=parse_section,
    description="hello.txt: one line per programme item",
)
