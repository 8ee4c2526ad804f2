"""The policy editor: versions from forms and files, diff, publication, audit, and who may do it."""

import dataclasses
from typing import TYPE_CHECKING

import pytest
from django.test import Client

from compliance_engine.model import Policy, Severity, TermEntry, TermListSettings
from compliance_engine.policyfile import dumps, loads
from compliance_engine.tests.policies import POLICY
from conftest import Personas
from portevoix.audit.models import AuditEntry
from portevoix.policies import services
from portevoix.policies.models import PolicySettings, PolicyVersion

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db


def _upload(client: Client, source: str, summary: str = "") -> "_MonkeyPatchedWSGIResponse":
    newest = PolicyVersion.objects.order_by("-number").values_list("number", flat=True).first()
    return client.post("/policy/file/", {"source": source, "summary": summary, "based_on": newest or 0})


def _latest_policy(personas: Personas) -> Policy:
    latest = services.latest_version(personas.acme)
    assert latest is not None
    return loads(latest.source)


def test_uploaded_file_becomes_version_one_in_canonical_form_and_is_audited(client: Client, personas: Personas) -> None:
    client.force_login(personas.compliance)
    messy = "\n\n" + dumps(POLICY).replace("\n", "\n\n")
    response = _upload(client, messy, "Première version")
    version = PolicyVersion.objects.get(organization=personas.acme)
    assert response.status_code == 302
    assert response["Location"] == "/policy/v/1/"
    assert version.number == 1
    assert version.source == dumps(POLICY)
    assert loads(version.source) == POLICY
    entry = AuditEntry.objects.get(organization=personas.acme, action="policy.version_saved")
    assert entry.actor == personas.compliance
    assert entry.data["number"] == 1
    assert entry.data["summary"] == "Première version"


def test_invalid_file_says_where_keeps_the_text_and_saves_nothing(client: Client, personas: Personas) -> None:
    client.force_login(personas.compliance)
    broken = dumps(POLICY) + "\n[[rule]\nid = 'oops'\n"
    response = _upload(client, broken)
    assert response.status_code == 200
    content = response.content.decode()
    assert "line" in content.lower() or "ligne" in content.lower()
    assert "id = &#x27;oops&#x27;" in content  # the text is still in the text area
    assert not PolicyVersion.objects.exists()
    assert not AuditEntry.objects.filter(action="policy.version_saved").exists()


def test_saving_the_same_text_again_is_refused(client: Client, personas: Personas) -> None:
    client.force_login(personas.compliance)
    _upload(client, dumps(POLICY))
    response = _upload(client, dumps(POLICY))
    assert response.status_code == 200
    assert "version 1" in response.content.decode()
    assert PolicyVersion.objects.count() == 1


def test_publishing_makes_the_version_apply_and_is_audited(client: Client, personas: Personas) -> None:
    client.force_login(personas.compliance)
    _upload(client, dumps(POLICY))
    assert services.check_text(user=personas.employee, text="Le projet Heron", channel="web") is None
    response = client.post("/policy/v/1/publish/")
    assert response.status_code == 302
    assert PolicySettings.objects.get(organization=personas.acme).active_version.number == 1  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(organization=personas.acme, action="policy.published").count() == 1
    result = services.check_text(user=personas.employee, text="Le projet Heron avance", channel="web")
    assert result is not None
    assert [finding.rule_id for finding in result[0].findings] == ["confidential-projects"]


def test_term_list_form_takes_a_pasted_list_with_context_options_and_makes_a_new_version(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.compliance)
    _upload(client, dumps(POLICY))
    page = client.get("/policy/rules/confidential-projects/")
    assert "Atlas [context: projet, project; qualifiers: hashtag]" in page.content.decode()
    form = {
        "rule_id": "confidential-projects",
        "clause": "c-3-1",
        "severity": "block",
        "scope": ["everyone"],
        "message_fr": "Ce projet est confidentiel.",
        "message_en": "This project is confidential.",
        "suggestion_fr": "Retirez le nom du projet.",
        "suggestion_en": "Remove the project's name.",
        "terms": "Heron\n\n  Projet Heron  \nAtlas [context: projet, project; qualifiers: hashtag]\nBoréal\nHeron\n",
        "summary": "Ajout de Boréal",
        "based_on": 1,
    }
    response = client.post("/policy/rules/confidential-projects/", form)
    assert response.status_code == 200  # the repeated "Heron" is named, and taken out for a second look
    assert PolicyVersion.objects.count() == 1
    merged = "Heron\nProjet Heron\nAtlas [context: projet, project; qualifiers: hashtag]\nBoréal"
    assert response.context["form"]["terms"].value() == merged
    response = client.post("/policy/rules/confidential-projects/", {**form, "terms": merged})
    assert response.status_code == 302
    settings = _latest_policy(personas).rules[0].settings
    assert isinstance(settings, TermListSettings)
    assert [entry.text for entry in settings.entries] == ["Heron", "Projet Heron", "Atlas", "Boréal"]
    assert settings.entries[2].context_words == ("projet", "project")
    diff = client.get("/policy/v/2/diff/").content.decode()
    assert "Boréal" in diff
    assert "Confidentiel" not in diff.split("Boréal")[0][-50:]  # only the changed lines around it


