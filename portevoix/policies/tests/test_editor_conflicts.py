"""Two officers editing the policy at once: every save starts from the version its page showed, and
a save made from an older version is refused instead of silently undoing the newer one. Also: a
refused upload shows the uploaded text, and removing a rule says first what goes with it."""

import dataclasses
import datetime
import re
from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from compliance_engine.model import Policy, Scope, TermListSettings, TestCase
from compliance_engine.policyfile import dumps, loads
from compliance_engine.tests.policies import POLICY
from conftest import PASSWORD, Personas
from portevoix.accounts.models import User
from portevoix.accounts.roles import Role
from portevoix.accounts.services import create_person, set_interface_language, set_roles
from portevoix.audit.models import AuditEntry
from portevoix.policies import services
from portevoix.policies.models import PolicyVersion

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db

TESTS = (
    TestCase(text="Le projet Heron avance.", must_find=("confidential-projects",)),
    TestCase(text="Globex lance un produit.", must_find=("competitors",), scope=Scope.AMBASSADORS),
    TestCase(text="Une belle journée.", must_not_find=("confidential-projects",)),
    TestCase(text="Initech recrute.", must_find=("competitors",), scope=Scope.OFFICIAL, note="Un concurrent"),
)
SAVED_AT = datetime.datetime(2026, 11, 27, 9, 30, tzinfo=datetime.UTC)
COMPETITOR_FORM = {
    "rule_id": "competitors",
    "clause": "c-4-2",
    "severity": "warn",
    "scope": ["ambassadors", "official"],
    "message_fr": "Ne citez pas nos concurrents.",
    "message_en": "Do not name our competitors.",
    "suggestion_en": "Talk about our own offer.",
}
CONFLICT = {
    "fr": "Votre modification n’est pas enregistrée\xa0: la version 2 a été enregistrée entre-temps, "  # noqa: RUF001
    "le 27/11/2026 10:30 par Bernard Conformité.",
    "en": "Your change is not saved: version 2 was saved meanwhile, on 11/27/2026 10:30 a.m. by Bernard Conformité.",
}
SEE_CHANGES = {
    "fr": '<a href="/policy/v/2/diff/?against=1" target="_blank" rel="noopener">'
    "Voir ce qui a changé depuis la version 1 (dans un nouvel onglet).</a>",
    "en": '<a href="/policy/v/2/diff/?against=1" target="_blank" rel="noopener">'
    "See what changed since version 1 (opens in a new tab).</a>",
}


@pytest.fixture(autouse=True)
def _forget_compiled_policies() -> None:
    # Compiled policies are cached by version id and creation time; these tests set the time of
    # their version 2, and ids repeat across rolled-back tests.
    services._compiled.cache_clear()


def _second_officer(personas: Personas) -> User:
    return create_person(
        organization=personas.acme,
        email="bernard@acme.test",
        full_name="Bernard Conformité",
        password=PASSWORD,
        roles=frozenset({Role.COMPLIANCE_OFFICER}),
    )


def _start(personas: Personas, policy: Policy = POLICY) -> Client:
    """Version 1 saved by the second officer; a client signed in as him."""
    services.save_version(organization=personas.acme, actor=None, source=dumps(policy), summary="")
    other = Client()
    other.force_login(_second_officer(personas))
    return other


def _saved_meanwhile(other: Client, form: dict[str, object]) -> None:
    """The second officer saves version 2 from version 1, at a known time."""
    assert other.post("/policy/rules/competitors/", {**form, "based_on": 1}).status_code == 302
    PolicyVersion.objects.filter(number=2).update(created_at=SAVED_AT)


def _terms(number: int, rule_id: str = "competitors") -> list[str]:
    version = PolicyVersion.objects.get(number=number)
    rule = next(rule for rule in loads(version.source).rules if rule.id == rule_id)
    assert isinstance(rule.settings, TermListSettings)
    return [entry.text for entry in rule.settings.entries]


