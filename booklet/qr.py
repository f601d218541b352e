"""Badge data -> QR payloads (vCard or URL) -> QR module matrices.

Matrices come from zxing-cpp (a C++ encoder: about 0.7 ms a code, which keeps thousands of
badges within seconds); without it, from the pure-Python `qrcode` package (about 15 ms a
code, mostly spent choosing the mask). Both choose the mask the standard prescribes.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import urllib.parse

from booklet.errors import SetupError

ERROR_CORRECTION = "M"  # 15 % of a code may be lost: a scuffed or creased badge still scans


def _escape(value: str) -> str:
    """vCard text value escaping (RFC 6350 3.4): backslash, comma, semicolon, newline."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def vcard(name: str, given_name: str, family_name: str, affiliation: str | None = None) -> str:
    """A minimal vCard 3.0 (the version phones read most widely) with name and affiliation."""
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{_escape(family_name)};{_escape(given_name)};;;",
        f"FN:{_escape(name)}",
    ]
    if affiliation:
        lines.append(f"ORG:{_escape(affiliation)}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def slug(text: str) -> str:
    """'Zoë Ångström' -> 'zoe-angstrom', for URLs of attendees without an id."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")


def url(pattern: str, **fields: str) -> str:
    """Fill a pattern such as 'https://example.org/p/{id}' with URL-escaped fields."""
    return pattern.format(**{k: urllib.parse.quote(v or "", safe="") for k, v in fields.items()})


@functools.lru_cache(maxsize=64)
def matrix(text: str) -> tuple[bytes, ...]:
    """The modules of a QR code for `text`, one bytes row each, 1 for dark; no quiet zone."""
    try:
        import zxingcpp
    except ImportError:
        try:
            return _matrix_qrcode(text)
        except ImportError:
            raise SetupError(
                "no QR code encoder is installed", "pip install zxing-cpp (or qrcode)"
            ) from None
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=ERROR_CORRECTION)
    image = code.to_image(scale=1, add_quiet_zones=False)  # 8-bit grey, 0 for dark
    height, width = image.shape[:2]
    dark = memoryview(image).tobytes().translate(_DARK)
    return tuple(dark[r * width : (r + 1) * width] for r in range(height))


_DARK = bytes(1 if level < 128 else 0 for level in range(256))


def _matrix_qrcode(text: str) -> tuple[bytes, ...]:
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    # Latin-1 text needs no ECI marker and every reader takes it; anything else goes as UTF-8,
    # which is what phone readers guess for bytes that are not Latin-1.
    try:
        code.add_data(text.encode("latin-1"))
    except UnicodeEncodeError:
        code.add_data(text.encode("utf-8"))
    code.make(fit=True)
    return tuple(bytes(int(m) for m in row) for row in code.get_matrix())


def svg_data_uri(text: str) -> str:
    """A QR code for `text` as an SVG image in a data: URI (for HTML), a quiet zone of four
    modules around it, each row's dark runs drawn as one path."""
    import base64

    rows = matrix(text)
    size = len(rows[0]) + 8 if rows else 8
    path = []
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                path.append(f"M{start + 4} {y + 4}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(path)}"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
