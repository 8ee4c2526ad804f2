"""The settings of each rule kind, as keys of a `[[rule]]` table.

One table below describes every key: how it is read, how it is written, and its default. Reading
and writing both follow it, so what `dumps` writes is exactly what `loads` reads back, and a
setting equal to its default (the built-in list of shorteners, say) is left out of the file and
restored on reading.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from compliance_engine.model import (
    DEFAULT_HIRING_PHRASES,
    DEFAULT_SHORTENERS,
    DISCLOSURE_WORDINGS,
    CustomPatternSettings,
    Detector,
    DisclosureSettings,
    LinkSettings,
    PersonalDataSettings,
    Qualifier,
    QuietPeriodSettings,
    RuleKind,
    RuleSettings,
    TermEntry,
    TermListSettings,
    ToneCategory,
    ToneSettings,
)
from compliance_engine.normalize import fold_term
from compliance_engine.policyfile.errors import ErrorCode, Expected, value_type
from compliance_engine.policyfile.table import Table
from compliance_engine.policyfile.values import enum_list, inline_list, long_list, toml_string

_TERM_KEYS = ("term", "context", "qualifiers", "clear")


def _read_terms(table: Table, key: str) -> tuple[TermEntry, ...]:
    items = table.value(key, list, Expected.TERMS)
    return tuple(_read_term(table, key, number, item) for number, item in enumerate(items, 1))


def _read_term(table: Table, key: str, number: int, item: object) -> TermEntry:
    """A term: a text, or an inline table with its context words, qualifiers and clearing words."""
    if type(item) is str:
        entry = TermEntry(item)
    elif isinstance(item, dict):
        term = table.inner(item, key, number)
        term.check_keys(_TERM_KEYS)
        entry = TermEntry(
            text=term.text("term"),
            context_words=term.texts("context") if "context" in item else (),
            qualifiers=term.choices("qualifiers", Qualifier, ErrorCode.UNKNOWN_QUALIFIER)
            if "qualifiers" in item
            else frozenset(),
            clearing_words=term.texts("clear") if "clear" in item else (),
        )
    else:
        table.fail(ErrorCode.WRONG_TERM_TYPE, key=key, item=number, found=value_type(item), value=repr(item))
    if not fold_term(entry.text):
        table.fail(ErrorCode.EMPTY_TERM, key=key, item=number)
    return entry


def _write_term(entry: TermEntry) -> str:
    parts = [f"term = {toml_string(entry.text)}"]
    if entry.context_words:
        parts.append(f"context = {inline_list(entry.context_words)}")
    if entry.qualifiers:
        parts.append(f"qualifiers = {enum_list(entry.qualifiers)}")
    if entry.clearing_words:
        parts.append(f"clear = {inline_list(entry.clearing_words)}")
    return toml_string(entry.text) if len(parts) == 1 else "{ " + ", ".join(parts) + " }"


@dataclass(frozen=True)
class _Codec:
    read: Callable[[Table, str], Any]
    write: Callable[[Any], str]


_TEXT = _Codec(Table.text, toml_string)
_TEXTS = _Codec(Table.texts, lambda values: long_list([toml_string(value) for value in values]))
_TERMS = _Codec(_read_terms, lambda entries: long_list([_write_term(entry) for entry in entries]))
_DATE = _Codec(Table.date, lambda value: value.isoformat())
_BOOLEAN = _Codec(lambda table, key: table.value(key, bool, Expected.BOOLEAN), lambda value: str(value).lower())
_DETECTORS = _Codec(lambda table, key: table.choices(key, Detector, ErrorCode.UNKNOWN_DETECTOR), enum_list)
_TONE_CATEGORIES = _Codec(
    lambda table, key: table.choices(key, ToneCategory, ErrorCode.UNKNOWN_TONE_CATEGORY), enum_list
)

_MISSING = object()


def _required(_: Mapping[str, Any]) -> object:
    return _MISSING


def _constant(value: object) -> Callable[[Mapping[str, Any]], object]:
    return lambda _: value


def _default_wordings(values: Mapping[str, Any]) -> object:
    return DISCLOSURE_WORDINGS.get(values["jurisdiction"], _MISSING)


@dataclass(frozen=True)
class _Field:
    """A key of a rule's settings, written `key` in the file and stored as `attribute` (the key by default)."""

    key: str
    codec: _Codec
    # The value when the key is left out, given the values read before it; `_MISSING` if it is required.
    default: Callable[[Mapping[str, Any]], object] = _required
    # Whether the key is missing only because the value read before it has no default for it.
    has_defaults_elsewhere: bool = False
    is_always_written: bool = False  # even when equal to its default, because the rule would read empty
    attribute_name: str = ""

    @property
    def attribute(self) -> str:
        return self.attribute_name or self.key


