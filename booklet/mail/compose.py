"""The event, a recipient and the content's mail templates -> one email message.

Subject and body come from `mail/subject.txt.j2`, `mail/body.txt.j2` and, optionally,
`mail/body.html.j2` in the content folder, each falling back to the default shipped with
booklet. Templates come with the content, so they run in Jinja's immutable sandbox, and an
undefined variable is an error, not an empty string.

Each message has one recipient (To and envelope), a Date, and a Message-ID derived from the
mail-out's digest, the address and the text, so a message sent again is recognisable as the
same one. Names and subjects outside ASCII are encoded per RFC 2047 by `email.policy.SMTP`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.utils import format_datetime
from pathlib import Path

import jinja2
import jinja2.sandbox

from booklet import i18n, model
from booklet.errors import BookletError, ContentError, Diagnostic, Location
from booklet.mail.recipients import Recipient
from booklet.sandbox import BoundedSandbox, template_error

DEFAULT_TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_FOLDER = "mail"  # in the content folder
SUBJECT, BODY, HTML = "subject.txt.j2", "body.txt.j2", "body.html.j2"
# Sizes of the attachment: a warning above the first, a refusal above the second. Base64
# makes the message about 1.34 times the file, and many servers refuse 25 MB messages.
WARN_BYTES = 10_000_000
MAX_BYTES = 18_000_000


@dataclass(frozen=True)
class Composed:
    """One recipient's message, rendered; `message()` makes the MIME message."""

    recipient: Recipient
    subject: str
    text: str
    html: str | None
    message_id: str


