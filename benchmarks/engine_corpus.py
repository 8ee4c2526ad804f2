# ruff: noqa: RUF001  -- the generated posts use typographic apostrophes and look-alike letters on purpose
"""The deterministic corpus of the engine benchmark: policies of any size, French and English posts.

Everything comes from `random.Random` with fixed seeds, so every run (and every machine) checks
the very same texts against the very same policies: the findings can be compared to a digest
recorded once, and the timings measure the same work.

Terms are made-up words of two to four syllables ("bako", "tiluvera"), a third of them two words
long, some with context or clearing words. Made-up words keep the policy's size free, and the
short ones start many ordinary words ("venez", "salon"), which is the hard case for a matcher.
Posts mix ordinary prose with, one sentence in ten, personal data, links, hostile words,
disclosure cues, internal references, and policy terms written plainly or disguised.
"""

from __future__ import annotations

import datetime
import random

from compliance_engine.model import (
    DISCLOSURE_WORDINGS,
    Clause,
    CustomPatternSettings,
    Detector,
    DisclosureSettings,
    LinkSettings,
    PersonalDataSettings,
    Policy,
    Qualifier,
    QuietPeriodSettings,
    RiskCategory,
    Rule,
    RuleSettings,
    Scope,
    Severity,
    TermEntry,
    TermListSettings,
    ToneSettings,
)

POLICY_SEED = 20261127
POSTS_SEED = 20261128
# Inside the quiet period, so that its terms count too.
DATE = datetime.date(2026, 3, 10)
EVERYONE = frozenset({Scope.EVERYONE})

FRENCH = (
    "Très fière de l'équipe qui a livré la nouvelle version de notre application cette semaine.",
    "Nous recrutons des ingénieurs à Lyon et à Nantes, venez nous rencontrer au salon.",
    "Cette décision de la direction est absurde, parlons-en entre collègues jeudi.",
    "Le mistral souffle fort sur Marseille ce matin, prudence sur la route.",
    "Merci à tous pour vos retours sur le webinaire d’hier, la rediffusion arrive.",
    "Belle matinée d'échanges avec nos partenaires sur la transition énergétique 🌱",
    "Qu’est-ce qui vous a le plus marqué cette année ? Dites-le-moi en commentaire.",
    "Le soleil se lève sur les panneaux de la centrale, un spectacle à chaque fois.",
    "J'ai hâte de vous retrouver au forum de l'emploi à Bordeaux la semaine prochaine.",
    "Une pensée pour les équipes de nuit qui veillent sur le réseau pendant la tempête.",
    "Bravo à Chloé et Théo pour leur présentation, c’était clair, précis et drôle.",
    "Nouvel article sur le blog : comment réduire sa facture d'électricité cet hiver.",
    "Rien ne vaut un café partagé avec l’équipe avant une longue journée de réunions.",
    "Les inscriptions au marathon solidaire sont ouvertes, venez courir avec nous !",
    "On a testé le cœur du nouveau système en conditions réelles : résultat très prometteur.",
    "Fin de semaine chargée mais tellement enrichissante, merci à toutes et à tous.",
)
ENGLISH = (
    "Our management is wrong about remote work, and I said so at the town hall.",
    "Great discussion today with customers about accessibility and open standards!",
    "I looked at the atlas of European rail lines during the long flight home.",
    "Happy to share that our team won the regional innovation award this year.",
    "Three lessons I learned from leading a distributed team through a hard winter.",
    "The wind farm tour was the highlight of my week, thanks to everyone who came.",
    "If you are at the conference tomorrow, come and say hello at our booth 🙌",
    "Reading about grid storage tonight; the progress in the last five years is amazing.",
    "Proud of our interns, who shipped their first feature after only two weeks.",
    "Coffee, code review and a bit of sunshine: a good Monday so far.",
    "We are looking at ways to cut our own energy use by a third before 2030.",
    "Huge thanks to the support team, who answered every single question this week.",
    "Sharing the slides from yesterday's talk on open data in the energy sector.",
    "What is the best book you read this year? I need ideas for the holidays.",
    "Volunteering with the local school was a reminder of why this work matters.",
    "Just finished a long run by the river; my best time since last spring.",
)
# Sentences that give the detectors something to find (or to rightly leave alone).
EXTRAS = (
    "Contactez-moi : alice.martin@example.fr ou 06 12 34 56 78.",
    "Ma commande 4111111111111111 est arrivée.",
    "Paiement avec la carte 4111 1111 1111 1111 ce matin.",
    "Le projet Heron avance bien, #ProjetHeron.",
    "Call me on +44 20 7946 0958 about the l’Ατlas launch.",
    "IBAN FR76 3000 6000 0112 3456 7890 189 pour le remboursement.",
    "Mon numéro de sécu 2 84 05 75 123 456 89 est sur le formulaire.",
    "Tout est sur https://www.lumarelle.com/offres et bit.ly/3xYz, pas sur lumare11e.com.",
    "Evitez piratebay.org et lumarelle-secure-login.io, ce sont des pièges.",
    "Découvrez la SolarBox, t'es un abruti si tu rates ça (JIRA-4242).",
    "Write to bob [at] example [dot] com, he is a total loser anyway.",
    "Je vais te retrouver, tu vas le regretter.",
    "Lumarelle recrute ! Postulez sur lumarelle.com/jobs #collaborateur",
    "Nos résultats du trimestre sont excellents, référence interne RI-2026.",
    "Our results are out: revenue up, details on lumarelle.com.",
    "Le Ｐrojet Ｈéron et la ＳolarＢox, en pleine largeur.",
    "Ce texte a des espaces\u00a0insécables\u202fet des mots\u200bcoupés.",
)