_SETTINGS: Mapping[RuleKind, tuple[type[Any], tuple[_Field, ...]]] = {
    RuleKind.TERMS: (TermListSettings, (_Field("terms", _TERMS, attribute_name="entries"),)),
    RuleKind.QUIET_PERIOD: (
        QuietPeriodSettings,
        (_Field("start", _DATE), _Field("end", _DATE), _Field("terms", _TERMS, attribute_name="entries")),
    ),
    RuleKind.PERSONAL_DATA: (PersonalDataSettings, (_Field("detectors", _DETECTORS),)),
    RuleKind.LINKS: (
        LinkSettings,
        (
            _Field("own_domains", _TEXTS, _constant(())),
            _Field("blocked_domains", _TEXTS, _constant(())),
            _Field("allowed_domains", _TEXTS, _constant(())),
            _Field("only_allowed", _BOOLEAN, _constant(False)),
            _Field("shorteners", _TEXTS, _constant(DEFAULT_SHORTENERS)),
            _Field("flag_lookalikes", _BOOLEAN, _constant(True)),
        ),
    ),
    RuleKind.DISCLOSURE: (
        DisclosureSettings,
        (
            _Field("jurisdiction", _TEXT),
            _Field("company_names", _TEXTS),
            _Field(
                "accepted_wordings",
                _TEXTS,
                _default_wordings,
                has_defaults_elsewhere=True,
            ),
            _Field("product_names", _TEXTS, _constant(())),
            _Field("company_domains", _TEXTS, _constant(())),
            _Field("hiring_phrases", _TEXTS, _constant(DEFAULT_HIRING_PHRASES)),
        ),
    ),
    RuleKind.TONE: (
        ToneSettings,
        (_Field("categories", _TONE_CATEGORIES, _constant(frozenset(ToneCategory)), is_always_written=True),),
    ),
    RuleKind.CUSTOM: (CustomPatternSettings, (_Field("patterns", _TEXTS),)),
}


def settings_keys(kind: RuleKind) -> tuple[str, ...]:
    """The keys a rule of this kind may have besides the common ones, in the order they are written."""
    return tuple(field.key for field in _SETTINGS[kind][1])


def read_settings(table: Table, kind: RuleKind) -> RuleSettings:
    """Read the settings of a rule of this kind from its table, defaults filled in."""
    settings_class, fields = _SETTINGS[kind]
    values: dict[str, Any] = {}
    for field in fields:
        if field.key in table.data:
            values[field.attribute] = field.codec.read(table, field.key)
            continue
        default = field.default(values)
        if default is _MISSING and field.has_defaults_elsewhere:
            table.fail(ErrorCode.MISSING_WORDINGS, key=field.key, jurisdictions=tuple(DISCLOSURE_WORDINGS))
        if default is _MISSING:
            table.fail(ErrorCode.MISSING_KEY, key=field.key)
        values[field.attribute] = default
    settings: RuleSettings = settings_class(**values)
    if isinstance(settings, QuietPeriodSettings) and settings.end < settings.start:
        start, end = settings.start.isoformat(), settings.end.isoformat()
        table.fail(ErrorCode.QUIET_PERIOD_ENDS_BEFORE_START, start=start, end=end)
    return settings


def settings_lines(settings: RuleSettings, kind: RuleKind) -> Iterator[str]:
    """The `key = value` lines of the settings, without those equal to their default."""
    fields = _SETTINGS[kind][1]
    values = {field.attribute: getattr(settings, field.attribute) for field in fields}
    for field in fields:
        value = values[field.attribute]
        if field.is_always_written or field.default(values) != value:
            yield f"{field.key} = {field.codec.write(value)}"
