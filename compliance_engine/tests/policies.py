"""A small, realistic policy that the engine's tests share."""

import datetime

from compliance_engine.engine import CompiledPolicy, compile_policy
from compliance_engine.model import (
    Clause,
    Detector,
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
