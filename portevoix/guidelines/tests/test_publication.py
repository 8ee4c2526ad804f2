"""Publishing (G2): audience evaluated when read, archiving, what changed, and acknowledging."""

import datetime

import pytest
from django.test import Client

from conftest import Personas
from portevoix.accounts.models import Department
from portevoix.accounts.services import create_person, set_interface_language
from portevoix.audit.models import AuditEntry
from portevoix.guidelines import selectors, services
from portevoix.guidelines.models import Acknowledgement, GuidelinesVersion
from portevoix.guidelines.selectors import Audience
from portevoix.guidelines.services import Publication
from portevoix.guidelines.tests.factories import FIRST, clause_data, published, write_draft

pytestmark = pytest.mark.django_db


def _engineering(personas: Personas) -> Department:
    return Department.objects.get(organization=personas.acme, name="Engineering")


def test_director_publishes_a_draft_to_one_department_from_the_form(client: Client, personas: Personas) -> None:
    draft = write_draft(personas.director, *FIRST)
    client.force_login(personas.director)
    form = {
        "audience": "groups",
        "departments": [str(_engineering(personas).pk)],
        "reminder_every_days": "5",
        "reminder_max_count": "2",
    }
    response = client.post(f"/guidelines/v/{draft.number}/publish/", form)
    assert response.status_code == 302
    assert response["Location"] == f"/guidelines/v/{draft.number}/completion/"
    draft.refresh_from_db()
    assert draft.status == GuidelinesVersion.Status.PUBLISHED
    assert len(draft.content_hash) == 64
    assert (draft.reminder_every_days, draft.reminder_max_count) == (5, 2)
    targeted = set(selectors.audience_people(draft).values_list("email", flat=True))
    assert targeted == {"alice@acme.test", "bob@acme.test"}
    entry = AuditEntry.objects.get(organization=personas.acme, action="guidelines.published")
    assert entry.data["audience"]["departments"] == [_engineering(personas).pk]


def test_publishing_to_a_group_without_any_group_is_refused(client: Client, personas: Personas) -> None:
    draft = write_draft(personas.director, *FIRST)
    client.force_login(personas.director)
    form = {"audience": "groups", "reminder_every_days": "7", "reminder_max_count": "3"}
    response = client.post(f"/guidelines/v/{draft.number}/publish/", form)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.is_draft


def test_people_hired_later_are_targeted_without_publishing_again(personas: Personas) -> None:
    cutoff = datetime.date(2025, 1, 1)
    version = published(personas.director, *FIRST, publication=Publication(audience=Audience(hired_after=cutoff)))
    assert list(selectors.audience_people(version)) == []
    newcomer = create_person(
        organization=personas.acme, email="nina@acme.test", full_name="Nina New", hire_date=datetime.date(2025, 3, 1)
    )
    assert list(selectors.audience_people(version)) == [newcomer]
    assert selectors.published_version_for(newcomer) == version
    assert selectors.published_version_for(personas.employee) is None


def test_publishing_archives_the_previous_version(personas: Personas) -> None:
    first = published(personas.director, *FIRST)
    second = published(personas.director, clause_data("5.1", "5.1"))
    first.refresh_from_db()
    assert first.status == GuidelinesVersion.Status.ARCHIVED
    assert second.status == GuidelinesVersion.Status.PUBLISHED
    assert selectors.published_version(personas.acme) == second
    actions = AuditEntry.objects.filter(
        organization=personas.acme, action__in=["guidelines.archived", "guidelines.published"]
    )
    assert list(actions.order_by("sequence").values_list("action", flat=True)) == [
        "guidelines.published", "guidelines.archived", "guidelines.published"
    ]  # fmt: skip


def test_employee_acknowledges_with_the_version_hash_and_once_only(client: Client, personas: Personas) -> None:
    version = published(personas.director, *FIRST)
    set_interface_language(person=personas.employee, language="en")
    client.force_login(personas.employee)
    page = client.get(f"/guidelines/v/{version.number}/").content.decode()
    assert "I have read and I acknowledge" in page
    client.post(f"/guidelines/v/{version.number}/acknowledge/")
    client.post(f"/guidelines/v/{version.number}/acknowledge/")
    acknowledgement = Acknowledgement.objects.get(version=version)
    assert acknowledgement.person == personas.employee
    assert acknowledgement.content_hash == version.content_hash == services.content_hash(version)
    assert AuditEntry.objects.filter(action="guidelines.acknowledged").count() == 1
    assert "I have read and I acknowledge" not in client.get(f"/guidelines/v/{version.number}/").content.decode()


