"""An event's templates -> rendered text, with bounded work, and their failures -> one line.

Templates in a content folder's `styles/` come with the content, so they run in Jinja's
immutable sandbox (no reaching Python's internals). The sandbox alone still lets a template
ask for a billion-character string (`'x' * 10**9` is allocated before anything fails), a
number of a million digits (`9 ** 9 ** 9`), or a string padded to a gigabyte
(`'x'|center(10**9)`, `'{:>999999999}'.format(1)`). `BoundedSandbox` refuses each of them
before the work is done: ranges and repetitions are counted against a budget per rendering,
and every number a call or filter receives is bounded.

`template_error` turns whatever a rendering raised (a limit, a division by zero, endless
recursion, a missing include) into one `BookletError` naming the template file and line,
read from the traceback's template frames (Jinja rewrites them to point at the template).
"""

from __future__ import annotations

import functools
import re
import traceback
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox

from booklet.errors import BookletError

# What one rendering may make: items of all its ranges together, characters or items of a
# string or list built by repetition, and the size of a number a call or filter receives
# (widths, counts). The booklet's own templates need a few thousand of each.
MAX_ITEMS = 1_000_000
MAX_NUMBER = 1_000_000
MAX_POWER_BITS = 100_000  # a power's result, in bits (about 30,000 digits)
# A width or precision of 7 digits or more in a format string: `%999999999d`, `{:>999999999}`.
_BIG_WIDTH = re.compile(r"%[-+ #0]*\.?\d{7,}|%[-+ #0]*\d*\.\d{7,}|\{[^{}]*:[^{}]*\d{7,}[^{}]*\}")


class TemplateLimit(jinja2.sandbox.SecurityError):
    """A template asked for more than `BoundedSandbox` allows."""


class BoundedSandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with ranges, repetitions, powers and sizes bounded."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, **options: Any):
        super().__init__(**options)
        self.globals["range"] = self._range
        self.spent = 0  # items made by ranges and repetitions in this rendering

    def reset(self) -> None:
        """A new rendering starts with the whole budget."""
        self.spent = 0

    def _spend(self, items: int, what: str) -> None:
        self.spent += items
        if items > MAX_ITEMS or self.spent > MAX_ITEMS:
            raise TemplateLimit(
                f"{what} of {items:,} items goes over the limit of {MAX_ITEMS:,} per template"
            )

    def _range(self, *args: Any) -> range:
        numbers = range(*args)
        self._spend(len(numbers), "range()")
        return numbers

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    self._spend(len(seq) * max(times, 0), "a repetition")
        elif operator == "**" and _is_int(left) and _is_int(right):
            if right > 0 and abs(left) > 1 and abs(left).bit_length() * right > MAX_POWER_BITS:
                raise TemplateLimit(f"{left} ** {right} is too large a number")
        elif operator == "%" and isinstance(left, str):
            _check_format(left)
        elif (
            operator == "+"
            and isinstance(left, (str, list, tuple))
            and isinstance(right, (str, list, tuple))
            and len(left) + len(right) > MAX_ITEMS * 10
        ):
            raise TemplateLimit("a concatenation of over 10,000,000 items")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        if getattr(__obj, "__func__", None) is not BoundedSandbox._range:  # it says more
            _check_numbers(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any):
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and isinstance(getattr(value, "__self__", None), str):
            _check_format(value.__self__)
        return wrapped

    def bound_filters(self) -> None:
        """Every filter checks its arguments' sizes (call after adding the filters)."""
        for name, function in list(self.filters.items()):
            self.filters[name] = _bounded(function, name)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_numbers(args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        if _is_int(value) and abs(value) > MAX_NUMBER:
            raise TemplateLimit(f"the number {value:,} is over the limit of {MAX_NUMBER:,}")


def _check_format(text: str) -> None:
    if _BIG_WIDTH.search(text):
        raise TemplateLimit("a format width or precision over 999,999")


def _bounded(function, name: str):
    """`function` (a filter) refusing numbers over the limit after its first argument (the
    value filtered), and, for `format`, big widths."""
    # pass_context and the like: Jinja passes the context (or environment) first
    pass_arg = getattr(function, "jinja_pass_arg", None)

    @functools.wraps(function)  # keeps `jinja_pass_arg`
    def bounded(*args: Any, **kwargs: Any) -> Any:
        given = args[1:] if pass_arg is None else args[2:]
        _check_numbers(given, kwargs)
        value = args[0] if pass_arg is None else args[1]
        if name == "format" and isinstance(value, str):
            _check_format(value)
        return function(*args, **kwargs)

    return bounded


# -- failures -> one line ----------------------------------------------------------------------

_CAUSES = {
    RecursionError: (
        "endless recursion",
        "a macro, include or extends that calls itself without end",
    ),
    MemoryError: ("ran out of memory", "the template builds something too large"),
    ZeroDivisionError: ("division by zero", None),
    OverflowError: (None, "a number or range too large"),
}


def where(exc: BaseException, user_dirs: list[Path]) -> str | None:
    """'file:line' of the innermost template frame of `exc`'s traceback, preferring the
    event's own templates (under `user_dirs`) to the defaults they extend or include."""
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if f.filename and Path(f.filename).suffix in (".j2", ".html", ".jinja", ".txt")
    ]
    user = [
        f for f in frames if any(Path(f.filename).is_relative_to(d) for d in user_dirs)
    ] or frames
    if not user:
        return None
    frame = user[-1]
    return f"{frame.filename}:{frame.lineno}"


def template_error(exc: BaseException, template: str, user_dirs: list[Path]) -> BookletError:
    """One line for the failure `exc` of rendering `template`."""
    place = where(exc, user_dirs) or f"template {template}"
    hint = "templates may use the programme's fields, not Python's internals"
    if isinstance(exc, TemplateLimit):
        what, hint = str(exc), "templates may build only what a booklet needs"
    elif isinstance(exc, jinja2.sandbox.SecurityError):
        what = str(exc)
    elif isinstance(exc, jinja2.TemplateNotFound):
        what = f"template {exc.name!r} not found"
        hint = "includes and imports name files of the styles folder, without '..'"
    elif isinstance(exc, jinja2.UndefinedError):
        what, hint = exc.message or str(exc), "check the variable names in your styles/ override"
    elif isinstance(exc, BookletError):
        what, hint = exc.message, exc.hint
    else:
        what, default_hint = next(
            (v for k, v in _CAUSES.items() if isinstance(exc, k)), (None, None)
        )
        what = what or f"{type(exc).__name__}: {exc}"
        hint = default_hint
    return BookletError(f"{place}: template error: {what}", hint)
