"""Markdown (from speakers, untrusted) -> safe HTML with an allow-listed set of tags.

markdown-it-py renders CommonMark with raw HTML disabled (so `<script>` arrives escaped as
text), then nh3 (the Rust `ammonia` sanitizer) keeps only the tags, attributes and URL
schemes below. Images are not allowed at all: a booklet has no business loading a file or
URL a speaker named.
"""

from __future__ import annotations

import functools

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "sub", "sup", "h3", "h4", "h5", "h6", "hr", "del", "table", "thead", "tbody",
    "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


@functools.cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table").enable("strikethrough")
    # Speakers' headings sit inside an abstract: shift them below the abstract's own title.
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("heading_close", _heading_close)
    return md


def _shifted(tag: str) -> str:
    return f"h{min(6, int(tag[1]) + 2)}"


def _heading_open(self, tokens, idx, options, env):
    return f"<{_shifted(tokens[idx].tag)}>"


def _heading_close(self, tokens, idx, options, env):
    return f"</{_shifted(tokens[idx].tag)}>\n"


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        # relative links (`../x`, `/etc/passwd`, `//host/x`) would become file:// links in
        # the PDF or point anywhere on the web page's host: only absolute http(s) and mailto
        url_relative="deny",
    )


def markdown(text: str | None) -> Markup:
    """Markdown -> sanitized HTML, marked safe for Jinja's autoescape."""
    if not text:
        return Markup("")
    return Markup(_render(text, inline=False))


def markdown_inline(text: str | None) -> Markup:
    """One line of Markdown (emphasis, code) without a wrapping paragraph."""
    if not text:
        return Markup("")
    return Markup(_render(text, inline=True))


# A build renders each abstract several times (the booklet's pieces and its whole HTML,
# the calendar, the web page): once is enough.
@functools.lru_cache(maxsize=8192)
def _render(text: str, inline: bool) -> str:
    parser = _parser()
    return sanitize(parser.renderInline(text) if inline else parser.render(text))
