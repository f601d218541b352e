"""Messages -> an SMTP server, one recipient per transaction, with retries and a rate.

A temporary failure (a 4xx reply, a dropped connection, a timeout) is retried after a
growing pause, on a new connection when the old one is gone; a permanent one (5xx) for an
address is reported to the caller, which records it and goes on with the others. What makes
every message fail (no connection at all, a refused login, a refused sender) stops the run.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass

from booklet.errors import BookletError

# Pauses before the retries of one message, in seconds: four attempts in all.
BACKOFF = (2.0, 8.0, 30.0)
TIMEOUT = 60.0  # seconds an SMTP reply may take


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: str = "starttls"  # starttls, tls or none
    user: str | None = None
    password: str | None = None
    ssl_context: ssl.SSLContext | None = None  # default: the system's trusted certificates
    timeout: float = TIMEOUT

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


@dataclass(frozen=True)
class Outcome:
    status: str  # "delivered", "refused" or "deferred"
    reply: str  # the server's last answer, e.g. "250 OK" or "550 5.1.1 No such user"
    attempts: int


class Temporary(Exception):
    """A failure worth trying again."""


class RateLimit:
    """At most `per_minute` transactions a minute: each one starts 60/N s after the last.

    `clock` and `sleep` are injected so tests check the pauses without waiting for them.
    """

    def __init__(self, per_minute: int | None, clock=time.monotonic, sleep=time.sleep):
        self.interval = 60.0 / per_minute if per_minute else 0.0
        self.clock, self.sleep = clock, sleep
        self.last: float | None = None

    def wait(self) -> None:
        if self.interval and self.last is not None:
            pause = self.last + self.interval - self.clock()
            if pause > 0:
                self.sleep(pause)
        self.last = self.clock()


class Sender:
    """One connection to the server, opened when needed and again after it drops."""

    def __init__(
        self,
        server: Server,
        *,
        rate: RateLimit | None = None,
        sleep: Callable[[float], None] = time.sleep,
        backoff: tuple[float, ...] = BACKOFF,
    ):
        self.server = server
        self.rate = rate or RateLimit(None)
        self.sleep = sleep
        self.backoff = backoff
        self.smtp: smtplib.SMTP | None = None
        self.retries = 0  # attempts after the first, over the run

    # -- connection ------------------------------------------------------------------------
    def connect(self) -> None:
        """Open and log in; a Temporary error, or BookletError for what retrying cannot fix."""
        s = self.server
        context = s.ssl_context or ssl.create_default_context()
        try:
            if s.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            smtp.ehlo()
            if s.security == "starttls":
                if not smtp.has_extn("starttls"):
                    smtp.close()
                    raise BookletError(
                        f"{s} does not offer STARTTLS",
                        "use --security tls for a server on port 465, or --security none "
                        "for a relay on this machine",
                    )
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.user:
                smtp.login(s.user, s.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise BookletError(
                f"{s} refused the login of {s.user!r}: {_reply(exc.smtp_code, exc.smtp_error)}",
                "check --user and BOOKLET_SMTP_PASSWORD",
            ) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise BookletError(f"{s}: {exc}", "the server offers no login; drop --user") from None
        except ssl.SSLCertVerificationError as exc:
            raise BookletError(
                f"{s}: the server's certificate is not trusted ({exc.verify_message})",
                "check the host name; a private certificate authority goes in SSL_CERT_FILE",
            ) from None
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:
                raise Temporary(_reply(exc.smtp_code, exc.smtp_error)) from None
            raise BookletError(
                f"{s} refused the connection: {_reply(exc.smtp_code, exc.smtp_error)}"
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise Temporary(f"cannot connect to {s}: {exc}") from None
        self.smtp = smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def _drop(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError):
                self.smtp.close()
            self.smtp = None

    # -- sending ---------------------------------------------------------------------------
    def send(self, sender: str, recipient: str, data: bytes) -> Outcome:
        """Send one message, retrying temporary failures; the outcome for the journal."""
        last = ""
        attempts = len(self.backoff) + 1
        unreachable = False  # the last attempt could not even connect
        for attempt in range(attempts):
            if attempt:
                self.retries += 1
                self.sleep(self.backoff[attempt - 1])
            try:
                unreachable = self.smtp is None
                if self.smtp is None:
                    self.connect()
                unreachable = False
                self.rate.wait()
                return self._send_once(sender, recipient, data, attempt + 1)
            except Temporary as exc:
                last = str(exc)
        if unreachable:  # every message would wait as long: stop, the journal keeps the rest
            raise BookletError(
                f"gave up on {self.server} after {attempts} attempts: {last}",
                "run the same command again later: those delivered are not mailed twice",
            )
        return Outcome("deferred", last, attempts)

    def _send_once(self, sender: str, recipient: str, data: bytes, attempt: int) -> Outcome:
        """One transaction, step by step (not `sendmail`) to keep the server's last reply,
        which names the message in its queue."""
        smtp = self.smtp
        assert smtp is not None
        try:
            options = [f"SIZE={len(data)}"] if smtp.has_extn("size") else []
            code, message = smtp.mail(sender, options)
            if code != 250:
                if code >= 500:
                    self._reset()
                    raise BookletError(
                        f"{self.server} refused the sender {sender}: {_reply(code, message)}",
                        "check --from: many servers only send from the account's own address",
                    )
                return self._refused(code, message, attempt)
            code, message = smtp.rcpt(recipient)
            if code not in (250, 251):
                return self._refused(code, message, attempt)
            code, message = smtp.data(data)
            if code != 250:
                return self._refused(code, message, attempt)
        except smtplib.SMTPServerDisconnected as exc:
            self._drop()
            raise Temporary(f"connection dropped: {exc}") from None
        except smtplib.SMTPResponseException as exc:  # a bad reply to DATA itself
            return self._refused(exc.smtp_code, exc.smtp_error, attempt)
        except OSError as exc:  # a timeout too
            self._drop()
            raise Temporary(f"connection lost: {exc}") from None
        return Outcome("delivered", _reply(code, message), attempt)

    def _refused(self, code: int, message, attempt: int) -> Outcome:
        """A 5xx for this address; a 4xx (or another code) raises Temporary."""
        reply = _reply(code, message)
        if code == 421 or code < 0:  # the server is closing the connection
            self._drop()
            raise Temporary(reply)
        self._reset()
        if not 500 <= code < 600:
            raise Temporary(reply)
        return Outcome("refused", reply, attempt)

    def _reset(self) -> None:
        """Clear a half-done transaction so the connection can carry the next one."""
        if self.smtp is None:
            return
        try:
            self.smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()


def _reply(code: int, message) -> str:
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return f"{code} {' '.join(str(message).split())}".strip()
