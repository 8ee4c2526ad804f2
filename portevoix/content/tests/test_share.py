"""The ambassador's feed and share page: targeting, the checks as they type, and the share that goes out."""

import datetime
import urllib.parse
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import Personas
from portevoix.accounts.models import Population
from portevoix.accounts.roles import Role
from portevoix.accounts.services import set_interface_language, set_roles
from portevoix.ambassadors.models import AmbassadorProfile
from portevoix.audit.models import AuditEntry
from portevoix.content import selectors, sharing
from portevoix.content.models import Share, SharingPreference
from portevoix.content.services import ContentRefused, VariantData
from portevoix.content.tests.factories import (
    PERSONAL,
    SUGGESTION,
    draft_item,
    make_topic,
    publish_share_policy,
    published_item,
)
from portevoix.crisis.models import CrisisTexts
from portevoix.crisis.services import lift_crisis, start_crisis
from portevoix.lib.networks import Network
from portevoix.links import clicks


def _share_post(variant_id: int, text: str, **fields: str) -> dict[str, str]:
    return {"variant": str(variant_id), "network": "x", "text": text, "share": "1"} | fields


def test_the_feed_shows_what_is_aimed_at_the_ambassador_newest_and_followed_topics_first(personas: Personas) -> None:
    alice = personas.ambassador  # in no population, follows "rse"
    alice.languages, alice.language = "fr", "fr"  # reads French only
    alice.save(update_fields=["languages", "language"])
    rse, innovation = make_topic(personas.acme, "rse", "RSE"), make_topic(personas.acme)
    AmbassadorProfile.objects.create(person=alice).topics.add(rse)
    experts = Population.objects.get_or_create(
        organization=personas.acme, slug="experts", defaults={"name": "Experts"}
    )[0]
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    published_item(personas.director, rse, title="RSE ancienne")
    published_item(personas.director, innovation, title="Innovation récente")
    published_item(personas.director, innovation, title="Pour les experts", populations=[experts])
    published_item(personas.director, innovation, title="Sous embargo", visible_from=now + hour)
    published_item(
        personas.director, innovation, title="Expirée", visible_until=now - hour, visible_from=now - 2 * hour
    )
    published_item(personas.director, innovation, title="Abonnés seulement", is_for_topic_followers_only=True)
    published_item(personas.director, rse, title="Abonnés RSE", is_for_topic_followers_only=True)
    published_item(personas.director, innovation, title="English only", language="en")

    titles = [entry.item.title for entry in selectors.feed_for(user=alice)]

    assert titles == ["Abonnés RSE", "RSE ancienne", "Innovation récente"]
    alice.populations.add(experts)
    assert "Pour les experts" in [entry.item.title for entry in selectors.feed_for(user=alice)]
    later = [entry.item.title for entry in selectors.feed_for(user=alice, now=now + 2 * hour)]
    assert "Sous embargo" in later


def test_drafts_and_posts_in_review_never_reach_the_feed(personas: Personas) -> None:
    draft_item(personas.director, make_topic(personas.acme))

    assert selectors.feed_for(user=personas.ambassador) == []


@pytest.mark.parametrize("persona", ["employee", "director", "community_manager", "compliance", "admin"])
def test_someone_who_is_not_an_ambassador_has_no_feed(client: Client, personas: Personas, persona: str) -> None:
    item = published_item(personas.director, make_topic(personas.acme))
    client.force_login(getattr(personas, persona))

    assert client.get("/share/").status_code == 403
    assert client.get(f"/share/{item.pk}/").status_code == 403
    assert client.post(f"/share/{item.pk}/", _share_post(item.variants.get().pk, PERSONAL)).status_code == 403
    assert not Share.objects.exists()


def test_an_ambassador_who_left_the_programme_loses_the_feed_at_once(client: Client, personas: Personas) -> None:
    item = published_item(personas.director, make_topic(personas.acme))
    alice = personas.ambassador
    client.force_login(alice)
    assert client.get("/share/").status_code == 200

    set_roles(person=alice, roles=frozenset(), actor=personas.admin)

    assert client.get("/share/").status_code == 403
    assert client.post(f"/share/{item.pk}/", _share_post(item.variants.get().pk, PERSONAL)).status_code == 403
    alice.refresh_from_db()
    assert selectors.feed_for(user=alice) == []


def test_another_organisation_sees_nothing(client: Client, personas: Personas) -> None:
    item = published_item(personas.director, make_topic(personas.acme))
    mallory = personas.outsider
    set_roles(person=mallory, roles=frozenset({Role.AMBASSADOR}), actor=mallory)
    client.force_login(mallory)

    assert "Usine de Lyon" not in client.get("/share/").content.decode()
    assert client.get(f"/share/{item.pk}/").status_code == 404
    assert client.post(f"/share/{item.pk}/", _share_post(item.variants.get().pk, PERSONAL)).status_code == 404
    assert client.get(f"/share/images/{item.pk}/").status_code == 404
    assert not Share.objects.exists()


