"""`booklet mail`: previews, and messages a real SMTP server (aiosmtpd on 127.0.0.1) got."""

from __future__ import annotations

import asyncio
import datetime
import email
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import cli
from booklet.errors import BookletError, ContentError, UsageError
from booklet.mail import MailOptions, mail_out
from tests.conftest import MAIL_PEOPLE, MAIL_PROGRAMME, ROOT

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")
from aiosmtpd.smtp import AuthResult  # noqa: E402

SENDER = "Programme Team <team@example.org>"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler:
    """Keeps every message it accepts; refuses, fails or holds on request."""

    def __init__(self, clock=None):
        self.accepted: list[tuple[str, list[str], bytes]] = []
        self.times: list[float] = []  # clock() at each accepted message
        self.clock = clock or time.monotonic
        self.refuse: dict[str, str] = {}  # address -> reply to RCPT
        self.plan: dict[str, list[str]] = {}  # address -> what to do at DATA first
        self.data_seen: list[str] = []
        self.hold_after: int | None = None  # hold the message after this many accepted
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        rcpt = envelope.rcpt_tos[0]
        self.data_seen.append(rcpt)
        if self.hold_after is not None and len(self.accepted) >= self.hold_after:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
            return "451 4.3.0 not now"
        steps = self.plan.get(rcpt)
        if steps:
            step = steps.pop(0)
            if step == "drop":
                server.transport.close()
                return "421 4.4.2 closing"
            return step
        self.accepted.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        self.times.append(self.clock())
        return "250 OK"

    def addresses(self) -> list[str]:
        return [rcpt for _, rcpts, _ in self.accepted for rcpt in rcpts]


@pytest.fixture
def smtp_server():
    """Start a server: `start(**smtp_parameters)` -> (handler, port); stopped afterwards."""
    controllers = []

    def start(handler=None, **kwargs):
        handler = handler or Handler()
        port = free_port()
        controller = aiosmtpd_controller.Controller(
            handler, hostname="127.0.0.1", port=port, **kwargs
        )
        controller.start()
        controllers.append(controller)
        return handler, port

    yield start
    for controller in controllers:
        controller.stop()


def attendees(tmp_path: Path, rows: list[tuple[str, str]], name="attendees.csv") -> Path:
    path = tmp_path / name
    lines = ["name,email"] + [f"{n},{e}" for n, e in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def options(content, tmp_path, pdf, to, port, **kwargs) -> MailOptions:
    return MailOptions(
        content_dir=content,
        out_dir=tmp_path / "out",
        to=to,
        sender=SENDER,
        pdf=pdf,
        smtp=f"127.0.0.1:{port}",
        security="none",
        **kwargs,
    )


def no_sleep(seconds: float) -> None:
    pass


def parse(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=policy.default)


def journal(tmp_path: Path) -> list[dict]:
    (path,) = (tmp_path / "out" / "mail").glob("journal-*.jsonl")
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


# -- sending ---------------------------------------------------------------------------------


def test_one_message_per_recipient_with_the_pdf_over_starttls_and_auth(
    mail_booklet, tmp_path, smtp_server
):
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_ctx)
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret", handled=False)

    handler, port = smtp_server(
        tls_context=server_ctx,
        require_starttls=True,
        auth_required=True,
        authenticator=authenticator,
    )
    content, _, pdf = mail_booklet
    rows = [("Ada Lovelace", "ada@example.org"), ("Jürgen Straße", "jurgen@example.org")]
    rows += [(f"Person {i}", f"p{i}@example.net") for i in range(3)]
    to = attendees(tmp_path, rows)
    opts = options(content, tmp_path, pdf, to, port, send=True, user="team", password="s3cret")
    opts = MailOptions(**{**opts.__dict__, "security": "starttls"})
    result = mail_out(opts, ssl_context=client_ctx, sleep=no_sleep)

    assert result.ok and len(result.delivered) == 5
    assert logins == [(b"team", b"s3cret")]  # one connection carried every message
    assert sorted(handler.addresses()) == sorted(e for _, e in rows)
    pdf_bytes = pdf.read_bytes()
    ids = set()
    for mail_from, rcpts, data in handler.accepted:
        msg = parse(data)
        assert mail_from == "team@example.org" and len(rcpts) == 1
        assert [a.addr_spec for a in msg["To"].addresses] == rcpts
        assert msg["Cc"] is None and msg["Bcc"] is None
        assert msg["Date"] is not None and msg["Message-ID"] not in ids
        ids.add(msg["Message-ID"])
        parts = [p for p in msg.iter_attachments()]
        assert [p.get_filename() for p in parts] == ["programme.pdf"]
        assert parts[0].get_content_type() == "application/pdf"
        assert parts[0].get_content() == pdf_bytes
        assert "Test Event" in msg["Subject"]
    jurgen = next(parse(d) for _, r, d in handler.accepted if r == ["jurgen@example.org"])
    raw_to = next(line for line in jurgen.as_string().splitlines() if line.startswith("To:"))
    assert "=?utf-8?" in raw_to  # RFC 2047 on the wire, the name intact once decoded
    assert jurgen["To"].addresses[0].display_name == "Jürgen Straße"
    assert "Dear Jürgen Straße," in jurgen.get_body(("plain",)).get_content()
    assert [e["status"] for e in journal(tmp_path)] == ["delivered"] * 5


