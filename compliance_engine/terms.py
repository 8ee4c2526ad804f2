"""Finding the terms of every term rule in one pass of an Aho-Corasick automaton.

Obfuscation is handled in the dictionary rather than by rewriting the text (cheaper, NOTES.md):
each term counts in its dotted, spaced, hyphenated and glued spellings, and the automaton scans
the scan view, where "h3r0n" already reads "heron" and every separator reads as a space. Word
boundaries, plurals, camelCase and context requirements are then checked in Python on the few
candidates the automaton reports, and so is the exact spelling behind each candidate.

The dictionary stays small: one key stands for a term in all its separators ("projet heron"
for "projet-heron", "projet.heron"...), and letters spelled out one by one ("h.e.r.o.n") are not
keys at all. Runs of single letters are rare in a text; each one is read glued ("heron") against
the same automaton. A term thus takes one key, or two if it has several words, instead of the
five to nine of its spellings, which keeps 100,000 terms to about a second and tens of megabytes
to compile (benchmarks/results/engine.md).

The automaton is ahocorasick-rs (the Rust aho-corasick crate): it returns every overlapping
match of a text in one call, as (key, start, end), and its DFA scans a post in a third of the
instructions pyahocorasick's automaton took (counted with callgrind on the benchmark's posts at
10,000 terms: 41,000 instructions for a 400-character post, 18,000 with the DFA). It stores no
value per key: a key's entries are found by its index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick_rs

from compliance_engine.model import Qualifier, TermEntry
from compliance_engine.normalize import LEET_CHARACTERS, SEPARATORS, Folded, fold_term, leet, scan_view

_WORD_PARTS = re.compile(r"[^\W_]+")
_SEPARATORS = ("", " ", "-", "_", ".")
_LETTER_SEPARATORS = (".", " ", "-", "_")
# Letters spelled out one by one ("h e r o n") only for terms long enough not to read as words.
_MIN_SPELLED_OUT = 4
_PLURAL_SUFFIXES = ("s", "es")
_CONTEXT_WORDS = 4  # how many words on each side of a term count as its context
_CONTEXT_CHARACTERS = 80  # enough to hold those words
_SENTENCE_ENDS = ".!?…:\n\r"
# The scan view's shape: a separator stays a space, anything else reads "x". Letters spelled out
# one by one show as "x x x x" at least.
_SHAPE = bytes(32 if byte == 32 else 120 for byte in range(256))
_SPELLED_OUT = b" ".join([b"x"] * _MIN_SPELLED_OUT)
_SPELLED_OUT_INSIDE = _SPELLED_OUT[1:-1]  # " x x ": in every shape that holds "x x x x"
_DFA, _CONTIGUOUS_NFA = ahocorasick_rs.Implementation.DFA, ahocorasick_rs.Implementation.ContiguousNFA


@dataclass(slots=True)
class TermTarget:
    """One entry of one rule, as stored under the keys of its spellings; never changed once built.

    Not frozen: a policy may build 100,000 of these, and a frozen dataclass takes four times as
    long to build.
    """

    rule_index: int
    entry: TermEntry
    # The entry's place among all entries: when two entries of a rule spell the same text, the first wins.
    order: int
    folded: str  # the entry folded: its spelling as written
    words: tuple[str, ...]  # its words, joined by separators in its other spellings
    letters: str  # its words glued, spelled out letter by letter in its other spellings
    context_words: frozenset[str]  # with their plurals
    clearing_words: frozenset[str]  # with their plurals
    # The words to look for in the text around a match: those that hold none of the others
    # ("projet" stands for "projets").
    context_needles: tuple[str, ...]
    clearing_needles: tuple[str, ...]
    requires_context: bool  # the entry's, read once
    has_context_rules: bool  # whether the words around a match must be looked at


class TermMatch(NamedTuple):
    """A term found in a text, with its span in the folded view (a named tuple: fast to build)."""

    rule_index: int
    entry: TermEntry
    start: int
    end: int


# Builds a named tuple without its `__new__`, which is written in Python: half the cost.
_new_tuple = tuple.__new__


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


# Shared by the entries without context or clearing words (nearly all): each `frozenset()` is a
# new object of 216 bytes, 40 MB for two of them per entry at 100,000 terms.
_NO_WORDS: frozenset[str] = frozenset()


def _folded_words(words: Iterable[str]) -> frozenset[str]:
    """Context or clearing words, folded, with their plurals: "projets" near a term is a context too."""
    folded = {folded for word in words if (folded := fold_term(word))}
    return frozenset(folded | {word + "s" for word in folded})


def _needles(words: frozenset[str]) -> tuple[str, ...]:
    """The words of a set that hold none of the others: where none of them is, none of the set is."""
    return tuple(word for word in words if not any(other in word for other in words if other != word))


def _target(rule_index: int, entry: TermEntry, order: int) -> TermTarget:
    folded = fold_term(entry.text)
    words = tuple(_WORD_PARTS.findall(folded))
    letters = "".join(words)
    if words == (folded,):  # most terms: one word, shared rather than stored three times
        words, letters = (folded,), folded
    context_words = _folded_words(entry.context_words) if entry.context_words else _NO_WORDS
    clearing_words = _folded_words(entry.clearing_words) if entry.clearing_words else _NO_WORDS
    requires_context = entry.requires_context
    return TermTarget(
        rule_index,
        entry,
        order,
        folded,
        words,
        letters,
        context_words,
        clearing_words,
        _needles(context_words),
        _needles(clearing_words),
        requires_context,
        bool(clearing_words) or requires_context,
    )


def _keys(target: TermTarget) -> set[str]:
    """The automaton keys of an entry's spellings (see the module's docstring)."""
    keys = {scan_view(target.folded)}
    if len(target.words) > 1:
        keys.add(scan_view(" ".join(target.words)))  # joined by any separator
        keys.add(scan_view(target.letters))  # glued
    if len(target.letters) >= _MIN_SPELLED_OUT:
        keys.add(scan_view(target.letters))  # found in the runs of letters spelled out
    keys.discard("")
    return keys


# Up to this many keys the automaton is a DFA: a table of the next state for every state and
# byte, the fastest to scan, at about 1.4 kB a key (20 MB at 10,000 terms, whose 14,000 keys
# build in 0.1 s). Past it, the contiguous NFA, which looks its transitions up and takes a tenth
# of that memory: 100,000 terms (118,000 keys) take 17 MB and build in 0.2 s, where a DFA would
# take 168 MB.
_LARGEST_DFA = 40_000


class TermMatcher:
    """Every term of every term rule, compiled into one automaton."""

    def __init__(self, term_lists: Sequence[tuple[int, Sequence[TermEntry]]]) -> None:
        """Compile (rule index, entries) pairs; a rule index is what matches report back."""
        keys: dict[str, tuple[TermTarget, ...]] = {}
        order = 0
        for rule_index, entries in term_lists:
            for entry in entries:
                target = _target(rule_index, entry, order)
                order += 1
                for key in _keys(target):
                    keys[key] = (*keys.get(key, ()), target)
        # The automaton reports a key by its index in the list it was given: the entries' index too.
        self._targets: list[tuple[TermTarget, ...]] = list(keys.values())
        self._automaton = (
            ahocorasick_rs.BytesAhoCorasick(
                [key.encode("ascii") for key in keys],
                implementation=_DFA if len(keys) <= _LARGEST_DFA else _CONTIGUOUS_NFA,
            )
            if keys
            else None
        )

    def find(
        self, folded: Folded, active_rules: frozenset[int], first_only: frozenset[int] = frozenset()
    ) -> list[TermMatch]:
        """The matches of the active rules in a folded text, by position, without duplicates.

        A rule of `first_only` reports only the first of its matches the automaton finds: for lists
        whose mere presence in a text counts, a long post can hold a dozen matches of them.
        """
        if self._automaton is None or not active_rules:
            return []
        scan = folded.scan.encode("ascii")
        matches = self._automaton.find_matches_as_indexes(scan, overlapping=True)
        shape = scan.translate(_SHAPE)
        # Rare: most texts have no letters spelled out. Their inside (" x x ") is looked for rather
        # than the run itself: Python 3.13's `rfind` compares at the rare spaces of a shape, not at
        # nearly every "x", and takes 0.7 µs instead of 1.1 µs on a 400-character post; one of the
        # benchmark's 5,000 such posts holds the inside without the run. And `rfind`, not `find` or
        # `in`, which take twice as long on a shape that is nearly all "x".
        if shape.rfind(_SPELLED_OUT_INSIDE) != -1:
            matches += self._spelled_out_matches(scan, shape)
        found = self._places(folded, matches, active_rules, first_only)
        if len(found) < 2:  # most short texts
            return [
                _new_tuple(TermMatch, (rule, entry, start, -negative_end))
                for start, negative_end, rule, _, entry in found
            ]
        found.sort()
        return _without_nested(found)

    def _places(
        self,
        folded: Folded,
        matches: list[tuple[int, int, int]],
        active_rules: frozenset[int],
        first_only: frozenset[int],
    ) -> list[_Place]:
        """The entries of the keys found that stand as whole words, spelled as the text has them, in context.

        `matches` are the keys found, as (key, start, end) in the folded view. A rule of `first_only`
        keeps its first entry only, in the order of the matches.

        This loop runs for every key found, seventy times in a long post, so most keys are dropped
        without a call. Two in three lie inside a longer word, or start one ("vene" in "venez"): a
        word may only go on past a key (or before it) as a plural, or at a camelCase boundary, where
        the original has a capital. The rest have their word boundaries checked in full. Each entry
        is then checked where its key is found, in the same loop: building a list of the keys that
        stand as words for another loop to read cost 3 to 4% of the time of `find`.
        """
        found: list[_Place] = []
        rules_found: set[int] = set()  # those of `first_only`
        text, original = folded.text, folded.aligned_original()
        size = len(text)
        targets = self._targets
        for key, start, end in matches:
            if start and text[start - 1].isalnum() and not (original[start].isupper() and _starts_word(folded, start)):
                continue
            if end < size and text[end].isalnum():
                if text[end] not in "se" and not original[end].isupper():
                    continue
                stop = _word_end(folded, start, end)
                if stop is None:
                    continue
            else:
                stop = end  # where the word ends
            written = text[start:end]  # read only now: most keys inside a word never need it
            for target in targets[key]:
                rule = target.rule_index
                if (
                    rule in active_rules
                    and (written == target.folded or _is_written_as(written, target))
                    and (not target.has_context_rules or _context_allows(folded, start, stop, target))
                ):
                    if rule in first_only:
                        if rule in rules_found:
                            continue
                        rules_found.add(rule)
                    found.append((start, -stop, rule, target.order, target.entry))
        return found

    def _spelled_out_matches(self, scan: bytes, shape: bytes) -> list[tuple[int, int, int]]:
        """The keys found in the runs of letters spelled out ("h.e.r.o.n"), as (key, start, end)."""
        assert self._automaton is not None
        matches: list[tuple[int, int, int]] = []
        for first, glued in _spelled_out_runs(scan, shape):
            # The glued letters stand two characters apart in the view.
            for key, start_glued, end_glued in self._automaton.find_matches_as_indexes(glued, overlapping=True):
                matches.append((key, first + 2 * start_glued, first + 2 * end_glued - 1))
        return matches


# An entry the text spells, where it stands: (start, -end, rule, the entry's order, entry). Sorted,
# each rule's longest match at a place comes first, then its first entry. The rule and the order
# name the entry, so two places that tie on the first four are equal: entries are never compared.
type _Place = tuple[int, int, int, int, TermEntry]


def _spelled_out_runs(scan: bytes, shape: bytes) -> Iterator[tuple[int, bytes]]:
    """Each run of single characters between separators ("h.e.r.o.n"), as (start, glued characters).

    `shape` is the scan view's shape: its separators as spaces, any other character as "x".
    """
    position = shape.find(_SPELLED_OUT)
    while position != -1:
        first = position
        while first >= 2 and shape[first - 1] == 32 and shape[first - 2] == 120:
            first -= 2
        last = position + len(_SPELLED_OUT) - 1
        while last + 2 < len(shape) and shape[last + 1] == 32 and shape[last + 2] == 120:
            last += 2
        yield first, scan[first : last + 1 : 2]
        position = shape.find(_SPELLED_OUT, last + 1)


def _spellings_like(written: str, target: TermTarget) -> Iterator[str]:
    """The spellings of an entry that could read as `written`: same length, same separators."""
    yield target.folded
    words, letters = target.words, target.letters
    if len(words) > 1:
        if len(written) == len(letters):
            yield letters
        separator = written[len(words[0]) : len(words[0]) + 1]
        if separator and separator in SEPARATORS:
            yield separator.join(words)
    if len(letters) >= _MIN_SPELLED_OUT and len(written) == 2 * len(letters) - 1 and written[1] in SEPARATORS:
        yield written[1].join(letters)


def _is_written_as(written: str, target: TermTarget) -> bool:
    """Whether the text spells the entry in one of its spellings, plainly or with leetspeak."""
    if written == target.folded:
        return True
    if written.isalpha():
        # No leetspeak and no separator: of the spellings, only the words glued can read so.
        return len(target.words) > 1 and written == target.letters
    written_leet = leet(written)
    return any(
        leet(spelling) == written_leet and _is_spelled(written, spelling)
        for spelling in _spellings_like(written, target)
    )


def _without_nested(found: list[_Place]) -> list[TermMatch]:
    """The matches in order, each rule's longest at each place, none inside a longer one of its rule.

    "heron" inside "projet heron" is dropped, and so is a shorter match, or a later entry, of the
    same rule at the same place: it comes after the one kept, which reaches at least as far.
    """
    kept: list[TermMatch] = []
    reach: dict[int, int] = {}
    for start, negative_end, rule, _, entry in found:
        end = -negative_end
        reached = reach.get(rule, -1)
        if reached >= end:
            continue
        kept.append(_new_tuple(TermMatch, (rule, entry, start, end)))
        reach[rule] = end
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
    """Apply the entry's clearing words, then its context requirement.

    The words around the match are split only when one of the entry's words is in the text
    around it at all (a word near the match is a piece of that text): most often none is. That
    text is searched in one piece, match included, and only for the words that hold none of the
    others ("projet", not "projets"): a call on the benchmark's posts (mostly "Atlas", which needs
    "projet" or "project" nearby and does not find them) took 1.4 µs instead of 2.0 µs.
    """
    if not target.has_context_rules:
        return True
    text = folded.text
    around = text[max(0, start - _CONTEXT_CHARACTERS) : end + _CONTEXT_CHARACTERS]
    nearby: list[str] | None = None
    if target.clearing_needles and _any_in(target.clearing_needles, around):
        nearby = _nearby_words(text, start, end)
        if not target.clearing_words.isdisjoint(nearby):
            return False
    if not target.requires_context:
        return True
    if _any_in(target.context_needles, around):
        nearby = _nearby_words(text, start, end) if nearby is None else nearby
        if not target.context_words.isdisjoint(nearby):
            return True
    qualifiers = target.entry.qualifiers
    if Qualifier.HASHTAG in qualifiers and _is_in_hashtag(text, start):
        return True
    if Qualifier.CAPITALISED not in qualifiers:
        return False
    original_start, _ = folded.original_span(start, end)
    return _is_capitalised(folded.original, original_start)


def _any_in(words: tuple[str, ...], text: str) -> bool:
    # A loop rather than `any`, whose generator costs more than these few searches.
    for word in words:  # noqa: SIM110
        if word in text:
            return True
    return False


def _nearby_words(text: str, start: int, end: int) -> list[str]:
    """The words on either side of a match, from the text just before it and just after it."""
    # Cutting the view at the match also splits a glued hashtag: in "#projetatlas" the word
    # before "atlas" is "projet".
    before, after = text[max(0, start - _CONTEXT_CHARACTERS) : start], text[end : end + _CONTEXT_CHARACTERS]
    return _words_of(before)[-_CONTEXT_WORDS:] + _words_of(after)[:_CONTEXT_WORDS]


# Letters and digits stay, every other byte reads as a space (only ASCII is ever translated).
_ASCII_WORD_BREAKS = bytes(byte if chr(byte).isalnum() else 32 for byte in range(128)) + b" " * 128


def _words_of(piece: str) -> list[str]:
    """The words of a piece of folded text, as `_WORD_PARTS` finds them.

    Most pieces are ASCII: translating their bytes and splitting them costs a sixth of `re`,
    whose character class reads every character as Unicode.
    """
    if piece.isascii():
        return piece.encode("ascii").translate(_ASCII_WORD_BREAKS).decode("ascii").split()
    return _WORD_PARTS.findall(piece)


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
