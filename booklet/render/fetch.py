"""A locked-down URL fetcher for WeasyPrint: only files under allowed folders, and data: URLs.

WeasyPrint would otherwise fetch any http(s) URL or local file a stylesheet or abstract
names. Paths are compared after resolving symlinks and `..`, so nothing can escape the
allowed folders. Refused URLs are remembered so the build can report them.
"""

from __future__ import annotations

import mimetypes
import urllib.parse
import urllib.request
from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse


class SafeFetcher(URLFetcher):
    # A file an image or stylesheet may be: larger ones are refused, not read into memory.
    MAX_BYTES = 50_000_000

    def __init__(self, allowed_dirs: list[Path]):
        super().__init__(allowed_protocols={"data"})
        self.allowed = [Path(d).resolve() for d in allowed_dirs]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self._local_path(url)
            if path is not None:
                mime, _ = mimetypes.guess_type(path.name)
                return URLFetcherResponse(
                    path.as_uri(),
                    path.read_bytes(),
                    {"Content-Type": mime or "application/octet-stream"},
                )
        self.refused.append(url)
        raise ValueError(
            f"booklet does not fetch {url!r}: only files of the styles, fonts and content folders"
        )

    def _local_path(self, url: str) -> Path | None:
        parsed = urllib.parse.urlsplit(url)
        if parsed.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(urllib.request.url2pathname(parsed.path)).resolve()
        except (OSError, ValueError):
            return None
        for root in self.allowed:
            if path.is_relative_to(root) and path.is_file():
                return path if path.stat().st_size <= self.MAX_BYTES else None
        return None
