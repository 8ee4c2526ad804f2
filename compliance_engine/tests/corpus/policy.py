"""The policy of the labelled corpus: Lumarelle Énergie, a French company, and its US subsidiary.

It starts from the engine tests' shared policy (`tests/policies.py`) and adds what a compliance
officer would: code names that are also ordinary words (Heron, Atlas, Mistral) count only in a
project context, as a hashtag or, for Heron, as a capitalised name, and the bird, the book of
maps and the wind clear them; an unannounced product and a client under NDA; more competitors,
quiet-period terms, blocked domains and custom patterns. The US policy differs only by its
disclosure rule (FTC wordings); each post of the corpus names the policy it is checked against.
"""

import dataclasses
import datetime

from compliance_engine.engine import CompiledPolicy, compile_policy
from compliance_engine.model import (
    DISCLOSURE_WORDINGS,
    Clause,
    CustomPatternSettings,
    DisclosureSettings,
    LinkSettings,
    Policy,
    Qualifier,
    QuietPeriodSettings,
    RiskCategory,
    TermEntry,
    TermListSettings,
)
from compliance_engine.tests import policies

QUIET_PERIOD_START = datetime.date(2026, 3, 1)
QUIET_PERIOD_END = datetime.date(2026, 3, 31)
# The date a post is checked on when it does not say: outside the quiet period.
DEFAULT_DATE = datetime.date(2026, 5, 4)

QUIET = Clause("c-3-2", {"fr": "Période de silence", "en": "Quiet period"}, RiskCategory.LEGAL_CONFIDENTIALITY)
INTERNAL = Clause("c-3-3", {"fr": "Documents internes", "en": "Internal documents"}, RiskCategory.LEGAL_CONFIDENTIALITY)

# Words that put a code name in a project context, in both languages.
_PROJECT_CONTEXT = (
    "projet", "project", "programme", "program", "code", "roadmap", "lancement", "launch", "sortie", "release",
    "prototype", "pilote", "pilot", "sprint", "client", "plateforme", "platform", "version",
)  # fmt: skip
_BIRD = (
    "oiseau", "oiseaux", "bird", "birds", "birding", "birdwatching", "cendré", "étang", "pond", "marais", "marsh",
    "lac", "lake", "plumes", "feathers", "nid", "nest", "ornithologie",
)  # fmt: skip
_MAPS = (
    "carte", "cartes", "map", "maps", "géographie", "geography", "routier", "road", "maroc", "morocco", "titan",
    "montagnes", "mountains", "randonnée", "trek", "hiking", "anatomie", "anatomy", "vertèbre",
)  # fmt: skip
_WIND = (
    "vent", "vents", "wind", "souffle", "souffler", "blows", "blowing", "rafales", "gusts", "météo", "weather",
    "tramontane", "kitesurf", "voile", "sailing", "provence",
)  # fmt: skip
_AI_COMPANY = ("llm", "llms", "mixtral", "ia", "openai", "chatbot", "modèle", "model", "models")
_QUIET_TERMS = (
    "chiffre d'affaires", "résultats annuels", "résultats financiers", "résultats trimestriels",
    "marge opérationnelle", "bénéfice net", "dividende", "revenue", "earnings", "EBITDA", "guidance", "net income",
    "dividend",
)  # fmt: skip
_ALLOWED_DOMAINS = ("wikipedia.org", "legifrance.gouv.fr", "service-public.fr", "linkedin.com")

PROJECTS = dataclasses.replace(
    policies.PROJECTS,
    settings=TermListSettings(
        (
            TermEntry("Projet Heron"),
            TermEntry(
                "Heron",
                context_words=_PROJECT_CONTEXT,
                qualifiers=frozenset({Qualifier.HASHTAG, Qualifier.CAPITALISED}),
                clearing_words=_BIRD,
            ),
            TermEntry(
                "Atlas", context_words=_PROJECT_CONTEXT, qualifiers=frozenset({Qualifier.HASHTAG}), clearing_words=_MAPS
            ),
            TermEntry(
                "Mistral",
                context_words=_PROJECT_CONTEXT,
                qualifiers=frozenset({Qualifier.HASHTAG}),
                clearing_words=_WIND + _AI_COMPANY,
            ),
            TermEntry("Kestrel"),  # an unannounced product
            TermEntry("Orsenne"),  # a client under NDA (Banque Orsenne)
        )
    ),
)
COMPETITORS = dataclasses.replace(
    policies.COMPETITORS,
    settings=TermListSettings((TermEntry("Globex"), TermEntry("Initech"), TermEntry("Voltaria"))),
)
QUIET_PERIOD = dataclasses.replace(
    policies.QUIET_PERIOD,
    clause_id=QUIET.id,
    settings=QuietPeriodSettings(
        start=QUIET_PERIOD_START, end=QUIET_PERIOD_END, entries=tuple(TermEntry(term) for term in _QUIET_TERMS)
    ),
)
LINKS = dataclasses.replace(
    policies.LINKS,
    settings=LinkSettings(
        own_domains=("lumarelle.com",),
        blocked_domains=("piratebay.org", "1337x.to", "casino-bonus-royal.com"),
        allowed_domains=_ALLOWED_DOMAINS,
    ),
)
OFFICIAL_LINKS = dataclasses.replace(
    policies.ONLY_ALLOWED_LINKS,
    settings=LinkSettings(own_domains=("lumarelle.com",), allowed_domains=_ALLOWED_DOMAINS, only_allowed=True),
)
# The French rule accepts the French and the FTC wordings (tests/policies.py); the US one the FTC's only.
DISCLOSURE_FR = policies.DISCLOSURE
assert isinstance(DISCLOSURE_FR.settings, DisclosureSettings)
DISCLOSURE_US = dataclasses.replace(
    DISCLOSURE_FR,
    id="disclosure-us",
    settings=dataclasses.replace(
        DISCLOSURE_FR.settings, jurisdiction="US-FTC", accepted_wordings=DISCLOSURE_WORDINGS["US-FTC"]
    ),
)
INTERNAL_REFERENCES = dataclasses.replace(
    policies.CUSTOM,
    clause_id=INTERNAL.id,
    settings=CustomPatternSettings(
        (
            r"\bjira-\d{3,}\b",
            r"\bréf(?:érence)? interne\b",
            r"\bdiffusion restreinte\b",
            r"\binternal use only\b",
            r"\binc\d{7}\b",
        )
    ),
)

_CLAUSES = (
    policies.REPUTATION, policies.CONFIDENTIALITY, QUIET, INTERNAL, policies.COMPETITION, policies.PRIVACY,
    policies.SECURITY, policies.TRANSPARENCY,
)  # fmt: skip
_RULES = (PROJECTS, COMPETITORS, QUIET_PERIOD, policies.PERSONAL_DATA, LINKS, OFFICIAL_LINKS)
FRENCH_POLICY = Policy(clauses=_CLAUSES, rules=(*_RULES, DISCLOSURE_FR, policies.TONE, INTERNAL_REFERENCES))
US_POLICY = Policy(clauses=_CLAUSES, rules=(*_RULES, DISCLOSURE_US, policies.TONE, INTERNAL_REFERENCES))
POLICIES = {"fr": FRENCH_POLICY, "us": US_POLICY}


def compiled_policies() -> dict[str, CompiledPolicy]:
    """Both policies, compiled, by the name corpus posts use."""
    return {name: compile_policy(policy) for name, policy in POLICIES.items()}
