"""Writing TOML values the way a person would: patterns without doubled backslashes, invisible characters shown.

Strings go through tomli_w, which knows TOML's escapes; the layout around them (one item per
line in long lists, inline tables for terms) is ours, because it is what makes diffs readable.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence
from enum import StrEnum

import tomli_w


def toml_string(value: str) -> str:
    """A TOML string: literal when that spares backslashes (patterns), invisible characters escaped."""
    if "\\" in value and "'" not in value and value.isprintable():
        return f"'{value}'"
    # Lines between triple quotes read best, but TOML readers may turn a "\r\n" written there into "\n".
    multiline = "\n" in value and "\r" not in value
    written = tomli_w.dumps({"v": value}, multiline_strings=multiline).removeprefix("v = ").removesuffix("\n")
    if value.isprintable():
        return written
    # A zero-width space or a no-break space in a test text is the point of the test: show it.
    return "".join(_escape(character) if _is_invisible(character) else character for character in written)


def _is_invisible(character: str) -> bool:
    """A character that shows as nothing or as a plain space: zero-width, no-break space, separators."""
    category = unicodedata.category(character)
    return category in ("Cf", "Zl", "Zp") or (category == "Zs" and character != " ")


def _escape(character: str) -> str:
    code = ord(character)
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def inline_list(values: Sequence[str]) -> str:
    """A short list of texts on one line."""
    return "[" + ", ".join(toml_string(value) for value in values) + "]"


def long_list(items: Sequence[str]) -> str:
    """Items already written, one per line, so that a diff shows each one added or removed on its own line."""
    if len(items) < 2:
        return "[" + ", ".join(items) + "]"
    return "[\n" + "".join(f"    {item},\n" for item in items) + "]"


def enum_list(values: Collection[StrEnum]) -> str:
    """A set of enumeration values, in the order the enumeration declares, so that a set is always written alike."""
    if not values:
        return "[]"
    members = type(next(iter(values))).__members__.values()
    return inline_list([member.value for member in members if member in values])