def test_reading_page_is_in_the_persons_language_with_a_notice_when_it_falls_back(
    client: Client, personas: Personas
) -> None:
    untranslated = clause_data("5.1", "5.1", en="Only in English.")
    untranslated.texts.update(title_fr="", body_fr="")
    version = published(personas.director, clause_data("3.1", "3.1", fr="Texte en français."), untranslated)
    set_interface_language(person=personas.employee, language="fr")
    client.force_login(personas.employee)
    page = client.get(f"/guidelines/v/{version.number}/").content.decode()
    assert "<p>Texte en français.</p>" in page
    assert "<p>Only in English.</p>" in page
    assert 'class="alert"' in page


def test_changed_clauses_come_first_for_people_who_acknowledged_before(client: Client, personas: Personas) -> None:
    first = published(personas.director, *FIRST)
    services.acknowledge(version=first, person=personas.employee)
    changed = clause_data("3.1", "3.1", fr="Nouveau.", en="New.", category="legal_confidentiality")
    second = published(personas.director, changed, publication=Publication(material_anchors=frozenset({"3.1"})))
    client.force_login(personas.employee)
    reading = client.get(f"/guidelines/v/{second.number}/").context["reading"]
    assert [clause.anchor for clause in reading.clauses] == ["3.1", "respect"]
    assert reading.clauses[0].is_material_change
    client.force_login(personas.ambassador)  # never acknowledged: the usual order
    reading = client.get(f"/guidelines/v/{second.number}/").context["reading"]
    assert [clause.anchor for clause in reading.clauses] == ["respect", "3.1"]


def test_without_material_change_earlier_acknowledgements_carry_over(personas: Personas) -> None:
    first = published(personas.director, *FIRST)
    services.acknowledge(version=first, person=personas.employee)
    kept = Acknowledgement.objects.get(version=first)
    second = published(
        personas.director,
        clause_data("respect", "1.1", fr="Virgule."),
        publication=Publication(asks_acknowledgement_again=False),
    )
    carried = Acknowledgement.objects.get(version=second)
    assert (carried.person, carried.acknowledged_at, carried.content_hash) == (
        personas.employee, kept.acknowledged_at, first.content_hash
    )  # fmt: skip
    assert carried.is_carried_over
    assert AuditEntry.objects.get(action="guidelines.published", data__number=2).data["carried_over"] == 1


def test_home_page_shows_the_guidelines_to_acknowledge(client: Client, personas: Personas) -> None:
    version = published(personas.director, *FIRST)
    set_interface_language(person=personas.employee, language="en")
    client.force_login(personas.employee)
    page = client.get("/").content.decode()
    assert "please read and acknowledge them." in page
    assert f'href="/guidelines/v/{version.number}/"' in page
    services.acknowledge(version=version, person=personas.employee)
    assert "You acknowledged this version on" in client.get("/").content.decode()


def test_employee_sees_only_the_published_version_aimed_at_them(client: Client, personas: Personas) -> None:
    first = published(personas.director, *FIRST)
    marketing = Department.objects.get(organization=personas.acme, name="Marketing")
    second = published(
        personas.director,
        clause_data("5.1", "5.1"),
        publication=Publication(audience=Audience(department_ids=(marketing.pk,))),
    )
    write_draft(personas.director, clause_data("6.1", "6.1"))
    client.force_login(personas.employee)  # Engineering
    for number in (first.number, second.number, 3):
        assert client.get(f"/guidelines/v/{number}/").status_code == 404
    response = client.post(f"/guidelines/v/{second.number}/acknowledge/")
    assert response.status_code == 404
    assert not Acknowledgement.objects.exists()
    assert client.get("/guidelines/").context["version"] is None


def test_acknowledgements_collected_elsewhere_are_imported_with_one_audit_entry(personas: Personas) -> None:
    version = published(personas.director, *FIRST)
    services.acknowledge(version=version, person=personas.employee)
    earlier = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)
    count = services.import_acknowledgements(
        version=version,
        actor=personas.hr,
        acknowledged=[(personas.employee, earlier), (personas.ambassador, earlier), (personas.outsider, earlier)],
    )
    assert count == 1
    assert set(Acknowledgement.objects.filter(version=version).values_list("person__email", flat=True)) == {
        "bob@acme.test",
        "alice@acme.test",
    }
    assert Acknowledgement.objects.get(person=personas.ambassador).acknowledged_at == earlier
    entry = AuditEntry.objects.get(action="guidelines.acknowledgements_imported")
    assert (entry.actor, entry.data["count"]) == (personas.hr, 1)