def _messages(response: "_MonkeyPatchedWSGIResponse") -> list[str]:
    return re.findall(r'<li class="message [a-z ]+">(.*?)</li>', response.content.decode(), re.DOTALL)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_save_from_an_older_version_is_refused_keeps_what_was_typed_and_loses_nothing(
    client: Client, personas: Personas, language: str
) -> None:
    set_interface_language(person=personas.compliance, language=language)
    other = _start(personas)
    client.force_login(personas.compliance)
    page = client.get("/policy/rules/competitors/")
    assert '<input type="hidden" name="based_on" value="1">' in page.content.decode()

    _saved_meanwhile(other, {**COMPETITOR_FORM, "terms": "Globex\nInitech\nUmbrella"})
    refused = client.post(
        "/policy/rules/competitors/", {**COMPETITOR_FORM, "terms": "Globex\nInitech\nHooli", "based_on": 1}
    )

    assert refused.status_code == 200
    assert PolicyVersion.objects.count() == 2
    assert _terms(2) == ["Globex", "Initech", "Umbrella"]
    content = refused.content.decode()
    assert "Globex\nInitech\nHooli</textarea>" in content
    [notice] = _messages(refused)
    assert notice.startswith(CONFLICT[language] + " " + SEE_CHANGES[language])
    assert '<input type="hidden" name="based_on" value="2">' in content

    # Having read what came since, the officer brings it in and saves on top of version 2.
    merged = {**COMPETITOR_FORM, "terms": "Globex\nInitech\nUmbrella\nHooli", "based_on": 2}
    assert client.post("/policy/rules/competitors/", merged).status_code == 302
    assert _terms(3) == ["Globex", "Initech", "Umbrella", "Hooli"]


def test_the_notice_counts_every_version_saved_meanwhile(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.compliance, language="en")
    other = _start(personas)
    client.force_login(personas.compliance)
    _saved_meanwhile(other, {**COMPETITOR_FORM, "terms": "Globex\nInitech\nUmbrella"})
    assert (
        other.post("/policy/rules/competitors/", {**COMPETITOR_FORM, "terms": "Globex", "based_on": 2}).status_code
        == 302
    )
    PolicyVersion.objects.filter(number=3).update(created_at=SAVED_AT)

    refused = client.post("/policy/rules/competitors/", {**COMPETITOR_FORM, "terms": "Hooli", "based_on": 1})

    [notice] = _messages(refused)
    assert notice.startswith(
        "Your change is not saved: 2 versions were saved meanwhile, the latest, version 3, on 11/27/2026 10:30 a.m. "
        'by Bernard Conformité. <a href="/policy/v/3/diff/?against=1" target="_blank" rel="noopener">'
        "See what changed since version 1 (opens in a new tab).</a>"
    )
    assert PolicyVersion.objects.count() == 3


def test_editing_a_rule_removed_meanwhile_says_it_cannot_be_saved_any_more(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.compliance, language="en")
    other = _start(personas)
    client.force_login(personas.compliance)
    assert other.post("/policy/rules/competitors/delete/", {"based_on": 1}).status_code == 302

    refused = client.post("/policy/rules/competitors/", {**COMPETITOR_FORM, "terms": "Hooli", "based_on": 1})

    assert PolicyVersion.objects.count() == 2
    assert refused.context["form"].non_field_errors() == [
        "Rule competitors is not in version 2: it was removed meanwhile, so this page cannot save it any more. "
        "Copy what you need, then add the rule again as a new one."
    ]
    assert "Hooli</textarea>" in refused.content.decode()


def test_a_new_rule_from_an_older_version_is_refused(client: Client, personas: Personas) -> None:
    other = _start(personas)
    client.force_login(personas.compliance)
    _saved_meanwhile(other, {**COMPETITOR_FORM, "terms": "Globex\nInitech\nUmbrella"})
    form = {**COMPETITOR_FORM, "rule_id": "rivals", "terms": "Hooli", "based_on": 1}

    refused = client.post("/policy/rules/new/terms/", form)

    assert refused.status_code == 200
    assert PolicyVersion.objects.count() == 2
    assert CONFLICT["fr"] in _messages(refused)[0]


def test_a_clause_from_an_older_version_is_refused(client: Client, personas: Personas) -> None:
    other = _start(personas)
    client.force_login(personas.compliance)
    assert '<input type="hidden" name="based_on" value="1">' in client.get("/policy/clauses/c-3-1/").content.decode()
    _saved_meanwhile(other, {**COMPETITOR_FORM, "terms": "Globex\nInitech\nUmbrella"})
    form = {"clause_id": "3.1", "category": "legal_confidentiality", "title_fr": "Projets secrets", "title_en": "x"}

    refused = client.post("/policy/clauses/c-3-1/", {**form, "based_on": 1})

    assert PolicyVersion.objects.count() == 2
    assert CONFLICT["fr"] in _messages(refused)[0]
    assert 'value="Projets secrets"' in refused.content.decode()
    assert client.post("/policy/clauses/c-3-1/", {**form, "based_on": 2}).status_code == 302
    assert _terms(3) == ["Globex", "Initech", "Umbrella"]


