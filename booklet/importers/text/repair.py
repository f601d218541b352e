"""Bytes or pasted text -> lines of plain text, with encoding damage repaired and noted.

`decode` reads UTF-8, UTF-16 with a byte-order mark or Windows-1252; `repair_lines` fixes
mojibake (ftfy, plus the lone 'Â' that a mis-encoded non-breaking space leaves behind), makes
odd spaces plain and parts a time from the title a copied table glued to it
("17:30Registration"), noting every repair with its line number.
"""

from __future__ import annotations

import codecs
import difflib
import re
import unicodedata

import ftfy

from booklet.errors import BookletError
from booklet.importers import Note
from booklet.importers.text.tidy import shorten

_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_line_breaks=False)
_ODD_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
# 'Â' not followed by a letter: what stays of a mis-encoded non-breaking space (C2 A0 read
# as Latin-1) once the space itself was trimmed. ftfy leaves it, having no space to pair.
_LONE_A_CIRCUMFLEX = re.compile(r"Â(?![^\W\d_])")
# A table's cells copied without their borders: a time ("17:30", "9.00", "6.30pm") with a
# capitalised word glued to it.
_GLUED_TO_TIME = re.compile(r"(?:(?<=\d[:.h][0-5]\d)|(?<=\d[ap]m))(?=[A-ZÀ-ÖØ-Þ][^\W\d_])")


def decode(data: bytes, notes: list[Note], source: str = "the file") -> str:
    """Bytes -> text: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        notes.append(Note(None, "read as UTF-16 (the file starts with its byte-order mark)"))
        return data.decode("utf-16")
    if b"\x00" in data:
        raise BookletError(f"{source} holds NUL bytes", "is it a binary file? export it as text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        notes.append(
            Note(line, "the file is not UTF-8; read it as Windows-1252 (check accents)", "warning")
        )
        return data.decode("cp1252", errors="replace")


def repair_lines(text: str, notes: list[Note]) -> list[str]:
    """Text -> lines with mojibake repaired and spaces made plain; every repair noted."""
    lines = []
    odd_space_lines: list[int] = []
    glued_lines: list[int] = []
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), 1):
        fixed = _LONE_A_CIRCUMFLEX.sub("", ftfy.fix_text(raw, config=_FTFY))
        # Composing accents (NFC) changes no visible letter: not worth a note.
        if fixed != unicodedata.normalize("NFC", raw):
            notes.append(Note(number, f"repaired mis-encoded text: {_excerpt(raw, fixed)}"))
        if _ODD_SPACES.search(fixed):
            odd_space_lines.append(number)
        fixed = _INVISIBLE.sub("", _ODD_SPACES.sub(" ", fixed))
        unglued = _GLUED_TO_TIME.sub(" ", fixed)
        if unglued != fixed:
            glued_lines.append(number)
        lines.append(" ".join(unglued.split()))
    if glued_lines:
        notes.append(
            Note(
                glued_lines[0], f"parted times from the text glued to them ({_lines(glued_lines)})"
            )
        )
    if odd_space_lines:
        notes.append(
            Note(
                odd_space_lines[0],
                "replaced non-breaking or other special spaces with plain ones "
                f"({_lines(odd_space_lines)})",
            )
        )
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:8])) + (", ..." if numbers[8:] else "")
    return f"line{'s' if len(numbers) > 1 else ''} {shown}"


def _excerpt(before: str, after: str, context: int = 12) -> str:
    """The changed part of a line, with a little context: "'pmÂ' -> 'pm'"."""
    ops = [
        op for op in difflib.SequenceMatcher(None, before, after).get_opcodes() if op[0] != "equal"
    ]
    i1, i2, j1, j2 = ops[0][1], ops[-1][2], ops[0][3], ops[-1][4]
    lead = before[max(0, i1 - context) : i1]
    tail = before[i2 : i2 + context]
    old = shorten(lead + before[i1:i2] + tail, 60)
    new = shorten(lead + after[j1:j2] + tail, 60)
    return f"'{old}' -> '{new}'" if new.strip() else f"removed stray '{old.strip()}'"
