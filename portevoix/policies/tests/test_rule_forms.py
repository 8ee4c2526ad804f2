"""The rule forms keep what the person did not touch and say, in their language, what they refuse.

Louis, the compliance officer, reads French; tests about English set his language.
"""

import re
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from compliance_engine.model import (
    DISCLOSURE_WORDINGS,
    DisclosureSettings,
    Policy,
    Rule,
    TermEntry,
    TermListSettings,
)
from compliance_engine.policyfile import loads
from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.policies import services
from portevoix.policies.forms import CustomForm, DisclosureForm, PersonalDataForm, TermsForm
from portevoix.policies.models import PolicyVersion

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db

SOURCE = """\
format = "porte-voix-policy/1"

[[clause]]
id = "1.2"
category = "reputation"
title.fr = "Respect des personnes"
title.en = "Respect for people"

[[clause]]
id = "3.1"
category = "legal_confidentiality"
title.fr = "Projets confidentiels"
title.en = "Confidential projects"

[[rule]]
id = "projets-confidentiels"
kind = "terms"
clause = "3.1"
severity = "block"
scope = ["everyone"]
message.fr = "Projet confidentiel."
message.en = "Confidential project."
terms = [
    "Kestrel",
    { term = "Atlas", context = ["projet", "project"], qualifiers = ["hashtag"], clear = ["montagne"] },
]

[[rule]]
id = "transparence"
kind = "disclosure"
clause = "1.2"
severity = "warn"
scope = ["ambassadors"]
message.fr = "Dites que vous travaillez chez Lumarelle."
message.en = "Say that you work at Lumarelle."
jurisdiction = "FR"
company_names = ["Lumarelle"]

[[rule]]
id = "transparence-uk"
kind = "disclosure"
clause = "1.2"
severity = "info"
scope = ["ambassadors"]
message.fr = "Pour vos lecteurs britanniques."
message.en = "For your readers in the UK."
jurisdiction = "UK-ASA"
company_names = ["Lumarelle"]
accepted_wordings = ["#ad", "I work at {company}"]

[[rule]]
id = "references-internes"
kind = "custom"
clause = "3.1"
severity = "warn"
scope = ["everyone"]
message.fr = "Référence interne."
message.en = "Internal reference."
patterns = ['\\binc-\\d{6}\\b']

[[rule]]
id = "donnees-personnelles"
kind = "personal_data"
clause = "1.2"
severity = "block"
scope = ["everyone"]
message.fr = "Donnée personnelle."
message.en = "Personal data."
detectors = ["email", "phone"]

[[test]]
note = "« Atlas » seul est une montagne."
text = "Trek magnifique dans l'Atlas, en montagne, ce week-end."
must_not_find = ["projets-confidentiels"]
"""


def _french(text: str) -> str:
    """French typography: a no-break space before ":" and inside « »."""
    return text.replace(" :", "\u00a0:").replace("« ", "«\u00a0").replace(" »", "\u00a0»")


COMMON = {"severity": "warn", "scope": ["everyone"], "message_fr": "Message.", "message_en": "Message."}


@pytest.fixture
def policy(personas: Personas) -> Policy:
    services.save_version(organization=personas.acme, actor=None, source=SOURCE, summary="")
    return loads(SOURCE)


def _rule(policy: Policy, rule_id: str) -> Rule:
    return next(rule for rule in policy.rules if rule.id == rule_id)


def _latest(personas: Personas) -> Policy:
    latest = services.latest_version(personas.acme)
    assert latest is not None
    return loads(latest.source)


def _form_data(client: Client, rule_id: str) -> dict[str, Any]:
    """What the browser sends when the person saves the rule's form without touching it."""
    page = client.get(f"/policy/rules/{rule_id}/")
    form = page.context["form"]
    based_on = re.search(r'name="based_on" value="(\d+)"', page.content.decode())
    assert based_on is not None, "the page says which version it shows"
    data: dict[str, Any] = {"based_on": based_on[1]}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = value
    return data