def test_a_post_not_aimed_at_the_ambassador_is_a_404(client: Client, personas: Personas) -> None:
    experts = Population.objects.get_or_create(
        organization=personas.acme, slug="experts", defaults={"name": "Experts"}
    )[0]
    item = published_item(personas.director, make_topic(personas.acme), populations=[experts])
    client.force_login(personas.ambassador)

    assert client.get(f"/share/{item.pk}/").status_code == 404
    assert client.post(f"/share/{item.pk}/", _share_post(item.variants.get().pk, PERSONAL)).status_code == 404


def test_the_check_runs_as_the_ambassador_types_with_the_gauge_and_the_disclosure(
    client: Client, personas: Personas
) -> None:
    publish_share_policy(personas.acme, personas.compliance)
    item = published_item(personas.director, make_topic(personas.acme))
    client.force_login(personas.ambassador)  # English interface
    page = client.get(f"/share/{item.pk}/").content.decode()
    assert "When a post promotes the company, the rules you follow ask you to say so" in page
    assert 'data-append="#collaborateur"' in page

    response = client.post(
        f"/share/{item.pk}/",
        {
            "variant": item.variants.get().pk,
            "network": "x",
            "text": SUGGESTION + " Mieux que Initech !",
            "draft_key": "k1",
        },
        headers={"HX-Request": "true"},
    )

    answer = response.content.decode()
    assert "Do not name our competitors." in answer
    assert "of 280 characters on X" in answer
    assert "Identical posts look fake and reach fewer people" in answer
    assert "Your post does not say yet that you work here." in answer


def test_a_personal_text_is_shared_through_the_network_share_page(client: Client, personas: Personas) -> None:
    publish_share_policy(personas.acme, personas.compliance)
    item = published_item(personas.director, make_topic(personas.acme))
    client.force_login(personas.ambassador)

    response = client.post(f"/share/{item.pk}/", _share_post(item.variants.get().pk, PERSONAL))

    share = Share.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/share/shared/{share.pk}/"
    link = share.tracked_link
    assert link is not None
    assert (link.owner, link.utm_source, link.utm_medium, link.utm_campaign) == (
        personas.ambassador, "x", "ambassador", "innovation",
    )  # fmt: skip
    assert share.link_url == f"{settings.PUBLIC_URL.rstrip('/')}/l/{link.code}"
    assert share.share_url == "https://x.com/intent/post?" + urllib.parse.urlencode(
        {"text": PERSONAL, "url": share.link_url}
    )
    redirect = client.get(
        f"/l/{link.code}", headers={"User-Agent": "Mozilla/5.0 (iPhone)", "Referer": "https://x.com/"}
    )
    assert redirect.status_code in {301, 302}
    assert redirect["Location"].startswith("https://acme.test/lyon?utm_source=x&utm_medium=ambassador")
    clicks.buffer.flush()  # what the links app's flusher thread does every second
    assert selectors.shares_of(user=personas.ambassador) == [(share, 1)]
    assert (share.person, share.network, share.outcome, share.override_reason) == (personas.ambassador, "x", "fine", "")
    assert share.similarity < 10
    done = client.get(response["Location"]).content.decode()
    assert 'id="share-open" href="https://x.com/intent/post?' in done


def test_a_copy_of_the_suggestion_is_refused_until_personalised(client: Client, personas: Personas) -> None:
    item = published_item(personas.director, make_topic(personas.acme))
    client.force_login(personas.ambassador)

    response = client.post(f"/share/{item.pk}/", _share_post(item.variants.get().pk, SUGGESTION + " #solaire"))

    assert response.status_code == 400
    assert "make it your own before sharing" in response.content.decode()
    assert not Share.objects.exists()


def test_a_copy_of_another_ambassadors_share_is_refused(personas: Personas) -> None:
    item = published_item(personas.director, make_topic(personas.acme))
    variant = item.variants.get()
    bob = personas.employee
    set_roles(person=bob, roles=frozenset({Role.AMBASSADOR}), actor=personas.admin)
    sharing.share(
        sharing.ShareRequest(person=personas.ambassador, item=item, variant=variant, network=Network.X, text=PERSONAL)
    )

    with pytest.raises(ContentRefused):
        sharing.share(
            sharing.ShareRequest(person=bob, item=item, variant=variant, network=Network.X, text=PERSONAL + " Bravo")
        )
    assert Share.objects.count() == 1