def test_a_test_case_from_an_older_version_is_refused(client: Client, personas: Personas) -> None:
    other = _start(personas)
    client.force_login(personas.compliance)
    assert '<input type="hidden" name="based_on" value="1">' in client.get("/policy/tests/new/").content.decode()
    _saved_meanwhile(other, {**COMPETITOR_FORM, "terms": "Globex\nInitech\nUmbrella"})
    case = {"text": "Umbrella ouvre un bureau.", "must_find": ["competitors"], "scope": "ambassadors", "language": "fr"}

    refused = client.post("/policy/tests/new/", {**case, "based_on": 1})

    assert PolicyVersion.objects.count() == 2
    assert CONFLICT["fr"] in _messages(refused)[0]
    assert "Umbrella ouvre un bureau.</textarea>" in refused.content.decode()
    assert client.post("/policy/tests/new/", {**case, "based_on": 2}).status_code == 302
    assert loads(PolicyVersion.objects.get(number=3).source).tests[-1].text == "Umbrella ouvre un bureau."
    assert _terms(3) == ["Globex", "Initech", "Umbrella"]


def test_an_upload_from_an_older_version_is_refused_and_shows_the_uploaded_text(
    client: Client, personas: Personas
) -> None:
    other = _start(personas)
    client.force_login(personas.compliance)
    assert '<input type="hidden" name="based_on" value="1">' in client.get("/policy/file/").content.decode()
    _saved_meanwhile(other, {**COMPETITOR_FORM, "terms": "Globex\nInitech\nUmbrella"})
    uploaded = dumps(dataclasses.replace(POLICY, rules=POLICY.rules[:1]))

    refused = client.post(
        "/policy/file/", {"file": SimpleUploadedFile("politique.toml", uploaded.encode()), "based_on": 1}
    )

    assert PolicyVersion.objects.count() == 2
    assert CONFLICT["fr"] in _messages(refused)[0]
    assert refused.context["form"]["source"].value() == uploaded
    assert '<input type="hidden" name="based_on" value="2">' in refused.content.decode()


def test_the_first_version_made_while_another_officer_made_one_is_refused(client: Client, personas: Personas) -> None:
    client.force_login(personas.compliance)
    assert '<input type="hidden" name="based_on" value="0">' in client.get("/policy/file/").content.decode()
    services.save_version(organization=personas.acme, actor=None, source=dumps(POLICY), summary="")

    refused = client.post("/policy/file/", {"source": dumps(Policy(clauses=POLICY.clauses)), "based_on": 0})

    assert PolicyVersion.objects.count() == 1
    assert (
        '<a href="/policy/v/1/diff/" target="_blank" rel="noopener">Voir ce qui a changé (dans un nouvel onglet).</a>'
        in _messages(refused)[0]
    )
    assert "par la ligne de commande" in _messages(refused)[0]


@pytest.mark.parametrize("based_on", [None, "", "v1", "²", "12345678901234567890"])
def test_a_save_that_does_not_say_its_version_is_refused(
    client: Client, personas: Personas, based_on: str | None
) -> None:
    _start(personas)
    client.force_login(personas.compliance)
    form = {**COMPETITOR_FORM, "terms": "Hooli"} | ({} if based_on is None else {"based_on": based_on})

    response = client.post("/policy/rules/competitors/", form)

    assert response.status_code == 400
    assert PolicyVersion.objects.count() == 1


def test_the_service_refuses_a_change_made_from_an_older_version(personas: Personas) -> None:
    services.save_version(organization=personas.acme, actor=None, source=dumps(POLICY), summary="", based_on=0)
    services.save_version(
        organization=personas.acme, actor=None, source=dumps(Policy(clauses=POLICY.clauses)), summary="", based_on=1
    )

    with pytest.raises(services.VersionConflict) as refused:
        services.save_version(organization=personas.acme, actor=None, source=dumps(POLICY), summary="", based_on=1)

    assert (refused.value.based_on, refused.value.newest.number) == (1, 2)
    assert PolicyVersion.objects.count() == 2
    assert AuditEntry.objects.filter(action="policy.version_saved").count() == 2


# Removing a test case by its position.


def _remove_test(client: Client, index: int, *, based_on: int, text: str) -> "_MonkeyPatchedWSGIResponse":
    return client.post(f"/policy/tests/{index}/delete/", {"based_on": based_on, "text": text}, follow=True)


