# ruff: noqa: RUF001, RUF002, RUF003  -- look-alike characters are what this module is about
"""Folding text into views that matching can use, while keeping every offset of the original.

The folded view lowercases, strips accents, maps full-width letters, common Cyrillic and Greek
look-alikes, typographic apostrophes, dashes and every kind of space to plain ASCII, one character
for one character. Only a few edits change the length: zero-width characters and combining accents
are dropped, runs of spaces become one, ligatures ("œ") become two letters. When a text has none
of them (most texts) the offsets are the identity and no array is built at all.

The leet view is the folded view with digits and symbols read as letters ("h3r0n" -> "heron");
it has the same length, so it shares the folded view's offsets.

Speed matters (this runs on every keystroke): `str.translate` with a dictionary costs about
0.1 µs per character, so the table is applied only to the runs of characters outside printable
ASCII, plain ASCII texts go through a bytes table, and the leet view is computed on bytes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A character that folding deletes; it never occurs in the views.
_DELETED = "\x00"

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_SPACES = "\t\n\r\v\f\u00a0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(chr(c) for c in range(0x2000, 0x200B))
_APOSTROPHES = "\u2019\u2018\u02bc\u2032\u00b4\u02b9\uff07"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss", "ĳ": "ij", "ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl"}

# Look-alikes after lowercasing: a capital Cyrillic "Н" becomes "н", which reads as "h".
_HOMOGLYPHS = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "h", "ι": "i", "κ": "k", "μ": "m", "ν": "n",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "y", "χ": "x", "ϲ": "c",
}  # fmt: skip

# Read as letters in the leet view. "l" is read as "i" too, on both sides, so that "1" and "|"
# match a term whether they stand for an "i" or an "l".
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "!": "i", "|": "i"}
LEET_CHARACTERS = frozenset(_LEET)
_LEET_BYTES = bytes.maketrans(("".join(_LEET) + "l").encode(), ("".join(_LEET.values()) + "i").encode())

# Only these characters need the (per-character, slow) folding table; plain printable ASCII is
# already folded once lowercased, and most posts are mostly ASCII.
_NEEDS_TABLE = re.compile(r"[^\x20-\x7e]+")
# The edits that change the length: deletions, runs of spaces (possibly mixed with deletions),
# and ligatures. Applied to the text after the one-to-one table.
_EDIT = re.compile("[ \x00]{2,}|\x00|[" + "".join(_LIGATURES) + "]")
_LIGATURE = re.compile("[" + "".join(_LIGATURES) + "]")


def _ascii_base(character: str) -> str | None:
    """The ASCII letter or digit a character decomposes to ("é" -> "e", "𝐇" -> "H"), if any."""
    decomposed = unicodedata.normalize("NFKD", character)
    if decomposed and decomposed[0].isascii() and decomposed[0].isalnum():
        return decomposed[0].lower()
    return None


def _build_table() -> dict[int, str]:
    """The one-to-one folding table, built once at import."""
    table: dict[int, str] = {}
    ranges = [range(0xC0, 0x250), range(0x1E00, 0x1F00), range(0x2070, 0x20A0), range(0x1D400, 0x1D800)]
    for code_points in ranges:
        for code_point in code_points:
            base = _ascii_base(chr(code_point))
            if base is not None:
                table[code_point] = base
    for code_point in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[code_point] = chr(code_point - 0xFEE0).lower()
    for code_point in range(0x300, 0x370):  # combining accents of decomposed text
        table[code_point] = _DELETED
    table.update({ord(c): _DELETED for c in _ZERO_WIDTH})
    table.update({ord(c): " " for c in _SPACES})
    table.update({ord(c): "'" for c in _APOSTROPHES})
    table.update({ord(c): "-" for c in _DASHES})
    table.update({ord(k): v for k, v in _HOMOGLYPHS.items()})
    # Printable ASCII is never mapped: `_map` relies on it to skip plain text.
    assert all(not 0x20 <= code <= 0x7E for code in table)
    for ligature in _LIGATURES:  # kept as themselves here, expanded by the edits
        table.pop(ord(ligature), None)
    return table


_TABLE = _build_table()
# The table restricted to ASCII, as a bytes table (only control characters change).
_ASCII_BYTES = bytes(ord(_TABLE.get(code, chr(code))) if code < 128 else code for code in range(256))


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded view of a text and the way back to the original's offsets.

    `offsets[i]` is the original offset of folded character `i`; `None` means the identity.
    """

    original: str
    text: str
    leet: str
    offsets: list[int] | None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty folded span [start, end) back to a span of the original text."""
        if self.offsets is None:
            return start, end
        return self.offsets[start], self.offsets[end - 1] + 1


def _lowercase(text: str) -> str:
    """Lowercase one character for one character ("İ" lowercases to two characters)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(character.lower()[0] for character in text)


def _replacement(edit: str) -> str:
    if edit[0] in _LIGATURES:
        return _LIGATURES[edit[0]]
    return " " if " " in edit else ""


def _has_edits(mapped: str) -> bool:
    # Cheap tests first: most texts have none of these and skip the regex below.
    return "\x00" in mapped or "  " in mapped or (not mapped.isascii() and _LIGATURE.search(mapped) is not None)


def _apply_edits(mapped: str) -> tuple[str, list[int] | None]:
    """Apply the length-changing edits to a one-to-one mapped text, building offsets if any."""
    if not _has_edits(mapped):
        return mapped, None
    pieces: list[str] = []
    offsets: list[int] = []
    position = 0
    for edit in _EDIT.finditer(mapped):
        start, end = edit.span()
        replacement = _replacement(edit.group())
        pieces.append(mapped[position:start])
        offsets.extend(range(position, start))
        pieces.append(replacement)
        offsets.extend([start] * len(replacement))
        position = end
    pieces.append(mapped[position:])
    offsets.extend(range(position, len(mapped)))
    return "".join(pieces), offsets


def _map(lowered: str) -> str:
    """Apply the one-to-one table, to the characters that need it only."""
    if lowered.isascii():  # only control characters to map: done on bytes, ten times faster
        return lowered.encode("ascii").translate(_ASCII_BYTES).decode("ascii")
    return _NEEDS_TABLE.sub(lambda run: run.group().translate(_TABLE), lowered)


def fold(text: str) -> Folded:
    """Fold a text into its folded and leet views, keeping the way back to original offsets."""
    folded, offsets = _apply_edits(_map(_lowercase(text)))
    return Folded(original=text, text=folded, leet=leet(folded), offsets=offsets)


def fold_text(text: str) -> str:
    """The folded view of a text alone, for when no offsets are needed."""
    return _apply_edits(_map(_lowercase(text)))[0]


def fold_term(text: str) -> str:
    """Fold a term of the policy the way texts are folded, with no leading or trailing space."""
    return fold_text(text).strip()


def leet(folded_text: str) -> str:
    """The leet view of an already folded text; characters outside ASCII all read as "?".

    Working on bytes keeps this to a few microseconds per post. Matches found through this view
    are checked against the folded view, so "?" never stands for a character it is not.
    """
    return folded_text.encode("ascii", "replace").translate(_LEET_BYTES).decode("ascii")
