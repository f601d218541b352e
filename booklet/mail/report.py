"""A `MailResult` -> the summary `booklet mail` prints, and its confirmation question."""

from __future__ import annotations

import click

from booklet.errors import printable
from booklet.mail.mailout import MailResult

SHOWN = 3  # recipients named in the summary; problems are all listed


def ask(question: str) -> bool:
    return click.confirm(question, default=False, err=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1e3:.0f} kB"


def print_result(result: MailResult, *, quiet: bool = False) -> None:
    def say(text: str, err: bool = False) -> None:
        click.echo(printable(text), err=err)

    for w in result.warnings:
        say(f"warning: {w}", err=True)
    if result.changed and result.sent:
        say(
            f"note: {result.changed} were mailed an earlier version of the message and do "
            "not get this one (--new-mailout sends it to everyone)",
            err=True,
        )
    n = len(result.recipients)
    if not result.sent:
        if not quiet:
            shown = ", ".join(result.recipients[:SHOWN]) + (", ..." if n > SHOWN else "")
            what = (
                f"with {result.attachment.name} ({_mb(result.attachment_size)})"
                if result.attachment
                else "with a link"
            )
            say(
                f"{_plural(n, 'message')} {what}, {_mb(result.message_size)} each, to {shown} "
                f"(from {result.source})"
            )
            say(f"wrote {len(result.previews)} previews to {result.mail_dir}/")
            if result.already:
                say(f"{result.already} already delivered in this mail-out")
            if result.refused_before:
                say(f"{len(result.refused_before)} refused before (--retry-failed to try again)")
            if result.changed:
                say(
                    f"{result.changed} were mailed an earlier version of the message "
                    "(--new-mailout sends it to everyone)"
                )
            left = f", then {result.left} more on the next run" if result.left else ""
            say(f"--send would send {result.to_send}{left}")
        return
    for address, reply in result.refused:
        say(f"refused: {address}: {reply}", err=True)
    for address, reply in result.deferred:
        say(
            f"not delivered (temporary failure, tried again on the next run): {address}: {reply}",
            err=True,
        )
    for address in result.refused_before:
        say(f"refused before, not tried again: {address} (--retry-failed)", err=True)
    if result.to_send == 0 and not result.refused_before and not quiet:
        say(
            f"nothing to send: all {result.already} delivered before in this mail-out "
            f"({result.journal}); --new-mailout mails everyone again"
        )
        return
    if not quiet or not result.ok:
        parts = [f"delivered {len(result.delivered)}"]
        if result.already:
            parts.append(f"{result.already} before")
        if result.refused or result.refused_before:
            parts.append(f"refused {len(result.refused) + len(result.refused_before)}")
        if result.deferred:
            parts.append(f"deferred {len(result.deferred)}")
        if result.retries:
            parts.append(f"{result.retries} retries")
        if result.left:
            parts.append(f"{result.left} left (--limit): run again to send them")
        say(f"{', '.join(parts)}; journal: {result.journal}")
