"""An email address as written in a list -> the address to send to, or why it is unusable.

The check is stricter than the RFCs on purpose: it accepts what mail servers deliver in
practice (a dot-atom local part, a domain of at least two labels) and refuses what is almost
always a typo in a list (spaces, two `@`, a trailing dot, a missing domain). A domain in
another script is turned into its ASCII (IDNA) form; a local part in another script would
need SMTPUTF8, which many servers lack, so it is refused with a hint. Nothing is looked up:
there is no network while checking.
"""

from __future__ import annotations

import re
from email.errors import HeaderParseError
from email.headerregistry import Address

# RFC 5322 atext: what a local part may hold outside quotes.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"^{_ATOM}(\.{_ATOM})*$")
_LABEL = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
_TLD = re.compile(r"^([A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$")


class AddressProblem(ValueError):
    """Why an address is unusable: `what`, and `hint` on how to fix it."""

    def __init__(self, what: str, hint: str | None = None):
        super().__init__(what)
        self.what = what
        self.hint = hint


def check_address(text: str) -> str:
    """`text` as an address to send to (domain in ASCII, lower case), or AddressProblem."""
    address = text.strip()
    if not address:
        raise AddressProblem("empty address")
    if any(c.isspace() for c in address) or any(c in address for c in '<>,;"()[]\\'):
        raise AddressProblem(
            "not a single bare address",
            "write only the address, e.g. ada@example.org, one per person",
        )
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        raise AddressProblem("no '@' with a name before and a domain after it")
    if "@" in local:
        raise AddressProblem("more than one '@'")
    if not local.isascii():
        raise AddressProblem(
            "letters outside ASCII before the '@'",
            "many mail servers cannot deliver to such addresses; ask for another one",
        )
    if len(local) > 64 or not _LOCAL.match(local):
        raise AddressProblem(
            f"the part before '@' ({local!r}) is not valid",
            "dots may not start, end or follow each other",
        )
    ascii_domain = _ascii_domain(domain)
    labels = ascii_domain.split(".")
    if len(labels) < 2:
        raise AddressProblem(f"the domain {domain!r} has no dot", "e.g. example.org")
    if len(ascii_domain) > 253 or not all(_LABEL.match(label) for label in labels):
        raise AddressProblem(f"the domain {domain!r} is not valid")
    if not _TLD.match(labels[-1]):
        raise AddressProblem(f"the domain {domain!r} does not end in a known kind of name")
    result = f"{local}@{ascii_domain}"
    try:  # the standard library must agree, as it writes the headers
        Address(addr_spec=result)
    except (HeaderParseError, ValueError, IndexError) as exc:
        raise AddressProblem(f"not a valid address ({exc})") from None
    return result


def _ascii_domain(domain: str) -> str:
    domain = domain.lower()
    if domain.isascii():
        return domain
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise AddressProblem(f"the domain {domain!r} is not a valid name") from None


def parse_sender(text: str) -> Address:
    """'Jane Doe <jane@example.org>' or a bare address -> an Address, or AddressProblem."""
    from email.utils import parseaddr

    text = text.strip()
    if "<" in text:
        name, addr = parseaddr(text, strict=True) if _strict_ok() else parseaddr(text)
        if not addr:
            raise AddressProblem("not an address", "write 'Name <name@example.org>'")
    else:
        name, addr = "", text
    return Address(display_name=name, addr_spec=check_address(addr))


def _strict_ok() -> bool:
    """Whether parseaddr takes `strict` (Python 3.10.15+, 3.11.10+, 3.12.6+)."""
    import inspect
    from email.utils import parseaddr

    return "strict" in inspect.signature(parseaddr).parameters
