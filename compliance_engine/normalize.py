# ruff: noqa: RUF001, RUF002, RUF003  -- look-alike characters are what this module is about
"""Folding text into views that matching can use, while keeping every offset of the original.

The folded view lowercases, strips accents, maps full-width letters, common Cyrillic and Greek
look-alikes, typographic apostrophes, dashes and every kind of space to plain ASCII, one character
for one character. Only a few edits change the length: zero-width characters and combining accents
are dropped, runs of spaces become one, ligatures ("œ") become two letters. When a text has none
of them (most texts) the offsets are the identity and nothing is stored to map them back.

The leet view is the folded view with digits and symbols read as letters ("h3r0n" -> "heron");
the scan view, which the term automaton reads, is the leet view with the separators of spelled
out and joined words (space, hyphen, underscore, dot) all read as a space. Both have the folded
view's length, so they share its offsets.

Speed matters (this runs on every keystroke, NOTES.md): Python's per-character tools (`str.translate`
with a dictionary, a regular expression over a class of characters) cost 10 to 100 ns a character.
So every character goes through C code a whole text at a time: the text is encoded with a
one-byte-per-character code page of the 256 characters posts are mostly written with (ASCII,
Latin-1, typographic punctuation and spaces), folded by one `bytes.translate`, and decoded. Only
the rare characters outside that code page (emoji, other scripts) are folded one at a time.
The length-changing edits are found with `bytes.find` on the folded bytes, and offsets are kept
as a few segments rather than one integer per character.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from typing import NamedTuple

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
    # Printable ASCII is never mapped: folding it only lowercases it.
    assert all(not 0x20 <= code <= 0x7E for code in table)
    for ligature in _LIGATURES:  # kept as themselves here, expanded by the edits
        table.pop(ord(ligature), None)
    return table


_TABLE = _build_table()


def _fold_character(character: str) -> str:
    """What one lowercased character folds to (itself when the table does not map it)."""
    return _TABLE.get(ord(character), character)


# The code page: ASCII, then, where Latin-1 has its C1 controls, Windows-1252's typographic
# characters and a few more spaces, dashes, invisible and combining characters, and every ligature
# (so that every length-changing edit is a byte), then the rest of Latin-1.
_TYPOGRAPHIC = "€„…Œ‘’“”•–—™Ÿ\u202f\u2009\u200b\u200d\ufe0f\u2010\u2011\u2212\u2032\u02bc\u0301\u0300"
_LIGATURES_PAST_LATIN_1 = "".join(ligature for ligature in _LIGATURES if ligature > "\xff")
_CODE_PAGE = (
    "".join(map(chr, range(0x80))) + _TYPOGRAPHIC + _LIGATURES_PAST_LATIN_1 + "".join(map(chr, range(0xA0, 0x100)))
)
assert len(_CODE_PAGE) == 256
_ENCODING = codecs.charmap_build(_CODE_PAGE)
# A character outside the code page is encoded as "?", like a real question mark.
_OUTSIDE = b"?"
# Real question marks are passed over one at a time up to this many, then counted (see below).
_QUESTION_MARKS_PASSED = 8
_DELETED_BYTE, _SPACE_BYTE = b"\x00", b" "


def _build_folding_bytes() -> bytes:
    """Lowercase and fold each character of the code page, as a byte of the code page."""
    folded = bytearray()
    for character in _CODE_PAGE:
        lowered = character.lower()
        target = _fold_character(lowered)
        # Checked so that a change to the table cannot silently break folding. (No character of the
        # code page lowercases differently in context: only a capital sigma does.)
        assert len(lowered) == 1, character
        assert target in _CODE_PAGE, character
        folded.append(_CODE_PAGE.index(target))
    return bytes(folded)


_FOLDING_BYTES = _build_folding_bytes()
_LIGATURE_BYTES = {_CODE_PAGE.index(ligature).to_bytes(): letters.encode() for ligature, letters in _LIGATURES.items()}
_NOT_LIGATURE_BYTES = bytes(byte for byte in range(256) if byte.to_bytes() not in _LIGATURE_BYTES)
_SPACE_RUN = re.compile(b"[ \x00]+")


def _view_bytes(separators: str) -> bytes:
    """The leet table on ASCII bytes, with `separators` read as spaces; other bytes read as "?"."""
    table = bytearray(range(128)) + b"?" * 128
    for character, letter in (*_LEET.items(), ("l", "i"), *((separator, " ") for separator in separators)):
        table[ord(character)] = ord(letter)
    return bytes(table)


_LEET_BYTES = _view_bytes("")
# Spelled-out and joined words ("h.e.r.o.n", "projet-heron") use these between their parts.
SEPARATORS = " -_."
_SCAN_BYTES = _view_bytes(SEPARATORS)
_new_tuple = tuple.__new__


class Folded(NamedTuple):
    """A folded view of a text, its scan view, and the way back to the original's offsets.

    Offsets are kept as segments: from folded index `starts[k]` on, the original index is the
    folded index plus `shifts[k]`. Both are empty when offsets are the identity. (A named tuple:
    one is built for every text checked, and a frozen dataclass takes four times as long to build.)
    """

    original: str
    text: str
    scan: str
    starts: tuple[int, ...] = ()
    shifts: tuple[int, ...] = ()

    @property
    def leet(self) -> str:
        """The leet view of the folded text."""
        return leet(self.text)

    @property
    def offsets(self) -> list[int] | None:
        """The original offset of each folded character, or `None` for the identity."""
        if not self.starts:
            return None
        return [self._original(index) for index in range(len(self.text))]

    def aligned_original(self) -> str:
        """The original character behind each folded character, so that index `i` reads both views.

        A ligature's letters both show the ligature; a character that folding deletes is skipped.
        """
        if not self.starts:
            return self.original
        ends = (*self.starts[1:], len(self.text))
        segments = zip(self.starts, ends, self.shifts, strict=True)
        return "".join(self.original[start + shift : end + shift] for start, end, shift in segments)

    def _original(self, index: int) -> int:
        return index + self.shifts[bisect_right(self.starts, index) - 1]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty folded span [start, end) back to a span of the original text."""
        if not self.starts:
            return start, end
        return self._original(start), self._original(end - 1) + 1


