"""Message houses: drafted by the team, approved by the communication director, read by ambassadors once approved."""

import pytest
from django.test import Client

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.audit.models import AuditEntry
from portevoix.content import services
from portevoix.content.models import MessageHouseVersion, MessageItem
from portevoix.content.services import ContentRefused, HouseFields, ItemData
from portevoix.content.tests.factories import approved_house, make_topic


def _item_post(**fields: str) -> dict[str, str]:
    data = {
        "core_message": "Le solaire pour tous.",
        "say": "Parlez de vos projets.",
        "avoid": "Ne citez pas de prix.",
        "hashtags": "solaire, #innovation solaire",
        "summary": "Première version",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-kind": "key_message",
        "items-0-level": "general",
        "items-0-language": "fr",
        "items-0-text": "Nous rendons le solaire accessible.",
        "items-1-kind": "proof_point",
        "items-1-level": "professional",
        "items-1-language": "fr",
        "items-1-text": "12 000 toits équipés en 2025.",
        "items-1-source": "https://acme.test/rapport-2025",
        "items-2-kind": "story",
        "items-2-level": "general",
        "items-2-language": "fr",
        "items-2-text": "",
    }
    return data | fields


def test_director_writes_submits_and_approves_a_house_that_ambassadors_then_read(
    client: Client, personas: Personas
) -> None:
    topic = make_topic(personas.acme)
    client.force_login(personas.director)

    client.post(f"/share/houses/{topic.slug}/edit/", {"start": "1"})
    response = client.post(f"/share/houses/{topic.slug}/edit/", _item_post())
    assert response.status_code == 302
    version = MessageHouseVersion.objects.get(house__topic=topic)
    assert version.hashtags == "#solaire #innovation"
    assert [(item.kind, item.source) for item in version.items.order_by("position")] == [
        ("key_message", ""),
        ("proof_point", "https://acme.test/rapport-2025"),
    ]

    client.force_login(personas.ambassador)
    assert client.get(f"/share/topics/{topic.slug}/").status_code == 404  # not approved yet

    client.force_login(personas.director)
    client.post(f"/share/houses/{topic.slug}/move/", {"event": "submit"})
    client.post(f"/share/houses/{topic.slug}/move/", {"event": "approve"})
    version.refresh_from_db()
    assert version.status == MessageHouseVersion.Status.APPROVED
    assert version.approved_by == personas.director
    assert AuditEntry.objects.filter(action="message_house.approved", actor=personas.director).count() == 1

    client.force_login(personas.ambassador)
    page = client.get(f"/share/topics/{topic.slug}/").content.decode()
    assert "12 000 toits équipés en 2025." in page
    assert "https://acme.test/rapport-2025" in page


def test_ambassadors_read_the_approved_version_while_the_next_one_is_drafted(
    client: Client, personas: Personas
) -> None:
    topic = make_topic(personas.acme)
    approved_house(topic, personas.director, key_message="Message approuvé")
    draft = services.start_house_draft(topic=topic, actor=personas.community_manager)
    assert [item.text for item in draft.items.filter(kind="key_message")] == ["Message approuvé"]  # copied

    services.save_house_draft(
        version=draft,
        actor=personas.community_manager,
        fields=HouseFields(),
        items=[ItemData(kind=MessageItem.Kind.KEY_MESSAGE, text="Message en cours")],
    )
    client.force_login(personas.ambassador)
    page = client.get(f"/share/topics/{topic.slug}/").content.decode()

    assert "Message approuvé" in page
    assert "Message en cours" not in page


