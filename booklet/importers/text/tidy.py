"""Small text operations the stages share: folding case and accents, cutting spans out of a
line, tidying what is left, shortening for messages."""

from __future__ import annotations

import re
import unicodedata

# What may surround a time, a date or a title's separator and is not part of the title.
TRIM = " \t:;,.-–—|/>•*"


def fold(text: str) -> str:
    """Lowercase without accents, one character for one: positions stay valid."""
    return "".join(unicodedata.normalize("NFD", c)[0].lower()[0] for c in text)


def remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    for a, b in sorted(spans, reverse=True):
        text = text[:a] + " " + text[b:]
    return tidy(text)


def tidy(text: str) -> str:
    text = re.sub(r"\(\s*\)", " ", text)
    # Only what removing a date or a time leaves behind: "Workshop , Paris", ", ,".
    text = re.sub(r"\s+,", ",", " ".join(text.split()))
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    return text.strip(TRIM + " ")


def mask_spans(text: str, spans: list[tuple[int, int]]) -> str:
    for a, b in spans:
        text = text[:a] + "#" * (b - a) + text[b:]
    return text


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