def _lowercase(text: str) -> str:
    """Lowercase one character for one character ("İ" lowercases to two characters)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(character.lower()[0] for character in text)


type _Outside = list[tuple[int, str]]  # (index in the text, folded character) outside the code page


def _map(text: str) -> tuple[bytes, _Outside]:
    """Lowercase and fold one character for one byte of the code page.

    The folded characters outside the code page (emoji, other scripts) are "?" in the bytes and
    listed apart.
    """
    if text.isascii():
        return text.encode("ascii").translate(_FOLDING_BYTES), []
    encoded = codecs.charmap_encode(text, "replace", _ENCODING)[0]
    mapped = encoded.translate(_FOLDING_BYTES)
    first = encoded.find(_OUTSIDE)
    if first == -1:
        return mapped, []
    return _with_outside_characters(text, encoded, mapped, first)


def _with_outside_characters(text: str, encoded: bytes, mapped: bytes, first: int) -> tuple[bytes, _Outside]:
    """Fold the characters outside the code page, the "?" of the encoded text from `first` on, with the table.

    Real question marks are passed over one at a time: a text seldom has many, and counting the
    question marks of the whole text and of its bytes to see whether any character is outside cost
    more (4 µs on a 3,000-character post, a tenth of folding it). Only past a few are the rest counted.
    """
    pieces: list[bytes] = []
    outside: _Outside = []
    position = 0
    lowered: str | None = None
    question_marks = 0
    index = first
    while index != -1:
        character = text[index]
        if character == "?":
            question_marks += 1
            if question_marks == _QUESTION_MARKS_PASSED and encoded.count(_OUTSIDE, index) == text.count("?", index):
                break  # only real question marks are left
        else:
            if character == "\u03a3":  # a capital sigma lowercases in context: final or not
                lowered = _lowercase(text) if lowered is None else lowered
                character = lowered[index]
            byte, folded = _fold_outside(character)
            if byte != _OUTSIDE:
                pieces += (mapped[position:index], byte)
                position = index + 1
            elif folded != "?":
                outside.append((index, folded))
        index = encoded.find(_OUTSIDE, index + 1)
    if not pieces:  # emoji and the like stay "?": the bytes are already right
        return mapped, outside
    pieces.append(mapped[position:])
    return b"".join(pieces), outside


@functools.lru_cache(maxsize=4096)
def _fold_outside(character: str) -> tuple[bytes, str]:
    """A character outside the code page, lowercased alone and folded, and its byte ("?" if still outside).

    Worked out once per character: the same emoji and look-alikes come back in text after text.
    ("İ" lowercases to "i" and a dot, and is read as "i", as `_lowercase` does.)
    """
    lowered = character.lower()[0]
    folded = _TABLE.get(ord(lowered), lowered)
    return codecs.charmap_encode(folded, "replace", _ENCODING)[0], folded


def _runs[T: (str, bytes)](text: T, sought: T) -> Iterator[tuple[int, int]]:
    """Spans of each occurrence of `sought`, found by `find`, which jumps to each one in C."""
    position = text.find(sought)
    while position != -1:
        end = position + len(sought)
        yield position, end
        position = text.find(sought, end)


def _space_edits(mapped: bytes) -> list[tuple[int, int, bytes]]:
    """Runs of deleted characters and spaces: one space if the run has a space, else nothing.

    A lone space is not an edit; a lone deleted character is. Each run is found from a deleted
    character or a double space in it, then stretched to its whole length.
    """
    edits: list[tuple[int, int, bytes]] = []
    reached = 0
    for position in sorted(index for sought in (_DELETED_BYTE, b"  ") for index, _ in _runs(mapped, sought)):
        if position < reached:
            continue
        start = position
        while start > reached and mapped[start - 1 : start] in b" \x00":
            start -= 1
        run = _SPACE_RUN.match(mapped, position)
        reached = run.end() if run is not None else position + 1
        edits.append((start, reached, _SPACE_BYTE if _SPACE_BYTE in mapped[start:reached] else b""))
    return edits


def _edits(mapped: bytes, has_space_edits: bool, ligatures: set[int]) -> list[tuple[int, int, bytes]]:
    """The length-changing edits of the mapped bytes, by position: (start, end, replacement)."""
    edits = _space_edits(mapped) if has_space_edits else []
    for ligature in ligatures:
        sought = ligature.to_bytes()
        letters = _LIGATURE_BYTES[sought]
        edits.extend((position, end, letters) for position, end in _runs(mapped, sought))
    if ligatures:
        edits.sort()
    return edits


def _apply_edits(edits: list[tuple[int, int, bytes]], mapped: bytes) -> tuple[bytes, tuple[int, ...], tuple[int, ...]]:
    """Apply the edits, keeping the segments that map folded offsets back to the original."""
    if not edits:
        return mapped, (), ()
    pieces: list[bytes] = []
    starts, shifts = [0], [0]
    position = length = 0  # in the original, in the folded text

    def shift_from(index: int, shift: int) -> None:
        if shifts[-1] == shift:
            return
        if starts[-1] == index:
            starts.pop()
            shifts.pop()
        starts.append(index)
        shifts.append(shift)

    for start, end, replacement in edits:
        pieces += (mapped[position:start], replacement)
        length += start - position
        for extra in range(1, len(replacement)):  # the letters of a ligature all come from its one character
            shift_from(length + extra, start - length - extra)
        length += len(replacement)
        position = end
        shift_from(length, end - length)
    pieces.append(mapped[position:])
    return b"".join(pieces), tuple(starts), tuple(shifts)


def _with_outside(folded: str, outside: _Outside, starts: tuple[int, ...], shifts: tuple[int, ...]) -> str:
    """Put the folded characters outside the code page in place of their "?" in the folded text."""
    if starts:
        # Where each segment starts in the original; such characters are never edited away.
        original_starts = [start + shift for start, shift in zip(starts, shifts, strict=True)]
        outside = [
            (index - shifts[bisect_right(original_starts, index) - 1], character) for index, character in outside
        ]
    pieces: list[str] = []
    position = 0
    for index, character in outside:
        pieces += (folded[position:index], character)
        position = index + 1
    pieces.append(folded[position:])
    return "".join(pieces)


def _folded(text: str) -> tuple[str, bytes, tuple[int, ...], tuple[int, ...]]:
    """The folded text, its bytes ("?" for characters outside the code page) and its segments."""
    mapped, outside = _map(text)
    starts: tuple[int, ...] = ()
    shifts: tuple[int, ...] = ()
    # Written out here rather than in small functions: this runs for every text checked.
    # A search for two spaces costs about a nanosecond a byte (every space is a partial match).
    # (`bytes.find`, never `in`: Python 3.13's `in` on bytes takes a slower search, eight times
    # slower for one byte.)
    has_space_edits = mapped.find(_DELETED_BYTE) != -1 or mapped.find(b"  ") != -1
    is_ascii = mapped.isascii()
    # Most accented texts are ASCII once folded; ligatures are the only edits outside ASCII, and
    # deleting every other byte finds them in one pass.
    ligatures = set() if is_ascii else set(mapped.translate(None, _NOT_LIGATURE_BYTES))
    if has_space_edits or ligatures:
        mapped, starts, shifts = _apply_edits(_edits(mapped, has_space_edits, ligatures), mapped)
        is_ascii = mapped.isascii()
    folded = mapped.decode("ascii") if is_ascii else codecs.charmap_decode(mapped, "strict", _CODE_PAGE)[0]
    if outside:
        folded = _with_outside(folded, outside, starts, shifts)
    return folded, mapped, starts, shifts


def forget() -> None:
    """Forget the characters outside the code page folded so far."""
    _fold_outside.cache_clear()


def scan_view(folded_text: str) -> str:
    """The scan view of an already folded text: leet, with every separator read as a space."""
    return folded_text.encode("ascii", "replace").translate(_SCAN_BYTES).decode("ascii")


def fold(text: str) -> Folded:
    """Fold a text into its folded and scan views, keeping the way back to original offsets."""
    folded, mapped, starts, shifts = _folded(text)
    # `tuple.__new__` skips the named tuple's own `__new__`, written in Python: half the cost.
    return _new_tuple(Folded, (text, folded, mapped.translate(_SCAN_BYTES).decode("ascii"), starts, shifts))


def fold_text(text: str) -> str:
    """The folded view of a text alone, for when no offsets are needed."""
    if text.isascii() and text.isprintable() and "  " not in text:  # most terms: only lowercasing to do
        return text.lower()
    return _folded(text)[0]


def fold_term(text: str) -> str:
    """Fold a term of the policy the way texts are folded, with no leading or trailing space."""
    return fold_text(text).strip()


def leet(folded_text: str) -> str:
    """The leet view of an already folded text; characters outside ASCII all read as "?".

    Matches found through this view are checked against the folded view, so "?" never stands for
    a character it is not.
    """
    return folded_text.encode("ascii", "replace").translate(_LEET_BYTES).decode("ascii")
