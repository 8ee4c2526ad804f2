# ruff: noqa: RUF001  -- French messages use the typographic apostrophe
"""An opened finding explains itself: what its kind of rule protects against, what the severity
means, the detail in the reader's words, the clause it cites; never the message said twice."""

import re

import pytest
from django.test import Client
from django.utils import translation

from compliance_engine import Finding
from compliance_engine.model import RiskCategory, RuleKind, Severity
from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.policies import checking
from portevoix.policies.tests.check_policy import publish_policy

TEXT = "Le Projet Heron avance. Appelez-moi au 06 12 34 56 78."
FACTS = {
    "en": [
        [
            (
                "What this rule protects against",
                "Your organisation lists this term among those not to name in public "
                "(a confidential project, a code name, a client, a competitor…): naming it may "
                "reveal what is not public "
                "yet.",
            ),
            ("Rule", "Term list"),
            ("Clause", '<span class="clause-id">c-3-1</span> — Confidential projects'),
            ("Risk category", "Legal and confidentiality"),
            ("Severity", "Block — The post must not be published until this is changed."),
            ("Suggestion", "Remove the project&#x27;s name."),
            ("Where", "Line 1, column 4"),
        ],
        [
            (
                "What this rule protects against",
                "This looks like personal data (a phone number, an e-mail address, an "
                "identifier…): publishing it without the person&#x27;s consent exposes them and breaks data protection "
                "law.",
            ),
            ("Rule", "Personal data"),
            ("Kind of data", "Phone number"),
            ("Clause", '<span class="clause-id">c-5-1</span> — Personal data'),
            ("Risk category", "Security"),
            ("Severity", "Warning — You may publish, but think again about this part first."),
            ("Suggestion", "Remove the number."),
            ("Where", "Line 1, column 40"),
        ],
    ],
    "fr": [
        [
            (
                "Ce que protège cette règle",
                "Votre organisation range ce terme parmi ceux à ne pas citer en public (un "
                "projet confidentiel, un nom de code, un client, un concurrent…) : le nommer peut "
                "révéler ce qui n’est pas "
                "encore public.",
            ),
            ("Règle", "Liste de termes"),
            ("Clause", '<span class="clause-id">c-3-1</span> — Projets confidentiels'),
            ("Catégorie de risque", "Juridique et confidentialité"),
            ("Gravité", "Bloquant — La publication ne doit pas partir tant que ce point n’est pas modifié."),
            ("Suggestion", "Retirez le nom du projet."),
            ("Où", "Ligne 1, colonne 4"),
        ],
        [
            (
                "Ce que protège cette règle",
                "Cela ressemble à une donnée personnelle (un numéro de téléphone, une "
                "adresse e-mail, un identifiant…) : la publier sans le consentement de la personne "
                "l’expose et enfreint la "
                "loi sur la protection des données.",
            ),
            ("Règle", "Données personnelles"),
            ("Type de donnée", "Numéro de téléphone"),
            ("Clause", '<span class="clause-id">c-5-1</span> — Données personnelles'),
            ("Catégorie de risque", "Sécurité"),
            ("Gravité", "Avertissement — Vous pouvez publier, mais réfléchissez d’abord à ce passage."),
            ("Suggestion", "Retirez le numéro."),
            ("Où", "Ligne 1, colonne 40"),
        ],
    ],
}


def facts_of(content: str) -> list[list[tuple[str, str]]]:
    lists = re.findall(r'<dl class="finding-facts">(.*?)</dl>', content, re.S)
    return [re.findall(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>", facts, re.S) for facts in lists]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_opened_finding_explains_its_rule_severity_and_detail_in_the_reader_language(
    client: Client, personas: Personas, language: str
) -> None:
    publish_policy(personas.acme, personas.compliance)
    set_interface_language(person=personas.employee, language=language)
    client.force_login(personas.employee)
    data = {"text": TEXT, "scope": "everyone", "date": "2026-05-04", "draft_key": "draft-key-0001"}

    content = client.post("/check/", data, headers={"HX-Request": "true"}).content.decode()

    assert facts_of(content) == FACTS[language]


def test_the_explanation_never_repeats_the_message(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    set_interface_language(person=personas.employee, language="en")
    client.force_login(personas.employee)
    data = {"text": TEXT, "scope": "everyone", "date": "2026-05-04", "draft_key": "draft-key-0001"}

    response = client.post("/check/", data, headers={"HX-Request": "true"})

    findings = response.context["result"].report.findings
    assert [item.explanation != item.finding.message for item in findings] == [True, True]
    assert "This project is confidential." not in "".join(
        value for facts in facts_of(response.content.decode()) for _dt, value in facts
    )


@pytest.mark.parametrize(
    ("kind", "detail", "language", "shown"),
    [
        (RuleKind.LINKS, "shortener: bit.ly", "en", "Shortened link: bit.ly"),
        (RuleKind.LINKS, "lookalike: lumare11e.example", "fr", "Adresse qui en imite une connue : lumare11e.example"),
        (RuleKind.TONE, "threat: je vais te", "fr", "Menace : je vais te"),
        (RuleKind.PERSONAL_DATA, "iban", "en", "Bank account number (IBAN)"),
        (RuleKind.CUSTOM, "phone: [0-9]+", "en", "phone: [0-9]+"),  # a pattern is shown as the policy writes it
        (RuleKind.TERMS, "Projet Héron", "fr", "Projet Héron"),
    ],
)
def test_a_detail_code_is_told_in_the_reader_words(kind: RuleKind, detail: str, language: str, shown: str) -> None:
    finding = Finding(
        rule_id="r",
        kind=kind,
        category=RiskCategory.SECURITY,
        severity=Severity.WARN,
        clause_id="c-1",
        start=0,
        end=1,
        matched="x",
        message="m",
        suggestion="",
        detail=detail,
    )
    item = checking.ReportedFinding(
        number=1,
        finding=finding,
        clause_title="",
        line=1,
        column=1,
        severity_label="",
        category_label="",
        kind_label="",
    )

    with translation.override(language):
        assert item.detail_text == shown