def test_a_wrong_password_stops_before_sending(mail_booklet, tmp_path, smtp_server):
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_ctx)
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    handler, port = smtp_server(
        tls_context=server_ctx,
        auth_required=True,
        authenticator=lambda *a: AuthResult(success=False, handled=False),
    )
    content, _, pdf = mail_booklet
    to = attendees(tmp_path, [("Ada", "ada@example.org")])
    opts = options(content, tmp_path, pdf, to, port, send=True, user="team", password="no")
    opts = MailOptions(**{**opts.__dict__, "security": "starttls"})
    with pytest.raises(BookletError, match="refused the login"):
        mail_out(opts, ssl_context=client_ctx, sleep=no_sleep)
    assert handler.accepted == []


def test_an_untrusted_certificate_is_refused(mail_booklet, tmp_path, smtp_server):
    trustme = pytest.importorskip("trustme")
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(server_ctx)
    handler, port = smtp_server(tls_context=server_ctx)
    content, _, pdf = mail_booklet
    to = attendees(tmp_path, [("Ada", "ada@example.org")])
    opts = options(content, tmp_path, pdf, to, port, send=True)
    opts = MailOptions(**{**opts.__dict__, "security": "starttls"})
    with pytest.raises(BookletError, match="not trusted"):
        mail_out(opts, sleep=no_sleep)  # the system's authorities, not the test's
    assert handler.accepted == []


def test_a_550_for_one_address_while_the_others_are_delivered(mail_booklet, tmp_path, smtp_server):
    handler, port = smtp_server()
    handler.refuse["gone@example.org"] = "550 5.1.1 no such user"
    content, _, pdf = mail_booklet
    rows = [("A", "a@example.org"), ("Gone", "gone@example.org"), ("B", "b@example.org")]
    to = attendees(tmp_path, rows)
    result = mail_out(options(content, tmp_path, pdf, to, port, send=True), sleep=no_sleep)
    assert handler.addresses() == ["a@example.org", "b@example.org"]
    assert result.refused == [("gone@example.org", "550 5.1.1 no such user")]
    assert not result.ok
    statuses = {e["address"]: e["status"] for e in journal(tmp_path)}
    assert statuses == {
        "a@example.org": "delivered",
        "gone@example.org": "refused",
        "b@example.org": "delivered",
    }
    # Again: nobody is mailed twice and the refused address is not tried again...
    again = mail_out(options(content, tmp_path, pdf, to, port, send=True), sleep=no_sleep)
    assert again.delivered == [] and again.refused_before == ["gone@example.org"]
    assert handler.addresses() == ["a@example.org", "b@example.org"]
    # ...unless asked to; the server now takes it.
    del handler.refuse["gone@example.org"]
    retried = mail_out(
        options(content, tmp_path, pdf, to, port, send=True, retry_failed=True), sleep=no_sleep
    )
    assert retried.delivered == ["gone@example.org"] and retried.ok
    assert sorted(handler.addresses()) == sorted(e for _, e in rows)


