"""Reading one TOML table of a policy file, with errors that say what is wrong and where."""

from __future__ import annotations

import dataclasses
import datetime
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NoReturn

from compliance_engine.model import LANGUAGES
from compliance_engine.policyfile.errors import ErrorCode, ErrorParam, Expected, Location, PolicyFileError, value_type

FORMAT = "porte-voix-policy/1"


def closest(value: str, choices: Sequence[str]) -> str | None:
    """The choice closest to a value, if one is close enough to suggest."""
    close = difflib.get_close_matches(value, choices, n=1)
    return close[0] if close else None


@dataclass(frozen=True)
class Table:
    """One table of the file being read, and where it is, for error messages."""

    data: Mapping[str, Any]
    location: Location

    @property
    def line(self) -> int | None:
        """The line of the table's header, when known."""
        return self.location.line

    def fail(self, code: ErrorCode, **params: ErrorParam) -> NoReturn:
        """Raise a `PolicyFileError` located at this table."""
        raise PolicyFileError(code, params, location=self.location)

    def unknown(self, code: ErrorCode, value: str, choices: Sequence[str], list_key: str | None = None) -> NoReturn:
        """Refuse an unknown value, suggesting the closest choice if one is close and listing them all."""
        self.fail(code, value=value, suggestion=closest(value, choices), choices=tuple(choices), list_key=list_key)

    def named(self, identifier: str, kind: str = "") -> Table:
        """The same table, described anew once its id or kind is known."""
        return Table(self.data, dataclasses.replace(self.location, identifier=identifier, kind=kind))

    def inner(self, data: Mapping[str, Any], key: str, item: int | None = None) -> Table:
        """A table inside this one (an inline table, `message`), named after this one."""
        return Table(data, dataclasses.replace(self.location, key=key, item=item))

    def check_keys(self, allowed: Sequence[str]) -> None:
        """Refuse any key not allowed: a typo ignored would be a setting silently lost."""
        for key in self.data:
            if key not in allowed:
                self.unknown(ErrorCode.UNKNOWN_KEY, key, allowed)

    def value[T](self, key: str, kind: type[T], expected: Expected) -> T:
        """The value of a required key, of exactly this type."""
        if key not in self.data:
            self.fail(ErrorCode.MISSING_KEY, key=key)
        value: T = self.data[key]
        # Exactly: a date and time is a date to Python and true is a number, and neither may stand for the other.
        if type(value) is not kind:
            self.fail(ErrorCode.WRONG_TYPE, key=key, expected=expected, found=value_type(value), value=repr(value))
        return value

    def text(self, key: str) -> str:
        """A required text."""
        return self.value(key, str, Expected.TEXT)

    def texts(self, key: str) -> tuple[str, ...]:
        """A required list of texts."""
        items = self.value(key, list, Expected.TEXTS)
        for number, item in enumerate(items, 1):
            if type(item) is not str:
                self.fail(ErrorCode.WRONG_ITEM_TYPE, key=key, item=number, found=value_type(item), value=repr(item))
        return tuple(items)

    def date(self, key: str) -> datetime.date:
        """A required date, written as a TOML date: `start = 2026-11-15`."""
        if type(self.data.get(key)) is str:
            self.fail(ErrorCode.DATE_IN_QUOTES, key=key)
        return self.value(key, datetime.date, Expected.DATE)

    def choice[E: StrEnum](self, key: str, enum: type[E], code: ErrorCode) -> E:
        """A required text that must be one of an enumeration's values; `code` says it is unknown."""
        value = self.text(key)
        if value not in enum:
            self.unknown(code, value, [member.value for member in enum])
        return enum(value)

    def choices[E: StrEnum](self, key: str, enum: type[E], code: ErrorCode) -> frozenset[E]:
        """A required list of an enumeration's values."""
        names = [member.value for member in enum]
        values = self.texts(key)
        for value in values:
            if value not in names:
                self.unknown(code, value, names, list_key=key)
        return frozenset(enum(value) for value in values)

    def localized(self, key: str) -> dict[str, str]:
        """A text per language, written `message.fr = "..."` or `message = { fr = "..." }`; missing is empty."""
        if key not in self.data:
            return {}
        texts = self.inner(self.value(key, dict, Expected.LOCALIZED), key)
        for language in texts.data:
            if language not in LANGUAGES:
                texts.unknown(ErrorCode.UNKNOWN_LANGUAGE, language, LANGUAGES)
            texts.text(language)
        return dict(texts.data)