def test_a_community_manager_submits_but_cannot_approve(client: Client, personas: Personas) -> None:
    topic = make_topic(personas.acme)
    draft = services.start_house_draft(topic=topic, actor=personas.community_manager)
    services.save_house_draft(
        version=draft, actor=personas.community_manager, fields=HouseFields(),
        items=[ItemData(kind=MessageItem.Kind.KEY_MESSAGE, text="Clé")],
    )  # fmt: skip
    client.force_login(personas.community_manager)
    client.post(f"/share/houses/{topic.slug}/move/", {"event": "submit"})

    response = client.post(f"/share/houses/{topic.slug}/move/", {"event": "approve"})

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == MessageHouseVersion.Status.IN_REVIEW
    assert not AuditEntry.objects.filter(action="message_house.approved").exists()


@pytest.mark.parametrize("persona", ["ambassador", "employee", "compliance", "hr"])
def test_people_outside_the_team_cannot_open_the_house_editor(client: Client, personas: Personas, persona: str) -> None:
    topic = make_topic(personas.acme)
    client.force_login(getattr(personas, persona))

    assert client.get("/share/houses/").status_code == 403
    assert client.post(f"/share/houses/{topic.slug}/edit/", {"start": "1"}).status_code == 403
    assert not MessageHouseVersion.objects.exists()


def test_another_organisation_gets_404_for_a_topic_house(client: Client, personas: Personas) -> None:
    topic = make_topic(personas.acme)
    approved_house(topic, personas.director)
    outsider = personas.outsider
    outsider.roles.create(role="communication_director")
    client.force_login(outsider)

    assert client.get(f"/share/houses/{topic.slug}/").status_code == 404
    assert client.get(f"/share/topics/{topic.slug}/").status_code == 404
    assert client.post(f"/share/houses/{topic.slug}/move/", {"event": "submit"}).status_code == 404


def test_submitting_without_a_key_message_is_refused_and_changes_nothing(personas: Personas) -> None:
    topic = make_topic(personas.acme)
    draft = services.start_house_draft(topic=topic, actor=personas.director)
    set_interface_language(person=personas.director, language="en")

    with pytest.raises(ContentRefused, match="at least one key message"):
        services.submit_house_version(version=draft, actor=personas.director)

    draft.refresh_from_db()
    assert draft.status == MessageHouseVersion.Status.DRAFT
    assert not AuditEntry.objects.filter(action="message_house.submitted").exists()


def test_returning_needs_a_reason_which_is_audited(personas: Personas) -> None:
    topic = make_topic(personas.acme)
    draft = services.start_house_draft(topic=topic, actor=personas.director)
    services.save_house_draft(version=draft, actor=personas.director, fields=HouseFields(),
                              items=[ItemData(kind=MessageItem.Kind.KEY_MESSAGE, text="Clé")])  # fmt: skip
    services.submit_house_version(version=draft, actor=personas.director)

    with pytest.raises(ContentRefused):
        services.return_house_version(version=draft, actor=personas.director, reason="  ")
    services.return_house_version(version=draft, actor=personas.director, reason="Ajoutez une preuve.")

    assert draft.status == MessageHouseVersion.Status.DRAFT
    entry = AuditEntry.objects.get(action="message_house.returned")
    assert entry.data == {"reason": "Ajoutez une preuve."}


def test_a_proof_point_without_its_source_is_refused_on_the_page(client: Client, personas: Personas) -> None:
    topic = make_topic(personas.acme)
    set_interface_language(person=personas.director, language="en")
    client.force_login(personas.director)
    client.post(f"/share/houses/{topic.slug}/edit/", {"start": "1"})

    response = client.post(f"/share/houses/{topic.slug}/edit/", _item_post(**{"items-1-source": ""}))

    assert response.status_code == 400
    assert "A proof point needs its source: a link or a reference." in response.content.decode()
    assert not MessageItem.objects.exists()


def test_approving_a_new_version_supersedes_the_old_one(personas: Personas) -> None:
    topic = make_topic(personas.acme)
    first = approved_house(topic, personas.director)
    second = approved_house(topic, personas.director, key_message="Nouveau")

    first.refresh_from_db()
    assert (first.status, second.status, second.number) == ("superseded", "approved", 2)
