import pytest
from django.test import Client
from django.urls import reverse

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.inbox.models import Message, SavedReply
from portevoix.inbox.tests.factories import demo_channel, received
from portevoix.policies.tests.check_policy import publish_policy

OFFICIAL_TEAM = ["director", "community_manager"]
OUTSIDE_THE_TEAM = ["employee", "ambassador", "compliance", "hr", "admin"]


@pytest.fixture
def message(personas: Personas) -> Message:
    return received(demo_channel(personas.acme), "Bonjour, une question sur vos horaires ?")


def _pages(message: Message) -> list[tuple[str, str]]:
    saved = SavedReply.objects.create(organization=message.organization, title="Merci", language="fr", text="Merci !")
    return [
        ("get", reverse("inbox:list")),
        ("get", reverse("inbox:detail", args=[message.pk])),
        ("post", reverse("inbox:assign", args=[message.pk])),
        ("post", reverse("inbox:status", args=[message.pk])),
        ("post", reverse("inbox:tags", args=[message.pk])),
        ("post", reverse("inbox:reply", args=[message.pk])),
        ("get", reverse("inbox:saved-replies")),
        ("get", reverse("inbox:saved-reply-edit", args=[saved.pk])),
        ("post", reverse("inbox:saved-reply-delete", args=[saved.pk])),
    ]


@pytest.mark.parametrize("persona", OUTSIDE_THE_TEAM)
def test_people_outside_the_official_team_get_nothing(
    client: Client, personas: Personas, message: Message, persona: str
) -> None:
    client.force_login(getattr(personas, persona))
    for method, url in _pages(message):
        assert getattr(client, method)(url).status_code == 403, url
    assert SavedReply.objects.count() == 1


def test_another_organisation_sees_none_of_the_messages(client: Client, personas: Personas, message: Message) -> None:
    globex_director = personas.outsider
    from portevoix.accounts.models import UserRole
    from portevoix.accounts.roles import Role

    UserRole.objects.create(user=globex_director, role=Role.COMMUNICATION_DIRECTOR)
    client.force_login(globex_director)
    assert message.text not in client.get(reverse("inbox:list")).content.decode()
    for method, url in _pages(message)[1:6]:
        assert getattr(client, method)(url).status_code == 404, url
    assert client.post(reverse("inbox:saved-reply-delete", args=[SavedReply.objects.get().pk])).status_code == 404
    assert SavedReply.objects.count() == 1


@pytest.mark.parametrize("persona", OFFICIAL_TEAM)
def test_the_team_sees_the_queue_with_what_is_due(
    client: Client, personas: Personas, message: Message, persona: str
) -> None:
    set_interface_language(person=getattr(personas, persona), language="en")
    client.force_login(getattr(personas, persona))
    page = client.get(reverse("inbox:list")).content.decode()
    assert "une question sur vos horaires" in page
    assert "Due in" in page
    assert reverse("inbox:detail", args=[message.pk]) in page
    assert "Overdue" not in page


def test_filters_narrow_the_queue(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    channel = demo_channel(personas.acme)
    received(channel, "Bande de connards")
    received(channel, "Merci beaucoup")
    client.force_login(personas.community_manager)
    hostile_only = client.get(reverse("inbox:list"), {"risk": "hostile"}).content.decode()
    assert "Bande de connards" in hostile_only
    assert "Merci beaucoup" not in hostile_only
    searched = client.get(reverse("inbox:list"), {"q": "merci"}).content.decode()
    assert "Merci beaucoup" in searched
    assert "Bande de connards" not in searched


def test_assign_tag_and_close_from_the_message_page(client: Client, personas: Personas, message: Message) -> None:
    client.force_login(personas.director)
    client.post(reverse("inbox:assign", args=[message.pk]), {"assignee": personas.community_manager.pk})
    client.post(reverse("inbox:tags", args=[message.pk]), {"tags": "horaires, magasin"})
    client.post(reverse("inbox:status", args=[message.pk]), {"status": "done"})
    message.refresh_from_db()
    assert (message.assignee, message.status) == (personas.community_manager, "done")
    assert sorted(message.tags.values_list("name", flat=True)) == ["horaires", "magasin"]


def test_only_team_members_can_be_assigned(client: Client, personas: Personas, message: Message) -> None:
    client.force_login(personas.director)
    response = client.post(reverse("inbox:assign", args=[message.pk]), {"assignee": personas.employee.pk})
    message.refresh_from_db()
    assert message.assignee is None
    assert response.status_code in (302, 404)


def test_a_reply_with_a_blocking_finding_is_shown_back_with_the_reason(
    client: Client, personas: Personas, message: Message
) -> None:
    publish_policy(personas.acme, personas.compliance)
    set_interface_language(person=personas.community_manager, language="en")
    client.force_login(personas.community_manager)
    response = client.post(reverse("inbox:reply", args=[message.pk]), {"text": "Le Projet Heron ouvre lundi"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "The check blocks this reply" in page
    assert "c-3-1" in page
    assert not message.replies.exists()


def test_the_reply_is_checked_as_it_is_typed(client: Client, personas: Personas, message: Message) -> None:
    publish_policy(personas.acme, personas.compliance)
    client.force_login(personas.community_manager)
    response = client.post(
        reverse("inbox:reply", args=[message.pk]), {"text": "Le Projet Heron", "check": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "c-3-1" in response.content.decode()
    assert not message.replies.exists()


def test_saved_replies_and_targets_are_managed_in_both_languages(client: Client, personas: Personas) -> None:
    client.force_login(personas.community_manager)
    url = reverse("inbox:saved-replies")
    client.post(url, {"title": "Thanks", "language": "en", "text": "Thank you for your message."})
    client.post(url, {"title": "Merci", "language": "fr", "text": "Merci pour votre message."})
    assert sorted(SavedReply.objects.values_list("language", flat=True)) == ["en", "fr"]
    refused = client.post(url, {"form": "targets", "response_target_hours": 2, "hostile_target_hours": 5})
    assert refused.status_code == 422
    client.post(url, {"form": "targets", "response_target_hours": 6, "hostile_target_hours": 1})
    from portevoix.inbox.services import settings_of

    assert settings_of(personas.acme).response_target_hours == 6