def test_removing_a_test_case_from_an_older_page_is_refused_instead_of_removing_another(
    client: Client, personas: Personas
) -> None:
    other = _start(personas, dataclasses.replace(POLICY, tests=TESTS))
    client.force_login(personas.compliance)
    page = client.get("/policy/").content.decode()
    assert '<input type="hidden" name="text" value="Une belle journée.">' in page
    assert _remove_test(other, 1, based_on=1, text=TESTS[0].text).status_code == 200
    PolicyVersion.objects.filter(number=2).update(created_at=SAVED_AT)

    refused = _remove_test(client, 3, based_on=1, text="Une belle journée.")

    assert PolicyVersion.objects.count() == 2
    assert loads(PolicyVersion.objects.get(number=2).source).tests == TESTS[1:]
    [notice] = _messages(refused)
    assert notice.startswith(CONFLICT["fr"] + " " + SEE_CHANGES["fr"])
    assert notice.endswith(
        "La liste ci-dessous montre maintenant la version 2\xa0: supprimez à nouveau le cas de test "
        "s’il doit toujours partir."  # noqa: RUF001
    )
    assert refused.redirect_chain == [("/policy/#tests-heading", 302)]

    # From the page as it is now, the same test case is number 2.
    assert _remove_test(client, 2, based_on=2, text="Une belle journée.").status_code == 200
    assert loads(PolicyVersion.objects.get(number=3).source).tests == (TESTS[1], TESTS[3])


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Le cas de test 3 de la version 1 n’est pas celui que montrait la page\xa0: rien n’est supprimé."),  # noqa: RUF001
        ("en", "Test case 3 of version 1 is not the one the page showed: nothing is removed."),
    ],
)
def test_removing_a_test_case_whose_text_is_not_the_one_shown_is_refused(
    client: Client, personas: Personas, language: str, message: str
) -> None:
    set_interface_language(person=personas.compliance, language=language)
    _start(personas, dataclasses.replace(POLICY, tests=TESTS))
    client.force_login(personas.compliance)

    refused = _remove_test(client, 3, based_on=1, text="Initech recrute.")

    assert _messages(refused) == [message]
    assert PolicyVersion.objects.count() == 1


def test_a_test_case_text_with_line_breaks_matches_as_the_browser_sends_it(client: Client, personas: Personas) -> None:
    case = TestCase(text="Première ligne.\nProjet Heron.", must_find=("confidential-projects",))
    _start(personas, dataclasses.replace(POLICY, tests=(case,)))
    client.force_login(personas.compliance)

    _remove_test(client, 1, based_on=1, text="Première ligne.\r\nProjet Heron.")

    assert loads(PolicyVersion.objects.get(number=2).source).tests == ()


# Removing a rule.


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "fr",
            [
                "Supprimer la règle competitors\xa0?",
                "2 cas de test citent cette règle et sont supprimés avec elle",
                "Supprimer la règle et ses 2 cas de test",
            ],
        ),
        (
            "en",
            [
                "Remove rule competitors?",
                "2 test cases name this rule and are removed with it",
                "Remove the rule and its 2 test cases",
            ],
        ),
    ],
)
def test_removing_a_rule_first_says_which_test_cases_go_with_it(
    client: Client, personas: Personas, language: str, texts: list[str]
) -> None:
    set_interface_language(person=personas.compliance, language=language)
    _start(personas, dataclasses.replace(POLICY, tests=TESTS))
    client.force_login(personas.compliance)
    assert 'href="/policy/rules/competitors/delete/"' in client.get("/policy/").content.decode()

    page = client.get("/policy/rules/competitors/delete/")

    content = page.content.decode()
    for text in texts:
        assert text in content
    assert [item.strip() for item in re.findall(r"<blockquote>(.*?)</blockquote>", content)] == [
        "Globex lance un produit.",
        "Initech recrute.",
    ]
    assert '<li value="2">' in content
    assert '<li value="4">' in content
    assert '<input type="hidden" name="based_on" value="1">' in content
    assert PolicyVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "La règle competitors est supprimée, avec les 2 cas de test qui la citaient."),
        ("en", "Rule competitors is removed, with the 2 test cases that named it."),
    ],
)
def test_removing_a_rule_says_how_many_test_cases_went_with_it(
    client: Client, personas: Personas, language: str, message: str
) -> None:
    set_interface_language(person=personas.compliance, language=language)
    _start(personas, dataclasses.replace(POLICY, tests=TESTS))
    client.force_login(personas.compliance)

    response = client.post("/policy/rules/competitors/delete/", {"based_on": 1}, follow=True)

    assert response.redirect_chain == [("/policy/v/2/", 302)]
    assert _messages(response)[0] == message
    policy = loads(PolicyVersion.objects.get(number=2).source)
    assert "competitors" not in {rule.id for rule in policy.rules}
    assert policy.tests == (TESTS[0], TESTS[2])