def test_term_list_form_explains_a_bad_option_by_line(client: Client, personas: Personas) -> None:
    client.force_login(personas.compliance)
    _upload(client, dumps(POLICY))
    form = {
        "rule_id": "confidential-projects",
        "clause": "c-3-1",
        "severity": "block",
        "scope": ["everyone"],
        "message_fr": "x",
        "message_en": "x",
        "terms": "Heron\nAtlas [contxt: projet]\n",
        "based_on": 1,
    }
    response = client.post("/policy/rules/confidential-projects/", form)
    assert response.status_code == 200
    assert "contxt" in response.content.decode()
    assert PolicyVersion.objects.count() == 1


def test_quiet_period_form_refuses_an_end_before_the_start(client: Client, personas: Personas) -> None:
    client.force_login(personas.compliance)
    _upload(client, dumps(POLICY))
    form = {
        "rule_id": "quiet-period-q1",
        "clause": "c-3-1",
        "severity": "warn",
        "scope": ["everyone"],
        "message_fr": "x",
        "message_en": "x",
        "start": "2026-03-31",
        "end": "2026-03-01",
        "terms": "revenue",
        "based_on": 1,
    }
    response = client.post("/policy/rules/quiet-period-q1/", form)
    assert response.status_code == 200
    assert PolicyVersion.objects.count() == 1


def test_renaming_a_clause_moves_the_rules_that_cite_it(client: Client, personas: Personas) -> None:
    client.force_login(personas.compliance)
    _upload(client, dumps(POLICY))
    form = {
        "clause_id": "3.1",
        "category": "legal_confidentiality",
        "title_fr": "Projets",
        "title_en": "Projects",
        "based_on": 1,
    }
    response = client.post("/policy/clauses/c-3-1/", form)
    assert response.status_code == 302
    policy = _latest_policy(personas)
    assert "3.1" in {clause.id for clause in policy.clauses}
    assert {rule.clause_id for rule in policy.rules if rule.id in {"confidential-projects", "quiet-period-q1"}} == {
        "3.1"
    }


def test_removing_a_rule_makes_a_version_without_it(client: Client, personas: Personas) -> None:
    client.force_login(personas.compliance)
    _upload(client, dumps(POLICY))
    client.post("/policy/rules/competitors/delete/", {"based_on": 1})
    assert "competitors" not in {rule.id for rule in _latest_policy(personas).rules}
    assert PolicyVersion.objects.count() == 2


def test_new_rule_of_each_kind_has_its_own_form(client: Client, personas: Personas) -> None:
    client.force_login(personas.compliance)
    _upload(client, dumps(POLICY))
    for kind, field in [
        ("terms", "terms"),
        ("quiet_period", "start"),
        ("personal_data", "detectors"),
        ("links", "blocked_domains"),
        ("disclosure", "accepted_wordings"),
        ("tone", "categories"),
        ("custom", "patterns"),
    ]:
        response = client.get(f"/policy/rules/new/{kind}/")
        assert response.status_code == 200, kind
        assert f'name="{field}"' in response.content.decode(), kind
    assert client.get("/policy/rules/new/nonsense/").status_code == 404


def test_new_custom_rule_refuses_an_invalid_pattern(client: Client, personas: Personas) -> None:
    client.force_login(personas.compliance)
    _upload(client, dumps(POLICY))
    form = {
        "rule_id": "tickets",
        "clause": "c-3-1",
        "severity": "warn",
        "scope": ["everyone"],
        "message_fr": "Référence interne.",
        "message_en": "Internal reference.",
        "patterns": "INC-\\d{6}\n(unclosed",
        "based_on": 1,
    }
    response = client.post("/policy/rules/new/custom/", form)
    assert response.status_code == 200
    assert "Pattern 2" in response.content.decode() or "motif 2" in response.content.decode().lower()
    form["patterns"] = "INC-\\d{6}"
    assert client.post("/policy/rules/new/custom/", form).status_code == 302
    assert "tickets" in {rule.id for rule in _latest_policy(personas).rules}


def test_download_gives_the_stored_file(client: Client, personas: Personas) -> None:
    client.force_login(personas.compliance)
    _upload(client, dumps(POLICY))
    response = client.get("/policy/v/1/download/")
    assert response["Content-Disposition"] == 'attachment; filename="policy-v1.toml"'
    assert loads(response.content.decode()) == POLICY


def test_archiving_switch_is_audited(client: Client, personas: Personas) -> None:
    client.force_login(personas.compliance)
    client.post("/policy/archiving/", {"archive_drafts": "on"})
    assert PolicySettings.objects.get(organization=personas.acme).archive_drafts
    assert AuditEntry.objects.filter(action="policy.archiving_changed").count() == 1


EDITOR_PAGES = [
    ("get", "/policy/"),
    ("get", "/policy/file/"),
    ("get", "/policy/clauses/new/"),
    ("get", "/policy/rules/new/terms/"),
    ("get", "/policy/rules/competitors/"),
    ("get", "/policy/v/1/"),
    ("get", "/policy/v/1/diff/"),
    ("get", "/policy/v/1/download/"),
    ("post", "/policy/v/1/publish/"),
    ("post", "/policy/rules/competitors/delete/"),
    ("post", "/policy/archiving/"),
]


