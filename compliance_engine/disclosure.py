"""Disclosure: a post that promotes the company must say, in the post itself, that its author works there.

A post promotes the company when it promotes: naming the company is not enough. The rule, in
the order it is applied:

1. An accepted wording clears the post. A wording that ends with the company's name ("je
   travaille chez {company}") also counts when the name is disguised the way the matcher sees
   through ("Je travaille chez L U M A R E L L E").
2. Criticism of the employer or of working conditions, and warnings against fake or look-alike
   sites, are never promotions (PRODUCT.md G5): a post that holds one of `CRITICISM_MARKERS`
   needs no disclosure.
3. The cues of a promotion are the company's products (`product_names`), explicit calls to
   apply for its jobs (`hiring_phrases`) and links to its domains. The company's name is a cue
   only in a post that has another cue or speaks the language of promotion (`PROMOTION_MARKERS`:
   "découvrez", "come see us", "fière de", "notre stand", "booth"...); otherwise it is a mention, and
   complaints, facts ("le wifi Lumarelle-Guest") and questions mention the company freely. A
   name written inside a host name ("lumarel1e.com", "www.lumarelle.com.example.net") is part of
   a link, and a link promotes only when it leads to one of the company's own domains. A name
   inside an e-mail address, plain or disguised ("claire [at] lumarelle [dot] fr"), is a way to
   write to someone, not a cue: the personal data rule speaks of the address.
4. Collective action and volunteering (`COLLECTIVE_MARKERS`: a strike, a gathering, a union
   meeting, "bénévoles") mean the post calls colleagues, not customers or candidates: "rejoignez-
   nous devant l'atelier" and "on recrute des bénévoles" are not hiring. The exception is a post
   that calls readers to buy, try or discover the company's offer (`CALLS_TO_ACTION` with a
   product name or a company link): "Malgré la grève des transports, venez découvrir la
   SolarBox" promotes the SolarBox.

The finding sits on the first cue. Single job words ("job", "poste", "CDI") are not cues on
their own: "I lost my job" promotes nothing. Every phrase is matched by the policy's one
Aho-Corasick automaton, like term lists, so obfuscation, elision and word boundaries are handled
the same everywhere, and judging a post costs a few set look-ups.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

from compliance_engine.links import find_links, holds_no_host
from compliance_engine.model import DisclosureSettings, TermEntry
from compliance_engine.normalize import Folded, fold_term
from compliance_engine.terms import TermMatch, TermMatcher

# Criticism of the employer or of working conditions, and warnings against fakes (French, English).
CRITICISM_MARKERS = (
    "conditions de travail", "nos salaires", "augmentation de salaire", "licenciement", "licenciements",
    "licenciés", "plan social", "réorganisation", "délocalisation", "souffrance au travail", "harcèlement",
    "burn-out", "c'est une honte", "scandale", "scandaleux", "inacceptable", "injuste", "absurde",
    "arnaque", "escroquerie", "hameçonnage", "faux site", "ne cliquez pas", "méfiez-vous",
    "working conditions", "our wages", "pay cut", "layoffs", "laid off", "reorganisation", "reorganization",
    "burnout", "unfair", "unacceptable", "disgrace", "shameful", "absurd", "scam", "phishing", "fake site",
    "don't click", "do not click", "beware",
)  # fmt: skip

# Colleagues called to meet, organise or volunteer (French, English).
COLLECTIVE_MARKERS = (
    "syndicat", "syndicale", "syndical", "syndicaux", "syndiquer", "syndiquez-vous", "délégué syndical", "CSE",
    "grève", "grévistes", "débrayage", "intersyndicale", "rassemblement", "manifestation", "pétition",
    "assemblée générale", "réunion du personnel", "réunion d'information", "entre collègues", "parlons-en",
    "discutons-en", "réunion", "se réunir", "retrouvons-nous", "chers collègues", "assemblée", "bénévole",
    "bénévoles", "bénévolat",
    "the union", "union meeting", "join the union", "unionise", "unionize", "unionising", "unionizing",
    "labor union", "trade union", "strike", "walkout", "rally", "petition", "let's discuss", "let's talk about",
    "let's meet", "organize together", "organise together", "dear colleagues", "fellow workers", "get together",
    "meet up", "volunteer", "volunteers", "volunteering",
)  # fmt: skip

# Calls to buy, try or discover an offer (French, English).
CALLS_TO_ACTION = (
    "découvrez", "venez découvrir", "venez nous voir", "venez tester", "passez nous voir", "essayez", "testez",
    "commandez", "achetez", "profitez", "foncez", "parrainez", "abonnez-vous", "inscrivez-vous",
    "demandez un devis", "demandez votre devis", "rendez-vous sur notre stand", "lien en bio", "code promo",
    "suivez", "suivez-nous", "check out", "follow us", "come see us", "come and see", "come say hi", "try it",
    "give it a try", "buy now", "order now", "get yours", "sign up", "book a demo", "get a quote", "ask me how",
    "link in bio", "discover", "learn more", "promo code", "stop by",
)  # fmt: skip

# The language of promotion besides calls to action: pride, announcements, showcases (French, English).
PROMOTION_MARKERS = (
    *CALLS_TO_ACTION,
    "fier", "fière", "fiers", "fières", "ravi de", "ravie de", "heureux de vous annoncer",
    "heureuse de vous annoncer", "nous lançons", "on lance", "lance", "lancement", "élue", "élu", "primée",
    "récompensée", "notre stand", "stand", "démo", "démos", "salon", "portes ouvertes", "vous attend",
    "notre offre", "nos offres", "l'appli", "trop pratique", "qui dit mieux", "je recommande",
    "proud", "excited to", "thrilled to", "happy to announce", "launch", "launches", "launched", "award",
    "booth", "demo", "demos", "open house", "our offer", "highly recommend", "game changer",
)  # fmt: skip

_COMPANY, _OFFER, _HIRING, _WORDING, _WORDING_LEAD, _CRITICISM, _COLLECTIVE, _CALL, _PROMOTION = range(9)
_GROUPS = frozenset(range(9))
_CUES = frozenset({_COMPANY, _OFFER, _HIRING})
# What `judge` returns for a post without a finding: an iterator that is exhausted stays so.
_NOTHING: Iterator[tuple[int, int, str]] = iter(())
# The groups whose place in the text `judge` never reads: it only asks whether the text has one.
PRESENCE_GROUPS = frozenset({_WORDING, _CRITICISM, _COLLECTIVE, _CALL, _PROMOTION})


def _wordings(settings: DisclosureSettings) -> list[str]:
    """The accepted wordings with "{company}" replaced by each of the company's names."""
    wordings: list[str] = []
    for wording in settings.accepted_wordings:
        if "{company}" in wording:
            wordings.extend(wording.replace("{company}", name) for name in settings.company_names)
        else:
            wordings.append(wording)
    return wordings