@pytest.mark.parametrize("failure", ["421 4.7.0 try again later", "drop"])
def test_a_temporary_failure_is_retried(mail_booklet, tmp_path, smtp_server, failure):
    handler, port = smtp_server()
    handler.plan["b@example.org"] = [failure, failure]
    content, _, pdf = mail_booklet
    rows = [("A", "a@example.org"), ("B", "b@example.org"), ("C", "c@example.org")]
    to = attendees(tmp_path, rows)
    pauses = []
    result = mail_out(options(content, tmp_path, pdf, to, port, send=True), sleep=pauses.append)
    assert result.ok and result.retries == 2
    assert handler.data_seen.count("b@example.org") == 3
    assert handler.addresses() == ["a@example.org", "b@example.org", "c@example.org"]
    assert pauses == sorted(pauses) and len(pauses) == 2 and pauses[0] > 0  # backing off


def test_a_temporary_failure_that_lasts_is_left_for_the_next_run(
    mail_booklet, tmp_path, smtp_server
):
    handler, port = smtp_server()
    handler.plan["b@example.org"] = ["452 4.2.2 mailbox full"] * 4
    content, _, pdf = mail_booklet
    to = attendees(tmp_path, [("A", "a@example.org"), ("B", "b@example.org")])
    result = mail_out(options(content, tmp_path, pdf, to, port, send=True), sleep=no_sleep)
    assert [a for a, _ in result.deferred] == ["b@example.org"] and not result.ok
    again = mail_out(options(content, tmp_path, pdf, to, port, send=True), sleep=no_sleep)
    assert again.delivered == ["b@example.org"] and again.ok
    assert handler.addresses() == ["a@example.org", "b@example.org"]


def test_rate_is_respected(mail_booklet, tmp_path, smtp_server):
    now = [1000.0]
    slept = []

    def clock():
        return now[0]

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    handler, port = smtp_server(Handler(clock=clock))
    content, _, pdf = mail_booklet
    rows = [(f"P{i}", f"p{i}@example.org") for i in range(10)]
    to = attendees(tmp_path, rows)
    result = mail_out(
        options(content, tmp_path, pdf, to, port, send=True, rate=4), clock=clock, sleep=sleep
    )
    assert result.ok and len(handler.times) == 10
    times = handler.times
    # At most 4 in any minute: the 5th message after any one comes a minute later or more.
    assert all(times[i + 4] - times[i] >= 60 - 1e-6 for i in range(len(times) - 4))
    assert sum(slept) == pytest.approx(9 * 15)


def test_limit_stops_after_n_and_the_next_run_goes_on(mail_booklet, tmp_path, smtp_server):
    handler, port = smtp_server()
    content, _, pdf = mail_booklet
    rows = [(f"P{i}", f"p{i}@example.org") for i in range(5)]
    to = attendees(tmp_path, rows)
    first = mail_out(options(content, tmp_path, pdf, to, port, send=True, limit=2))
    assert len(first.delivered) == 2 and first.left == 3 and first.ok
    second = mail_out(options(content, tmp_path, pdf, to, port, send=True))
    assert len(second.delivered) == 3 and second.already == 2
    assert sorted(handler.addresses()) == sorted(e for _, e in rows)


