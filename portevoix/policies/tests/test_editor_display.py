"""What the policy editor shows: disabled buttons, entry counts, the diff's sentences, field order."""

import dataclasses
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from compliance_engine.model import RuleKind
from compliance_engine.policyfile import dumps
from compliance_engine.tests.policies import POLICY, TEXT_POLICY
from conftest import Personas
from portevoix.accounts.services import set_interface_language

pytestmark = pytest.mark.django_db


def _save_failing_version(client: Client) -> None:
    client.post("/policy/file/", {"source": dumps(POLICY), "summary": "", "based_on": 0})
    case = {"text": "Le vent se lève sur le projet Heron.", "must_not_find": ["confidential-projects"]}
    client.post("/policy/tests/new/", {**case, "scope": "everyone", "language": "fr", "based_on": 1})


@pytest.mark.parametrize(
    ("language", "reason"),
    [("en", "1 test case fails: this version cannot be published."), ("fr", "ne peut pas être publiée")],
)
def test_a_version_that_cannot_be_published_has_a_disabled_button_described_by_the_reason(
    client: Client, personas: Personas, language: str, reason: str
) -> None:
    set_interface_language(person=personas.compliance, language=language)
    client.force_login(personas.compliance)
    _save_failing_version(client)

    content = client.get("/policy/v/2/").content.decode()

    button = re.search(r'<button type="submit" ([^>]*)>\s*(Publish version 2|Publier la version 2)', content)
    assert button is not None
    assert button.group(1) == 'disabled aria-describedby="publish-blocked-reason"'
    described = re.search(r'<p id="publish-blocked-reason">([^<]*)</p>', content)
    assert described is not None
    assert reason in described.group(1)


def test_the_stylesheet_gives_disabled_buttons_a_look_of_their_own() -> None:
    stylesheet = Path(settings.BASE_DIR, "static/portevoix/app.css").read_text(encoding="utf-8")

    rule = re.search(r"^button:disabled \{([^}]*)\}", stylesheet, re.MULTILINE)

    assert rule is not None
    assert "cursor: not-allowed" in rule.group(1)
    assert "background: #e6e6e6" in rule.group(1)


ALL_KINDS = dataclasses.replace(
    POLICY,
    clauses=(*POLICY.clauses, *TEXT_POLICY.clauses[1:]),
    rules=(*POLICY.rules, *TEXT_POLICY.rules),
)


def _rows(content: str) -> dict[str, str]:
    """Each rule's id and its "Entries" cell, from the overview's rules table."""
    rows = re.findall(
        r'<a href="/policy/rules/([^/]+)/">.*?</th>.*?<td>.*?<td>.*?<td>.*?<td>([^<]*)</td>', content, re.S
    )
    return dict(rows)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                "confidential-projects": "5 terms",
                "competitors": "2 terms",
                "quiet-period-q1": "3 terms",
                "personal-data": "5 detectors",
                "links": "2 allowed or blocked domains",
                "official-links": "1 allowed or blocked domain",
                "disclosure-fr": "15 wordings, 3 names",
                "tone": "3 categories",
                "internal-references": "2 patterns",
            },
        ),
        (
            "fr",
            {
                "confidential-projects": "5 termes",
                "competitors": "2 termes",
                "quiet-period-q1": "3 termes",
                "personal-data": "5 détecteurs",
                "links": "2 domaines autorisés ou bloqués",
                "official-links": "1 domaine autorisé ou bloqué",
                "disclosure-fr": "15 formules, 3 noms",
                "tone": "3 catégories",
                "internal-references": "2 motifs",
            },
        ),
    ],
)
def test_the_rules_table_counts_each_kind_in_its_own_unit(
    client: Client, personas: Personas, language: str, expected: dict[str, str]
) -> None:
    set_interface_language(person=personas.compliance, language=language)
    client.force_login(personas.compliance)
    client.post("/policy/file/", {"source": dumps(ALL_KINDS), "summary": "", "based_on": 0})

    rows = _rows(client.get("/policy/").content.decode())

    assert rows == expected


COMMON_FIELDS = [
    "rule_id",
    "clause",
    "severity",
    "scope",
    "message_fr",
    "message_en",
    "suggestion_fr",
    "suggestion_en",
]


@pytest.mark.parametrize("kind", [kind.value for kind in RuleKind])
def test_every_rule_form_starts_with_the_fields_every_rule_has(client: Client, personas: Personas, kind: str) -> None:
    client.force_login(personas.compliance)
    client.post("/policy/file/", {"source": dumps(POLICY), "summary": "", "based_on": 0})

    form = client.get(f"/policy/rules/new/{kind}/").context["form"]

    assert list(form.fields)[: len(COMMON_FIELDS)] == COMMON_FIELDS


def test_the_quiet_period_form_asks_for_the_dates_then_the_terms_after_the_common_fields(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.compliance)
    client.post("/policy/file/", {"source": dumps(POLICY), "summary": "", "based_on": 0})

    form = client.get("/policy/rules/quiet-period-q1/").context["form"]

    assert list(form.fields) == [*COMMON_FIELDS, "start", "end", "terms"]