def _wording_leads(settings: DisclosureSettings) -> list[str]:
    """What comes before the company's name in the wordings that end with it ("je travaille chez")."""
    return [
        wording.removesuffix("{company}")
        for wording in settings.accepted_wordings
        if wording.endswith("{company}") and wording.count("{company}") == 1
    ]


def _entries(phrases: Sequence[str]) -> tuple[TermEntry, ...]:
    return tuple(TermEntry(phrase) for phrase in phrases if fold_term(phrase))


@functools.cache
def _markers() -> tuple[tuple[int, tuple[TermEntry, ...]], ...]:
    """The built-in marker lists, shared by every disclosure rule."""
    return (
        (_CRITICISM, _entries(CRITICISM_MARKERS)),
        (_COLLECTIVE, _entries(COLLECTIVE_MARKERS)),
        (_CALL, _entries(CALLS_TO_ACTION)),
        (_PROMOTION, _entries(PROMOTION_MARKERS)),
    )


class DisclosureChecker:
    """One disclosure rule, compiled into the term lists of its names, cues, wordings and markers."""

    def __init__(self, settings: DisclosureSettings) -> None:
        """Compile the rule; raise `ValueError` if it names no company or accepts no wording."""
        if not any(fold_term(name) for name in settings.company_names):
            raise ValueError("a disclosure rule needs the company's name")
        wordings = _wordings(settings)
        if not _entries(wordings):
            raise ValueError(f"the disclosure rule for {settings.jurisdiction!r} accepts no wording")
        # (group, entries) term lists; the engine adds them to its one automaton.
        self.term_lists = (
            (_COMPANY, _entries(settings.company_names)),
            (_OFFER, _entries(settings.product_names)),
            (_HIRING, _entries(settings.hiring_phrases)),
            (_WORDING, _entries(wordings)),
            (_WORDING_LEAD, _entries(_wording_leads(settings))),
            *_markers(),
        )
        self._domains = frozenset(fold_term(domain).removeprefix("www.") for domain in settings.company_domains)
        # A host lies under a domain when it ends with a dot and the domain: one `str.endswith`.
        self._subdomain_suffixes = tuple(f".{domain}" for domain in self._domains)
        self.suggested_wording = wordings[0]

    @functools.cached_property
    def _matcher(self) -> TermMatcher:
        return TermMatcher(self.term_lists)

    def find(self, folded: Folded) -> Iterator[tuple[int, int, str]]:
        """The first promotion cue of a post without disclosure, with the wording to suggest."""
        return self.judge(folded, self._matcher.find(folded, _GROUPS))

    def judge(self, folded: Folded, matches: Sequence[TermMatch]) -> Iterator[tuple[int, int, str]]:
        """Like `find`, from the matches of the rule's term lists in the text (by position)."""
        # A function rather than a generator: most posts promote nothing, and returning the one
        # exhausted iterator costs half of starting a generator that stops at once.
        groups = {match.rule_index for match in matches}
        if _WORDING in groups or _CRITICISM in groups:
            return _NOTHING
        text = folded.text
        # Every cue is a product, a hiring call, the company's name or a company link, which names
        # a company domain: most texts have none, and nothing to judge.
        if groups.isdisjoint(_CUES) and not self._names_a_domain(text):
            return _NOTHING
        if _WORDING_LEAD in groups and _has_disguised_wording(text, matches):
            return _NOTHING
        # Cues as (start, -end): the first cue, the longest of those that start there ("Lumarelle
        # Flex", not "Lumarelle"), is their minimum, found without a key function.
        # The offer: products and company links; hiring calls and the company's name are cues too.
        offer = [
            (match.start, -match.end)
            for match in matches
            if match.rule_index == _OFFER and not _is_in_host(text, match)
        ]
        offer += self._company_links(text)
        if _COLLECTIVE in groups and not (offer and _CALL in groups):
            return _NOTHING
        cues = offer + [(match.start, -match.end) for match in matches if match.rule_index == _HIRING]
        if cues or _PROMOTION in groups:
            cues += [
                (match.start, -match.end)
                for match in matches
                if match.rule_index == _COMPANY and not _is_in_host(text, match)
            ]
        if not cues:
            return _NOTHING
        start, negative_end = min(cues)
        return iter(((start, -negative_end, self.suggested_wording),))

    def _names_a_domain(self, text: str) -> bool:
        """Whether a company domain is written in the text: a company link holds one as written.

        A text the link rule found no host in may name one (in an e-mail address), but holds no link
        to it: `False`, without searching the text again (most texts).
        """
        if holds_no_host(text):
            return False
        # A loop rather than `any`, whose generator costs more than the one or two searches of a rule.
        for domain in self._domains:  # noqa: SIM110
            if domain in text:
                return True
        return False

    def _company_links(self, text: str) -> list[tuple[int, int]]:
        """The links to a company domain or to a subdomain of one ("jobs.lumarelle.com"), as (start, -end)."""
        if not self._names_a_domain(text):
            return []
        return [
            (start, -end)
            for start, end, host in find_links(text)
            if host in self._domains or host.endswith(self._subdomain_suffixes)
        ]