def _errors(response: "_MonkeyPatchedWSGIResponse", field: str) -> list[str]:
    """The field's errors in the language of the page, each checked to be on the page."""
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        errors = [str(error) for error in response.context["form"].errors[field]]
    page = response.content.decode()
    for error in errors:
        assert escape(error) in page, error
    return errors


# 1. Repeated terms and overlong terms


def test_a_pasted_repeat_keeps_the_first_line_with_its_settings_after_saying_so(
    client: Client, personas: Personas, policy: Policy
) -> None:
    client.force_login(personas.compliance)
    data = _form_data(client, "projets-confidentiels")
    data["terms"] += "\nkestrel\n  Projet Éclat  \nProjet Eclat\nAtlas\n"

    refused = client.post("/policy/rules/projets-confidentiels/", data)

    assert refused.status_code == 200
    assert _errors(refused, "terms") == [
        _french(message)
        for message in [
            "La ligne 3 « kestrel » répète la ligne 1 « Kestrel » : gardée une fois.",
            "La ligne 5 « Projet Eclat » répète la ligne 4 « Projet Éclat » : gardée une fois.",
            "La ligne 6 « Atlas » répète la ligne 2 « Atlas » avec d’autres réglages : "  # noqa: RUF001
            "gardée une fois, avec le contexte, les qualificatifs et les mots qui innocentent de la ligne 2.",
            "Les lignes répétées sont maintenant retirées de la liste ci-dessous : "
            "vérifiez-la et enregistrez à nouveau.",
        ]
    ]
    assert PolicyVersion.objects.count() == 1
    shown = refused.context["form"]["terms"].value()
    assert shown == ("Kestrel\nAtlas [context: projet, project; qualifiers: hashtag; clear: montagne]\nProjet Éclat")

    saved = client.post("/policy/rules/projets-confidentiels/", {**data, "terms": shown})

    assert saved.status_code == 302
    settings = _rule(_latest(personas), "projets-confidentiels").settings
    assert isinstance(settings, TermListSettings)
    assert settings.entries == (
        TermEntry("Kestrel"),
        _rule_entry(policy, "Atlas"),
        TermEntry("Projet Éclat"),
    )
    assert services.latest_version(personas.acme).tests_failed == 0  # type: ignore[union-attr]


def _rule_entry(policy: Policy, text: str) -> TermEntry:
    settings = _rule(policy, "projets-confidentiels").settings
    assert isinstance(settings, TermListSettings)
    return next(entry for entry in settings.entries if entry.text == text)


def test_repeats_are_named_in_english_for_an_english_reader(policy: Policy) -> None:
    data = {**COMMON, "rule_id": "projets-confidentiels", "clause": "3.1", "terms": "Kestrel\n\nKESTREL\n"}
    with translation.override("en"):
        form = TermsForm(data, policy=policy, rule=_rule(policy, "projets-confidentiels"))
        assert not form.is_valid()
        assert form.errors["terms"] == [
            "Line 3 “KESTREL” repeats line 1 “Kestrel”: kept once.",
            "The repeated lines are now out of the list below: check it and save again.",
        ]
    assert form["terms"].value() == "Kestrel"


def test_a_list_without_repeats_saves_at_once(policy: Policy) -> None:
    data = {**COMMON, "rule_id": "projets-confidentiels", "clause": "3.1", "terms": "Kestrel\nKestrels\nKest rel"}
    form = TermsForm(data, policy=policy, rule=_rule(policy, "projets-confidentiels"))
    assert form.is_valid(), form.errors
    settings = form.build_settings()
    assert isinstance(settings, TermListSettings)
    assert [entry.text for entry in settings.entries] == ["Kestrel", "Kestrels", "Kest rel"]


