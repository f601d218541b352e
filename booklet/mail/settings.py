"""The `mail:` section of event.yaml (with its locations) -> `MailSettings`, or diagnostics.

```yaml
mail:
  from: "Jane Doe <jane@example.org>"   # the sender; --from overrides it
  reply_to: programme@example.org       # optional
  recipients: attendees.csv             # default list for --to: a file, or `speakers`
  smtp: smtp.example.org:587            # default for --smtp
  security: starttls                    # starttls (default), tls or none
  user: jane@example.org                # login; the password only from BOOKLET_SMTP_PASSWORD
  rate: 30                              # at most this many messages a minute
```

A password is never read from here: content files are shared and kept in version control.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from email.headerregistry import Address
from pathlib import Path
from typing import Any

from booklet.errors import Diagnostic, Location
from booklet.mail.address import AddressProblem, parse_sender
from booklet.sources import Mapping

SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
SPEAKERS = "speakers"  # `--to speakers`: every speaker of people.yaml with an email
KEYS = ("from", "reply_to", "recipients", "smtp", "security", "user", "rate")


@dataclass(frozen=True)
class MailSettings:
    sender: Address | None = None
    reply_to: str | None = None
    recipients: str | None = None  # a path relative to the content folder, or SPEAKERS
    smtp: tuple[str, int | None] | None = None
    security: str | None = None
    user: str | None = None
    rate: int | None = None
    locations: dict[str, Location] = field(default_factory=dict, compare=False)


def parse_smtp(text: str) -> tuple[str, int | None]:
    """'host:587' -> ('host', 587); 'host' -> ('host', None); '[::1]:25' -> ('::1', 25)."""
    text = text.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
        if rest and not rest.startswith(":"):
            raise ValueError(f"not HOST:PORT: {text!r}")
    else:
        host, _, port = text.rpartition(":") if ":" in text else (text, "", "")
    if not host or any(c.isspace() for c in host):
        raise ValueError(f"not HOST:PORT: {text!r}")
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        raise ValueError(f"bad port {port!r} in {text!r}")
    return host, int(port) if port else None


def read_settings(raw: Any, loc: Location) -> tuple[MailSettings, list[Diagnostic]]:
    """`raw`, the value of `mail:` (None when absent), -> settings and every problem."""
    problems: list[Diagnostic] = []

    def error(at: Location, key: str, what: str, hint: str | None = None) -> None:
        problems.append(Diagnostic(at, f"mail.{key}" if key else "mail", what, hint))

    if raw is None:
        return MailSettings(), problems
    if not isinstance(raw, Mapping):
        error(loc, "", "expected a mapping of keys", "known: " + ", ".join(KEYS))
        return MailSettings(), problems
    values: dict[str, Any] = {}
    for key, value in raw.items():
        at = raw.value_locs[key]
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), KEYS, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(KEYS)
            if key == "password":
                hint = "never put a password in a content file; set BOOKLET_SMTP_PASSWORD"
            error(raw.key_locs[key], str(key), f"unknown key '{key}'", hint)
            continue
        if value is None:
            continue
        if key == "rate":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                error(at, key, f"expected a whole number of messages a minute, got {value!r}")
            else:
                values[key] = value
            continue
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            error(at, key, "expected text")
            continue
        text = str(value).strip()
        try:
            if key == "from":
                values["sender"] = parse_sender(text)
            elif key == "reply_to":
                values[key] = str(parse_sender(text))
            elif key == "smtp":
                values[key] = parse_smtp(text)
            elif key == "security":
                if text.casefold() not in SECURITY:
                    error(at, key, f"unknown security {text!r}", "use " + ", ".join(SECURITY))
                else:
                    values[key] = text.casefold()
            else:
                values[key] = text
        except AddressProblem as exc:
            error(at, key, f"{exc.what}: {text!r}", exc.hint)
        except ValueError as exc:
            error(at, key, str(exc), "e.g. smtp.example.org:587")
    if isinstance(values.get("recipients"), str) and values["recipients"] != SPEAKERS:
        relative = values["recipients"]
        if Path(relative).is_absolute() or ".." in Path(relative).parts:
            error(
                raw.value_locs["recipients"],
                "recipients",
                f"file {relative!r} is outside the content folder",
                "give a path relative to the content folder, or 'speakers'",
            )
            values.pop("recipients")
    locations = {key: raw.value_locs[key] for key in raw if key in KEYS}
    return MailSettings(**values, locations=locations), problems
