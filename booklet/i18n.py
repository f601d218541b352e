"""The event's language -> the words and formats every output prints.

A `Language` carries the labels (gettext catalogs in `booklet/locale/<lang>/LC_MESSAGES/
booklet.po`, compiled in memory when first used, with the event's own wording from
`styles/labels.yaml` in front of them) and formats dates and times with Babel for the
event's locale (a BCP 47 tag such as `fr`, `de-CH` or `en-US`). The bare tag `en` keeps
the booklet's own English style ("Monday 27 January 2025", 24-hour times); every other tag
follows its locale's conventions (CLDR).

`localise` writes the language's words into what the model generates (a day's weekday
name, an untitled item's name); `with_language` gives a loaded programme another language
for one build (`--language`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gettext
import io
import re
from collections.abc import Iterable
from pathlib import Path

import babel
import babel.dates
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from booklet import dates, model
from booklet.errors import Diagnostic, Location, UsageError

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "booklet"
LABELS_FILE = "labels.yaml"  # in the event's styles/ folder
# The one tag whose dates keep the booklet's house English rather than Babel's (US) `en`.
HOUSE_TAG = "en"


def shipped() -> tuple[str, ...]:
    """The languages booklet has catalogs for."""
    return tuple(
        sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    )


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def _compiled(lang: str) -> gettext.GNUTranslations:
    """A shipped catalog, compiled from its .po in memory: the .po is the only copy kept,
    so a fix to a translation can never be shadowed by a stale .mo."""
    with catalog_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def parse_tag(tag: str) -> babel.Locale | None:
    """The Babel locale of a BCP 47 tag, or None when Babel does not know it."""
    try:
        return babel.Locale.parse(tag.replace("_", "-"), sep="-")
    except (babel.UnknownLocaleError, ValueError):
        return None


def nearest_locale(tag: str) -> babel.Locale | None:
    """The locale of `tag`, or of its shorter forms ('fr-XX' -> 'fr'), or None."""
    parts = tag.replace("_", "-").split("-")
    while parts:
        locale = parse_tag("-".join(parts))
        if locale is not None:
            return locale
        parts.pop()
    return None


def catalog_for(tag: str) -> str | None:
    """The shipped catalog a tag's labels come from ('de-CH' -> 'de'), or None."""
    have = set(shipped())
    locale = parse_tag(tag)
    candidates = [str(locale), locale.language] if locale is not None else []
    candidates.append(tag.replace("-", "_").split("_")[0].lower())
    return next((c for c in candidates if c in have), None)


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def _escaped(text: str, label: str, templates: bool) -> str:
    """An event's text made safe for the formatting its label goes through: in templates
    every label is %-formatted (Jinja's newstyle gettext), in the code a label with {fields}
    is str.format()ted; anything but the label's own placeholders prints as written."""
    own = set(PLACEHOLDER.findall(label))
    special = r"%" if templates else (r"[{}]" if any(p[0] == "{" for p in own) else None)
    if special is None:
        return text
    parts = re.split(f"({PLACEHOLDER.pattern})", text)
    return "".join(p if p in own else re.sub(special, lambda m: m[0] * 2, p) for p in parts)


class _Labels(gettext.NullTranslations):
    """The event's own wording, in front of a catalog; `templates`: escaped for them."""

    def __init__(self, labels: Iterable[tuple[str, str | tuple[str, str]]], templates: bool):
        super().__init__()
        self.labels = dict(labels)
        self.templates = templates

    def _text(self, label: str, n: int = 1) -> str:
        text = self.labels[label]
        chosen = text if isinstance(text, str) else text[0] if n == 1 else text[1]
        return _escaped(chosen, label, self.templates)

    def gettext(self, message):
        if message in self.labels:
            return self._text(message)
        return super().gettext(message)

    def ngettext(self, singular, plural, n):
        if singular in self.labels:
            return self._text(singular, n)
        return super().ngettext(singular, plural, n)

    def pgettext(self, context, message):
        if message in self.labels:
            return self._text(message)
        return super().pgettext(context, message)


def _catalog_marks(pgettext) -> None:
    """Words the code asks for through a variable, spelled out here for the catalogs'
    extraction (never called)."""
    pgettext("kind", "Talk")
    pgettext("kind", "Tutorial")
    pgettext("kind", "Keynote")
    pgettext("kind", "Break")
    pgettext("kind", "Meal")
    pgettext("kind", "Social")
    pgettext("kind", "Other")
    pgettext("role", "speaker")
    pgettext("role", "organizer")
    pgettext("role", "staff")
    pgettext("role", "volunteer")
    pgettext("role", "sponsor")
    pgettext("role", "press")
    pgettext("role", "attendee")


_WIDE_MONTH = re.compile(r"(?<!M)MMM(?!M)")
_PADDED_DAY = re.compile(r"(?<!d)dd(?!d)")