def test_a_term_longer_than_200_characters_is_refused_naming_its_line(
    client: Client, personas: Personas, policy: Policy
) -> None:
    client.force_login(personas.compliance)
    data = _form_data(client, "projets-confidentiels")
    data["terms"] = "Kestrel\n" + "x" * 6000 + "\n" + "y" * 200

    response = client.post("/policy/rules/projets-confidentiels/", data)

    assert response.status_code == 200
    assert _errors(response, "terms") == [
        _french(f"La ligne 2 « {'x' * 59}… » fait 6000 caractères : un terme en a au plus 200.")
    ]
    assert PolicyVersion.objects.count() == 1
    set_interface_language(person=personas.compliance, language="en")
    english = client.post("/policy/rules/projets-confidentiels/", data)
    assert _errors(english, "terms") == [f"Line 2 “{'x' * 59}…” is 6000 characters long: a term has at most 200."]


# 2 and 3. Jurisdictions and their built-in wordings


def test_saving_an_untouched_rule_with_a_jurisdiction_of_ones_own_keeps_it(
    client: Client, personas: Personas, policy: Policy
) -> None:
    client.force_login(personas.compliance)
    data = _form_data(client, "transparence-uk")
    assert data["jurisdiction"] == "UK-ASA"
    page = client.get("/policy/rules/transparence-uk/").content.decode()
    assert '<option value="UK-ASA" selected>UK-ASA (votre propre réglementation)</option>' in page

    response = client.post("/policy/rules/transparence-uk/", {**data, "message_en": "For UK readers."})

    assert response.status_code == 302
    assert _rule(_latest(personas), "transparence-uk").settings == _rule(policy, "transparence-uk").settings


def test_a_jurisdiction_of_ones_own_needs_wordings(policy: Policy) -> None:
    rule = _rule(policy, "transparence-uk")
    data = {**COMMON, "rule_id": rule.id, "clause": "1.2", "jurisdiction": "UK-ASA", "company_names": "Lumarelle"}
    with translation.override("fr"):
        form = DisclosureForm(data, policy=policy, rule=rule)
        assert not form.is_valid()
        assert form.errors["accepted_wordings"] == [
            _french("La réglementation UK-ASA n’a pas de formulations intégrées : donnez-en au moins une.")  # noqa: RUF001
        ]


def test_a_jurisdiction_that_no_rule_has_is_not_offered(policy: Policy) -> None:
    rule = _rule(policy, "transparence")
    data = {**COMMON, "rule_id": rule.id, "clause": "1.2", "jurisdiction": "UK-ASA", "company_names": "Lumarelle"}
    form = DisclosureForm(data, policy=policy, rule=rule)
    assert not form.is_valid()
    assert list(form.errors) == ["jurisdiction"]


def test_a_rule_on_built_in_wordings_switches_to_the_new_jurisdictions_ones(
    client: Client, personas: Personas, policy: Policy
) -> None:
    client.force_login(personas.compliance)
    data = _form_data(client, "transparence")
    assert data["accepted_wordings"] == ""  # the rule uses the built-in wordings
    page = client.get("/policy/rules/transparence/").content.decode()
    assert _french("« #collaborateur », « #collaboratrice »") in page
    assert _french("« #employee », « I work at {company} »") in page

    response = client.post("/policy/rules/transparence/", {**data, "jurisdiction": "US-FTC"})

    assert response.status_code == 302
    settings = _rule(_latest(personas), "transparence").settings
    assert isinstance(settings, DisclosureSettings)
    assert settings.jurisdiction == "US-FTC"
    assert settings.accepted_wordings == DISCLOSURE_WORDINGS["US-FTC"]
    source = services.latest_version(personas.acme).source  # type: ignore[union-attr]
    rule_text = source.split('id = "transparence"\n')[1].split("[[rule]]")[0]
    assert "jurisdiction = " in rule_text
    assert "accepted_wordings" not in rule_text  # left to the jurisdiction, as the file writes defaults


def test_wordings_of_ones_own_stay_in_the_box_and_are_kept(policy: Policy) -> None:
    rule = _rule(policy, "transparence-uk")
    form = DisclosureForm(policy=policy, rule=rule)
    assert form["accepted_wordings"].value() == "#ad\nI work at {company}"


# 4. Clause titles


