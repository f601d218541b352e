"""Checks for what the machine must provide outside Python: Pango (for WeasyPrint).

`python -m booklet.system` prints what is missing and how to install it, and exits 1.
"""

from __future__ import annotations

import shutil
import sys

from booklet.errors import SetupError

INSTALL_HINT = (
    "install Pango: 'apt-get install libpango-1.0-0 libpangoft2-1.0-0' on Debian/Ubuntu, "
    "'dnf install pango' on Fedora, 'brew install pango' on macOS"
)


def require_weasyprint():
    """Import WeasyPrint, or explain which system library is missing."""
    try:
        import weasyprint
    except OSError as exc:  # cffi could not load libpango / libgobject
        raise SetupError(f"WeasyPrint cannot load a system library: {exc}", INSTALL_HINT) from None
    return weasyprint


def main() -> int:
    try:
        weasyprint = require_weasyprint()
    except SetupError as exc:
        print(f"booklet: {exc}", file=sys.stderr)
        return 1
    print(f"booklet: WeasyPrint {weasyprint.__version__} with Pango found.")
    if shutil.which("pdftoppm") is None:
        print("booklet: note: pdftoppm (poppler-utils) is missing; visual tests will be skipped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
