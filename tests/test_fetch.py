"""WeasyPrint reads nothing outside the styles, fonts and content folders.

The booklet's HTML comes from speakers (abstracts) and from the event's own theme (template
and stylesheet overrides); either may name a URL or a file anywhere. `SafeFetcher` is the
only way WeasyPrint reaches a resource: these tests give it every kind of reference a
document can hold, and check that a local HTTP server receives no request and that secret
files outside the content folder appear nowhere in the PDFs, not even compressed.
"""

from __future__ import annotations

import os
import shutil

import pytest

from booklet.build import build
from booklet.render.fetch import SafeFetcher

from .badinput import BASE, PNG, SECRET, Server, pdf_streams, write_secrets


@pytest.fixture
def secrets(tmp_path):
    return write_secrets(tmp_path / "outside")


def test_fetcher_reads_allowed_files_and_data_urls_only(tmp_path, secrets):
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    (content / "images" / "logo.png").write_bytes(PNG)
    (content / "images" / "link.png").symlink_to(secrets / "secret.png")
    (content / "big.png").write_bytes(b"\0" * (SafeFetcher.MAX_BYTES + 1))
    fetcher = SafeFetcher([content])
    inside = (content / "images" / "logo.png").resolve()
    assert fetcher.fetch(inside.as_uri()).read() == PNG
    assert fetcher.fetch(f"file://localhost{inside}").read() == PNG
    assert fetcher.fetch("data:text/css,body%7Bcolor:red%7D").read() == b"body{color:red}"
    refused = [
        (secrets / "secret.png").as_uri(),  # outside
        (content / "images" / "link.png").as_uri(),  # a link leading outside
        f"{content.as_uri()}/images/%2e%2e/%2e%2e/outside/secret.png",  # encoded ..
        f"{content.as_uri()}/../outside/secret.png",
        f"file://example.org{inside}",  # another host
        (content / "big.png").as_uri(),  # too big to read
        (content / "images").as_uri(),  # a folder
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.css",
        "ftp://example.org/x",
        "javascript:alert(1)",
        "file:///etc/passwd",
    ]
    for url in refused:
        with pytest.raises(ValueError, match="booklet does not fetch"):
            fetcher.fetch(url)
    assert fetcher.refused == refused


def _hostile_event(content, http):
    """The base event with every reference to the outside we could think of."""
    shutil.copytree(BASE, content)
    outside = content.parent / "outside"
    (content / "images").mkdir()
    (content / "images" / "link.png").symlink_to(outside / "secret.png")
    (content / "leak.css").symlink_to(outside / "secret.css")
    (content / "images" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
        f'<image href="{http}/svg-nested.png" width="9" height="9"/>'
        f'<image href="{(outside / "secret.png").as_uri()}" width="9" height="9"/>'
        '<rect width="20" height="20" fill="#0b5cad"/></svg>'
    )
    # An abstract: Markdown and raw HTML.
    (content / "abstracts" / "opening.md").write_text(
        f"Abstract ![remote]({http}/abstract.png) ![secret]({(outside / 'secret.png').as_uri()})"
        f' <img src="{http}/abstract-img.png"> <link rel="stylesheet" href="{http}/a.css">'
        f' <link rel="attachment" href="{(outside / "secret.txt").as_uri()}">'
        f' <a rel="attachment" href="{(outside / "secret.txt").as_uri()}">file</a>\n'
    )
    styles = content / "styles"
    styles.mkdir()
    # A stylesheet.
    (styles / "custom.css").write_text(
        f'.cover {{ background: url("{http}/cover.png"); }}\n'
        '.cover-head { background: url("images/logo.svg") no-repeat; }\n'
        '.contents { background: url("images/link.png"); }\n'
        f'.info {{ background: url("{(outside / "secret.png").as_uri()}"); }}\n'
        f'@font-face {{ font-family: Remote; src: url("{http}/font.ttf"); }}\n'
        ".entry-title { font-family: Remote, serif; }\n"
    )
    # A template: stylesheets, images and attachments by every element that takes one.
    secret_txt, secret_css = (outside / "secret.txt").as_uri(), (outside / "secret.css").as_uri()
    (styles / "cover.html.j2").write_text(
        '{% extends "default/cover.html.j2" %}{% block foot %}{{ super() }}'
        f'<style>@import url("{http}/import.css"); @import url("leak.css");</style>'
        f'<link rel="stylesheet" href="{http}/link.css"><link rel="stylesheet" href="{secret_css}">'
        f'<img src="{http}/img.png" alt=""><img src="images/link.png" alt="">'
        f'<a rel="attachment" href="{secret_txt}">a</a><link rel="attachment" href="leak.css">'
        f'<link rel="attachment" href="{http}/attachment.txt">'
        f'<object data="{http}/object.svg" type="image/svg+xml"></object>'
        f'<embed src="{http}/embed.png"><iframe src="{http}/frame.html"></iframe>'
        "{% endblock %}\n"
    )


@pytest.mark.slow
def test_nothing_outside_the_allowed_folders_is_fetched(tmp_path, secrets):
    content, out = tmp_path / "content", tmp_path / "out"
    with Server() as server:
        _hostile_event(content, server.url)
        result = build(content, out, only="booklet,print", run_preflight=False)
        assert server.requests == []
    for name in ("programme.pdf", "programme-print.pdf"):
        data = (out / name).read_bytes()
        assert SECRET.encode() not in pdf_streams(data), name
        assert b"/EmbeddedFile" not in data and b"/FileAttachment" not in data, name
    refused = {w.what for w in result.warnings if w.what.startswith("refused to fetch")}
    for url in (
        f"{server.url}/cover.png",
        f"{server.url}/font.ttf",
        f"{server.url}/import.css",
        f"{server.url}/link.css",
        f"{server.url}/img.png",
        f"{server.url}/object.svg",
        (secrets / "secret.png").as_uri(),
        (secrets / "secret.css").as_uri(),
        (content / "images" / "link.png").as_uri(),
        (content / "leak.css").as_uri(),
    ):
        assert f"refused to fetch {url!r}" in refused, url
    # The theme's own files are used: the SVG logo inside the content folder was drawn.
    assert not any("logo.svg" in w for w in refused)


def test_a_secret_linked_into_the_content_folder_is_not_read(tmp_path, secrets):
    """The content's own files (abstracts, logo, attendees) may not be links leading out."""
    from booklet.errors import ContentError
    from booklet.validate import load_programme

    content = tmp_path / "content"
    shutil.copytree(BASE, content)
    os.remove(content / "abstracts" / "opening.md")
    (content / "abstracts" / "opening.md").symlink_to(secrets / "secret.md")
    (content / "logo.png").symlink_to(secrets / "secret.png")
    with open(content / "event.yaml", "a") as f:
        f.write("badges:\n  logo: logo.png\n")
    with pytest.raises(ContentError) as exc:
        load_programme(content)
    messages = [str(d) for d in exc.value.errors]
    assert [m.split(": ", 2)[1:] for m in messages] == [
        [
            "badges.logo",
            "file 'logo.png' is a link to a file outside the content folder "
            "(copy the file into the content folder)",
        ],
        [
            "days[0].items[0].abstract_file",
            "file 'abstracts/opening.md' is a link to a file outside the content folder "
            "(copy the file into the content folder)",
        ],
    ]
    assert SECRET not in "".join(messages)
