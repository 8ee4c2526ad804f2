"""The errors of a policy file: a stable code, plain parameters and a location, said in English by `str()`.

The application says them in the reader's language from the code, the parameters and the
location; the command line and the tests read the English. So a code never changes its meaning,
and a new error needs a new code (and the application's translation of it). Parameters are
texts, numbers, tuples of texts or None: values as written in the file (a key, a severity, a
pattern), `repr()` of a value of the wrong type, and the codes of `ValueType` and `Expected`
for what a value is and what it should be.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

type ErrorParam = str | int | tuple[str, ...] | None


class ErrorCode(StrEnum):
    """What is wrong; the comment lists the parameters."""

    INVALID_TOML = "invalid_toml"  # reason (tomllib's words, first letter lowered); the location has line, column
    INVALID_TOML_AT_END = "invalid_toml_at_end"  # reason
    FORMAT_MISSING = "format_missing"  # format
    FORMAT_UNKNOWN = "format_unknown"  # value, format
    # value, suggestion (the closest choice, or None), choices, list_key (the list the value is in, or None)
    UNKNOWN_KEY = "unknown_key"
    UNKNOWN_SEVERITY = "unknown_severity"
    UNKNOWN_KIND = "unknown_kind"
    UNKNOWN_SCOPE = "unknown_scope"
    UNKNOWN_CATEGORY = "unknown_category"
    UNKNOWN_LANGUAGE = "unknown_language"
    UNKNOWN_QUALIFIER = "unknown_qualifier"
    UNKNOWN_DETECTOR = "unknown_detector"
    UNKNOWN_TONE_CATEGORY = "unknown_tone_category"
    UNKNOWN_OUTCOME = "unknown_outcome"
    MISSING_KEY = "missing_key"  # key
    MISSING_WORDINGS = "missing_wordings"  # key, jurisdictions (those with default wordings)
    WRONG_TYPE = "wrong_type"  # key, expected (an `Expected`), found (a `ValueType`), value (its repr)
    WRONG_ITEM_TYPE = "wrong_item_type"  # key, item, found, value: an item of a list of texts
    WRONG_TERM_TYPE = "wrong_term_type"  # key, item, found, value
    DATE_IN_QUOTES = "date_in_quotes"  # key
    NOT_A_TABLE = "not_a_table"  # section, number, line (or None), key, found
    DUPLICATE_CLAUSE_ID = "duplicate_clause_id"  # id, number (of the clause that has it first)
    DUPLICATE_RULE_ID = "duplicate_rule_id"  # id, number
    UNKNOWN_CLAUSE = "unknown_clause"  # clause, suggestion
    EMPTY_SCOPE = "empty_scope"  # choices
    UNKNOWN_RULE = "unknown_rule"  # key, rule, suggestion
    RULE_IN_BOTH_LISTS = "rule_in_both_lists"  # rule
    CHECKS_NOTHING = "checks_nothing"
    EMPTY_TERM = "empty_term"  # key, item
    QUIET_PERIOD_ENDS_BEFORE_START = "quiet_period_ends_before_start"  # start, end (ISO dates)
    INVALID_PATTERN = "invalid_pattern"  # pattern, reason (Python's words), position (or None)
    PATTERN_MATCHES_EMPTY = "pattern_matches_empty"  # pattern
    NO_PATTERN = "no_pattern"
    NO_COMPANY_NAME = "no_company_name"
    NO_WORDING = "no_wording"  # jurisdiction
    RULE_DOES_NOT_COMPILE = "rule_does_not_compile"  # reason (the engine's English): a case not foreseen here
    POLICY_DOES_NOT_COMPILE = "policy_does_not_compile"  # reason (the engine's English)
    UNWRITABLE_LANGUAGE = "unwritable_language"  # language, languages: from `dumps`


class Section(StrEnum):
    """The part of the file a table belongs to."""

    TOP = "top"
    CLAUSE = "clause"
    RULE = "rule"
    TEST = "test"


class ValueType(StrEnum):
    """What a TOML value is."""

    BOOLEAN = "boolean"
    NUMBER = "number"
    DATETIME = "datetime"
    DATE = "date"
    TIME = "time"
    TEXT = "text"
    LIST = "list"
    TABLE = "table"


class Expected(StrEnum):
    """What a key's value must be."""

    TEXT = "text"
    TEXTS = "texts"
    DATE = "date"
    BOOLEAN = "boolean"
    LOCALIZED = "localized"  # a text per language
    TABLES = "tables"  # a list of [[key]] tables
    TERMS = "terms"


@dataclass(frozen=True)
class Location:
    """Where an error is: a table of the file (with a part of it), or a line and column; neither if unknown.

    `number` counts tables of the section from 1; `identifier` and `kind` are known once read;
    `key` names the key of an inner table the error is in, and `item` its position in that key's list.
    """

    section: Section | None = None
    number: int | None = None
    identifier: str | None = None
    kind: str = ""
    line: int | None = None
    column: int | None = None
    key: str | None = None
    item: int | None = None


