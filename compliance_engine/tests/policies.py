"""A small, realistic policy that the engine's tests share."""

import datetime

from compliance_engine.engine import CompiledPolicy, compile_policy
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
    Scope,
    Severity,
    TermEntry,
    TermListSettings,
    ToneSettings,
)

EVERYONE = frozenset({Scope.EVERYONE})

CONFIDENTIALITY = Clause(
    "c-3-1", {"fr": "Projets confidentiels", "en": "Confidential projects"}, RiskCategory.LEGAL_CONFIDENTIALITY
)
COMPETITION = Clause("c-4-2", {"fr": "Concurrents", "en": "Competitors"}, RiskCategory.COMPETITION)
PRIVACY = Clause("c-5-1", {"fr": "Données personnelles", "en": "Personal data"}, RiskCategory.SECURITY)

PROJECTS = Rule(
    id="confidential-projects",
    severity=Severity.BLOCK,
    scope=EVERYONE,
    clause_id=CONFIDENTIALITY.id,
    message={"fr": "Ce projet est confidentiel.", "en": "This project is confidential."},
    suggestion={"fr": "Retirez le nom du projet.", "en": "Remove the project's name."},
    settings=TermListSettings(
        (
            TermEntry("Heron"),
            TermEntry("Projet Heron"),
            TermEntry("confidentiel"),
            TermEntry("Atlas", context_words=("projet", "project"), qualifiers=frozenset({Qualifier.HASHTAG})),
            TermEntry("Mistral", clearing_words=("vent", "wind", "souffle", "blows")),
        )
    ),
)
COMPETITORS = Rule(
    id="competitors",
    severity=Severity.WARN,
    scope=frozenset({Scope.AMBASSADORS, Scope.OFFICIAL}),
    clause_id=COMPETITION.id,
    message={"fr": "Ne citez pas nos concurrents.", "en": "Do not name our competitors."},
    suggestion={"en": "Talk about our own offer."},
    settings=TermListSettings((TermEntry("Globex"), TermEntry("Initech"))),
)
QUIET_PERIOD = Rule(
    id="quiet-period-q1",
    severity=Severity.WARN,
    scope=EVERYONE,
    clause_id=CONFIDENTIALITY.id,
    message={"fr": "Période de silence avant les résultats.", "en": "Quiet period before the results."},
    suggestion={"fr": "Attendez la publication des résultats.", "en": "Wait for the results."},
    settings=QuietPeriodSettings(
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2026, 3, 31),
        entries=(TermEntry("chiffre d'affaires"), TermEntry("revenue"), TermEntry("résultats")),
    ),
)
PERSONAL_DATA = Rule(
    id="personal-data",
    severity=Severity.WARN,
    scope=EVERYONE,
    clause_id=PRIVACY.id,
    message={"fr": "Donnée personnelle.", "en": "Personal data."},
    suggestion={"fr": "Retirez-la.", "en": "Remove it."},
    settings=PersonalDataSettings(frozenset(Detector)),
)

POLICY = Policy(
    clauses=(CONFIDENTIALITY, COMPETITION, PRIVACY), rules=(PROJECTS, COMPETITORS, QUIET_PERIOD, PERSONAL_DATA)
)

OUTSIDE_QUIET_PERIOD = datetime.date(2026, 5, 4)
INSIDE_QUIET_PERIOD = datetime.date(2026, 3, 10)


def compiled() -> CompiledPolicy:
    """The shared policy, compiled once per test session."""
    return _COMPILED


_COMPILED = compile_policy(POLICY)


# The per-text rule kinds, in a policy of their own so that the tests above keep their findings.
REPUTATION = Clause("c-2-1", {"fr": "Respect", "en": "Respect"}, RiskCategory.REPUTATION)
SECURITY = Clause("c-6-1", {"fr": "Liens", "en": "Links"}, RiskCategory.SECURITY)
TRANSPARENCY = Clause("c-7-1", {"fr": "Transparence", "en": "Transparency"}, RiskCategory.LEGAL_CONFIDENTIALITY)

LINKS = Rule(
    id="links",
    severity=Severity.WARN,
    scope=EVERYONE,
    clause_id=SECURITY.id,
    message={"fr": "Lien à vérifier.", "en": "Check this link."},
    suggestion={"fr": "Utilisez un lien vers le site officiel.", "en": "Link to the official site."},
    settings=LinkSettings(
        own_domains=("lumarelle.com",), blocked_domains=("piratebay.org",), allowed_domains=("wikipedia.org",)
    ),
)
ONLY_ALLOWED_LINKS = Rule(
    id="official-links",
    severity=Severity.BLOCK,
    scope=frozenset({Scope.OFFICIAL}),
    clause_id=SECURITY.id,
    message={"fr": "Lien hors liste.", "en": "Link not on the list."},
    suggestion={"fr": "Retirez-le.", "en": "Remove it."},
    settings=LinkSettings(own_domains=("lumarelle.com",), allowed_domains=("wikipedia.org",), only_allowed=True),
)
DISCLOSURE = Rule(
    id="disclosure-fr",
    severity=Severity.WARN,
    scope=EVERYONE,
    clause_id=TRANSPARENCY.id,
    message={"fr": "Dites que vous travaillez chez Lumarelle.", "en": "Say that you work at Lumarelle."},
    suggestion={"fr": "Ajoutez « {wording} ».", "en": "Add “{wording}”."},
    settings=DisclosureSettings(
        jurisdiction="FR",
        company_names=("Lumarelle",),
        accepted_wordings=DISCLOSURE_WORDINGS["FR"] + DISCLOSURE_WORDINGS["US-FTC"],
        product_names=("SolarBox", "Lumarelle Flex"),
        company_domains=("lumarelle.com",),
    ),
)
TONE = Rule(
    id="tone",
    severity=Severity.BLOCK,
    scope=EVERYONE,
    clause_id=REPUTATION.id,
    message={"fr": "Propos hostiles envers une personne.", "en": "Hostile words towards a person."},
    suggestion={"fr": "Critiquez les idées, pas les personnes.", "en": "Criticise ideas, not people."},
    settings=ToneSettings(),
)
CUSTOM = Rule(
    id="internal-references",
    severity=Severity.WARN,
    scope=EVERYONE,
    clause_id=CONFIDENTIALITY.id,
    message={"fr": "Référence interne.", "en": "Internal reference."},
    suggestion={"fr": "Retirez-la.", "en": "Remove it."},
    settings=CustomPatternSettings((r"\bjira-\d{3,}\b", r"\bréf(?:érence)? interne\b")),
)

TEXT_POLICY = Policy(
    clauses=(CONFIDENTIALITY, REPUTATION, SECURITY, TRANSPARENCY),
    rules=(LINKS, ONLY_ALLOWED_LINKS, DISCLOSURE, TONE, CUSTOM),
)
_TEXT_COMPILED = compile_policy(TEXT_POLICY)


def text_compiled() -> CompiledPolicy:
    """The policy of the per-text rule kinds, compiled once per test session."""
    return _TEXT_COMPILED
