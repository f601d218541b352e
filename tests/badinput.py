"""The corpus of hostile and broken inputs in tests/fixtures/bad/, shared by its tests.

`cases.yaml` lists the cases. Each starts from the good event in `_base/` (or from an empty
folder with `base: none`), overlays the files of the folder named like the case (if there is
one), removes `remove:` files, makes `links:` symlinks and runs `generate:` (inputs too big to
commit). `@HTTP@` and `@SECRET_DIR@` in the overlaid text files become the URL of a local
HTTP server that records every request and a folder outside the content holding secrets.
Placeholders in `run:`, `stdout:` and `stderr:`: {content}, {out}, {tmp}, {secret}, {http}.
"""

from __future__ import annotations

import http.server
import os
import shutil
import threading
import zlib
from pathlib import Path

import yaml

from .conftest import FIXTURES

BAD = FIXTURES / "bad"
BASE = BAD / "_base"
CASES: list[dict] = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))["cases"]

# What the secret files outside the content folder hold: none of it may reach an output.
SECRET = "TOP-SECRET-1f9c"
# A 1x1 PNG: a real image, so that only the fetcher stands between it and the PDF.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe"
    b"\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


def write_secrets(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "secret.txt").write_text(f"{SECRET}-TEXT\n")
    (folder / "secret.md").write_text(f"{SECRET}-MARKDOWN\n")
    (folder / "secret.css").write_text(f'body::before {{ content: "{SECRET}-CSS"; }}\n')
    (folder / "secret.png").write_bytes(PNG + f"{SECRET}-PNG".encode())
    (folder / "secret.yaml").write_text(f"title: {SECRET}-YAML\ntimezone: Europe/Paris\n")
    return folder


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every request (with something usable) and remembers its path."""

    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the stdlib's name
        Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png" if self.path.endswith(".png") else "text/css")
        self.end_headers()
        self.wfile.write(PNG if self.path.endswith(".png") else b"body { color: red }")

    def log_message(self, *args):
        pass


class Server:
    """A recording HTTP server on 127.0.0.1, in a thread, for the length of a `with`."""

    def __enter__(self) -> Server:
        Recorder.requests = []
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        return self

    @property
    def requests(self) -> list[str]:
        return list(Recorder.requests)

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# -- generated inputs (too big to commit) -----------------------------------------------------


def big_abstract(content: Path, tmp: Path) -> None:
    """A 20 MB abstract."""
    line = "A long abstract that goes on and on, as speakers sometimes do. " * 16 + "\n"
    with open(content / "abstracts" / "opening.md", "w", encoding="utf-8") as f:
        for _ in range(20_000_000 // len(line) + 1):
            f.write(line)


def many_items(content: Path, tmp: Path) -> None:
    """A programme of 100,000 items on one day."""
    with open(content / "programme.yaml", "w", encoding="utf-8") as f:
        f.write("days:\n  - date: 2025-03-03\n    items:\n")
        for i in range(100_000):
            f.write(f'      - {{start: "{9 + i % 8:02d}:{i % 60:02d}", title: Talk {i}}}\n')


def deep_nesting(content: Path, tmp: Path) -> None:
    """Lists nested 100,000 deep (200 kB)."""
    (content / "people.yaml").write_text("people: " + "[" * 100_000 + "]" * 100_000 + "\n")


def deep_json(content: Path, tmp: Path) -> None:
    """A schedule.json of arrays nested 200,000 deep (400 kB)."""
    (tmp / "deep.json").write_text('{"schedule": ' + "[" * 200_000 + "]" * 200_000 + "}")


def long_number(content: Path, tmp: Path) -> None:
    """A pretalx schedule.json whose event id is a number of 5,000 digits."""
    (tmp / "long.json").write_text(
        '{"schedule": {"conference": {"title": "T", "days": [\n'
        '  {"date": "2025-03-03", "rooms": {"A": [{"id": ' + "7" * 5000 + ', "title": "x"}]}}\n'
        "]}}}\n"
    )


def many_attendees(content: Path, tmp: Path) -> None:
    """An attendee list of 1.2 million lines (4.8 MB, under the size limit)."""
    with open(tmp / "many.csv", "w", encoding="utf-8") as f:
        f.write("name\n")
        f.write("Ada\n" * 1_200_000)


def latin1_abstract(content: Path, tmp: Path) -> None:
    """An abstract saved as Latin-1 (not committed: ruff reads Markdown files as UTF-8)."""
    (content / "abstracts" / "opening.md").write_bytes(
        "L'ouverture, café et crème.\n".encode("latin-1")
    )


def huge_logo(content: Path, tmp: Path) -> None:
    """A real PNG of 50,000 x 50,000 black-and-white pixels: 300 kB on disk, gigabytes
    decoded."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    side = 50_000
    row = b"\0" * (1 + side // 8)  # filter byte, then 1 bit a pixel
    packer = zlib.compressobj(9)
    pixels = b"".join(packer.compress(row * 1000) for _ in range(side // 1000)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    (content / "logo.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


GENERATORS = {
    "huge_logo": huge_logo,
    "latin1_abstract": latin1_abstract,
    "big_abstract": big_abstract,
    "many_items": many_items,
    "deep_nesting": deep_nesting,
    "deep_json": deep_json,
    "long_number": long_number,
    "many_attendees": many_attendees,
}

MARKED = (".yaml", ".yml", ".md", ".css", ".csv", ".j2", ".xml", ".json", ".txt", ".svg")


def prepare(case: dict, tmp: Path, http_url: str, secret_dir: Path) -> dict[str, str]:
    """Write the case's content folder under `tmp`; the placeholders' values."""
    content = tmp / "content"
    if case.get("base", "base") == "none":
        content.mkdir(parents=True)
    else:
        shutil.copytree(BASE, content)
    overlay = BAD / case["case"]
    if overlay.is_dir():
        shutil.copytree(overlay, content, dirs_exist_ok=True)
        for path in overlay.rglob("*"):
            if path.suffix in MARKED and path.is_file():
                target = content / path.relative_to(overlay)
                data = target.read_bytes()
                data = data.replace(b"@HTTP@", http_url.encode())
                data = data.replace(b"@SECRET_DIR@", str(secret_dir).encode())
                target.write_bytes(data)
    for name in case.get("remove", []):
        (content / name).unlink()
    values = {
        "content": str(content),
        "out": str(tmp / "out"),
        "tmp": str(tmp),
        "secret": str(secret_dir),
        "http": http_url,
    }
    for link, target in (case.get("links") or {}).items():
        path = content / link
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            path.unlink()
        os.symlink(target.format(**values), path)
    if case.get("generate"):
        GENERATORS[case["generate"]](content, tmp)
    return values


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in an output folder, by name."""
    return {p.name: p.read_bytes() for p in sorted(Path(folder).iterdir()) if p.is_file()}


def pdf_streams(data: bytes) -> bytes:
    """A PDF's bytes followed by every stream it holds, inflated: text hidden in a compressed
    stream (an embedded file, a font, an image) shows up in this."""
    from io import BytesIO

    import pypdf

    out = [data]
    reader = pypdf.PdfReader(BytesIO(data))
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:  # noqa: BLE001 - a free entry of the cross-reference table
            continue
        if isinstance(obj, pypdf.generic.StreamObject):
            try:
                out.append(obj.get_data())
            except Exception:  # noqa: BLE001 - a filter pypdf cannot undo: try zlib alone
                raw = obj._data
                try:
                    out.append(zlib.decompress(raw))
                except zlib.error:
                    out.append(raw)
    return b"\n".join(out)


def pdf_texts(path: Path) -> list[str]:
    """Each page's text, by PDFium (pdfminer cannot read fonts WeasyPrint writes with a custom
    encoding, which it does once a .notdef glyph is drawn)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def chars_off_page(path: Path, tolerance: float = 0.5) -> list[tuple[int, str]]:
    """(page number, character) for every character drawn beyond its page's edges."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    off = []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            width, height = page.get_size()
            text = page.get_textpage()
            for k in range(text.count_chars()):
                left, bottom, right, top = text.get_charbox(k)
                if right <= left:  # generated spaces and line breaks have no box
                    continue
                if (
                    left < -tolerance
                    or bottom < -tolerance
                    or right > width + tolerance
                    or top > height + tolerance
                ):
                    off.append((i + 1, text.get_text_range(k, 1)))
    finally:
        pdf.close()
    return off