def test_a_run_killed_part_way_then_run_again_delivers_each_address_once(
    mail_booklet, tmp_path, smtp_server
):
    handler, port = smtp_server()
    handler.hold_after = 3  # the 4th message waits at DATA until the sender is killed
    content, _, pdf = mail_booklet
    rows = [(f"P{i}", f"p{i}@example.org") for i in range(8)]
    to = attendees(tmp_path, rows)
    args = [
        sys.executable, "-m", "booklet", "mail", str(content), "--to", str(to),
        "--from", SENDER, "--pdf", str(pdf), "--out", str(tmp_path / "out"),
        "--send", "--smtp", f"127.0.0.1:{port}", "--security", "none",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert handler.holding.wait(60), process.communicate(timeout=5)
        process.kill()
        process.wait(10)
    finally:
        handler.hold_after = None
        handler.release.set()
    assert len(handler.accepted) == 3
    again = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "delivered 5, 3 before" in again.stdout
    addresses = handler.addresses()
    assert sorted(addresses) == sorted(e for _, e in rows)  # each exactly once
    delivered = [e["address"] for e in journal(tmp_path) if e["status"] == "delivered"]
    assert sorted(delivered) == sorted(addresses)


def test_more_than_twenty_need_yes_without_a_terminal(mail_booklet, tmp_path, smtp_server):
    handler, port = smtp_server()
    content, _, pdf = mail_booklet
    to = attendees(tmp_path, [(f"P{i}", f"p{i}@example.org") for i in range(21)])
    args = [
        "mail", str(content), "--to", str(to), "--from", SENDER, "--pdf", str(pdf),
        "--out", str(tmp_path / "out"), "--send", "--smtp", f"127.0.0.1:{port}",
        "--security", "none",
    ]  # fmt: skip
    refused = CliRunner().invoke(cli, args, obj={})
    assert refused.exit_code == 2 and "--yes" in refused.output
    assert handler.accepted == []
    sent = CliRunner().invoke(cli, [*args, "--yes"], obj={})
    assert sent.exit_code == 0, sent.output
    assert len(handler.accepted) == 21


# -- checks before anything is sent ----------------------------------------------------------


def test_a_bad_address_sends_nothing(mail_booklet, tmp_path, smtp_server):
    handler, port = smtp_server()
    content, _, pdf = mail_booklet
    to = attendees(tmp_path, [("A", "a@example.org"), ("B", "b@example..org")])
    args = [
        "mail", str(content), "--to", str(to), "--from", SENDER, "--pdf", str(pdf),
        "--out", str(tmp_path / "out"), "--send", "--smtp", f"127.0.0.1:{port}",
        "--security", "none",
    ]  # fmt: skip
    result = CliRunner().invoke(cli, args, obj={})
    assert result.exit_code == 1
    assert f"{to}:3: invalid email address 'b@example..org'" in result.output
    assert handler.data_seen == []
    assert not list((tmp_path / "out" / "mail").glob("journal*"))


def test_a_bad_address_in_yaml_names_its_line(mail_booklet, tmp_path):
    content, _, pdf = mail_booklet
    to = tmp_path / "list.yaml"
    to.write_text("- name: A\n  email: a@example.org\n- name: B\n  email: b@@example.org\n")
    with pytest.raises(ContentError) as caught:
        mail_out(MailOptions(content, tmp_path / "out", to=to, sender=SENDER, pdf=pdf))
    assert str(caught.value.errors[0]).startswith(f"{to}:3:")


def test_duplicates_are_sent_once_with_a_warning(mail_booklet, tmp_path):
    content, _, pdf = mail_booklet
    rows = [("A", "a@example.org"), ("B", "b@example.org"), ("A again", "A@Example.org")]
    to = attendees(tmp_path, rows)
    result = mail_out(MailOptions(content, tmp_path / "out", to=to, sender=SENDER, pdf=pdf))
    assert result.recipients == ["a@example.org", "b@example.org"]
    assert any(
        "listed twice (also at line 2)" in str(w) and f"{to}:4" in str(w) for w in result.warnings
    )


def test_no_sender_is_a_usage_error(mail_booklet, tmp_path):
    content, _, pdf = mail_booklet
    to = attendees(tmp_path, [("A", "a@example.org")])
    with pytest.raises(UsageError, match="sender"):
        mail_out(MailOptions(content, tmp_path / "out", to=to, pdf=pdf))


# -- previews and messages -------------------------------------------------------------------


def test_previews_parse_and_nothing_is_sent(mail_booklet, tmp_path):
    content, _, pdf = mail_booklet
    rows = [("Zoë Ünal", "zoe@example.org"), ("Bob", "bob@example.org")]
    to = attendees(tmp_path, rows)
    result = CliRunner().invoke(
        cli,
        ["mail", str(content), "--to", str(to), "--from", SENDER, "--pdf", str(pdf),
         "--out", str(tmp_path / "out")],
        obj={},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "2 messages with programme.pdf" in result.output
    assert "zoe@example.org, bob@example.org" in result.output
    files = sorted((tmp_path / "out" / "mail").glob("*.eml"))
    assert len(files) == 2
    for path, (name, address) in zip(files, rows, strict=True):
        with open(path, "rb") as f:
            msg = email.message_from_binary_file(f, policy=policy.default)
        assert msg["To"].addresses[0].addr_spec == address
        assert msg["To"].addresses[0].display_name == name
        assert msg["From"].addresses[0].addr_spec == "team@example.org"
        attached = next(msg.iter_attachments())
        assert attached.get_content() == pdf.read_bytes()
    assert not list((tmp_path / "out" / "mail").glob("journal*"))


def test_speakers_get_their_own_talks(mail_booklet, tmp_path):
    content, _, pdf = mail_booklet
    result = mail_out(MailOptions(content, tmp_path / "out", to="speakers", sender=SENDER, pdf=pdf))
    # Grace Hopper speaks but has no address: left out, with a warning.
    assert result.recipients == ["ada@example.org", "alan@example.org"]
    assert any("Grace Hopper has no email address" in str(w) for w in result.warnings)
    bodies = {}
    for path in result.previews:
        msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        bodies[msg["To"].addresses[0].addr_spec] = msg.get_body(("plain",)).get_content()
    ada = bodies["ada@example.org"]
    assert "Saturday 1 March 2025, 09:00-10:00, Room A: First talk" in ada
    assert "Sunday 2 March 2025, 14:30-15:00, Room A: Compilers" in ada
    assert "Machines that think" not in ada
    assert (
        "Saturday 1 March 2025, 10:00-11:00, Room B: Machines that think"
        in bodies["alan@example.org"]
    )


def test_templates_from_the_content_and_a_link(tmp_path, content_factory):
    content = content_factory(
        people=("people:\n  - id: ada\n    name: Ada Lovelace\n    email: ada@example.org\n"),
        files={
            "mail/subject.txt.j2": "Programme für {{ recipient.given_name }} – {{ event.title }}\n",
            "mail/body.txt.j2": "Hallo {{ recipient.name }}: {{ link }}\n",
            "mail/body.html.j2": "<p>Hallo {{ recipient.name }}</p>\n",
        },
    )
    (content / "event.yaml").write_text(
        (content / "event.yaml").read_text()
        + "mail:\n  from: Büro <office@example.org>\n  reply_to: help@example.org\n"
        + "  recipients: speakers\n"
    )
    result = mail_out(
        MailOptions(content, tmp_path / "out", link="https://example.org/programme.pdf")
    )
    msg = email.message_from_bytes(result.previews[0].read_bytes(), policy=policy.default)
    assert msg["Subject"] == "Programme für Ada – Test Event"
    assert msg["From"].addresses[0].display_name == "Büro"
    assert msg["Reply-To"] == "help@example.org"
    # The file is in wire format (CRLF), which the parser keeps in the text.
    assert msg.get_body(("plain",)).get_content().replace("\r\n", "\n") == (
        "Hallo Ada Lovelace: https://example.org/programme.pdf\n"
    )
    assert "<p>Hallo Ada Lovelace</p>" in msg.get_body(("html",)).get_content()
    assert list(msg.iter_attachments()) == []
    assert not (tmp_path / "out" / "programme.pdf").exists()  # a link: nothing built


def test_a_template_cannot_reach_python_internals(tmp_path, content_factory):
    content = content_factory(
        people="people:\n  - id: ada\n    name: Ada Lovelace\n    email: ada@example.org\n",
        files={"mail/body.txt.j2": "{{ recipient.name.__class__.__mro__ }}\n"},
    )
    with pytest.raises(BookletError):
        mail_out(
            MailOptions(
                content, tmp_path / "out", to="speakers", sender=SENDER, link="https://x.org/p"
            )
        )


def test_the_booklet_is_built_or_kept_when_no_pdf_is_given(mail_booklet):
    content, out, pdf = mail_booklet
    before = pdf.stat().st_mtime_ns
    result = mail_out(MailOptions(content, out, to="speakers", sender=SENDER))
    assert result.attachment == pdf and pdf.stat().st_mtime_ns == before  # up to date: kept
    msg = email.message_from_bytes(result.previews[0].read_bytes(), policy=policy.default)
    assert next(msg.iter_attachments()).get_content() == pdf.read_bytes()


def test_a_bad_mail_setting_is_reported_by_check(content_factory):
    content = content_factory()
    (content / "event.yaml").write_text(
        (content / "event.yaml").read_text() + "mail:\n  from: nobody@\n  pasword: x\n"
    )
    result = CliRunner().invoke(cli, ["check", str(content)], obj={})
    assert result.exit_code == 1
    assert "event.yaml:9:9: mail.from:" in result.output
    assert "event.yaml:10:3: mail.pasword: unknown key 'pasword'" in result.output


def test_editing_a_mail_template_keeps_the_built_booklet(tmp_path, content_factory):
    from booklet.build import build

    content = content_factory(
        people="people:\n  - id: ada\n    name: Ada Lovelace\n    email: ada@example.org\n"
    )
    out = tmp_path / "out"
    pdf = build(content, out, only=("booklet",), run_preflight=False).outputs["booklet"]
    before = pdf.stat().st_mtime_ns
    (content / "mail").mkdir()
    (content / "mail" / "body.txt.j2").write_text("Hello {{ recipient.name }}\n")
    result = mail_out(MailOptions(content, out, to="speakers", sender=SENDER))
    assert pdf.stat().st_mtime_ns == before
    msg = email.message_from_bytes(result.previews[0].read_bytes(), policy=policy.default)
    assert msg.get_body(("plain",)).get_content().startswith("Hello Ada Lovelace")


def test_a_bad_speaker_address_is_a_content_error(content_factory):
    content = content_factory(
        people="people:\n  - id: ada\n    name: Ada Lovelace\n    email: ada at example.org\n"
    )
    result = CliRunner().invoke(cli, ["check", str(content)], obj={})
    assert result.exit_code == 1
    assert "people.yaml:4:12: people[0].email: not a single bare address" in result.output


def test_the_fast_message_writer_gives_the_same_message(mail_booklet):
    from booklet.mail.address import parse_sender
    from booklet.mail.compose import Composer
    from booklet.mail.recipients import Recipient
    from booklet.validate import load_programme

    content, _, pdf = mail_booklet
    programme = load_programme(content).programme
    composer = Composer(programme, content, parse_sender(SENDER), attachment=pdf)
    composed = composer.compose(Recipient(name="Zoë", address="zoe@example.org"))
    when = datetime.datetime(2025, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)
    slow = parse(composer.message(composed, when).as_bytes())
    fast = parse(composer.message_bytes(composed, when))

    def headers(msg):  # multipart boundaries are drawn at random
        return [(k, v) for k, v in msg.items() if k != "Content-Type"]

    assert headers(fast) == headers(slow)
    slow_parts, fast_parts = list(slow.walk()), list(fast.walk())
    assert [p.get_content_type() for p in fast_parts] == [p.get_content_type() for p in slow_parts]
    for a, b in zip(fast_parts, slow_parts, strict=True):
        if not a.is_multipart():
            assert a.get_content() == b.get_content() and a.items() == b.items()
    assert next(fast.iter_attachments()).get_content() == pdf.read_bytes()


def test_the_progress_bar_shows_the_count():
    import io

    from rich.console import Console

    from booklet.mail.progress import send_progress

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with send_progress(console=console) as progress:
        progress(0, 40)
        progress(12, 40)
    assert "12/40" in screen.getvalue()
    with send_progress(enabled=False, console=console) as progress:
        assert progress is None  # -q


def test_the_default_list_comes_from_event_yaml(tmp_path, content_factory):
    content = content_factory(
        files={"lists/people.csv": "Name,E-mail\nAda Lovelace,ada@example.org\nBo,bo@example\n"}
    )
    (content / "event.yaml").write_text(
        (content / "event.yaml").read_text()
        + "mail:\n  from: office@example.org\n  recipients: lists/people.csv\n"
    )
    args = ["mail", str(content), "--out", str(tmp_path / "out"), "--link", "https://x.org/p"]
    result = CliRunner().invoke(cli, args, obj={})
    assert result.exit_code == 1
    assert f"{content / 'lists' / 'people.csv'}:3: invalid email address 'bo@example'" in (
        result.output
    )
    assert not (tmp_path / "out" / "mail").exists()
    (content / "lists" / "people.csv").write_text("Name,E-mail\nAda Lovelace,ada@example.org\n")
    result = CliRunner().invoke(cli, args, obj={})
    assert result.exit_code == 0, result.output
    assert "1 message with a link" in result.output
    # --to names a file from here, or else from the content folder.
    result = CliRunner().invoke(cli, [*args, "--to", "lists/people.csv"], obj={})
    assert result.exit_code == 0, result.output
    assert f"(from {content / 'lists' / 'people.csv'})" in result.output


def test_no_server_stops_the_run_and_the_next_one_sends(mail_booklet, tmp_path, smtp_server):
    content, _, pdf = mail_booklet
    to = attendees(tmp_path, [("A", "a@example.org"), ("B", "b@example.org")])
    port = free_port()  # nothing listens there
    with pytest.raises(BookletError, match="gave up on 127.0.0.1"):
        mail_out(options(content, tmp_path, pdf, to, port, send=True), sleep=no_sleep)
    handler, port = smtp_server()
    result = mail_out(options(content, tmp_path, pdf, to, port, send=True), sleep=no_sleep)
    assert result.ok and handler.addresses() == ["a@example.org", "b@example.org"]


def test_a_refused_sender_stops_the_run(mail_booklet, tmp_path, smtp_server):
    class NoSender(Handler):
        async def handle_MAIL(self, server, session, envelope, address, mail_options):
            return "553 5.7.1 not your address"

    handler, port = smtp_server(NoSender())
    content, _, pdf = mail_booklet
    to = attendees(tmp_path, [("A", "a@example.org"), ("B", "b@example.org")])
    with pytest.raises(BookletError, match="refused the sender team@example.org: 553"):
        mail_out(options(content, tmp_path, pdf, to, port, send=True), sleep=no_sleep)
    assert handler.data_seen == []


def test_attachment_size_warns_then_refuses(mail_booklet, tmp_path):
    content, _, _ = mail_booklet
    to = attendees(tmp_path, [("A", "a@example.org")])
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"0" * 11_000_000)
    result = mail_out(MailOptions(content, tmp_path / "out", to=to, sender=SENDER, pdf=big))
    assert any("the attachment is 11.0 MB" in str(w) for w in result.warnings)
    assert result.message_size > 1.3 * 11_000_000  # base64
    huge = tmp_path / "huge.pdf"
    huge.write_bytes(b"%PDF-1.7\n" + b"0" * 18_500_000)
    with pytest.raises(BookletError, match="too big to mail") as caught:
        mail_out(MailOptions(content, tmp_path / "out2", to=to, sender=SENDER, pdf=huge))
    assert "--link" in str(caught.value)
    assert not (tmp_path / "out2" / "mail").exists()


def test_implicit_tls(mail_booklet, tmp_path, smtp_server):
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_ctx)
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    handler, port = smtp_server(ssl_context=server_ctx)
    content, _, pdf = mail_booklet
    to = attendees(tmp_path, [("A", "a@example.org")])
    opts = options(content, tmp_path, pdf, to, port, send=True)
    opts = MailOptions(**{**opts.__dict__, "security": "tls"})
    result = mail_out(opts, ssl_context=client_ctx, sleep=no_sleep)
    assert result.ok and handler.addresses() == ["a@example.org"]


