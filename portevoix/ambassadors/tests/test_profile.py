"""The ambassador's declared profile: networks (Mastodon with its instance), audience, expertise, languages."""

import pytest
from django.test import Client

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.ambassadors import selectors, services
from portevoix.ambassadors.models import AmbassadorProfile, Audience
from portevoix.ambassadors.selectors import NetworkPresence
from portevoix.ambassadors.services import NetworkDeclaration, ProgrammeRefused
from portevoix.ambassadors.tests.factories import make_topic
from portevoix.audit.models import AuditEntry
from portevoix.lib.networks import Network


def test_declared_networks_are_empty_before_the_person_declares_any(personas: Personas) -> None:
    assert selectors.declared_networks(personas.ambassador) == []


def test_a_person_declares_networks_with_the_mastodon_instance_as_a_bare_domain(personas: Personas) -> None:
    services.update_profile(
        person=personas.ambassador,
        expertise=" hydrogen ,, wind power ",
        posting_languages=["fr", "en"],
        is_interested=True,
        networks=[
            NetworkDeclaration(Network.MASTODON, "@alice", "https://Mastodon.Social/", Audience.UNDER_2000),
            NetworkDeclaration(Network.LINKEDIN, "linkedin.com/in/alice", "ignored", Audience.OVER_10000),
        ],
    )

    assert selectors.declared_networks(personas.ambassador) == [
        NetworkPresence(Network.LINKEDIN, "linkedin.com/in/alice", "", Audience.OVER_10000),
        NetworkPresence(Network.MASTODON, "@alice", "mastodon.social", Audience.UNDER_2000),
    ]
    profile = AmbassadorProfile.objects.get(person=personas.ambassador)
    assert (profile.expertise_list, profile.posting_language_list, profile.is_interested) == (
        ["hydrogen", "wind power"],
        ["en", "fr"],
        True,
    )
    entry = AuditEntry.objects.get(action="ambassador.profile_updated")
    assert entry.data == {"networks": ["linkedin", "mastodon"], "is_interested": True}


def test_declaring_again_replaces_the_networks(personas: Personas) -> None:
    declare = [NetworkDeclaration(Network.X, "@alice"), NetworkDeclaration(Network.BLUESKY, "alice.bsky.social")]
    services.update_profile(
        person=personas.ambassador, expertise="", posting_languages=[], is_interested=False, networks=declare
    )
    services.update_profile(
        person=personas.ambassador,
        expertise="",
        posting_languages=[],
        is_interested=False,
        networks=[NetworkDeclaration(Network.X, "@alice_new", audience=Audience.UNDER_10000)],
    )

    assert selectors.declared_networks(personas.ambassador) == [
        NetworkPresence(Network.X, "@alice_new", "", Audience.UNDER_10000)
    ]


@pytest.mark.parametrize(
    ("instance", "message"),
    [
        ("", "Mastodon needs the address of your server, such as mastodon.social."),
        ("not a server", "“not a server” is not a server address such as mastodon.social."),
    ],
)
def test_mastodon_without_a_valid_instance_is_refused_and_nothing_is_saved(
    personas: Personas, instance: str, message: str
) -> None:
    with pytest.raises(ProgrammeRefused) as refused:
        services.update_profile(
            person=personas.employee,
            expertise="finance",
            posting_languages=["fr"],
            is_interested=True,
            networks=[
                NetworkDeclaration(Network.LINKEDIN, "bob"),
                NetworkDeclaration(Network.MASTODON, "@bob", instance),
            ],
        )

    assert str(refused.value) == message
    assert not AmbassadorProfile.objects.exists()
    assert selectors.declared_networks(personas.employee) == []


def test_an_unknown_language_is_refused(personas: Personas) -> None:
    with pytest.raises(ProgrammeRefused, match=r"^Unknown language code: xx\.$"):
        services.update_profile(
            person=personas.employee, expertise="", posting_languages=["fr", "xx"], is_interested=False, networks=[]
        )


def test_a_person_declares_their_profile_on_the_page(client: Client, personas: Personas) -> None:
    client.force_login(personas.employee)

    response = client.post(
        "/ambassadors/me/",
        {"expertise": "finance", "posting_languages": ["fr"], "is_interested": "on", "linkedin_present": "on",
         "linkedin_handle": "bob", "linkedin_audience": "under_2000", "mastodon_audience": "under_500",
         **{f"{n}_audience": "under_500" for n in ("x", "facebook", "bluesky", "threads")}},
    )  # fmt: skip

    assert response["Location"] == "/ambassadors/me/"
    assert selectors.declared_networks(personas.employee) == [
        NetworkPresence(Network.LINKEDIN, "bob", "", Audience.UNDER_2000)
    ]


def test_the_page_says_where_the_mastodon_server_is_missing_and_saves_nothing(
    client: Client, personas: Personas
) -> None:
    set_interface_language(person=personas.employee, language="en")
    client.force_login(personas.employee)
    audiences = {f"{n}_audience": "under_500" for n in [network.value for network in Network]}

    response = client.post("/ambassadors/me/", {**audiences, "mastodon_present": "on", "mastodon_handle": "@bob"})

    assert response.status_code == 200
    assert "Mastodon needs the address of your server, such as mastodon.social." in response.content.decode()
    assert not AmbassadorProfile.objects.exists()


@pytest.mark.parametrize("url", ["/ambassadors/me/", "/ambassadors/"])
def test_signed_out_visitors_are_sent_to_sign_in(client: Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_ambassador_chooses_their_topics_and_others_cannot(client: Client, personas: Personas) -> None:
    innovation = make_topic(personas.acme, personas.director)
    brand = make_topic(personas.acme, personas.director, slug="brand", name="Brand")
    audiences = {f"{n}_audience": "under_500" for n in [network.value for network in Network]}

    for person in (personas.ambassador, personas.employee):
        client.force_login(person)
        client.post("/ambassadors/me/", {**audiences, "topics": [innovation.pk, brand.pk]})

    assert selectors.topics_of(personas.ambassador) == [brand, innovation]
    assert selectors.topics_of(personas.employee) == []
    entry = AuditEntry.objects.filter(action="ambassador.profile_updated", actor=personas.ambassador).get()
    assert entry.data["topics"] == ["brand", "innovation"]


def test_topics_of_another_organisation_cannot_be_chosen(personas: Personas) -> None:
    foreign = make_topic(personas.globex, personas.outsider)

    with pytest.raises(ProgrammeRefused):
        services.update_profile(
            person=personas.ambassador, expertise="", posting_languages=[], is_interested=False, networks=[],
            topics=[foreign],
        )  # fmt: skip

    assert selectors.topics_of(personas.ambassador) == []
