"""Overriding templates and stylesheets, strict templates, and the locked-down fetcher."""

import http.server
import shutil
import threading

import pytest

from booklet.build import build
from booklet.errors import BookletError
from booklet.markup import markdown

from .conftest import FIXTURES
from .pdfutil import Pdf


@pytest.fixture
def event_copy(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "multiroom", content)
    return content


def test_override_one_template_extending_the_default(event_copy, tmp_path):
    styles = event_copy / "styles"
    styles.mkdir()
    (styles / "cover.html.j2").write_text(
        '{% extends "default/cover.html.j2" %}\n'
        '{% block foot %}{{ super() }}<p class="cover-city">Sponsored by Example Corp</p>'
        "{% endblock %}\n"
    )
    build(event_copy, tmp_path / "out")
    pdf = Pdf(tmp_path / "out" / "programme.pdf")
    assert "Sponsored by Example Corp" in pdf.text(1)
    assert "Berlin" in pdf.text(1)
    assert pdf.pages_with("Week at a glance")  # the rest still comes from the defaults


def test_override_stylesheet(event_copy, tmp_path):
    styles = event_copy / "styles"
    styles.mkdir()
    (styles / "custom.css").write_text(".entry-title::before { content: 'TALK: '; }\n")
    build(event_copy, tmp_path / "out")
    pdf = Pdf(tmp_path / "out" / "programme.pdf")
    assert pdf.pages_with("TALK: Parallel talk in A")


def test_undefined_variable_is_a_clear_error(event_copy, tmp_path):
    styles = event_copy / "styles"
    styles.mkdir()
    (styles / "cover.html.j2").write_text("{{ event.no_such_field }}\n")
    with pytest.raises(BookletError) as exc:
        build(event_copy, tmp_path / "out")
    assert "no_such_field" in str(exc.value)


def test_failed_build_keeps_the_last_good_pdf(event_copy, tmp_path):
    out = tmp_path / "out"
    build(event_copy, out)
    good = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert "programme.pdf" in good and "badges.pdf" in good
    (event_copy / "styles").mkdir()
    (event_copy / "styles" / "week.html.j2").write_text("{% if %}\n")
    (event_copy / "event.yaml").write_text(
        (event_copy / "event.yaml").read_text().replace("city: Berlin", "city: Potsdam")
    )
    with pytest.raises(BookletError) as exc:
        build(event_copy, out)
    assert "template syntax error" in str(exc.value)
    # Not only the booklet: badges, signs and exports (which did not fail) stay as they
    # were too, and no temporary file is left behind.
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == good
    assert [p.name for p in out.iterdir() if p.is_dir()] == [".booklet-cache"]  # no staging


def test_markdown_is_sanitized():
    html = str(
        markdown(
            "Hi <script>alert(1)</script> <iframe src='x'></iframe>\n\n"
            "[x](javascript:alert(1)) [ok](https://example.org) ![i](file:///etc/passwd)"
        )
    )
    assert "<script" not in html and "<iframe" not in html and "<img" not in html
    assert 'href="javascript' not in html
    assert '<a href="https://example.org"' in html


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the stdlib's name
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


def test_nothing_is_fetched_outside_allowed_folders(event_copy, tmp_path):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    try:
        styles = event_copy / "styles"
        styles.mkdir()
        (styles / "custom.css").write_text(
            f'.cover {{ background: url("{url}/bg.png"); }}\n'
            f'.entry {{ background: url("file://{secret}"); }}\n'
            f'.week::before {{ content: url("{secret.as_uri()}"); }}\n'
        )
        programme = (event_copy / "programme.yaml").read_text()
        programme = programme.replace(
            "abstract: Short.",
            f'abstract: "<img src=\\"{url}/img.png\\"> <link rel=attachment '
            f'href=\\"{secret.as_uri()}\\"> ![x]({url}/md.png)"',
        )
        (event_copy / "programme.yaml").write_text(programme)
        result = build(event_copy, tmp_path / "out")
    finally:
        server.shutdown()
    assert _Recorder.requests == []
    data = (tmp_path / "out" / "programme.pdf").read_bytes()
    assert b"TOP-SECRET-VALUE" not in data
    refused = [w.what for w in result.warnings]
    assert any(f"{url}/bg.png" in w for w in refused)
    assert any(str(secret) in w for w in refused)
    pdf = Pdf(tmp_path / "out" / "programme.pdf")
    assert pdf.pages_with("Short talk in B")
    # The injected tags are printed as text, never followed.
    assert pdf.pages_with("<link rel=attachment")
