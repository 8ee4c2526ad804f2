# ruff: noqa: RUF001  -- French messages use the typographic apostrophe
"""The diff's "In short": which settings of each rule kind changed, and how, in the reader's language."""

import dataclasses
import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from compliance_engine.model import (
    Detector,
    DisclosureSettings,
    LinkSettings,
    Policy,
    QuietPeriodSettings,
    Rule,
    ToneCategory,
    ToneSettings,
)
from compliance_engine.policyfile import dumps
from compliance_engine.tests.policies import (
    CUSTOM,
    DISCLOSURE,
    LINKS,
    PERSONAL_DATA,
    PRIVACY,
    QUIET_PERIOD,
    TEXT_POLICY,
    TONE,
)
from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.policies.changes import describe_changes

OLD = dataclasses.replace(
    TEXT_POLICY, clauses=(*TEXT_POLICY.clauses, PRIVACY), rules=(*TEXT_POLICY.rules, PERSONAL_DATA, QUIET_PERIOD)
)


def _changed(rule: Rule, **settings: Any) -> Policy:
    new_rule = dataclasses.replace(rule, settings=dataclasses.replace(rule.settings, **settings))
    return dataclasses.replace(OLD, rules=tuple(new_rule if other.id == rule.id else other for other in OLD.rules))


def _describe(new: Policy, language: str) -> list[str]:
    with translation.override(language):
        return describe_changes(OLD, new)


def _disclosure_settings() -> DisclosureSettings:
    settings = DISCLOSURE.settings
    assert isinstance(settings, DisclosureSettings)
    return settings


NEW_DISCLOSURE = _changed(
    DISCLOSURE,
    jurisdiction="US-FTC",
    company_names=("Lumarelle", "Lumarelle SA"),
    product_names=("Lumarelle Flex",),
    company_domains=("lumarelle.com", "lumarelle.fr"),
    hiring_phrases=_disclosure_settings().hiring_phrases[1:],
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Rule disclosure-fr, jurisdiction: France: law 2023-451 on commercial influence → United States: FTC "
                "endorsement guides.",
                "Rule disclosure-fr, company names: “Lumarelle SA” added.",
                "Rule disclosure-fr, product names: “SolarBox” removed.",
                "Rule disclosure-fr, company domains: “lumarelle.fr” added.",
                "Rule disclosure-fr, calls to apply: “we're hiring” removed.",
            ],
        ),
        (
            "fr",
            [
                "Règle disclosure-fr, juridiction : France : loi n° 2023-451 sur l’influence commerciale → "
                "États-Unis : lignes directrices de la FTC sur les recommandations (Endorsement Guides).",
                "Règle disclosure-fr, noms de l’entreprise : ajout de « Lumarelle SA ».",
                "Règle disclosure-fr, noms de produits : retrait de « SolarBox ».",
                "Règle disclosure-fr, domaines de l’entreprise : ajout de « lumarelle.fr ».",
                "Règle disclosure-fr, appels à candidater : retrait de « we're hiring ».",
            ],
        ),
    ],
)
def test_a_disclosure_change_names_each_setting_and_what_was_added_or_removed(
    language: str, expected: list[str]
) -> None:
    assert _describe(NEW_DISCLOSURE, language) == expected


def test_reordered_wordings_are_said_to_be_reordered_since_the_first_one_is_suggested() -> None:
    wordings = _disclosure_settings().accepted_wordings

    new = _changed(DISCLOSURE, accepted_wordings=(*wordings[1:], wordings[0]))

    assert _describe(new, "en") == ["Rule disclosure-fr, accepted wordings: reordered."]
    assert _describe(new, "fr") == ["Règle disclosure-fr, formules acceptées : ordre changé."]


def test_link_changes_name_the_domains_and_the_switches() -> None:
    new = _changed(LINKS, blocked_domains=("piratebay.org", "evil.example"), only_allowed=True, flag_lookalikes=False)

    assert _describe(new, "en") == [
        "Rule links, blocked domains: “evil.example” added.",
        "Rule links, every domain not allowed flagged: off → on.",
        "Rule links, lookalike domains flagged: on → off.",
    ]
    assert _describe(new, "fr") == [
        "Règle links, domaines bloqués : ajout de « evil.example ».",
        "Règle links, tout domaine non autorisé signalé : non → oui.",
        "Règle links, domaines imitant les nôtres signalés : oui → non.",
    ]


def test_detectors_categories_and_patterns_are_named_by_their_labels() -> None:
    detectors = _changed(PERSONAL_DATA, detectors=frozenset(Detector) - {Detector.PHONE})
    tone = _changed(TONE, categories=frozenset({ToneCategory.INSULT}))
    custom = _changed(CUSTOM, patterns=(r"\bjira-\d{3,}\b", r"\bticket-\d+\b"))

    assert _describe(detectors, "en") == ["Rule personal-data, detectors: “Phone numbers” removed."]
    assert _describe(detectors, "fr") == ["Règle personal-data, détecteurs : retrait de « Numéros de téléphone »."]
    assert _describe(tone, "en") == ["Rule tone, tone categories: “Harassment”, “Threats” removed."]
    assert _describe(custom, "en") == [
        r"Rule internal-references, patterns: “\bticket-\d+\b” added.",
        r"Rule internal-references, patterns: “\bréf(?:érence)? interne\b” removed.",
    ]


def test_quiet_period_dates_are_written_as_days_in_the_reader_s_language() -> None:
    new = _changed(QUIET_PERIOD, start=datetime.date(2026, 4, 1), end=datetime.date(2026, 4, 30))

    assert _describe(new, "en") == [
        "Rule quiet-period-q1: dates changed from March 1, 2026 to March 31, 2026, to April 1, 2026 to April 30, 2026."
    ]
    assert _describe(new, "fr") == [
        "Règle quiet-period-q1 : dates modifiées, auparavant du 1 mars 2026 au 31 mars 2026, désormais du 1 avril "
        "2026 au 30 avril 2026."
    ]
    assert isinstance(new.rules[-1].settings, QuietPeriodSettings)


def test_unchanged_settings_say_nothing() -> None:
    assert _describe(_changed(TONE, categories=frozenset(ToneCategory)), "en") == []
    assert isinstance(TONE.settings, ToneSettings)
    assert isinstance(LINKS.settings, LinkSettings)


@pytest.mark.django_db
def test_the_diff_page_says_which_disclosure_settings_changed(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.compliance, language="fr")
    client.force_login(personas.compliance)
    client.post("/policy/file/", {"source": dumps(OLD), "summary": "", "based_on": 0})
    client.post("/policy/file/", {"source": dumps(NEW_DISCLOSURE), "summary": "", "based_on": 1})

    content = client.get("/policy/v/2/diff/").content.decode()

    assert "Règle disclosure-fr, noms de l’entreprise : ajout de « Lumarelle SA »." in content
    assert "paramètres modifiés" not in content