@pytest.mark.parametrize(
    ("language", "expected", "other"),
    [("fr", "1.2 · Respect des personnes", "Respect for people"), ("en", "1.2 · Respect for people", "Respect des")],
)
def test_the_clause_list_is_in_the_readers_language(
    client: Client, personas: Personas, policy: Policy, language: str, expected: str, other: str
) -> None:
    set_interface_language(person=personas.compliance, language=language)
    client.force_login(personas.compliance)
    for url in ("/policy/rules/donnees-personnelles/", "/policy/rules/new/terms/"):
        page = client.get(url).content.decode()
        assert expected in page, url
        assert other not in page, url


# 5. Custom patterns


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            _french(
                "Le motif 2 « a* » peut correspondre à un texte vide : il signalerait chaque message. "
                "Faites-lui exiger au moins un caractère : « a+ » au lieu de « a* », par exemple."
            ),
        ),
        (
            "en",
            "Pattern 2 “a*” can match an empty text, so it would flag every post. Make it require at least one "
            "character: “a+” instead of “a*”, for example.",
        ),
    ],
)
def test_a_pattern_that_matches_an_empty_text_is_refused_in_the_form_naming_it(
    client: Client, personas: Personas, policy: Policy, language: str, expected: str
) -> None:
    set_interface_language(person=personas.compliance, language=language)
    client.force_login(personas.compliance)
    data = _form_data(client, "references-internes")
    data["patterns"] += "\na*"

    response = client.post("/policy/rules/references-internes/", data)

    assert response.status_code == 200
    assert _errors(response, "patterns") == [expected]
    assert PolicyVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            _french(
                "Le motif 1 « inc-(\\d{6} » n’est pas une expression régulière valide : "  # noqa: RUF001
                "le problème est à la position 4, à « (\\d{6} ». "
                "Vérifiez ses crochets, ses parenthèses et ses barres obliques inverses."
            ),
        ),
        (
            "en",
            "Pattern 1 “inc-(\\d{6}” is not a valid regular expression: the problem is at position 4, at “(\\d{6}”. "
            "Check its brackets, parentheses and backslashes.",
        ),
    ],
)
def test_an_invalid_pattern_is_explained_in_the_readers_language_with_its_position(
    policy: Policy, language: str, expected: str
) -> None:
    rule = _rule(policy, "references-internes")
    data = {**COMMON, "rule_id": rule.id, "clause": "3.1", "patterns": "inc-(\\d{6}\n\\bok\\b\n(x"}
    with translation.override(language):
        form = CustomForm(data, policy=policy, rule=rule)
        assert not form.is_valid()
        assert form.errors["patterns"][0] == expected
        assert len(form.errors["patterns"]) == 2  # every bad pattern at once: 1 and 3


def test_a_pattern_whose_end_is_wrong_quotes_its_last_character(policy: Policy) -> None:
    rule = _rule(policy, "references-internes")
    data = {**COMMON, "rule_id": rule.id, "clause": "3.1", "patterns": "inc\\"}
    with translation.override("en"):
        form = CustomForm(data, policy=policy, rule=rule)
        assert not form.is_valid()
        assert form.errors["patterns"] == [
            "Pattern 1 “inc\\” is not a valid regular expression: the problem is at position 3, at “\\”. "
            "Check its brackets, parentheses and backslashes."
        ]


# 6. Personal data detectors


def test_unticking_every_detector_says_how_to_turn_the_rule_off(
    client: Client, personas: Personas, policy: Policy
) -> None:
    client.force_login(personas.compliance)
    data = _form_data(client, "donnees-personnelles")
    del data["detectors"]

    response = client.post("/policy/rules/donnees-personnelles/", data)

    assert response.status_code == 200
    assert _errors(response, "detectors") == [
        _french(
            "Choisissez au moins un détecteur. Pour ne plus vérifier les données personnelles, retirez cette règle "
            "sur la page de la politique."
        )
    ]
    assert PolicyVersion.objects.count() == 1
    with translation.override("en"):
        form = PersonalDataForm(data, policy=policy, rule=_rule(policy, "donnees-personnelles"))
        assert form.errors["detectors"] == [
            "Choose at least one detector. To stop checking personal data, remove this rule on the policy page."
        ]