_CONSONANTS, _VOWELS = "bcdfghjklmnprstvz", "aeiou"


def made_up_word(rng: random.Random) -> str:
    """A pronounceable made-up word of two to four syllables."""
    return "".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(rng.randint(2, 4)))


def _entry(rng: random.Random, index: int) -> TermEntry:
    text = made_up_word(rng) if index % 3 else f"{made_up_word(rng)} {made_up_word(rng)}"
    if index % 50 == 0:
        return TermEntry(text, context_words=("projet", "project"), qualifiers=frozenset({Qualifier.HASHTAG}))
    if index % 70 == 0:
        return TermEntry(text, clearing_words=("vent", "wind"))
    return TermEntry(text)


def build_policy(terms: int) -> Policy:
    """A policy of `terms` terms in four lists and a quiet period, with every other kind of rule on.

    A hundredth of the terms (at least two) are the quiet period's; every personal data detector
    is on, and there is one rule each of links, disclosure, tone and custom patterns.
    """
    rng = random.Random(POLICY_SEED)
    quiet_count = max(2, terms // 100)
    entries = [_entry(rng, index) for index in range(terms - quiet_count - 2)]
    entries += [TermEntry("Heron"), TermEntry("Atlas", context_words=("projet", "project"))]
    quiet_terms = [TermEntry(made_up_word(rng)) for _ in range(quiet_count - 2)]
    quiet_terms += [TermEntry("résultats"), TermEntry("results")]
    quiet = QuietPeriodSettings(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), tuple(quiet_terms))
    settings: list[tuple[str, RuleSettings]] = [
        *((f"terms-{part}", TermListSettings(tuple(entries[part::4]))) for part in range(4)),
        ("quiet", quiet),
        ("personal-data", PersonalDataSettings(frozenset(Detector))),
        ("links", LinkSettings(own_domains=("lumarelle.com",), blocked_domains=("piratebay.org",))),
        (
            "disclosure",
            DisclosureSettings(
                "FR", ("Lumarelle",), DISCLOSURE_WORDINGS["FR"], ("SolarBox",), company_domains=("lumarelle.com",)
            ),
        ),
        ("tone", ToneSettings()),
        ("custom", CustomPatternSettings((r"\bjira-\d{3,}\b", r"\bref(?:erence)? interne\b"))),
    ]
    clause = Clause(
        "confidentiality", {"fr": "Confidentialité", "en": "Confidentiality"}, RiskCategory.LEGAL_CONFIDENTIALITY
    )
    message = {"fr": "Terme confidentiel", "en": "Confidential term"}
    suggestion = {"fr": "Retirez « {wording} »", "en": "Remove it"}
    severities = {"quiet": Severity.WARN, "tone": Severity.BLOCK, "custom": Severity.INFO}
    rules = tuple(
        Rule(rule_id, severities.get(rule_id, Severity.WARN), EVERYONE, clause.id, message, suggestion, setting)
        for rule_id, setting in settings
    )
    return Policy((clause,), rules)


def policy_terms(policy: Policy) -> list[str]:
    """The text of every term of the term lists and quiet periods, as the policy writes them."""
    return [
        entry.text
        for rule in policy.rules
        if isinstance(rule.settings, TermListSettings | QuietPeriodSettings)
        for entry in rule.settings.entries
    ]


def _disguised(rng: random.Random, term: str) -> str:
    """A term as people write it: plainly, capitalised, as a hashtag, dotted, in leetspeak, plural."""
    glued = term.replace(" ", "")
    match rng.randrange(8):
        case 0:
            return term.title()
        case 1:
            return "#" + term.title().replace(" ", "")
        case 2:
            return ".".join(glued)
        case 3:
            return term.replace("e", "3").replace("o", "0")
        case 4:
            return term + "s"
        case 5:
            return "l’" + term
        case 6:
            return "Projet" + glued.title()
        case _:
            return term


def _sentence(rng: random.Random, prose: tuple[str, ...], terms: list[str]) -> str:
    draw = rng.random()
    if draw < 0.08:
        return rng.choice(EXTRAS)
    if draw < 0.14 and terms:
        words = rng.choice(prose).split(" ")
        words.insert(rng.randrange(len(words)), _disguised(rng, rng.choice(terms)))
        return " ".join(words)
    return rng.choice(prose)


def posts(count: int, characters: int, terms: list[str], seed: int = POSTS_SEED) -> list[tuple[str, str]]:
    """`count` posts of `characters` characters as (language, text), half French, half English."""
    rng = random.Random(seed)
    result: list[tuple[str, str]] = []
    for index in range(count):
        language, prose = ("fr", FRENCH) if index % 2 == 0 else ("en", ENGLISH)
        parts: list[str] = []
        length = 0
        while length < characters:
            parts.append(_sentence(rng, prose, terms))
            length += len(parts[-1]) + 1
        result.append((language, " ".join(parts)[:characters]))
    return result
