"""Switching on: the texts in each language, a notice per ambassador, the preview, notes, the banner's cache."""

import pytest
from django.dispatch import receiver
from pytest_django import DjangoCaptureOnCommitCallbacks

from conftest import Personas
from portevoix.accounts.models import Organization
from portevoix.accounts.roles import Role
from portevoix.accounts.services import create_person, set_roles
from portevoix.audit.models import AuditEntry
from portevoix.crisis import selectors, services
from portevoix.crisis.models import Crisis, CrisisNotice, CrisisTexts, TimelineEntry
from portevoix.crisis.signals import crisis_preview, crisis_started
from portevoix.crisis.tests.factories import STATEMENT_EN, STATEMENT_FR, start


def test_each_language_reads_its_own_texts_and_a_missing_one_reads_the_organisations(personas: Personas) -> None:
    crisis = start(personas.director)

    assert crisis.language == "fr"
    assert crisis.texts("en") == CrisisTexts(
        "en", "Incident in Lyon", STATEMENT_EN, "The causes of the incident, the injured."
    )
    assert crisis.texts("fr").holding_statement == STATEMENT_FR
    assert crisis.texts("de").holding_statement == STATEMENT_FR


def test_a_translation_without_holding_statement_is_not_kept(personas: Personas) -> None:
    crisis = services.start_crisis(
        actor=personas.director,
        title="Incident",
        holding_statement="Nous enquêtons.",
        translations={"en": CrisisTexts("en", "Incident", "  ", "")},
    )

    assert crisis.translations == {}
    assert crisis.texts("en").holding_statement == "Nous enquêtons."


def test_an_unknown_language_is_refused_and_nothing_is_written(personas: Personas) -> None:
    with pytest.raises(services.CrisisError, match="Unknown language: de"):
        services.start_crisis(
            actor=personas.director,
            title="Incident",
            holding_statement="Nous enquêtons.",
            translations={"de": CrisisTexts("de", "Vorfall", "Wir prüfen.", "")},
        )

    assert Crisis.objects.count() == 0


def test_every_active_ambassador_of_the_organisation_gets_a_notice(personas: Personas) -> None:
    second = create_person(
        organization=personas.acme, email="zoe@acme.test", full_name="Zoé", roles=frozenset({Role.AMBASSADOR})
    )
    left = create_person(
        organization=personas.acme, email="old@acme.test", full_name="Old", roles=frozenset({Role.AMBASSADOR})
    )
    left.is_active = False
    left.save(update_fields=["is_active"])
    create_person(
        organization=personas.globex, email="g@globex.test", full_name="G", roles=frozenset({Role.AMBASSADOR})
    )

    crisis = start(personas.director)

    recipients = set(CrisisNotice.objects.filter(crisis=crisis).values_list("recipient", flat=True))
    assert recipients == {personas.ambassador.pk, second.pk}
    notified = crisis.timeline.get(kind=TimelineEntry.Kind.NOTIFIED)
    assert notified.text == "2"
    entry = AuditEntry.objects.get(organization=personas.acme, action="crisis.started")
    assert entry.data == {"ambassadors": 2, "languages": ["fr", "en"]}


def test_the_preview_gathers_what_each_layer_would_do_and_counts_ambassadors(personas: Personas) -> None:
    def official_posts(*, organization: Organization, **kwargs: object) -> str:
        return f"3 scheduled official posts of {organization.name} will be frozen."

    def silent(**kwargs: object) -> None:
        return None

    receiver(crisis_preview)(official_posts)
    crisis_preview.connect(silent)
    try:
        preview = selectors.switch_preview(organization=personas.acme)
        other = selectors.switch_preview(organization=personas.globex)
    finally:
        crisis_preview.disconnect(official_posts)
        crisis_preview.disconnect(silent)

    assert preview == selectors.SwitchPreview(
        effects=["3 scheduled official posts of Acme will be frozen."], ambassadors=1
    )
    assert other.ambassadors == 0
    assert Crisis.objects.count() == 0


def test_notes_join_the_timeline_in_order_and_the_audit_log(personas: Personas) -> None:
    crisis = start(personas.director)

    services.add_note(crisis=crisis, actor=personas.community_manager, text="  Premier article de presse.  ")

    kinds = [(entry.kind, entry.text) for entry in selectors.timeline(crisis=crisis)]
    assert kinds == [("started", "Incident à Lyon"), ("notified", "1"), ("note", "Premier article de presse.")]
    assert AuditEntry.objects.filter(action="crisis.note_added", actor=personas.community_manager).count() == 1


@pytest.mark.parametrize(("text", "message"), [("   ", "Write the note"), ("x" * 2_001, "at most 2000 characters")])
def test_an_empty_or_too_long_note_is_refused(personas: Personas, text: str, message: str) -> None:
    crisis = start(personas.director)

    with pytest.raises(services.CrisisError, match=message):
        services.add_note(crisis=crisis, actor=personas.director, text=text)

    assert crisis.timeline.filter(kind=TimelineEntry.Kind.NOTE).count() == 0


def test_the_banner_sees_a_switch_at_once_in_the_process_that_made_it(personas: Personas) -> None:
    assert selectors.active_crisis_for_banner(personas.acme.pk) is None

    crisis = start(personas.director)
    assert selectors.active_crisis_for_banner(personas.acme.pk) == crisis
    assert selectors.active_crisis_for_banner(personas.globex.pk) is None

    services.lift_crisis(crisis=crisis, actor=personas.director, reason="Résolu")
    assert selectors.active_crisis_for_banner(personas.acme.pk) is None


def test_an_ambassador_named_during_the_crisis_gets_no_email_but_reads_the_notice(personas: Personas) -> None:
    crisis = start(personas.director)
    set_roles(person=personas.employee, roles=frozenset({Role.AMBASSADOR}), actor=personas.admin)

    assert CrisisNotice.objects.filter(crisis=crisis).count() == 1
    assert selectors.notice_for(crisis=crisis, person=personas.employee) is None


def test_a_failed_freeze_leaves_no_notice_no_job_and_no_audit_entry(
    personas: Personas, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    def failing(**kwargs: object) -> str:
        raise RuntimeError("freeze failed")

    crisis_started.connect(failing)
    try:
        with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
            start(personas.director)
    finally:
        crisis_started.disconnect(failing)

    assert callbacks == []
    assert (Crisis.objects.count(), CrisisNotice.objects.count(), TimelineEntry.objects.count()) == (0, 0, 0)
    assert not AuditEntry.objects.filter(action="crisis.started").exists()
