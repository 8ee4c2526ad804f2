"""Custom patterns: regular expressions written by the compliance officer.

They run on the folded view (lowercase, no accents, one space between words), so case never
matters, and their spans map back to the original text like every other finding. Accented letters in a pattern
are folded the same way as the text, and nothing else in the pattern is touched (folding "\\D"
would turn it into "\\d"). Case is ignored only for a pattern with upper-case letters: the text is
lowercase already, and `re` searches a literal prefix much faster without IGNORECASE.

A leading "\\b" (most patterns have one) stops `re` from searching the literal prefix quickly:
"\\bjira-\\d+" costs 15 times "jira-\\d+" on a 3,000-character post. Such a pattern is compiled
without it, and the word boundary is checked in Python on the few matches, which finds exactly the
same matches (a rejected match resumes the search one character later).

Most patterns start with a literal ("jira-", "ref"), and most posts do not hold it: `in` looks
for it with half the instructions `re` takes on a 400-character post, so a pattern runs only on
a text that holds its literal. The literal is read from the pattern only
where its meaning is plain, and it is then in every match: without it, no match.

A pattern that does not compile, or that can match an empty string, is refused when the policy is
compiled: an empty match would highlight nothing and flag every post.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from compliance_engine.model import CustomPatternSettings
from compliance_engine.normalize import Folded, fold_text

_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
# Texts on which a pattern that can match nothing usually does: "a*", "\b", "(?=x)", "x?", "^".
_EMPTY_PROBES = ("", " ", "a", "a b", "0", "#a", "a.b", "x", "ab cd. 12")


_LEADING_BOUNDARY = "\\b"
# Characters that stand for themselves in a pattern, outside a character class (the verbose flag,
# which would make spaces and "#" mean something else, can only be set at the start: "(?x)").
_PLAIN_CHARACTERS = re.compile(r"[a-z0-9 _\-'\"@#%&,;:<>=!/~]*")
_QUANTIFIERS = ("*", "+", "?", "{")


@dataclass(frozen=True, slots=True)
class _Pattern:
    """A compiled pattern; `boundary` says its leading "\\b" was taken out and is checked in Python.

    `literal` is in every match ("" when the pattern does not make one plain).
    """

    source: str
    regex: re.Pattern[str]
    boundary: bool
    literal: str


def _compile(pattern: str) -> _Pattern:
    """Compile one pattern for the folded view; raise `ValueError` saying what is wrong."""
    folded = _NOT_ASCII.sub(lambda run: fold_text(run.group()), pattern)
    flags = re.IGNORECASE if any(character.isupper() for character in _without_escapes(folded)) else 0
    try:
        full = re.compile(folded, flags)
    except re.error as error:
        raise ValueError(f"the pattern {pattern!r} is not a valid regular expression: {error}") from error
    for probe in _EMPTY_PROBES:
        if any(match.start() == match.end() for match in full.finditer(probe)):
            raise ValueError(f"the pattern {pattern!r} can match an empty string")
    rest = folded.removeprefix(_LEADING_BOUNDARY)
    # Only without a "|": in "\\ba|b" the boundary belongs to the first alternative alone.
    if rest != folded and "|" not in rest:
        return _Pattern(pattern, re.compile(rest, flags), boundary=True, literal=_leading_literal(rest, flags))
    return _Pattern(pattern, full, boundary=False, literal=_leading_literal(folded, flags))


def _leading_literal(pattern: str, flags: int) -> str:
    """The characters every match of a pattern starts with, when plain to see: "jira-" of "jira-\\d+".

    None with a flag (a case-insensitive "a" also matches "A") or a "|" anywhere (another branch
    may start otherwise); a character a quantifier follows may be absent ("ab?c" starts with "a").
    """
    if flags or "|" in pattern:
        return ""
    plain = _PLAIN_CHARACTERS.match(pattern)
    literal = plain.group() if plain is not None else ""
    if pattern[len(literal) : len(literal) + 1] in _QUANTIFIERS:
        literal = literal[:-1]
    return literal


def _without_escapes(pattern: str) -> str:
    """The pattern without its escapes ("\\D", "\\N{...}" are not upper-case letters to match)."""
    return re.sub(r"\\N\{[^}]*\}|\\.", "", pattern)


def _is_word_character(text: str, position: int) -> bool:
    return 0 <= position < len(text) and (text[position].isalnum() or text[position] == "_")


def _matches(pattern: _Pattern, text: str) -> Iterator[tuple[int, int]]:
    if not pattern.boundary:
        yield from (match.span() for match in pattern.regex.finditer(text))
        return
    position = 0
    while (match := pattern.regex.search(text, position)) is not None:
        start, end = match.span()
        if _is_word_character(text, start - 1) != _is_word_character(text, start):
            yield start, end
            position = max(end, start + 1)
        else:
            position = start + 1


class CustomChecker:
    """One custom pattern rule, its patterns compiled once."""

    def __init__(self, settings: CustomPatternSettings) -> None:
        """Compile every pattern; raise `ValueError` naming the first bad one."""
        if not settings.patterns:
            raise ValueError("a custom pattern rule needs at least one pattern")
        self._patterns = tuple(_compile(pattern) for pattern in settings.patterns)

    def find(self, folded: Folded) -> Iterable[tuple[int, int, str]]:
        """Every match of every pattern as (start, end, pattern) in the folded view."""
        text = folded.text
        found = [
            pattern
            for pattern in self._patterns
            if pattern.literal in text and pattern.regex.search(text) is not None  # "" is in every text
        ]
        return self._spans(found, text) if found else ()  # most texts: no generator to start

    @staticmethod
    def _spans(patterns: list[_Pattern], text: str) -> Iterator[tuple[int, int, str]]:
        for pattern in patterns:
            for start, end in _matches(pattern, text):
                if end > start:  # defensive: the probes cannot prove a pattern never matches empty
                    yield start, end, pattern.source