@dataclasses.dataclass(frozen=True)
class Language:
    """Labels and formats of one language tag."""

    tag: str
    locale: babel.Locale | None  # None: the house English formats
    translations: gettext.NullTranslations
    # The same for templates, where every label is %-formatted.
    template_translations: gettext.NullTranslations

    # -- labels ----------------------------------------------------------------------------
    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self.translations.pgettext(context, message)

    def kind_name(self, kind: str) -> str:
        """The name of an item kind ('break' -> 'Break', 'Pause')."""
        return self.pgettext("kind", kind.capitalize())

    def role_name(self, role: str) -> str:
        """An attendee role's word on a badge ('speaker' -> 'intervenant'); a role of the
        event's own is printed as written."""
        return self.pgettext("role", role)

    def join_names(self, names: list[str]) -> str:
        """'A, B and C' with the language's 'and'."""
        if len(names) <= 1:
            return "".join(names)
        return self.gettext("{names} and {last}").format(
            names=", ".join(names[:-1]), last=names[-1]
        )

    # -- dates and times -------------------------------------------------------------------
    @property
    def house(self) -> bool:
        return self.locale is None

    def long_date(self, day: dt.date) -> str:
        """'Monday 27 January 2025', 'lundi 27 janvier 2025', 'Montag, 27. Januar 2025'."""
        if self.house:
            return dates.long_date(day)
        return babel.dates.format_date(day, "full", locale=self.locale)

    def day_month_year(self, day: dt.date) -> str:
        """'27 January 2025', '27. Januar 2025'."""
        if self.house:
            return dates.day_month_year(day)
        return babel.dates.format_date(day, "long", locale=self.locale)

    def short_date(self, day: dt.date) -> str:
        """'Mon 27 Jan', 'lun. 27 janv.'."""
        if self.house:
            return dates.short_date(day)
        return babel.dates.format_skeleton("MMMEd", day, locale=self.locale)

    def weekday_day(self, day: dt.date) -> str:
        """'Mon 27', 'lun. 27', 'Mo., 27.'."""
        if self.house:
            return dates.short_date(day).rsplit(" ", 1)[0]
        # CLDR's English puts the day first ('27 Mon'), which reads oddly as a column head.
        if self.locale.language == "en":
            return babel.dates.format_date(day, "EEE d", locale=self.locale)
        return babel.dates.format_skeleton("Ed", day, locale=self.locale)

    def weekday(self, day: dt.date) -> str:
        """The weekday's name as a heading: 'Monday', 'Lundi'."""
        if self.house:
            return dates.WEEKDAYS[day.weekday()]
        name = babel.dates.format_date(day, "EEEE", locale=self.locale)
        return name[:1].upper() + name[1:]

    def time(self, value: dt.time | None) -> str:
        """'14:30', or '2:30 PM' where the locale counts hours in twelves."""
        if value is None:
            return ""
        if self.house:
            return f"{value:%H:%M}"
        return babel.dates.format_time(value, "short", locale=self.locale)

    def minutes(self, minutes: int) -> str:
        """A time given in minutes after midnight."""
        return self.time(dt.time(minutes // 60 % 24, minutes % 60))

    def hour(self, hour: int) -> str:
        """A whole hour on a time axis: '09:00', or '9 AM' where hours count in twelves
        (the minutes would only crowd the narrow axis)."""
        value = dt.time(hour % 24)
        if self.house or "a" not in self.locale.time_formats["short"].pattern:
            return self.time(value)
        return babel.dates.format_skeleton("ha", value, locale=self.locale)

    def date_range(self, start: dt.date | None, end: dt.date | None) -> str:
        """'27–31 January 2025', '27–31 janvier 2025', '27.–31. Januar 2025'."""
        if self.house or start is None:
            return dates.date_range(start, end)
        if end is None or end == start:
            return self.day_month_year(start)
        # Babel's intervals abbreviate the month; the booklet prints it whole, as in its
        # long dates, and unpadded days ('2 febbraio', not '02 febbraio').
        formats = self.locale.interval_formats
        skeleton = "yMMMMd" if "yMMMMd" in formats else babel.dates.match_skeleton("yMMMd", formats)
        greatest = "y" if start.year != end.year else "M" if start.month != end.month else "d"
        parts = formats.get(skeleton, {}).get(greatest)
        if not parts:
            return f"{self.day_month_year(start)} \u2013 {self.day_month_year(end)}"
        first, second = (_PADDED_DAY.sub("d", _WIDE_MONTH.sub("MMMM", p)) for p in parts)
        return babel.dates.format_date(start, first, locale=self.locale) + babel.dates.format_date(
            end, second, locale=self.locale
        )


@functools.cache
def language(tag: str, labels: tuple = ()) -> Language:
    """The `Language` of a tag (with the event's own labels in front of its catalog)."""
    lang = catalog_for(tag)
    catalog: gettext.NullTranslations = (
        _compiled(lang) if lang is not None else gettext.NullTranslations()
    )
    layers = []
    for templates in (False, True):
        translations = catalog
        if labels:
            translations = _Labels(labels, templates)
            translations.add_fallback(catalog)
        layers.append(translations)
    locale = None if tag.casefold() == HOUSE_TAG else nearest_locale(tag)
    return Language(tag, locale, *layers)


def language_of(event: model.Event) -> Language:
    return language(event.language, event.labels)


def check_language(tag: str, loc: Location) -> list[Diagnostic]:
    """Warnings about a language tag: one Babel does not know, one without a catalog."""
    found: list[Diagnostic] = []
    if parse_tag(tag) is None:
        near = nearest_locale(tag)
        found.append(
            Diagnostic(
                loc,
                "language",
                f"unknown language {tag!r}",
                f"dates are written as for '{near}'"
                if near is not None
                else "dates are written in English; use a tag such as 'fr' or 'de-CH'",
                "warning",
            )
        )
    if catalog_for(tag) is None:
        found.append(
            Diagnostic(
                loc,
                "language",
                f"no translation for language {tag!r}; labels are in English",
                f"booklet has {', '.join(shipped())}; add styles/{LABELS_FILE} to word them",
                "warning",
            )
        )
    return found


def localise(programme: model.Programme) -> model.Programme:
    """The programme with the words the model makes up (a day's weekday, an untitled item's
    name) in its event's language."""
    lang = language_of(programme.event)
    days = []
    for day in programme.days:
        items = tuple(
            dataclasses.replace(item, untitled=_untitled(lang, item)) for item in day.items
        )
        days.append(dataclasses.replace(day, weekday=lang.weekday(day.date), items=items))
    return dataclasses.replace(programme, days=tuple(days))


def _untitled(lang: Language, item: model.Item) -> str:
    if item.speakers:
        return lang.join_names([p.name for p in item.speakers])
    return lang.kind_name(item.kind)


def with_language(result, tag: str | None):
    """The loaded programme (`validate.Result`) in another language, for one build; its
    warnings about event.yaml's language give way to those about `tag`. None: unchanged."""
    if tag is None:
        return result
    if not re.match(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", tag) or nearest_locale(tag) is None:
        raise UsageError(
            f"--language: unknown language {tag!r}", "use a BCP 47 tag such as fr, de-CH, en-US"
        )
    programme = result.programme
    event = dataclasses.replace(programme.event, language=tag)
    programme = localise(dataclasses.replace(programme, event=event))
    warnings = [w for w in result.warnings if w.where != "language"]
    warnings += [
        dataclasses.replace(w, where="--language") for w in check_language(tag, Location(None))
    ]
    return dataclasses.replace(result, programme=programme, warnings=warnings)


@functools.cache
def known_labels() -> frozenset[str]:
    """Every label the outputs print (the catalog template's messages), in English."""
    with (LOCALE_DIR / f"{DOMAIN}.pot").open("rb") as f:
        catalog = read_po(f)
    return frozenset(m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id)


def read_labels(content_dir: Path, limits) -> tuple[tuple, list[Diagnostic]]:
    """The event's own labels from `styles/labels.yaml`: a mapping from the English label to
    the event's text (a string, or [singular, plural] for a label with a number)."""
    from booklet.sources import Mapping, load_yaml, resolve_inside

    path = Path(content_dir) / "styles" / LABELS_FILE
    if not path.is_file():
        return (), []
    where = f"styles/{LABELS_FILE}"
    if resolve_inside(Path(content_dir), where) is None:
        return (), [Diagnostic(Location(path), "", "a link to a file outside the content folder")]
    data = load_yaml(path, limits)
    if data is None:
        return (), []
    if not isinstance(data, Mapping):
        return (), [
            Diagnostic(
                Location(path, 1, 1), "", "expected a mapping of English labels to their text"
            )
        ]
    labels, found = [], []
    known = known_labels()
    for key, value in data.items():
        loc = data.key_locs.get(key, Location(path))
        if key not in known:
            import difflib

            close = difflib.get_close_matches(str(key), sorted(known), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else "keys are the English labels"
            found.append(Diagnostic(loc, str(key), f"unknown label {key!r}", hint, "warning"))
            continue
        texts = [value] if isinstance(value, str) else value
        if (
            isinstance(texts, list)
            and len(texts) in (1, 2)
            and all(isinstance(v, str) for v in texts)
        ):
            labels.append((key, value if isinstance(value, str) else (texts[0], texts[-1])))
            own = set(PLACEHOLDER.findall(key))
            strange = sorted({p for t in texts for p in PLACEHOLDER.findall(t)} - own)
            if strange:
                has = ", ".join(sorted(own)) or "none"
                found.append(
                    Diagnostic(
                        data.value_locs.get(key, loc),
                        str(key),
                        f"{', '.join(strange)} is not a placeholder of this label",
                        f"it is printed as written; the label's placeholders: {has}",
                        "warning",
                    )
                )
        else:
            found.append(
                Diagnostic(
                    data.value_locs.get(key, loc),
                    str(key),
                    "expected a text, or [singular, plural]",
                )
            )
    return tuple(sorted(labels)), found
