"""Mail previews: the booklet and each recipient's message -> one `.eml` file per
recipient under `OUT/mail/`, as `booklet mail` would send them. Made only when asked for
(`booklet build --only mail`, or `booklet mail`, which also sends); configured by `mail:`
in event.yaml, parsed here. The previews are written in place in `OUT/mail/`, beside the
journal of what was sent, not staged and moved like the other outputs' files.
"""

from __future__ import annotations

from booklet.outputs import MAIL, PROGRAMME, JobResult, Output, Product, Task, kinds


def parse_section(section):
    """The `mail:` mapping of event.yaml (a `validate.SectionReader`) -> `MailSettings`."""
    from booklet.mail.settings import read_settings

    settings, problems = read_settings(section.raw, section.location())
    section.checker.extend(problems)
    return settings


def make_previews(task: Task) -> JobResult:
    from booklet.mail import MailOptions, mail_out

    session = task.session
    options = MailOptions(
        content_dir=session.content_dir,
        out_dir=session.out_dir,
        pdf=task.inputs["booklet"],
        limits=session.limits,
    )
    mailed = mail_out(options, programme=task.programme)  # the content, loaded once
    result = JobResult(warnings=list(mailed.warnings))
    result.outputs["mail"] = mailed.mail_dir
    n = len(mailed.previews)
    result.details["mail"] = f"{n} preview{'' if n == 1 else 's'} from {mailed.source}"
    return result


OUTPUT = Output(
    name="mail",
    products=(Product("mail", "mail"),),
    run=make_previews,
    affected_by=kinds(PROGRAMME, MAIL),
    section="mail",
    parse_section=parse_section,
    description="mail previews: one .eml per recipient in mail/ (`booklet mail` sends them)",
    needs=("booklet",),
    default=False,
)