def test_a_blocking_finding_cannot_be_shared_even_with_a_reason(client: Client, personas: Personas) -> None:
    publish_share_policy(personas.acme, personas.compliance)
    item = published_item(personas.director, make_topic(personas.acme))
    client.force_login(personas.ambassador)

    response = client.post(
        f"/share/{item.pk}/",
        _share_post(item.variants.get().pk, PERSONAL + " Le Projet Heron aussi.", override_reason="Je sais"),
    )

    assert response.status_code == 400
    assert "Your text has a finding that blocks" in response.content.decode()
    assert not Share.objects.exists()


def test_a_warning_is_overridden_only_with_a_reason_which_is_kept_and_audited(
    client: Client, personas: Personas
) -> None:
    publish_share_policy(personas.acme, personas.compliance)
    item = published_item(personas.director, make_topic(personas.acme))
    variant_id = item.variants.get().pk
    client.force_login(personas.ambassador)
    text = PERSONAL + " Bien plus durable que chez Initech."

    refused = client.post(f"/share/{item.pk}/", _share_post(variant_id, text))
    accepted = client.post(f"/share/{item.pk}/", _share_post(variant_id, text, override_reason="Comparaison publique"))

    assert refused.status_code == 400
    assert "say why you share it anyway" in refused.content.decode()
    assert accepted.status_code == 302
    share = Share.objects.get()
    assert (share.overridden_rules, share.override_reason, share.outcome) == (
        ["competitors"], "Comparaison publique", "careful",
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="content.warning_overridden")
    assert (entry.actor, entry.data) == (
        personas.ambassador,
        {"rules": ["competitors"], "reason": "Comparaison publique"},
    )


def test_mastodon_needs_the_ambassadors_server_which_is_remembered(client: Client, personas: Personas) -> None:
    item = published_item(personas.director, make_topic(personas.acme))
    variant_id = item.variants.get().pk
    client.force_login(personas.ambassador)

    missing = client.post(f"/share/{item.pk}/", _share_post(variant_id, PERSONAL, network="mastodon"))
    shared = client.post(
        f"/share/{item.pk}/", _share_post(variant_id, PERSONAL, network="mastodon", mastodon_instance="Piaille.FR")
    )

    assert missing.status_code == 400
    assert "Mastodon server&#x27;s domain, for example mastodon.social." in missing.content.decode()
    assert shared.status_code == 302
    assert Share.objects.get().share_url.startswith("https://piaille.fr/share?text=")
    assert SharingPreference.objects.get(person=personas.ambassador).mastodon_instance == "piaille.fr"
    assert 'value="piaille.fr"' in client.get(f"/share/{item.pk}/").content.decode()


def test_during_a_crisis_the_feed_shows_the_holding_statement_and_shares_are_refused(
    client: Client, personas: Personas
) -> None:
    item = published_item(personas.director, make_topic(personas.acme))
    variant = item.variants.get()
    crisis = start_crisis(actor=personas.director, title="Incident à Lyon", holding_statement="Nous enquêtons.")
    client.force_login(personas.ambassador)

    feed = client.get("/share/").content.decode()
    page = client.get(f"/share/{item.pk}/")
    post = client.post(f"/share/{item.pk}/", _share_post(variant.pk, PERSONAL))

    assert "Nous enquêtons." in feed
    assert "Usine de Lyon" not in feed
    assert (page.status_code, post.status_code) == (403, 403)
    with pytest.raises(ContentRefused, match="crisis"):
        sharing.share(
            sharing.ShareRequest(
                person=personas.ambassador, item=item, variant=variant, network=Network.X, text=PERSONAL
            )
        )
    assert not Share.objects.exists()

    assert list(crisis.timeline.filter(kind="effect").values_list("text", flat=True)) == [
        "Fil des ambassadeurs remplacé par la déclaration d'attente : 1 publication suggérée masquée, partages refusés."
    ]
    lift_crisis(crisis=crisis, actor=personas.director, reason="Résolu")
    assert client.post(f"/share/{item.pk}/", _share_post(variant.pk, PERSONAL)).status_code == 302