def test_a_journal_line_cut_short_by_a_kill_is_skipped(tmp_path):
    from booklet.mail.journal import DELIVERED, Journal, read_state

    path = tmp_path / "journal.jsonl"
    with Journal(path) as journal:
        journal.record(DELIVERED, "a@example.org", "<1@x>", "m1", "250 OK")
    with open(path, "ab") as f:
        f.write(b'{"status": "delivered", "address": "b@exa')  # killed mid-line
    with Journal(path) as journal:
        assert journal.state.damaged == 1 and journal.state.status("b@example.org") is None
        journal.record(DELIVERED, "c@example.org", "<3@x>", "m1", "250 OK")
    state = read_state(path)
    assert state.status("A@example.org") == DELIVERED and state.status("c@example.org")
    assert state.damaged == 1


def test_two_runs_cannot_share_a_journal(tmp_path):
    from booklet.mail.journal import Journal

    with (
        Journal(tmp_path / "journal.jsonl"),
        pytest.raises(BookletError, match="another 'booklet mail'"),
    ):
        Journal(tmp_path / "journal.jsonl")


def test_each_list_is_its_own_mail_out(mail_booklet, tmp_path, smtp_server):
    handler, port = smtp_server()
    content, _, pdf = mail_booklet
    to = attendees(tmp_path, [("Ada Lovelace", "ada@example.org"), ("B", "b@example.org")])
    first = mail_out(options(content, tmp_path, pdf, to, port, send=True), sleep=no_sleep)
    assert first.delivered == ["ada@example.org", "b@example.org"]
    # The speakers get their own message, Ada too, though she is on the first list.
    speakers = mail_out(
        options(content, tmp_path, pdf, "speakers", port, send=True), sleep=no_sleep
    )
    assert speakers.delivered == ["ada@example.org", "alan@example.org"]
    assert speakers.already == 0 and speakers.changed == 0
    # Each list resumes on its own.
    again = mail_out(options(content, tmp_path, pdf, to, port, send=True), sleep=no_sleep)
    assert again.delivered == [] and again.already == 2
    assert len(handler.accepted) == 4