def _has_disguised_wording(text: str, matches: Sequence[TermMatch]) -> bool:
    """Whether a wording's lead ("je travaille chez") is followed by the company's name, however written."""
    company_starts = {match.start for match in matches if match.rule_index == _COMPANY}
    for match in matches:
        if match.rule_index == _WORDING_LEAD:
            start = match.end
            while start < len(text) and text[start] == " ":
                start += 1
            if start in company_starts:
                return True
    return False


# An e-mail address's "@" or dot, written as personal_data reads them: "@", "[at]", "(arobase)", "{dot}"...
_DISGUISED_MARK = r"\s*[\[({<]\s*(?:at|arobase|dot|point)\s*[\])}>]\s*"
# Before a name, an "@" must follow a local part: "@lumarelle" alone is a handle, which promotes.
_ADDRESS_MARK_BEFORE = re.compile(rf"(?:[a-z0-9._-]@|{_DISGUISED_MARK})$")
_ADDRESS_MARK_AFTER = re.compile(rf"@|{_DISGUISED_MARK}")
_LONGEST_ADDRESS_MARK = len("  { arobase }  ")


def _is_in_host(text: str, match: TermMatch) -> bool:
    """Whether a name is written inside a host name or an e-mail address, plain or disguised.

    In a host: a dot and a letter or digit on either side. In an address: an "@" or a bracketed
    "at" or "dot" ("[at]", "(dot)") right before or right after it; an "@" before it only after a
    local part, since "@lumarelle" alone is the company's handle.
    """
    start, end = match.start, match.end
    if start >= 2 and text[start - 1] == "." and text[start - 2].isalnum():
        return True
    if end + 1 < len(text) and text[end] == "." and text[end + 1].isalnum():
        return True
    before = text[max(0, start - _LONGEST_ADDRESS_MARK) : start]
    return _ADDRESS_MARK_BEFORE.search(before) is not None or _ADDRESS_MARK_AFTER.match(text, end) is not None