def test_during_a_crisis_each_ambassador_reads_the_holding_statement_in_their_language(
    client: Client, personas: Personas
) -> None:
    item = published_item(personas.director, make_topic(personas.acme))
    start_crisis(
        actor=personas.director,
        title="Incident à Lyon",
        holding_statement="Nous enquêtons.",
        translations={"en": CrisisTexts("en", "Incident in Lyon", "We are investigating.", "The injured")},
    )
    client.force_login(personas.ambassador)

    set_interface_language(person=personas.ambassador, language="en")
    english = client.get("/share/").content.decode(), client.get(f"/share/{item.pk}/").content.decode()
    set_interface_language(person=personas.ambassador, language="fr")
    french = client.get("/share/").content.decode()

    for page in english:
        assert '<p class="share-text" id="holding-statement" lang="en">We are investigating.</p>' in page
        assert "Nous enquêtons." not in page
    assert '<p class="share-text" lang="en">The injured</p>' in english[0]
    assert '<p class="share-text" id="holding-statement" lang="fr">Nous enquêtons.</p>' in french


def test_a_share_confirmation_is_only_for_its_ambassador(client: Client, personas: Personas) -> None:
    item = published_item(personas.director, make_topic(personas.acme))
    share = sharing.share(
        sharing.ShareRequest(
            person=personas.ambassador, item=item, variant=item.variants.get(), network=Network.X, text=PERSONAL
        )
    )
    bob = personas.employee
    set_roles(person=bob, roles=frozenset({Role.AMBASSADOR}), actor=personas.admin)
    client.force_login(bob)

    assert client.get(f"/share/shared/{share.pk}/").status_code == 404


def test_the_disclosure_follows_the_jurisdiction_the_ambassador_chooses(personas: Personas) -> None:
    publish_share_policy(personas.acme, personas.compliance)
    set_interface_language(person=personas.ambassador, language="fr")

    disclosure = sharing.disclosure_for(personas.ambassador)

    assert disclosure is not None
    assert (disclosure.jurisdiction, disclosure.wording, disclosure.alternatives) == (
        "FR", "#collaborateur", ("je travaille chez Acme",),
    )  # fmt: skip
    assert disclosure.is_in("Je travaille chez ACME depuis 3 ans")
    with pytest.raises(ContentRefused):
        sharing.choose_jurisdiction(person=personas.ambassador, jurisdiction="US-FINRA")


def test_the_ambassador_pages_render_in_french(client: Client, personas: Personas) -> None:
    publish_share_policy(personas.acme, personas.compliance)
    item = published_item(personas.director, make_topic(personas.acme))
    alice = personas.ambassador
    set_interface_language(person=alice, language="fr")
    share = sharing.share(
        sharing.ShareRequest(
            person=alice, item=item, variant=item.variants.get(), network=Network.LINKEDIN, text=PERSONAL
        )
    )
    client.force_login(alice)

    feed = client.get("/share/").content.decode()
    mine = client.get("/share/mine/").content.decode()
    done = client.get(f"/share/shared/{share.pk}/").content.decode()

    assert "La faire mienne et partager" in feed
    assert "Partagée" in feed
    assert "Usine de Lyon" in mine
    assert "ne prend que le lien : copiez votre texte" in done
    assert (
        f'href="https://www.linkedin.com/sharing/share-offsite/?url={urllib.parse.quote_plus(share.link_url)}"' in done
    )


def test_the_feed_answers_in_the_same_number_of_queries_however_many_posts(
    client: Client, personas: Personas, django_assert_num_queries: Any
) -> None:
    topic = make_topic(personas.acme)
    for number in range(3):
        published_item(personas.director, topic, title=f"Post {number}")
    client.force_login(personas.ambassador)
    client.get("/share/")  # the session and the person are cached from here on
    with CaptureQueriesContext(connection) as few:
        client.get("/share/")
    for number in range(3, 12):
        published_item(personas.director, topic, title=f"Post {number}")

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/share/")

    assert response.content.decode().count('class="card feed-card"') == 12


def test_the_ambassador_picks_among_the_variants_in_their_languages(client: Client, personas: Personas) -> None:
    variants = [
        VariantData("fr", "general", SUGGESTION),
        VariantData("fr", "expert", "Cellules LFP, 8 000 cycles mesurés par un laboratoire indépendant."),
        VariantData("en", "professional", "Recyclable panels at 95%, a first in Europe."),
    ]
    item = published_item(personas.director, make_topic(personas.acme), variants=variants)
    alice = personas.ambassador
    alice.languages, alice.language = "fr", "fr"
    alice.save(update_fields=["languages", "language"])
    client.force_login(alice)

    page = client.get(f"/share/{item.pk}/").content.decode()
    expert = item.variants.get(level="expert")
    response = client.post(
        f"/share/{item.pk}/", _share_post(expert.pk, "Huit mille cycles en labo : je n'y croyais pas. #collaborateur")
    )

    assert "Français · Grand public" in page
    assert "Français · Expert" in page
    assert "English" not in page.split('id="id_variant"')[1].split("</select>")[0]
    assert response.status_code == 302
    assert Share.objects.get().variant == expert