def test_mail_is_a_registered_output_made_only_when_asked(tmp_path, content_factory):
    """`booklet build --only mail` writes the previews with the booklet it builds first;
    a plain `booklet build` makes no previews; the `mail:` section is parsed by the mail
    output, so a mistake in it is located."""
    from booklet.build import build
    from booklet.outputs import load_registry

    mail = load_registry().get("mail")
    assert mail is not None and mail.section == "mail" and not mail.default
    content = content_factory(people=MAIL_PEOPLE, programme=MAIL_PROGRAMME)
    event = content / "event.yaml"
    event.write_text(event.read_text() + f"mail: {{from: '{SENDER}', recipients: speakers}}\n")
    out = tmp_path / "out"
    everything = build(content, out, only="signs", run_preflight=False)
    assert "mail" not in everything.outputs and not (out / "mail").exists()
    result = CliRunner().invoke(cli, ["build", str(content), "--out", str(out), "--only", "mail"])
    assert result.exit_code == 0, result.output
    assert f"wrote {out / 'programme.pdf'}" in result.stdout
    assert f"wrote {out / 'mail'} (" in result.stdout
    previews = sorted((out / "mail").glob("*.eml"))
    assert previews
    msg = email.message_from_bytes(previews[0].read_bytes(), policy=policy.default)
    assert next(msg.iter_attachments()).get_content() == (out / "programme.pdf").read_bytes()


@pytest.mark.parametrize(
    "body", ["{{ 'x' * 400000000 }}", "{{ 1 // 0 }}", "{% for i in range(10**9) %}{% endfor %}"]
)
def test_a_runaway_mail_template_is_one_located_error(tmp_path, content_factory, body):
    content = content_factory(
        people="people:\n  - id: ada\n    name: Ada Lovelace\n    email: ada@example.org\n",
        files={"mail/body.txt.j2": "Hello\n" + body + "\n"},
    )
    with pytest.raises(BookletError) as exc:
        mail_out(
            MailOptions(
                content, tmp_path / "out", to="speakers", sender=SENDER, link="https://x.org/p"
            )
        )
    assert "body.txt.j2:2" in str(exc.value) and "\n" not in str(exc.value)
    assert not (tmp_path / "out" / "mail").exists() or not list(
        (tmp_path / "out" / "mail").glob("*.eml")
    )
