"""Mailing the programme: `mail_out(MailOptions(...))` previews or sends one message per
recipient (see `booklet.mail.mailout`).

Stages, one module each: `settings` (the `mail:` section of event.yaml), `address`
(checking addresses), `recipients` (lists and speakers), `compose` (templates and MIME
messages), `journal` (what was delivered, to resume), `send` (SMTP with retries and a rate).
"""

from __future__ import annotations


def __getattr__(name: str):
    # Imported on first use: `booklet.validate` reads `booklet.mail.address` and must not
    # pull in templates and SMTP with it.
    if name in ("MailOptions", "MailResult", "mail_out"):
        from booklet.mail import mailout

        return getattr(mailout, name)
    raise AttributeError(name)
