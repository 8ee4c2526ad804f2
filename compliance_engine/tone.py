"""Tone: insults aimed at a person, threats and harassment, in French and English.

The lexicons (`tone_lexicon.py`) go into the policy's one term automaton, so they are matched on
the folded and leet views with word boundaries, like every term, in the same pass. Threats and
harassment phrases count wherever they are. Insults count only when aimed at someone: after a
second-person address ("tu es", "t'es", "you're", "espèce de", "est un"), right next to an
@mention or a capitalised name, or, for the nouns, said to the reader: opening a sentence and
followed by "!" or by a comma and "tu", "vous", "you"... ("Pauvre con, tu crois…", "Connard !"),
so that "Blaireau, renard et chevreuil" stays a list of animals. A harsh word
about a decision is not an insult to a person: "this decision is stupid" has no address, so it
is never a finding (PRODUCT.md G5). A word followed by one that makes it an idiom
(`IDIOM_CONTINUATIONS`: "nulle part", "dead right") is no finding either.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from compliance_engine.model import TermEntry, ToneCategory, ToneSettings
from compliance_engine.normalize import Folded, fold_term
from compliance_engine.terms import TermMatch, TermMatcher
from compliance_engine.tone_lexicon import (
    HARASSMENT,
    IDIOM_CONTINUATIONS,
    INSULTING_ADJECTIVES,
    PERSON_INSULTS,
    THREATS,
)

_NOUN, _ADJECTIVE, _THREAT, _HARASSMENT = 0, 1, 2, 3
_CATEGORY = {
    _NOUN: ToneCategory.INSULT,
    _ADJECTIVE: ToneCategory.INSULT,
    _THREAT: ToneCategory.THREAT,
    _HARASSMENT: ToneCategory.HARASSMENT,
}
_WINDOW = 60  # characters before an insult where its address may be

# Words between an address and the insult: "t'es qu'un gros", "you're such a fucking".
_FILLERS = (
    r"(?:(?:qu'|que |un |une |des |le |la |a |an |gros |grosse |sale |vrai |vraie |pauvre |petit |petite |"
    r"big |fucking |complete |total |absolute |real |little |stupid |such |so |really |just |vraiment |"
    r"trop |tellement |completement |totally |si |tres )*)"
)
_SECOND_PERSON = r"(?:tu es|t'es|t es|tes|vous etes|you are|you're|youre|u r|ur|you|t'etes|tu n'es|t'as l'air)"
# Adjectives need a second-person address; nouns also accept "espèce de", "est un", "what a"...
_ADJECTIVE_ADDRESS = re.compile(rf"(?<![a-z0-9']){_SECOND_PERSON} {_FILLERS}$")
_NOUN_ADDRESS = re.compile(
    rf"(?<![a-z0-9'])(?:(?:{_SECOND_PERSON}|espece de|bande de|sale|quel|quelle|what an?|such an?|est|is|"
    rf"he's|she's|hes|shes) |espece d'|bande d'){_FILLERS}$"
)
_MENTION_BEFORE = re.compile(r"@\w+[ ,:]{0,3}$")
_SENTENCE_START = re.compile(r"(?:^|[.!?\n])[ \"'«(]*$")
_VOCATIVE_END = re.compile(r" ?(?:!|, ?(?:tu|t'|vous|toi|ta|ton|tes|you|your|u)(?![a-z]))")
_NEXT_WORD = re.compile(r" ([a-z]+)")
_IDIOMS = {fold_term(word): frozenset(map(fold_term, nexts)) for word, nexts in IDIOM_CONTINUATIONS.items()}
_MENTION_OR_NAME_AFTER = re.compile(r"[ ,:]{0,3}(?:de |d')?(?:@\w|[A-Z][a-z])")


@functools.cache
def lexicon() -> tuple[tuple[int, tuple[TermEntry, ...]], ...]:
    """The lexicons as (group, entries) term lists; the engine adds them to its one automaton."""
    lists = ((_NOUN, PERSON_INSULTS), (_ADJECTIVE, INSULTING_ADJECTIVES), (_THREAT, THREATS), (_HARASSMENT, HARASSMENT))
    return tuple((group, tuple(TermEntry(word) for word in words)) for group, words in lists)


@functools.cache
def _matcher() -> TermMatcher:
    """The lexicons in one automaton of their own, built once per process, for `ToneChecker.find`."""
    return TermMatcher(lexicon())


class ToneChecker:
    """One tone rule: the categories it flags."""

    def __init__(self, settings: ToneSettings) -> None:
        """Keep the lexicon groups of the rule's categories."""
        self.groups = frozenset(group for group, category in _CATEGORY.items() if category in settings.categories)

    def find(self, folded: Folded) -> Iterator[tuple[int, int, str]]:
        """Hostile phrases as (start, end, "category: word") in the folded view."""
        return self.judge(folded, _matcher().find(folded, self.groups))

    def judge(self, folded: Folded, matches: Iterable[TermMatch]) -> Iterator[tuple[int, int, str]]:
        """Like `find`, from the matches of the lexicon's groups in the text (by position)."""
        for match in matches:
            if match.rule_index not in self.groups:
                continue
            start = _aimed_start(folded, match)
            if start is not None and not _is_idiom(folded.text, match):
                yield start, match.end, f"{_CATEGORY[match.rule_index].value}: {match.entry.text}"


def _aimed_start(folded: Folded, match: TermMatch) -> int | None:
    """Where the hostile phrase starts, address included, or `None` if an insult is not aimed."""
    if match.rule_index in (_THREAT, _HARASSMENT):
        return match.start
    text = folded.text
    window = max(0, match.start - _WINDOW)
    address = _ADJECTIVE_ADDRESS if match.rule_index == _ADJECTIVE else _NOUN_ADDRESS
    found = address.search(text, window, match.start)
    if found is not None:
        return found.start()
    if match.rule_index == _NOUN and (_is_next_to_someone(folded, match) or _is_vocative(text, match, window)):
        return match.start
    return None


def _is_vocative(text: str, match: TermMatch, window: int) -> bool:
    """An insult said to the reader: it opens a sentence, then "!" or a comma and "tu", "you"... follow."""
    return (
        _VOCATIVE_END.match(text, match.end) is not None
        and _SENTENCE_START.search(text, window, match.start) is not None
    )


@functools.cache
def _last_word(phrase: str) -> str:
    return fold_term(phrase).rsplit(" ", 1)[-1]


def _is_idiom(text: str, match: TermMatch) -> bool:
    """Whether the next word makes the hostile word an idiom ("nulle part", "dead right")."""
    continuations = _IDIOMS.get(_last_word(match.entry.text))
    if continuations is None:
        return False
    found = _NEXT_WORD.match(text, match.end)
    return found is not None and found.group(1) in continuations


def _is_next_to_someone(folded: Folded, match: TermMatch) -> bool:
    """An @mention just before, or an @mention or capitalised name just after ("connard de Marc")."""
    if _MENTION_BEFORE.search(folded.text, max(0, match.start - _WINDOW), match.start):
        return True
    _, original_end = folded.original_span(match.start, match.end)
    return _MENTION_OR_NAME_AFTER.match(folded.original, original_end) is not None
