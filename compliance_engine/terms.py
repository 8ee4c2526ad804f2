"""Finding the terms of every term rule in one pass of an Aho-Corasick automaton.

Obfuscation is handled in the dictionary rather than by rewriting the text (cheaper, NOTES.md):
each term is added in its dotted, spaced, hyphenated and glued spellings, and the automaton scans
the leet view, where "h3r0n" already reads "heron". Word boundaries, plurals, camelCase and
context requirements are then checked in Python on the few candidates the automaton reports.

pyahocorasick was chosen over ahocorasick-rs: both install as wheels here, but pyahocorasick
stores any Python value per key (the rules a spelling belongs to), reports overlapping matches
in one call, and had a release in 2026.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

import ahocorasick  # type: ignore[import-not-found]  # the package ships no type information

from compliance_engine.model import Qualifier, TermEntry
from compliance_engine.normalize import LEET_CHARACTERS, Folded, fold_term, leet

_WORD_PARTS = re.compile(r"[^\W_]+")
_SEPARATORS = ("", " ", "-", "_", ".")
_LETTER_SEPARATORS = (".", " ", "-", "_")
# Letters spelled out one by one ("h e r o n") only for terms long enough not to read as words.
_MIN_SPELLED_OUT = 4
_PLURAL_SUFFIXES = ("s", "es")
_CONTEXT_WORDS = 4  # how many words on each side of a term count as its context
_CONTEXT_CHARACTERS = 80  # enough to hold those words
_SENTENCE_ENDS = ".!?…:\n\r"


@dataclass(frozen=True, slots=True)
class TermTarget:
    """One spelling of one entry of one rule, as stored in the automaton."""

    rule_index: int
    entry: TermEntry
    spelling: str  # the folded spelling the text reads when no leetspeak is used
    context_words: frozenset[str]
    clearing_words: frozenset[str]
    has_context_rules: bool  # whether the words around a match must be looked at


@dataclass(frozen=True, slots=True)
class TermMatch:
    """A term found in a text, with its span in the folded view."""

    rule_index: int
    entry: TermEntry
    start: int
    end: int


def spellings(term: str) -> set[str]:
    """The folded spellings of a term: as written, glued, hyphenated, dotted, letters spaced out."""
    folded = fold_term(term)
    words = _WORD_PARTS.findall(folded)
    result = {folded}
    if len(words) > 1:
        result.update(separator.join(words) for separator in _SEPARATORS)
    letters = "".join(words)
    if len(letters) >= _MIN_SPELLED_OUT:
        result.update(separator.join(letters) for separator in _LETTER_SEPARATORS)
    result.discard("")
    return result


def _folded_words(words: Iterable[str]) -> frozenset[str]:
    return frozenset(fold_term(word) for word in words if fold_term(word))


type _Value = tuple[int, tuple[TermTarget, ...]]  # the key's length and the spellings it stands for


class _Automaton(Protocol):
    """The part of `ahocorasick.Automaton` this module uses, typed."""

    def add_word(self, key: str, value: _Value) -> bool: ...
    def make_automaton(self) -> None: ...
    def iter(self, string: str) -> Iterator[tuple[int, _Value]]: ...


class TermMatcher:
    """Every term of every term rule, compiled into one automaton."""

    def __init__(self, term_lists: Sequence[tuple[int, Sequence[TermEntry]]]) -> None:
        """Compile (rule index, entries) pairs; a rule index is what matches report back."""
        targets: dict[str, list[TermTarget]] = {}
        for rule_index, entries in term_lists:
            for entry in entries:
                for target in _targets(rule_index, entry):
                    targets.setdefault(leet(target.spelling), []).append(target)
        self._automaton: _Automaton = ahocorasick.Automaton()
        for key, key_targets in targets.items():
            self._automaton.add_word(key, (len(key), tuple(key_targets)))
        self._is_empty = not targets
        if not self._is_empty:
            self._automaton.make_automaton()

    def find(self, folded: Folded, active_rules: frozenset[int]) -> list[TermMatch]:
        """The matches of the active rules in a folded text, by position, without duplicates."""
        if self._is_empty or not active_rules:
            return []
        found: dict[tuple[int, int], TermMatch] = {}
        for match in self._candidates(folded, active_rules):
            key = (match.rule_index, match.start)
            previous = found.get(key)
            if previous is None or previous.end < match.end:
                found[key] = match
        return _without_nested(sorted(found.values(), key=lambda m: (m.start, -m.end, m.rule_index)))

    def _candidates(self, folded: Folded, active_rules: frozenset[int]) -> Iterator[TermMatch]:
        # Most hits of the automaton lie inside longer words: the word boundaries depend only on
        # the span, so they are checked once per hit, before looking at the spellings behind it.
        text = folded.text
        for last, (length, targets) in self._automaton.iter(folded.leet):
            start = last + 1 - length
            if start and text[start - 1].isalnum() and not _starts_word(folded, start):
                continue
            end = _word_end(folded, start, last + 1)
            if end is None:
                continue
            written = text[start : last + 1]
            for target in targets:
                if (
                    target.rule_index in active_rules
                    and _is_spelled(written, target.spelling)
                    and _context_allows(folded, start, end, target)
                ):
                    yield TermMatch(target.rule_index, target.entry, start, end)


def _targets(rule_index: int, entry: TermEntry) -> Iterator[TermTarget]:
    context_words = _folded_words(entry.context_words)
    clearing_words = _folded_words(entry.clearing_words)
    for spelling in sorted(spellings(entry.text)):
        has_context_rules = bool(clearing_words) or entry.requires_context
        yield TermTarget(rule_index, entry, spelling, context_words, clearing_words, has_context_rules)


def _without_nested(matches: list[TermMatch]) -> list[TermMatch]:
    """Drop a match that lies inside a longer match of the same rule ("heron" in "projet heron")."""
    kept: list[TermMatch] = []
    reach: dict[int, int] = {}
    for match in matches:
        if reach.get(match.rule_index, -1) >= match.end:
            continue
        kept.append(match)
        reach[match.rule_index] = max(reach.get(match.rule_index, -1), match.end)
    return kept


def _is_spelled(written: str, spelling: str) -> bool:
    """Whether the text spells the term, plainly or with leetspeak (not a mere l/i confusion).

    Characters outside ASCII all read "?" in the leet view, so they must be the very same.
    """
    if written == spelling:
        return True
    if not any(character in LEET_CHARACTERS for character in written):
        return False
    return [c for c in written if not c.isascii()] == [c for c in spelling if not c.isascii()]


def _is_camel_boundary(original: str, position: int) -> bool:
    """Whether an upper-case letter follows a lower-case one here ("Projet|Heron")."""
    return 0 < position < len(original) and original[position].isupper() and original[position - 1].islower()


def _starts_word(folded: Folded, start: int) -> bool:
    if start == 0 or not folded.text[start - 1].isalnum():
        return True
    original_start, _ = folded.original_span(start, start + 1)
    return _is_camel_boundary(folded.original, original_start)


def _word_end(folded: Folded, start: int, end: int) -> int | None:
    text = folded.text
    if end == len(text) or not text[end].isalnum():
        return end
    for suffix in _PLURAL_SUFFIXES:
        stop = end + len(suffix)
        if text.startswith(suffix, end) and (stop == len(text) or not text[stop].isalnum()):
            return stop
    _, original_end = folded.original_span(start, end)
    return end if _is_camel_boundary(folded.original, original_end) else None


def _context_allows(folded: Folded, start: int, end: int, target: TermTarget) -> bool:
    """Apply the entry's clearing words, then its context requirement."""
    if not target.has_context_rules:
        return True
    nearby = _nearby_words(folded.text, start, end)
    if nearby & target.clearing_words:
        return False
    if not target.entry.requires_context:
        return True
    if nearby & target.context_words:
        return True
    qualifiers = target.entry.qualifiers
    if Qualifier.HASHTAG in qualifiers and _is_in_hashtag(folded.text, start):
        return True
    original_start, _ = folded.original_span(start, end)
    return Qualifier.CAPITALISED in qualifiers and _is_capitalised(folded.original, original_start)


def _nearby_words(text: str, start: int, end: int) -> frozenset[str]:
    """The words on either side of a match in the folded view.

    Cutting the view at the match also splits a glued hashtag: in "#projetatlas" the word before
    "atlas" is "projet".
    """
    before = _WORD_PARTS.findall(text, max(0, start - _CONTEXT_CHARACTERS), start)[-_CONTEXT_WORDS:]
    after = _WORD_PARTS.findall(text, end, end + _CONTEXT_CHARACTERS)[:_CONTEXT_WORDS]
    words = set(before + after)
    # A plural context word ("projets") still qualifies.
    return frozenset(words | {word.removesuffix("s") for word in words})


def _is_in_hashtag(text: str, start: int) -> bool:
    position = start - 1
    while position >= 0 and text[position].isalnum():
        position -= 1
    return position >= 0 and text[position] == "#"


def _is_capitalised(original: str, start: int) -> bool:
    """An initial capital that does not merely start a sentence or a line."""
    if not original[start].isupper():
        return False
    before = original[:start].rstrip(' \t"«“(\u00a0\u202f')
    return bool(before) and before[-1] not in _SENTENCE_ENDS
