"""Where the default styles and fonts live, and the folders an event may add."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STYLES = PROJECT_ROOT / "styles"
DEFAULT_FONTS = PROJECT_ROOT / "fonts"


def event_styles(content_dir: Path) -> Path:
    """An event overrides templates and stylesheets with files of the same name here."""
    return Path(content_dir) / "styles"


def event_fonts(content_dir: Path) -> Path:
    return Path(content_dir) / "fonts"