def test_removing_a_rule_no_test_case_names_says_so(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.compliance, language="en")
    _start(personas, dataclasses.replace(POLICY, tests=TESTS))
    client.force_login(personas.compliance)
    assert (
        "No test case names this rule: only the rule is removed."
        in client.get("/policy/rules/personal-data/delete/").content.decode()
    )

    response = client.post("/policy/rules/personal-data/delete/", {"based_on": 1}, follow=True)

    assert _messages(response)[0] == "Rule personal-data is removed; no test case named it."
    assert loads(PolicyVersion.objects.get(number=2).source).tests == TESTS


def test_removing_a_rule_from_an_older_page_is_refused_and_shows_what_would_go_now(
    client: Client, personas: Personas
) -> None:
    other = _start(personas, dataclasses.replace(POLICY, tests=TESTS))
    client.force_login(personas.compliance)
    _remove_test(other, 4, based_on=1, text="Initech recrute.")
    PolicyVersion.objects.filter(number=2).update(created_at=SAVED_AT)

    refused = client.post("/policy/rules/competitors/delete/", {"based_on": 1})

    assert refused.status_code == 200
    assert PolicyVersion.objects.count() == 2
    assert CONFLICT["fr"] in _messages(refused)[0]
    content = refused.content.decode()
    assert "Supprimer la règle et son cas de test" in content
    assert '<input type="hidden" name="based_on" value="2">' in content


def test_people_without_the_policy_role_cannot_remove_a_rule(client: Client, personas: Personas) -> None:
    _start(personas, dataclasses.replace(POLICY, tests=TESTS))
    for role, person in personas.by_role().items():
        if role == "compliance_officer":
            continue
        client.force_login(person)
        assert client.get("/policy/rules/competitors/delete/").status_code == 403, role
        assert client.post("/policy/rules/competitors/delete/", {"based_on": 1}).status_code == 403, role
        assert client.post("/policy/tests/2/delete/", {"based_on": 1, "text": TESTS[1].text}).status_code == 403
    assert PolicyVersion.objects.count() == 1


def test_another_organisations_officer_cannot_see_or_remove_a_rule(client: Client, personas: Personas) -> None:
    _start(personas, dataclasses.replace(POLICY, tests=TESTS))
    set_roles(person=personas.outsider, roles=frozenset({Role.COMPLIANCE_OFFICER}), actor=personas.outsider)
    client.force_login(personas.outsider)

    assert client.get("/policy/rules/competitors/delete/").status_code == 404
    assert client.post("/policy/rules/competitors/delete/", {"based_on": 1}).status_code == 404
    assert client.post("/policy/tests/2/delete/", {"based_on": 1, "text": TESTS[1].text}).status_code == 404
    assert PolicyVersion.objects.count() == 1


# A refused upload.


@pytest.mark.parametrize(
    ("language", "hint"),
    [
        (
            "fr",
            "Le texte du fichier «\xa0politique.toml\xa0» est dans la zone ci-dessous\xa0: "
            "corrigez-le là, puis enregistrez.",
        ),
        ("en", "The text of the file “politique.toml” is in the box below: correct it there, then save."),
    ],
)
def test_a_refused_upload_shows_the_uploaded_text_where_the_error_points(
    client: Client, personas: Personas, language: str, hint: str
) -> None:
    set_interface_language(person=personas.compliance, language=language)
    _start(personas)
    client.force_login(personas.compliance)
    broken = dumps(POLICY) + "\n[[rule]\nid = 'oops'\n"

    response = client.post(
        "/policy/file/", {"file": SimpleUploadedFile("politique.toml", broken.encode()), "based_on": 1}
    )

    assert response.status_code == 200
    assert response.context["form"]["source"].value() == broken
    content = response.content.decode()
    assert "id = &#x27;oops&#x27;\n</textarea>" in content
    assert hint in content
    assert PolicyVersion.objects.count() == 1
