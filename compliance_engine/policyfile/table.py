"""Reading one TOML table of a policy file, with errors that say what is wrong and where."""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NoReturn

from compliance_engine.model import LANGUAGES

FORMAT = "porte-voix-policy/1"


class PolicyFileError(ValueError):
    """A policy file that cannot be read; the message says what is wrong and where.

    `line` and `column` locate the error in the file when they are known.
    """

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None) -> None:
        """Keep the message and where the error is."""
        super().__init__(message)
        self.line = line
        self.column = column


_TYPE_NAMES: tuple[tuple[type, str], ...] = (
    (bool, "true or false"),
    (int, "a number"),
    (float, "a number"),
    (datetime.datetime, "a date and time"),
    (datetime.date, "a date"),
    (datetime.time, "a time"),
    (str, "a text"),
    (list, "a list"),
    (dict, "a table"),
)


def type_name(value: object) -> str:
    """What a TOML value is, in words: "a text", "a list"..."""
    return next((name for kind, name in _TYPE_NAMES if isinstance(value, kind)), type(value).__name__)


def one_of(values: Sequence[str]) -> str:
    """ "a, b or c"."""
    return values[0] if len(values) == 1 else f"{', '.join(values[:-1])} or {values[-1]}"


def unknown(what: str, value: str, choices: Sequence[str]) -> str:
    """Say that a value is unknown, suggest the closest choice if one is close, and list them all."""
    close = difflib.get_close_matches(value, choices, n=1)
    suggestion = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {what} {value!r}{suggestion}; expected {one_of(choices)}"


def where(label: str, number: int, line: int | None, identifier: str | None = None, kind: str = "") -> str:
    """How an error names a table: "Rule 3 'projets' (kind terms, line 42)"; numbers count from 1."""
    details = ", ".join(([f"kind {kind}"] if kind else []) + ([f"line {line}"] if line else []))
    name = f"{label} {number}" + (f" {identifier!r}" if identifier is not None else "")
    return name + (f" ({details})" if details else "")


@dataclass(frozen=True)
class Table:
    """One table of the file being read, and where it is, for error messages."""

    data: Mapping[str, Any]
    where: str
    line: int | None = None

    def fail(self, message: str) -> NoReturn:
        """Raise a `PolicyFileError` that starts with where the table is."""
        end = "" if message.endswith(("?", ".")) else "."
        raise PolicyFileError(f"{self.where}: {message}{end}", line=self.line)

    def named(self, description: str) -> Table:
        """The same table, described anew once its id or kind is known."""
        return Table(self.data, description, self.line)

    def inner(self, data: Mapping[str, Any], name: str) -> Table:
        """A table inside this one (an inline table, `message`), named after this one."""
        return Table(data, f"{self.where}, {name}", self.line)

    def check_keys(self, allowed: Sequence[str]) -> None:
        """Refuse any key not allowed: a typo ignored would be a setting silently lost."""
        for key in self.data:
            if key not in allowed:
                self.fail(unknown("key", key, allowed))

    def value[T](self, key: str, kind: type[T], description: str) -> T:
        """The value of a required key, of exactly this type."""
        if key not in self.data:
            self.fail(f"the key {key!r} is missing")
        value: T = self.data[key]
        # Exactly: a date and time is a date to Python and true is a number, and neither may stand for the other.
        if type(value) is not kind:
            self.fail(f"{key!r} must be {description}, not {type_name(value)} ({value!r})")
        return value

    def text(self, key: str) -> str:
        """A required text."""
        return self.value(key, str, "a text")

    def texts(self, key: str) -> tuple[str, ...]:
        """A required list of texts."""
        items = self.value(key, list, "a list of texts")
        for number, item in enumerate(items, 1):
            if type(item) is not str:
                self.fail(f"item {number} of {key!r} must be a text, not {type_name(item)} ({item!r})")
        return tuple(items)

    def date(self, key: str) -> datetime.date:
        """A required date, written as a TOML date: `start = 2026-11-15`."""
        if type(self.data.get(key)) is str:
            self.fail(f"{key!r} must be a date written without quotes, like {key} = 2026-11-15")
        return self.value(key, datetime.date, "a date, like 2026-11-15")

    def choice[E: StrEnum](self, key: str, enum: type[E], what: str) -> E:
        """A required text that must be one of an enumeration's values."""
        value = self.text(key)
        if value not in enum:
            self.fail(unknown(what, value, [member.value for member in enum]))
        return enum(value)

    def choices[E: StrEnum](self, key: str, enum: type[E], what: str) -> frozenset[E]:
        """A required list of an enumeration's values."""
        names = [member.value for member in enum]
        values = self.texts(key)
        for value in values:
            if value not in names:
                self.fail(f"in {key!r}, {unknown(what, value, names)}")
        return frozenset(enum(value) for value in values)

    def localized(self, key: str) -> dict[str, str]:
        """A text per language, written `message.fr = "..."` or `message = { fr = "..." }`; missing is empty."""
        if key not in self.data:
            return {}
        texts = self.inner(self.value(key, dict, f"a text per language ({key}.fr = ...)"), repr(key))
        for language in texts.data:
            if language not in LANGUAGES:
                texts.fail(unknown("language", language, LANGUAGES))
            texts.text(language)
        return dict(texts.data)