class PolicyFileError(ValueError):
    """A policy file that cannot be read; `str()` says in English what is wrong and where.

    `code`, `params` and `location` say the same for an application to put in other words;
    `line` and `column` locate the error in the file when they are known.
    """

    def __init__(
        self, code: ErrorCode, params: Mapping[str, ErrorParam] | None = None, *, location: Location | None = None
    ) -> None:
        """Keep what is wrong and where, and say it in English."""
        self.code = code
        self.params: Mapping[str, ErrorParam] = dict(params or {})
        self.location = location or Location()
        self.line = self.location.line
        self.column = self.location.column
        super().__init__(english(self.code, self.params, self.location))


_TYPE_NAMES: tuple[tuple[type, ValueType], ...] = (
    (bool, ValueType.BOOLEAN),
    (int, ValueType.NUMBER),
    (float, ValueType.NUMBER),
    (datetime.datetime, ValueType.DATETIME),
    (datetime.date, ValueType.DATE),
    (datetime.time, ValueType.TIME),
    (str, ValueType.TEXT),
    (list, ValueType.LIST),
    (dict, ValueType.TABLE),
)


def value_type(value: object) -> str:
    """What a TOML value is: a `ValueType`, or the Python type's name for what TOML cannot hold."""
    return next((name.value for kind, name in _TYPE_NAMES if isinstance(value, kind)), type(value).__name__)


# English

_TYPE_WORDS = {
    ValueType.BOOLEAN: "true or false",
    ValueType.NUMBER: "a number",
    ValueType.DATETIME: "a date and time",
    ValueType.DATE: "a date",
    ValueType.TIME: "a time",
    ValueType.TEXT: "a text",
    ValueType.LIST: "a list",
    ValueType.TABLE: "a table",
}
_EXPECTED_WORDS = {
    Expected.TEXT: "a text",
    Expected.TEXTS: "a list of texts",
    Expected.DATE: "a date, like 2026-11-15",
    Expected.BOOLEAN: "true or false",
    Expected.LOCALIZED: "a text per language ({key}.fr = ...)",
    Expected.TABLES: "a list of tables, written [[{key}]]",
    Expected.TERMS: 'a list of terms ("Heron" or {{ term = "Atlas", context = [...] }})',
}
_UNKNOWN_WORDS = {
    ErrorCode.UNKNOWN_KEY: "key",
    ErrorCode.UNKNOWN_SEVERITY: "severity",
    ErrorCode.UNKNOWN_KIND: "kind",
    ErrorCode.UNKNOWN_SCOPE: "scope",
    ErrorCode.UNKNOWN_CATEGORY: "category",
    ErrorCode.UNKNOWN_LANGUAGE: "language",
    ErrorCode.UNKNOWN_QUALIFIER: "qualifier",
    ErrorCode.UNKNOWN_DETECTOR: "detector",
    ErrorCode.UNKNOWN_TONE_CATEGORY: "tone category",
    ErrorCode.UNKNOWN_OUTCOME: "outcome",
}
UNKNOWN_VALUE_CODES = frozenset(_UNKNOWN_WORDS)
_FOUND = "{found_words} ({value})"
# The English of each code, filled by `str.format`; see `_words` for the names made from the parameters.
_ENGLISH: Mapping[ErrorCode, str] = {
    ErrorCode.INVALID_TOML: "the file is not valid TOML: {reason}",
    ErrorCode.INVALID_TOML_AT_END: "the file is not valid TOML at its end: {reason}",
    ErrorCode.FORMAT_MISSING: "the key 'format' is missing; a policy file starts with format = \"{format}\"",
    ErrorCode.FORMAT_UNKNOWN: "the format {value!r} is not one this version of Porte-Voix reads; it reads {format!r}",
    **{
        code: f"{{in_list}}unknown {what} {{value!r}}{{paren_suggestion}}; expected {{choices}}"
        for code, what in _UNKNOWN_WORDS.items()
    },
    ErrorCode.MISSING_KEY: "the key {key!r} is missing",
    ErrorCode.MISSING_WORDINGS: "the key {key!r} is missing; only {jurisdictions} have default wordings",
    ErrorCode.WRONG_TYPE: "{key!r} must be {expected_words}, not " + _FOUND,
    ErrorCode.WRONG_ITEM_TYPE: "item {item} of {key!r} must be a text, not " + _FOUND,
    ErrorCode.WRONG_TERM_TYPE: 'item {item} of {key!r} must be a text or {{ term = "..." }}, not ' + _FOUND,
    ErrorCode.DATE_IN_QUOTES: "{key!r} must be a date written without quotes, like {key} = 2026-11-15",
    ErrorCode.NOT_A_TABLE: "{table} must be a table, written [[{key}]], not {found_words}",
    ErrorCode.DUPLICATE_CLAUSE_ID: "the id {id!r} is already the id of clause {number}",
    ErrorCode.DUPLICATE_RULE_ID: "the id {id!r} is already the id of rule {number}",
    ErrorCode.UNKNOWN_CLAUSE: "it cites the clause {clause!r}, which the policy does not have{then_suggestion}",
    ErrorCode.EMPTY_SCOPE: "'scope' is empty; say whom the rule applies to: {choices}",
    ErrorCode.UNKNOWN_RULE: "{key!r} names the rule {rule!r}, which the policy does not have{then_suggestion}",
    ErrorCode.RULE_IN_BOTH_LISTS: "the rule {rule!r} is in both 'must_find' and 'must_not_find'",
    ErrorCode.CHECKS_NOTHING: "it checks nothing; give 'must_find', 'must_not_find' or 'outcome'",
    ErrorCode.EMPTY_TERM: "item {item} of {key!r} is an empty term",
    ErrorCode.QUIET_PERIOD_ENDS_BEFORE_START: "the quiet period ends on {end} before it starts on {start}",
    ErrorCode.INVALID_PATTERN: "the pattern {pattern!r} is not a valid regular expression: {reason}{at_position}",
    ErrorCode.PATTERN_MATCHES_EMPTY: "the pattern {pattern!r} can match an empty string",
    ErrorCode.NO_PATTERN: "a custom pattern rule needs at least one pattern",
    ErrorCode.NO_COMPANY_NAME: "a disclosure rule needs the company's name",
    ErrorCode.NO_WORDING: "the disclosure rule for {jurisdiction!r} accepts no wording",
    ErrorCode.RULE_DOES_NOT_COMPILE: "{reason}",
    ErrorCode.POLICY_DOES_NOT_COMPILE: "the policy does not compile: {reason}",
    ErrorCode.UNWRITABLE_LANGUAGE: "a text is in {language!r}; a policy file holds texts in {languages}",
}


