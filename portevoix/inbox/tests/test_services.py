import datetime

import pytest
from django.utils import timezone

from conftest import Personas
from portevoix.audit.models import AuditEntry
from portevoix.channels.models import Dispatch
from portevoix.crisis.services import start_crisis
from portevoix.inbox import services
from portevoix.inbox.models import Message, Reply
from portevoix.inbox.tests.factories import demo_channel, interaction, received
from portevoix.policies.tests.check_policy import publish_policy


def test_the_same_interaction_pulled_twice_is_stored_once(personas: Personas) -> None:
    channel = demo_channel(personas.acme)
    batch = [interaction("Bonjour !", remote_id="a"), interaction("Une question", remote_id="b")]
    assert len(services.receive_interactions(channel=channel, interactions=batch)) == 2
    again = [interaction("Bonjour !", remote_id="a"), interaction("Nouveau", remote_id="c")]
    new = services.receive_interactions(channel=channel, interactions=again)
    assert [message.remote_id for message in new] == ["c"]
    assert Message.objects.filter(channel=channel).count() == 3


def test_messages_are_triaged_by_the_published_policy(personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    channel = demo_channel(personas.acme)
    hostile = received(channel, "Vous êtes des connards, je vais vous le faire payer")
    risky = received(channel, "Appelez-moi au 06 12 34 56 78 pour parler du Projet Heron")
    calm = received(channel, "Merci pour votre réponse rapide, bonne journée")
    assert (hostile.risk, risky.risk, calm.risk) == ("hostile", "risky", "none")
    assert {finding["clause_id"] for finding in risky.findings} == {"c-3-1", "c-5-1"}
    assert calm.findings == []


def test_without_a_published_policy_nothing_is_flagged(personas: Personas) -> None:
    message = received(demo_channel(personas.acme), "Vous êtes des connards")
    assert message.risk == "none"


def test_hostile_and_risky_messages_are_due_sooner(personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    services.update_targets(organization=personas.acme, actor=personas.director, normal_hours=8, hostile_hours=1)
    channel = demo_channel(personas.acme)
    hostile = received(channel, "Bande de connards")
    calm = received(channel, "Merci !")
    assert hostile.due_at - hostile.received_at == datetime.timedelta(hours=1)
    assert calm.due_at - calm.received_at == datetime.timedelta(hours=8)


def test_targets_must_be_coherent(personas: Personas) -> None:
    with pytest.raises(services.InboxError):
        services.update_targets(organization=personas.acme, actor=personas.director, normal_hours=2, hostile_hours=4)
    assert services.settings_of(personas.acme).response_target_hours == 24


def test_assigning_someone_of_another_organisation_is_refused(personas: Personas) -> None:
    message = received(demo_channel(personas.acme), "Bonjour")
    with pytest.raises(services.InboxError):
        services.assign(message=message, assignee=personas.outsider, actor=personas.director)
    services.assign(message=message, assignee=personas.community_manager, actor=personas.director)
    message.refresh_from_db()
    assert (message.assignee, message.status) == (personas.community_manager, "in_progress")
    assert AuditEntry.objects.filter(organization=personas.acme, action="inbox.assigned").exists()


def test_tags_are_replaced_and_shared_within_the_organisation(personas: Personas) -> None:
    channel = demo_channel(personas.acme)
    first, second = received(channel, "Un"), received(channel, "Deux")
    services.set_tags(message=first, names=["Facturation", " panne ", "facturation "], actor=personas.director)
    services.set_tags(message=second, names=["panne"], actor=personas.director)
    assert sorted(tag.name for tag in first.tags.all()) == ["Facturation", "facturation", "panne"]
    assert first.tags.get(name="panne") == second.tags.get()


def test_a_reply_goes_through_the_outbox_as_an_answer_to_the_message(personas: Personas) -> None:
    message = received(demo_channel(personas.acme), "Quand ouvrez-vous ?", remote_id="status-42")
    reply = services.reply(message=message, author=personas.community_manager, text="Dès lundi, à 9 h !")
    dispatch = Dispatch.objects.get(source_key=reply.source_key)
    assert (dispatch.channel, dispatch.text, dispatch.in_reply_to) == (
        message.channel,
        "Dès lundi, à 9 h !",
        "status-42",
    )
    assert dispatch.scheduled_at <= timezone.now()
    message.refresh_from_db()
    assert message.first_response_at is not None
    assert (message.status, message.assignee) == ("waiting", personas.community_manager)


def test_a_reply_the_policy_blocks_is_refused_and_a_warned_one_needs_a_reason(personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    message = received(demo_channel(personas.acme), "Des nouvelles ?")
    with pytest.raises(services.InboxError, match="blocks"):
        services.reply(message=message, author=personas.director, text="Le Projet Heron arrive bientôt")
    with pytest.raises(services.InboxError, match="why"):
        services.reply(message=message, author=personas.director, text="Mieux que chez Initech")
    assert not Reply.objects.exists()
    services.reply(
        message=message, author=personas.director, text="Mieux que chez Initech", override_reason="Comparatif public"
    )
    assert Reply.objects.get().override_reason == "Comparatif public"


def test_no_reply_leaves_during_a_crisis(personas: Personas) -> None:
    message = received(demo_channel(personas.acme), "Que se passe-t-il ?")
    start_crisis(actor=personas.director, title="Panne", holding_statement="Nous enquêtons.")
    with pytest.raises(services.InboxError, match="Crisis"):
        services.reply(message=message, author=personas.director, text="Tout va bien")
    assert not Dispatch.objects.exists()
