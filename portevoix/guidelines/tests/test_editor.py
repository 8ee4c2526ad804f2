"""Writing the guidelines (G1): drafts, clauses with stable anchors, languages that lag, diff, and who may write."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Personas
from portevoix.accounts.roles import Role
from portevoix.accounts.services import set_interface_language, set_roles
from portevoix.audit.models import AuditEntry
from portevoix.guidelines import selectors, services
from portevoix.guidelines.diff import Change, compare, word_diff
from portevoix.guidelines.models import GuidelinesClause, GuidelinesVersion
from portevoix.guidelines.tests.factories import FIRST, clause_data, published, write_draft

pytestmark = pytest.mark.django_db

CLAUSE_FORM = {
    "anchor": "3.1",
    "number": "3.1",
    "position": "31",
    "category": "legal_confidentiality",
    "title_fr": "Projets confidentiels",
    "title_en": "Confidential projects",
    "body_fr": "Ne citez **jamais** un projet confidentiel.",
    "body_en": "Never name a **confidential** project.",
    "do_examples_fr": "",
    "do_examples_en": "",
    "dont_examples_fr": "",
    "dont_examples_en": "",
}


def test_director_writes_a_first_draft_and_adds_a_clause_in_both_languages(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.director, language="en")
    client.force_login(personas.director)
    response = client.post("/guidelines/drafts/new/")
    assert response.status_code == 302
    assert response["Location"] == "/guidelines/v/1/edit/"
    response = client.post("/guidelines/v/1/clauses/new/", CLAUSE_FORM)
    assert response.status_code == 302
    clause = GuidelinesClause.objects.get(version__organization=personas.acme)
    assert (clause.anchor, clause.number, clause.category) == ("3.1", "3.1", "legal_confidentiality")
    assert clause.body_en == "Never name a **confidential** project."
    assert clause.lagging_languages == []
    actions = list(AuditEntry.objects.filter(organization=personas.acme).values_list("action", flat=True))
    assert actions[-2:] == ["guidelines.draft_created", "guidelines.clause_saved"]
    page = client.get("/guidelines/v/1/edit/").content.decode()
    assert "up to date" in page


def test_editing_one_language_only_warns_that_the_other_lags(client: Client, personas: Personas) -> None:
    draft = write_draft(personas.compliance, clause_data("3.1", "3.1"))
    set_interface_language(person=personas.compliance, language="en")
    client.force_login(personas.compliance)
    form = CLAUSE_FORM | {"body_fr": "Un texte français plus récent."}
    form.pop("anchor")
    client.post(f"/guidelines/v/{draft.number}/clauses/3.1/", form)
    clause = GuidelinesClause.objects.get(version=draft, anchor="3.1")
    assert clause.fr_updated_at is not None
    assert clause.en_updated_at is not None
    clause.en_updated_at = timezone.now() - datetime.timedelta(hours=1)
    clause.save(update_fields=["en_updated_at"])
    client.post(f"/guidelines/v/{draft.number}/clauses/3.1/", form | {"body_fr": "Encore plus récent."})
    clause.refresh_from_db()
    assert clause.lagging_languages == ["en"]
    page = client.get(f"/guidelines/v/{draft.number}/clauses/3.1/").content.decode()
    assert "The English text lags behind the other language" in page
    assert "English lags" in client.get(f"/guidelines/v/{draft.number}/edit/").content.decode()


def test_a_missing_translation_is_a_lagging_language() -> None:
    clause = GuidelinesClause(title_fr="Titre", title_en="", body_fr="Texte", body_en="")
    assert clause.lagging_languages == ["en"]


def test_anchor_never_changes_once_created(client: Client, personas: Personas) -> None:
    draft = write_draft(personas.director, clause_data("3.1", "3.1"))
    client.force_login(personas.director)
    client.post(f"/guidelines/v/{draft.number}/clauses/3.1/", CLAUSE_FORM | {"anchor": "other", "number": "3.2"})
    assert list(GuidelinesClause.objects.filter(version=draft).values_list("anchor", "number")) == [("3.1", "3.2")]


def test_a_second_clause_with_the_same_anchor_is_refused(client: Client, personas: Personas) -> None:
    draft = write_draft(personas.director, clause_data("3.1", "3.1"))
    set_interface_language(person=personas.director, language="en")
    client.force_login(personas.director)
    response = client.post(f"/guidelines/v/{draft.number}/clauses/new/", CLAUSE_FORM)
    assert response.status_code == 200
    assert "Another clause already has the anchor “3.1”." in response.content.decode()
    assert GuidelinesClause.objects.filter(version=draft).count() == 1


def test_new_draft_copies_the_published_clauses_with_their_anchors(personas: Personas) -> None:
    first = published(personas.director, *FIRST)
    draft = services.create_draft(organization=personas.acme, actor=personas.director)
    assert draft.number == 2
    assert draft.based_on == first
    assert [(c.anchor, c.body_fr) for c in selectors.clauses_of(draft)] == [
        (c.anchor, c.body_fr) for c in selectors.clauses_of(first)
    ]
    with pytest.raises(services.GuidelinesRefused):
        services.create_draft(organization=personas.acme, actor=personas.director)


def test_a_published_version_is_never_edited(client: Client, personas: Personas) -> None:
    version = published(personas.director, *FIRST)
    client.force_login(personas.director)
    assert client.get(f"/guidelines/v/{version.number}/edit/").status_code == 404
    assert client.post(f"/guidelines/v/{version.number}/clauses/3.1/", CLAUSE_FORM).status_code == 404
    with pytest.raises(services.GuidelinesRefused):
        services.save_clause(version=version, actor=personas.director, data=clause_data("x", "9.9"))
    assert GuidelinesClause.objects.filter(version=version).count() == 2


def test_word_diff_keeps_unchanged_words_and_marks_the_others() -> None:
    segments = word_diff("Never name a project.", "Never name a confidential project.")
    assert [(s.operation, s.text) for s in segments] == [
        ("equal", "Never name a "),
        ("insert", "confidential "),
        ("equal", "project."),
    ]


def test_diff_between_any_two_versions_lists_added_removed_and_changed_clauses(
    client: Client, personas: Personas
) -> None:
    published(personas.director, *FIRST)
    second = write_draft(
        personas.director,
        clause_data("3.1", "3.1", fr="Texte changé.", en="Changed text.", category="legal_confidentiality"),
        clause_data("5.1", "5.1"),
    )
    services.delete_clause(
        clause=GuidelinesClause.objects.get(version=second, anchor="respect"), actor=personas.director
    )
    diffs = {diff.anchor: diff for diff in compare(selectors.clauses_of(GuidelinesVersion.objects.get(number=1)),
                                                   selectors.clauses_of(second))}  # fmt: skip
    assert {anchor: diff.change for anchor, diff in diffs.items()} == {
        "3.1": Change.CHANGED,
        "5.1": Change.ADDED,
        "respect": Change.REMOVED,
    }
    assert [(f.field, f.language) for f in diffs["3.1"].fields] == [("body", "fr"), ("body", "en")]
    client.force_login(personas.hr)  # dashboard roles read the diff too (Hélène reads English)
    page = client.get("/guidelines/v/2/diff/?against=1").content.decode()
    assert "<del>Text of clause 3.1.</del><ins>Changed text.</ins>" in page
    assert "Removed" in page
    assert "Added" in page


@pytest.mark.parametrize("role", ["hr", "community_manager", "employee", "ambassador", "administrator"])
def test_only_writers_may_create_or_edit_drafts(client: Client, personas: Personas, role: str) -> None:
    draft = write_draft(personas.director, clause_data("3.1", "3.1"))
    client.force_login(personas.by_role()[role])
    assert client.post("/guidelines/drafts/new/").status_code == 403
    assert client.get(f"/guidelines/v/{draft.number}/edit/").status_code == 403
    response = client.post(f"/guidelines/v/{draft.number}/clauses/3.1/", CLAUSE_FORM | {"body_en": "Hacked"})
    assert response.status_code == 403
    assert b"Acme" not in response.content
    assert GuidelinesClause.objects.get(version=draft).body_en == "Text of clause 3.1."
    publish = {"audience": "everyone", "reminder_every_days": "7", "reminder_max_count": "3"}
    assert client.post(f"/guidelines/v/{draft.number}/publish/", publish).status_code == 403
    draft.refresh_from_db()
    assert draft.is_draft


def test_a_draft_of_another_organisation_is_a_404(client: Client, personas: Personas) -> None:
    draft = write_draft(personas.director, clause_data("3.1", "3.1"))
    outsider = personas.outsider
    set_roles(person=outsider, roles=frozenset({Role.COMMUNICATION_DIRECTOR}), actor=outsider)
    client.force_login(outsider)
    assert client.get(f"/guidelines/v/{draft.number}/edit/").status_code == 404
    assert client.get(f"/guidelines/v/{draft.number}/").status_code == 404
    assert client.post(f"/guidelines/v/{draft.number}/clauses/3.1/delete/").status_code == 404
    assert GuidelinesClause.objects.filter(version=draft).count() == 1


def test_an_anchor_must_be_a_short_lowercase_key(client: Client, personas: Personas) -> None:
    draft = write_draft(personas.director)
    set_interface_language(person=personas.director, language="en")
    client.force_login(personas.director)
    response = client.post(f"/guidelines/v/{draft.number}/clauses/new/", CLAUSE_FORM | {"anchor": "Bad anchor!"})
    assert response.status_code == 200
    assert "Use lowercase letters, digits, dots and hyphens" in response.content.decode()
    assert not GuidelinesClause.objects.filter(version=draft).exists()


def test_diff_is_refused_to_employees(client: Client, personas: Personas) -> None:
    published(personas.director, *FIRST)
    write_draft(personas.director, clause_data("5.1", "5.1"))
    client.force_login(personas.employee)
    response = client.get("/guidelines/v/2/diff/?against=1")
    assert response.status_code == 403
    assert b"Text of clause" not in response.content
