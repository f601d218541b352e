"""A content folder and a recipient list -> previews under `OUT/mail/`, or messages sent.

`mail_out(MailOptions(...))` is the one entry point (the `booklet mail` command is a thin
shell over it). Everything that can be checked is checked before the first message goes
out: the content, the `mail:` settings, every address, every recipient's rendered message
and the attachment's size. Without `send`, it only writes one `.eml` file per recipient.
"""

from __future__ import annotations

import ipaddress
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from booklet.errors import BookletError, Diagnostic, Location, UsageError
from booklet.mail.address import AddressProblem, parse_sender
from booklet.mail.compose import MAX_BYTES, WARN_BYTES, Composed, Composer
from booklet.mail.journal import DELIVERED, REFUSED, Journal, archive, journal_name, read_state
from booklet.mail.settings import DEFAULT_PORTS, SECURITY, MailSettings
from booklet.sources import DEFAULT_LIMITS, Limits

MAIL_FOLDER = "mail"  # under the output folder: previews and the journal
CONFIRM_ABOVE = 20  # more messages than this are sent only once confirmed (or --yes)


@dataclass(frozen=True)
class MailOptions:
    content_dir: Path = Path("content")
    out_dir: Path = Path("build")
    to: str | Path | None = None  # a CSV/YAML file, "speakers", or None: mail.recipients
    sender: str | None = None  # overrides mail.from
    send: bool = False  # False: write previews only
    smtp: str | None = None  # HOST[:PORT]; overrides mail.smtp
    security: str | None = None  # starttls (default), tls, none
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    rate: int | None = None  # messages a minute at most
    limit: int | None = None  # stop after this many messages
    yes: bool = False  # send above CONFIRM_ABOVE without asking
    link: str | None = None  # send this URL instead of attaching the booklet
    pdf: Path | None = None  # attach this file instead of building programme.pdf
    retry_failed: bool = False  # also send to addresses refused before
    new_mailout: bool = False  # set the journal aside: everyone gets the message again
    limits: Limits = DEFAULT_LIMITS


@dataclass
class MailResult:
    source: str
    mail_dir: Path
    journal: Path | None = None  # this list's mail-out: OUT/mail/journal-<list>.jsonl
    recipients: list[str] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    attachment: Path | None = None
    attachment_size: int = 0
    message_size: int = 0  # of the first message, encoded
    previews: list[Path] = field(default_factory=list)
    sent: bool = False
    delivered: list[str] = field(default_factory=list)  # in this run
    refused: list[tuple[str, str]] = field(default_factory=list)  # (address, reply)
    deferred: list[tuple[str, str]] = field(default_factory=list)
    already: int = 0  # delivered by an earlier run of this mail-out
    refused_before: list[str] = field(default_factory=list)  # not tried again
    to_send: int = 0  # what a send would (or did) try
    left: int = 0  # not tried, over --limit
    retries: int = 0
    changed: int = 0  # delivered earlier with a different message
    archived: Path | None = None

    @property
    def ok(self) -> bool:
        """False when a send left someone of the list without the message (not --limit)."""
        return not self.sent or not (self.refused or self.deferred or self.refused_before)


