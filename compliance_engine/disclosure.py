"""Disclosure: a post that promotes the company must say, in the post itself, that its author works there.

Promotion cues are the company's and its products' names, explicit calls to apply for its jobs,
and links to its domains. Every phrase (cues, accepted wordings, and the markers of lawful
speech below) is matched by the same Aho-Corasick matcher as term lists, so the obfuscation,
elision and word-boundary rules are the same everywhere.

Guidelines must never chill lawful speech (PRODUCT.md G5): criticism of the employer or of
working conditions, and calls to colleagues to meet or organise, are not promotions. A post that
holds one of the markers below therefore never needs a disclosure; a promotional post that also
criticises or talks about unions is missed, and that is the side the product chooses to err on.
Single job words ("job", "poste", "CDI") are not cues on their own: "I lost my job" and "mon
poste est supprimé" promote nothing; they count only inside the hiring phrases of the settings.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence

from compliance_engine.links import find_links
from compliance_engine.model import DisclosureSettings, TermEntry
from compliance_engine.normalize import Folded, fold_term
from compliance_engine.terms import TermMatch, TermMatcher

# Criticism and collective discussion of work (French and English).
LAWFUL_SPEECH_MARKERS = (
    "syndicat", "syndicale", "syndical", "syndicaux", "syndiquer", "syndiquez-vous", "délégué syndical", "CSE",
    "grève", "grévistes", "intersyndicale", "assemblée générale", "réunion du personnel", "réunion d'information",
    "conditions de travail", "entre collègues", "nos salaires", "augmentation de salaire", "licenciement",
    "plan social", "réorganisation", "souffrance au travail", "harcèlement", "burn-out", "c'est une honte",
    "scandale", "scandaleux", "inacceptable", "injuste", "absurde", "parlons-en", "discutons-en", "réunion",
    "se réunir", "retrouvons-nous", "chers collègues", "assemblée",
    "the union", "union meeting", "join the union", "unionise", "unionize", "unionising", "unionizing",
    "labor union", "trade union", "strike",
    "walkout", "working conditions", "our wages", "pay cut", "layoffs", "laid off", "reorganisation",
    "reorganization", "burnout", "let's discuss", "let's talk about", "let's meet", "organize together",
    "organise together", "unfair", "unacceptable", "disgrace", "shameful", "absurd", "dear colleagues",
    "fellow workers", "get together", "meet up",
)  # fmt: skip

_CUE, _WORDING, _LAWFUL = 0, 1, 2
_GROUPS = frozenset({_CUE, _WORDING, _LAWFUL})


def _wordings(settings: DisclosureSettings) -> list[str]:
    """The accepted wordings with "{company}" replaced by each of the company's names."""
    wordings: list[str] = []
    for wording in settings.accepted_wordings:
        if "{company}" in wording:
            wordings.extend(wording.replace("{company}", name) for name in settings.company_names)
        else:
            wordings.append(wording)
    return wordings


def _entries(phrases: Sequence[str]) -> tuple[TermEntry, ...]:
    return tuple(TermEntry(phrase) for phrase in phrases if fold_term(phrase))


@functools.cache
def _lawful_speech_markers() -> tuple[TermEntry, ...]:
    return _entries(LAWFUL_SPEECH_MARKERS)


class DisclosureChecker:
    """One disclosure rule, compiled into one matcher of cues, wordings and lawful-speech markers."""

    def __init__(self, settings: DisclosureSettings) -> None:
        """Compile the rule; raise `ValueError` if it names no company or accepts no wording."""
        if not any(fold_term(name) for name in settings.company_names):
            raise ValueError("a disclosure rule needs the company's name")
        wordings = _wordings(settings)
        if not _entries(wordings):
            raise ValueError(f"the disclosure rule for {settings.jurisdiction!r} accepts no wording")
        cues = (*settings.company_names, *settings.product_names, *settings.hiring_phrases)
        # (group, entries) term lists; the engine adds them to its one automaton.
        self.term_lists = (
            (_CUE, _entries(cues)),
            (_WORDING, _entries(wordings)),
            (_LAWFUL, _lawful_speech_markers()),
        )
        self._domains = frozenset(fold_term(domain).removeprefix("www.") for domain in settings.company_domains)
        self.suggested_wording = wordings[0]

    @functools.cached_property
    def _matcher(self) -> TermMatcher:
        return TermMatcher(self.term_lists)

    def find(self, folded: Folded) -> Iterator[tuple[int, int, str]]:
        """The first promotion cue of a post without disclosure, with the wording to suggest."""
        return self.judge(folded, self._matcher.find(folded, _GROUPS))

    def judge(self, folded: Folded, matches: Sequence[TermMatch]) -> Iterator[tuple[int, int, str]]:
        """Like `find`, from the matches of the rule's term lists in the text (by position)."""
        groups = {match.rule_index for match in matches}
        if _WORDING in groups or _LAWFUL in groups:
            return
        cues = [(match.start, match.end) for match in matches if match.rule_index == _CUE]
        cues.extend(self._company_links(folded.text))
        if cues:
            start, end = min(cues)
            yield start, end, self.suggested_wording

    def _company_links(self, text: str) -> Iterator[tuple[int, int]]:
        # A link's host is part of the text, so a company link holds a company domain as written.
        if not any(domain in text for domain in self._domains):
            return
        for start, end, host in find_links(text):
            labels = host.split(".")
            if any(".".join(labels[index:]) in self._domains for index in range(len(labels))):
                yield start, end