@pytest.mark.parametrize(("method", "url"), EDITOR_PAGES)
def test_only_the_compliance_officer_reaches_the_editor(
    client: Client, personas: Personas, method: str, url: str
) -> None:
    services.save_version(organization=personas.acme, actor=None, source=dumps(POLICY), summary="")
    for role, person in personas.by_role().items():
        client.force_login(person)
        response = getattr(client, method)(url, {"based_on": 1} if method == "post" else {})
        if role == "compliance_officer":
            assert response.status_code in {200, 302}, (role, url)
        else:
            assert response.status_code == 403, (role, url)
            assert b"confidential" not in response.content


def test_another_organisations_versions_are_not_found(client: Client, personas: Personas) -> None:
    services.save_version(organization=personas.acme, actor=None, source=dumps(POLICY), summary="")
    globex_officer = personas.outsider
    from portevoix.accounts.roles import Role
    from portevoix.accounts.services import set_roles

    set_roles(person=globex_officer, roles=frozenset({Role.COMPLIANCE_OFFICER}), actor=globex_officer)
    client.force_login(globex_officer)
    assert client.get("/policy/v/1/").status_code == 404
    assert client.get("/policy/v/1/download/").status_code == 404
    assert client.post("/policy/v/1/publish/").status_code == 404
    assert b"Heron" not in client.get("/policy/").content


def test_rule_forms_start_from_the_policy_as_stored(client: Client, personas: Personas) -> None:
    changed = dataclasses.replace(POLICY, rules=POLICY.rules[:1])
    services.save_version(organization=personas.acme, actor=None, source=dumps(changed), summary="")
    client.force_login(personas.compliance)
    assert client.get("/policy/rules/competitors/").status_code == 404


def test_a_test_case_that_fails_keeps_the_version_from_being_published(client: Client, personas: Personas) -> None:
    client.force_login(personas.compliance)
    _upload(client, dumps(POLICY))
    client.post("/policy/v/1/publish/")
    case = {"text": "Le vent se lève sur le projet Heron.", "must_not_find": ["confidential-projects"]}
    response = client.post("/policy/tests/new/", {**case, "scope": "everyone", "language": "fr", "based_on": 1})
    assert response.status_code == 302
    version = PolicyVersion.objects.get(number=2)
    assert version.tests_failed == 1
    detail = client.get("/policy/v/2/").content.decode()
    assert "Le vent se lève sur le projet Heron." in detail
    assert "confidential-projects" in detail
    refused = client.post("/policy/v/2/publish/", follow=True)
    assert "cannot be published" in refused.content.decode() or "ne peut pas être publiée" in refused.content.decode()
    assert PolicySettings.objects.get(organization=personas.acme).active_version.number == 1  # type: ignore[union-attr]

    client.post("/policy/tests/1/delete/", {"based_on": 2, "text": case["text"]})
    assert PolicyVersion.objects.get(number=3).tests_failed == 0
    assert client.post("/policy/v/3/publish/").status_code == 302
    assert PolicySettings.objects.get(organization=personas.acme).active_version.number == 3  # type: ignore[union-attr]


def test_a_test_case_must_say_what_it_expects(client: Client, personas: Personas) -> None:
    client.force_login(personas.compliance)
    _upload(client, dumps(POLICY))
    response = client.post(
        "/policy/tests/new/", {"text": "Bonjour", "scope": "everyone", "language": "fr", "based_on": 1}
    )
    assert response.status_code == 200
    assert PolicyVersion.objects.count() == 1
    contradiction = {"text": "Heron", "must_find": ["competitors"], "must_not_find": ["competitors"]}
    both = client.post("/policy/tests/new/", {**contradiction, "scope": "everyone", "language": "fr", "based_on": 1})
    assert "competitors" in both.content.decode()
    assert PolicyVersion.objects.count() == 1


def test_the_diff_says_in_sentences_what_changed(client: Client, personas: Personas) -> None:
    personas.compliance.language = "en"
    personas.compliance.save(update_fields=["language"])
    client.force_login(personas.compliance)
    _upload(client, dumps(POLICY))
    projects = POLICY.rules[0]
    assert isinstance(projects.settings, TermListSettings)
    changed_rule = dataclasses.replace(
        projects,
        severity=Severity.WARN,
        settings=TermListSettings(entries=(*projects.settings.entries[1:], TermEntry("Boréal"))),
    )
    changed = dataclasses.replace(POLICY, rules=(changed_rule, *POLICY.rules[2:]))
    _upload(client, dumps(changed))
    changes = client.get("/policy/v/2/diff/").context["changes"]
    assert changes == [
        "Rule confidential-projects: severity Block → Warning.",
        "Rule confidential-projects: “Boréal” added.",
        "Rule confidential-projects: “Heron” removed.",
        "Rule competitors removed.",
    ]
    back = client.get("/policy/v/1/diff/?against=2").context["changes"]
    assert "Rule competitors added." in back