def mail_out(
    options: MailOptions,
    *,
    confirm: Callable[[str], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
    build_progress: Callable[[str, object], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    ssl_context=None,
    programme=None,
) -> MailResult:
    """Preview or send the mail-out. `confirm(question)` is asked before sending to more
    than `CONFIRM_ABOVE` (None: refuse unless `options.yes`); `progress(done, total)`
    follows the sending; `clock` and `sleep` pace `--rate` and the retries. `programme`:
    the content a build loaded already (its warnings are the build's); None: loaded here,
    and its warnings are the result's."""
    from booklet.mail.recipients import load_recipients
    from booklet.validate import load_programme

    content_dir, out_dir = Path(options.content_dir), Path(options.out_dir)
    content_warnings = []
    if programme is None:
        loaded = load_programme(content_dir, options.limits)
        programme, content_warnings = loaded.programme, loaded.warnings
    # the `mail:` section, parsed (and checked) by the mail output's `parse_section`
    settings = programme.event.section("mail") or MailSettings()
    sender_text = options.sender
    try:
        sender = parse_sender(sender_text) if sender_text else settings.sender
    except AddressProblem as exc:
        raise UsageError(f"--from: {exc.what}: {sender_text!r}", exc.hint) from None
    if sender is None:
        raise UsageError(
            "no sender address",
            "pass --from 'Name <you@example.org>' or set mail.from in event.yaml",
        )
    if options.link is not None and not re.match(r"^https?://\S+$", options.link):
        raise UsageError(f"--link: not an http(s) URL: {options.link!r}")
    listed = load_recipients(programme, content_dir, options.to, settings, options.limits)
    mail_dir = out_dir / MAIL_FOLDER
    result = MailResult(
        source=listed.source,
        mail_dir=mail_dir,
        recipients=[r.address for r in listed.recipients],
        warnings=[*content_warnings, *listed.warnings],
    )
    if options.link is None:
        result.attachment = _attachment(options, content_dir, out_dir, build_progress, result)
    composer = Composer(
        programme,
        content_dir,
        sender,
        reply_to=settings.reply_to,
        link=options.link,
        attachment=result.attachment,
    )
    result.attachment_size = composer.attachment_size
    # Every message is rendered before the first is sent: a template that fails for one
    # recipient stops the run with nothing sent.
    composed = [composer.compose(r) for r in listed.recipients]
    result.message_size = len(composer.message_bytes(composed[0]))

    journal_path = result.journal = mail_dir / journal_name(listed.name)
    state = read_state(journal_path if not options.new_mailout else mail_dir / "-none-")
    todo = []
    for c in composed:
        status = state.status(c.recipient.address)
        if status == DELIVERED:
            result.already += 1
        elif status == REFUSED and not options.retry_failed:
            result.refused_before.append(c.recipient.address)
        else:
            todo.append(c)
    result.changed = sum(n for digest, n in state.mailouts().items() if digest != composer.digest)
    if options.limit is not None and len(todo) > options.limit:
        result.left = len(todo) - options.limit
        todo = todo[: options.limit]
    result.to_send = len(todo)

    if not options.send:
        result.previews = _previews(composer, composed, mail_dir)
        return result

    server = _server(options, settings, ssl_context)
    if len(todo) > CONFIRM_ABOVE and not options.yes:
        question = f"Send {len(todo)} messages from {sender.addr_spec} through {server}?"
        if confirm is None:
            raise UsageError(
                f"{len(todo)} messages to send and no terminal to confirm it",
                "add --yes once the preview looks right",
            )
        if not confirm(question):
            raise BookletError("nothing sent", "the sending was not confirmed")
    if options.new_mailout:
        result.archived = archive(journal_path)
    rate = options.rate or settings.rate
    _send(composer, todo, server, journal_path, result, rate, progress, clock, sleep)
    return result


def _attachment(options, content_dir, out_dir, build_progress, result) -> Path:
    """The PDF to attach: `--pdf`, else `programme.pdf`, built if missing or out of date."""
    if options.pdf is not None:
        path = Path(options.pdf)
        if not path.is_file():
            raise UsageError(f"--pdf: no file {path}")
    else:
        from booklet.build import build

        built = build(
            content_dir,
            out_dir,
            only=("booklet",),
            run_preflight=False,
            limits=options.limits,
            progress=build_progress,
        )
        known = {str(w) for w in result.warnings}
        result.warnings.extend(w for w in built.warnings if str(w) not in known)
        path = built.outputs["booklet"]
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise BookletError(
            f"{path} is {size / 1e6:.1f} MB, too big to mail (the limit is "
            f"{MAX_BYTES / 1e6:.0f} MB; encoded, a message is about 1.34 times its attachment)",
            "put the file on a web site and pass --link URL",
        )
    if size > WARN_BYTES:
        result.warnings.append(
            Diagnostic(
                Location(path),
                "",
                f"the attachment is {size / 1e6:.1f} MB; some servers refuse messages over 10 MB",
                "consider --link URL",
                "warning",
            )
        )
    return path


def _previews(composer: Composer, composed: list[Composed], mail_dir: Path) -> list[Path]:
    """One `.eml` per recipient, each written atomically; older previews are removed."""
    from booklet import output

    written = []
    for i, c in enumerate(composed, 1):
        safe = re.sub(r"[^A-Za-z0-9@._+-]", "_", c.recipient.address)
        target = mail_dir / f"{i:04d}-{safe}.eml"
        output.write_bytes(target, composer.message_bytes(c))
        written.append(target)
    keep = set(written)
    for old in mail_dir.glob("*.eml"):
        if old not in keep:
            old.unlink()
    return written


def _server(options: MailOptions, settings, ssl_context):
    from booklet.mail.send import Server
    from booklet.mail.settings import parse_smtp

    security = (options.security or settings.security or "starttls").casefold()
    if security not in SECURITY:
        raise UsageError(f"--security: unknown {security!r}", "use " + ", ".join(SECURITY))
    if options.smtp:
        try:
            host, port = parse_smtp(options.smtp)
        except ValueError as exc:
            raise UsageError(f"--smtp: {exc}", "e.g. smtp.example.org:587") from None
    elif settings.smtp:
        host, port = settings.smtp
    else:
        raise UsageError(
            "no SMTP server to send through",
            "pass --smtp HOST:PORT or set mail.smtp in event.yaml",
        )
    user = options.user or settings.user
    if user and security == "none" and not _loopback(host):
        raise UsageError(
            f"refusing to send the password for {user!r} unencrypted to {host}",
            "use --security starttls or tls",
        )
    if user and options.password is None:
        raise UsageError(
            f"no password for {user!r}", "set it in the environment: BOOKLET_SMTP_PASSWORD"
        )
    return Server(
        host=host,
        port=port or DEFAULT_PORTS[security],
        security=security,
        user=user,
        password=options.password if user else None,
        ssl_context=ssl_context,
    )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _send(
    composer: Composer,
    todo: list[Composed],
    server,
    journal_path: Path,
    result: MailResult,
    rate: int | None,
    progress: Callable[[int, int], None] | None,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> None:
    """Send `todo` one by one, each outcome in the journal as soon as the server answers."""
    from booklet.mail.journal import DEFERRED
    from booklet.mail.send import RateLimit, Sender

    result.sent = True
    envelope_from = composer.sender.addr_spec
    sender = Sender(server, rate=RateLimit(rate, clock, sleep), sleep=sleep)
    with Journal(journal_path) as journal:
        try:
            if progress is not None and todo:
                progress(0, len(todo))
            for done, c in enumerate(todo, 1):
                address = c.recipient.address
                if journal.state.status(address) == DELIVERED:  # by a run meanwhile
                    continue
                data = composer.message_bytes(c)
                outcome = sender.send(envelope_from, address, data)
                journal.record(
                    outcome.status, address, c.message_id, composer.digest, outcome.reply
                )
                if outcome.status == DELIVERED:
                    result.delivered.append(address)
                elif outcome.status == DEFERRED:
                    result.deferred.append((address, outcome.reply))
                else:
                    result.refused.append((address, outcome.reply))
                if progress is not None:
                    progress(done, len(todo))
        finally:
            result.retries = sender.retries
            sender.close()


__all__ = ["MailOptions", "MailResult", "mail_out"]