class _ConfinedLoader(jinja2.FileSystemLoader):
    """Templates of one folder, not following a link out of it."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        root = Path(self.searchpath[0]).resolve()
        if not Path(filename).resolve().is_relative_to(root):
            raise BookletError(
                f"mail template {template!r} is a link to a file outside {root}",
                "copy the file into the content's mail folder",
            )
        return source, filename, uptodate


class Composer:
    """Renders the templates for each recipient and builds their messages."""

    def __init__(
        self,
        programme: model.Programme,
        content_dir: Path,
        sender: Address,
        *,
        reply_to: str | None = None,
        link: str | None = None,
        attachment: Path | None = None,
    ):
        self.programme = programme
        self.sender = sender
        self.reply_to = reply_to
        self.link = link
        self.content_dir = Path(content_dir)
        folders = [self.content_dir / TEMPLATE_FOLDER, DEFAULT_TEMPLATES]
        self.lang = i18n.language_of(programme.event)
        self.env = BoundedSandbox(
            loader=jinja2.ChoiceLoader([_ConfinedLoader(str(f)) for f in folders if f.is_dir()]),
            undefined=jinja2.StrictUndefined,
            autoescape=lambda name: bool(name and name.endswith(".html.j2")),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.i18n"],
        )
        # The default templates' sentences come from the catalogs (`_()`), like every label.
        self.env.install_gettext_translations(self.lang.template_translations, newstyle=True)
        self.templates = {name: self._template(name) for name in (SUBJECT, BODY, HTML)}
        self.attachment = attachment
        self.attachment_part: MIMEPart | None = None
        digest = hashlib.sha256()
        for name, template in self.templates.items():
            source = "" if template is None else Path(template.filename or "").read_text("utf-8")
            digest.update(f"{name}\0{source}\0".encode())
        digest.update(f"{sender}\0{reply_to}\0{link}\0".encode())
        if attachment is not None:
            data = attachment.read_bytes()
            self.attachment_size = len(data)
            digest.update(hashlib.sha256(data).digest())
            part = MIMEPart(policy=policy.SMTP)
            part.set_content(data, maintype="application", subtype="pdf", filename=attachment.name)
            self.attachment_part = part
            # The generator writes a large base64 body line by line, slowly (10 ms for 100 kB):
            # messages are written with a one-line stand-in, replaced by the body encoded once.
            token = f"booklet-attachment-{secrets.token_hex(16)}"
            self._stand_in = MIMEPart(policy=policy.SMTP)
            for key, value in part.items():
                self._stand_in[key] = value
            self._stand_in.set_payload(token + "\n")
            self._token_line = f"{token}\r\n".encode("ascii")
            body = part.get_payload()
            self._encoded = body.replace("\r\n", "\n").replace("\n", "\r\n").encode("ascii")
        else:
            self.attachment_size = 0
        # What makes this mail-out's messages what they are: the journal records it.
        self.digest = digest.hexdigest()[:16]
        self.event = self._event()

    def _template(self, name: str) -> jinja2.Template | None:
        try:
            return self.env.get_template(name)
        except jinja2.TemplateNotFound:
            if name == HTML:
                return None
            raise
        except jinja2.TemplateSyntaxError as exc:
            raise ContentError(
                diagnostics=[
                    Diagnostic(
                        Location(Path(exc.filename or name), exc.lineno),
                        "",
                        f"template error: {exc.message}",
                        "see the Jinja template syntax",
                    )
                ]
            ) from None

    def _event(self) -> dict:
        event = self.programme.event
        return {
            "title": event.title,
            "subtitle": event.subtitle,
            "city": event.city,
            "website": event.website,
            "organizers": list(event.organizers),
            "dates": self.lang.date_range(self.programme.start_date, self.programme.end_date),
            "start_date": self.programme.start_date.isoformat()
            if self.programme.start_date
            else None,
            "end_date": self.programme.end_date.isoformat() if self.programme.end_date else None,
            "timezone": event.timezone,
        }

    def context(self, recipient: Recipient) -> dict:
        talks = []
        if recipient.person is not None:
            days = {d.date: d for d in self.programme.days}
            for item in self.programme.items_of(recipient.person):
                venue = days[item.day].venue
                talks.append(
                    {
                        "title": item.display_title,
                        "kind": item.kind,
                        "day": self.lang.long_date(item.day),
                        "date": item.day.isoformat(),
                        "start": self.lang.time(item.start),
                        "end": self.lang.time(item.end) if item.end else None,
                        "rooms": ", ".join(r.name for r in item.rooms),
                        "venue": venue.name if venue else None,
                    }
                )
        return {
            "event": self.event,
            "recipient": {
                "name": recipient.name,
                "given_name": recipient.given_name,
                "family_name": recipient.family_name,
                "email": recipient.address,
                "role": recipient.role,
                "affiliation": recipient.affiliation,
            },
            "talks": talks,
            "link": self.link,
            "attachment": self.attachment.name if self.attachment else None,
            "sender": {
                "name": self.sender.display_name or self.sender.addr_spec,
                "email": self.sender.addr_spec,
            },
        }

    def compose(self, recipient: Recipient) -> Composed:
        context = self.context(recipient)
        subject = " ".join(self._render(SUBJECT, context).split())
        if not subject:
            raise BookletError(
                f"the subject for {recipient.address} is empty",
                f"check {TEMPLATE_FOLDER}/{SUBJECT}",
            )
        text = _tidy(self._render(BODY, context))
        html = self._render(HTML, context) if self.templates[HTML] is not None else None
        key = hashlib.sha256(
            f"{self.digest}\0{recipient.address}\0{subject}\0{text}\0{html}".encode()
        ).hexdigest()
        domain = self.sender.domain or "booklet.invalid"
        return Composed(recipient, subject, text, html, f"<{key[:32]}@{domain}>")

    def _render(self, name: str, context: dict) -> str:
        template = self.templates[name]
        assert template is not None
        self.env.reset()  # each message's rendering has the whole budget
        try:
            return template.render(context)
        except jinja2.UndefinedError as exc:
            raise BookletError(
                f"{template.filename}: {exc.message}",
                "known: event, recipient, talks, link, attachment, sender",
            ) from None
        except BookletError:
            raise
        except Exception as exc:  # the sandbox's refusals and limits, a division by zero, ...
            folder = Path(self.content_dir) / TEMPLATE_FOLDER
            raise template_error(exc, template.filename or name, [folder]) from None

    def message_bytes(self, composed: Composed, when: dt.datetime | None = None) -> bytes:
        """`message(composed).as_bytes()`, faster: the attachment is encoded only once."""
        if self.attachment_part is None:
            return self.message(composed, when).as_bytes()
        data = self.message(composed, when, self._stand_in).as_bytes()
        head, found, tail = data.partition(self._token_line)
        assert found, "the attachment's stand-in is missing"
        return head + self._encoded + tail

    def message(
        self, composed: Composed, when: dt.datetime | None = None, attached=None
    ) -> EmailMessage:
        r = composed.recipient
        msg = EmailMessage(policy=policy.SMTP)
        msg["From"] = self.sender
        msg["To"] = Address(display_name=r.name, addr_spec=r.address)
        if self.reply_to:
            msg["Reply-To"] = self.reply_to
        msg["Subject"] = composed.subject
        msg["Date"] = format_datetime(when or dt.datetime.now().astimezone())
        msg["Message-ID"] = composed.message_id
        msg.set_content(composed.text)
        if composed.html is not None:
            msg.add_alternative(composed.html, subtype="html")
        if self.attachment_part is not None:
            msg.make_mixed()
            msg.attach(attached or self.attachment_part)
        return msg


def _tidy(text: str) -> str:
    """At most one blank line in a row, and one newline at the end."""
    text = re.sub(r"[ \t]+\n", "\n", text.replace("\r\n", "\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
