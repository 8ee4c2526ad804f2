import pytest
from django.dispatch import receiver

from conftest import Personas
from portevoix.audit.models import AuditEntry
from portevoix.crisis.models import Crisis
from portevoix.crisis.selectors import active_crisis
from portevoix.crisis.services import CrisisError, lift_crisis, start_crisis
from portevoix.crisis.signals import crisis_started


def test_a_started_crisis_is_active_in_its_organization_only(personas: Personas) -> None:
    crisis = start_crisis(actor=personas.director, title="Incident", holding_statement="Nous enquêtons.")
    assert active_crisis(personas.acme) == crisis
    assert active_crisis(personas.globex) is None
    assert AuditEntry.objects.filter(organization=personas.acme, action="crisis.started").count() == 1


def test_only_one_crisis_is_on_at_a_time(personas: Personas) -> None:
    start_crisis(actor=personas.director, title="Incident", holding_statement="Nous enquêtons.")
    with pytest.raises(CrisisError):
        start_crisis(actor=personas.director, title="Another", holding_statement="…")
    assert Crisis.objects.filter(organization=personas.acme).count() == 1


def test_lifting_needs_a_reason_and_ends_the_crisis(personas: Personas) -> None:
    crisis = start_crisis(actor=personas.director, title="Incident", holding_statement="Nous enquêtons.")
    with pytest.raises(CrisisError):
        lift_crisis(crisis=crisis, actor=personas.director, reason="  ")
    assert active_crisis(personas.acme) == crisis
    lift_crisis(crisis=crisis, actor=personas.director, reason="Résolu")
    assert active_crisis(personas.acme) is None
    assert [entry.kind for entry in crisis.timeline.all()] == ["started", "lifted"]


def test_what_a_receiver_does_is_kept_in_the_timeline_and_its_failure_undoes_the_switch(personas: Personas) -> None:
    def freeze(**kwargs: object) -> str:
        return "3 posts frozen"

    def failing(**kwargs: object) -> str:
        raise RuntimeError("freeze failed")

    receiver(crisis_started)(freeze)
    try:
        crisis = start_crisis(actor=personas.director, title="Incident", holding_statement="Nous enquêtons.")
        assert "3 posts frozen" in [entry.text for entry in crisis.timeline.all()]
        lift_crisis(crisis=crisis, actor=personas.director, reason="Résolu")
        crisis_started.connect(failing)
        with pytest.raises(RuntimeError):
            start_crisis(actor=personas.director, title="Second", holding_statement="…")
        assert active_crisis(personas.acme) is None
    finally:
        crisis_started.disconnect(freeze)
        crisis_started.disconnect(failing)