def english(code: ErrorCode, params: Mapping[str, ErrorParam], location: Location) -> str:
    """An error in English: where, then what, as one sentence."""
    message = _ENGLISH[code].format(**_words(params))
    end = "" if message.endswith(("?", ".")) else "."
    where = english_location(location)
    return f"{where}: {message}{end}" if where else f"{message[:1].upper()}{message[1:]}{end}"


def english_location(location: Location) -> str:
    """ "Rule 3 'projets' (kind terms, line 42), item 2 of 'terms'", "Line 3, column 9", or nothing if unknown."""
    if location.section is None:
        return f"Line {location.line}, column {location.column}" if location.line is not None else ""
    if location.section is Section.TOP:
        return "At the top of the file"
    where = table_name(location.section, location.number, location.line, location.identifier, location.kind)
    if location.key is not None:
        where += f", item {location.item} of {location.key!r}" if location.item is not None else f", {location.key!r}"
    return where


def table_name(
    section: Section, number: int | None, line: int | None, identifier: str | None = None, kind: str = ""
) -> str:
    """How an error names a table: "Rule 3 'projets' (kind terms, line 42)"; numbers count from 1."""
    details = ", ".join(([f"kind {kind}"] if kind else []) + ([f"line {line}"] if line else []))
    name = f"{section.value.capitalize()} {number}" + (f" {identifier!r}" if identifier is not None else "")
    return name + (f" ({details})" if details else "")


def one_of(values: tuple[str, ...] | list[str]) -> str:
    """ "a, b or c"."""
    return values[0] if len(values) == 1 else f"{', '.join(values[:-1])} or {values[-1]}"


def _words(params: Mapping[str, ErrorParam]) -> dict[str, object]:
    """The parameters, and the English words made from them that the messages use."""
    suggestion, list_key, position = params.get("suggestion"), params.get("list_key"), params.get("position")
    words: dict[str, object] = {
        **params,
        "paren_suggestion": f" (did you mean {suggestion!r}?)" if suggestion else "",
        "then_suggestion": f"; did you mean {suggestion!r}?" if suggestion else "",
        "in_list": f"in {list_key!r}, " if list_key else "",
        "at_position": f" at position {position}" if position is not None else "",
    }
    for key, value in params.items():
        if isinstance(value, tuple):
            words[key] = ", ".join(value) if key == "jurisdictions" else one_of(value)
    found, expected = params.get("found"), params.get("expected")
    words["found_words"] = _TYPE_WORDS[ValueType(found)] if isinstance(found, str) and found in ValueType else found
    if isinstance(expected, str):
        words["expected_words"] = _EXPECTED_WORDS[Expected(expected)].format(key=params.get("key"))
    if isinstance(section := params.get("section"), str):
        number, line = params.get("number"), params.get("line")
        words["table"] = table_name(Section(section), _number(number), _number(line))
    return words


def _number(value: ErrorParam) -> int | None:
    return value if isinstance(value, int) else None
