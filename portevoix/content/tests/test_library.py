"""The content library: suggested posts written per network within limits, checked, approved, published, expired."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.audit.models import AuditEntry
from portevoix.content import services
from portevoix.content.models import ContentComment, ContentItem, ContentVariant
from portevoix.content.selectors import similarity_threshold
from portevoix.content.services import ContentRefused, VariantData
from portevoix.content.tests.factories import (
    SUGGESTION,
    approved_house,
    draft_item,
    make_topic,
    publish_share_policy,
    published_item,
)
from portevoix.lib.networks import Network


@pytest.fixture(autouse=True)
def _media(settings: pytest.FixtureRequest, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (250, 200, 0)).save(buffer, format="PNG")
    return buffer.getvalue()


def _form(topic_id: int, **fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "topic": str(topic_id),
        "title": "Usine de Lyon",
        "link": "https://acme.test/lyon",
        "hashtags": "solaire",
        "networks": ["linkedin", "x"],
        "image_alt": "",
        "variants-TOTAL_FORMS": "2",
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "1000",
        "variants-0-language": "fr",
        "variants-0-level": "general",
        "variants-0-text": SUGGESTION,
        "variants-1-language": "en",
        "variants-1-level": "general",
        "variants-1-text": "",
    }
    return data | fields


def test_an_editor_creates_a_post_with_an_image_and_its_alternative_text(client: Client, personas: Personas) -> None:
    topic = make_topic(personas.acme)
    client.force_login(personas.community_manager)
    image = SimpleUploadedFile("usine.png", _png(), content_type="image/png")

    response = client.post("/share/library/new/", _form(topic.pk, image=image, image_alt="Le toit de l'usine de Lyon"))

    item = ContentItem.objects.get()
    assert response.status_code == 302
    assert (item.status, item.hashtags, item.networks, item.created_by) == (
        "draft", "#solaire", "linkedin,x", personas.community_manager,
    )  # fmt: skip
    assert [(v.language, v.text) for v in item.variants.all()] == [("fr", SUGGESTION)]
    served = client.get(f"/share/images/{item.pk}/")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served.content == _png()


def test_an_image_needs_its_alternative_text_and_must_be_an_image(client: Client, personas: Personas) -> None:
    topic = make_topic(personas.acme)
    set_interface_language(person=personas.director, language="en")
    client.force_login(personas.director)

    no_alt = client.post("/share/library/new/", _form(topic.pk, image=SimpleUploadedFile("a.png", _png())))
    not_image = client.post(
        "/share/library/new/", _form(topic.pk, image=SimpleUploadedFile("a.png", b"%PDF-1.4 nope"), image_alt="x")
    )

    assert no_alt.status_code == 400
    assert "Describe the image for people who cannot see it." in no_alt.content.decode()
    assert not_image.status_code == 400
    assert "Upload a valid image." in not_image.content.decode()
    assert not ContentItem.objects.exists()


def test_a_text_over_a_network_limit_is_refused_naming_the_variant_and_network(
    client: Client, personas: Personas
) -> None:
    topic = make_topic(personas.acme)
    set_interface_language(person=personas.director, language="en")
    client.force_login(personas.director)
    long_text = "Soleil " * 40  # 280 characters, plus the link: over X's limit, far under LinkedIn's

    response = client.post("/share/library/new/", _form(topic.pk, **{"variants-0-text": long_text.strip()}))

    assert response.status_code == 400
    assert "FR, General public, X: 303 characters, 23 over the limit of 280." in response.content.decode()
    assert not ContentItem.objects.exists()


def test_a_shorter_text_for_x_alone_fits(personas: Personas) -> None:
    topic = make_topic(personas.acme)
    variant = VariantData("fr", "general", "Soleil " * 60, {"x": "Le solaire recyclable arrive à Lyon."})

    item = draft_item(personas.director, topic, networks=[Network.LINKEDIN, Network.X], variants=[variant])

    stored = item.variants.get()
    assert stored.text_for(Network.X) == "Le solaire recyclable arrive à Lyon."
    assert stored.text_for(Network.LINKEDIN) == variant.text


def test_texts_are_checked_with_the_ambassador_scope_and_a_block_stops_approval(
    client: Client, personas: Personas
) -> None:
    publish_share_policy(personas.acme, personas.compliance)
    topic = make_topic(personas.acme)
    item = draft_item(personas.director, topic, text="Le Projet Heron et Initech : bientôt à Lyon.")
    variant = item.variants.get()
    assert (variant.outcome, variant.findings_count) == ("do_not_publish", 6)  # 2 findings x 3 networks
    services.move_content(item=item, actor=personas.director, event="submitted")

    with pytest.raises(ContentRefused):
        services.move_content(item=item, actor=personas.director, event="approved")

    item.refresh_from_db()
    assert item.status == "in_review"
    set_interface_language(person=personas.director, language="en")
    client.force_login(personas.director)
    page = client.get(f"/share/library/{item.pk}/").content.decode()
    assert "Do not name our competitors." in page  # an ambassadors-only rule: the ambassador scope applies
    assert "This project is confidential." in page


def test_the_workflow_goes_from_draft_to_published_with_comments_and_audit(client: Client, personas: Personas) -> None:
    topic = make_topic(personas.acme)
    item = draft_item(personas.community_manager, topic)
    client.force_login(personas.community_manager)
    client.post(f"/share/library/{item.pk}/move/", {"event": "submitted", "comment": "Prêt à relire"})

    forbidden = client.post(f"/share/library/{item.pk}/move/", {"event": "approved"})
    assert forbidden.status_code == 403
    client.force_login(personas.director)
    client.post(f"/share/library/{item.pk}/move/", {"event": "returned", "comment": "Ajoutez le chiffre"})
    client.force_login(personas.community_manager)
    client.post(f"/share/library/{item.pk}/move/", {"event": "submitted"})
    client.force_login(personas.director)
    client.post(f"/share/library/{item.pk}/move/", {"event": "approved"})
    client.post(f"/share/library/{item.pk}/move/", {"event": "published"})

    item.refresh_from_db()
    assert (item.status, item.approved_by, item.published_at is not None) == ("published", personas.director, True)
    assert [(c.event, c.body) for c in ContentComment.objects.filter(item=item)] == [
        ("submitted", "Prêt à relire"), ("returned", "Ajoutez le chiffre"), ("submitted", ""),
        ("approved", ""), ("published", ""),
    ]  # fmt: skip
    assert AuditEntry.objects.filter(action="content.approved", actor=personas.director).count() == 1


def test_only_drafts_can_be_edited(client: Client, personas: Personas) -> None:
    topic = make_topic(personas.acme)
    item = draft_item(personas.director, topic)
    services.move_content(item=item, actor=personas.director, event="submitted")
    client.force_login(personas.director)

    response = client.post(f"/share/library/{item.pk}/edit/", _form(topic.pk, title="Changé"))

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Usine de Lyon"


@pytest.mark.parametrize("persona", ["ambassador", "employee", "compliance", "hr", "admin"])
def test_people_outside_the_team_get_nothing_from_the_library(client: Client, personas: Personas, persona: str) -> None:
    topic = make_topic(personas.acme)
    item = draft_item(personas.director, topic)
    client.force_login(getattr(personas, persona))

    assert client.get("/share/library/").status_code == 403
    assert client.get(f"/share/library/{item.pk}/").status_code == 403
    assert client.post(f"/share/library/{item.pk}/move/", {"event": "submitted"}).status_code == 403
    assert client.post("/share/library/new/", _form(topic.pk)).status_code == 403
    item.refresh_from_db()
    assert item.status == "draft"
    assert ContentItem.objects.count() == 1


def test_another_organisation_gets_404_for_a_post(client: Client, personas: Personas) -> None:
    topic = make_topic(personas.acme)
    item = draft_item(personas.director, topic)
    personas.outsider.roles.create(role="communication_director")
    client.force_login(personas.outsider)

    assert client.get(f"/share/library/{item.pk}/").status_code == 404
    assert client.post(f"/share/library/{item.pk}/move/", {"event": "submitted"}).status_code == 404
    assert client.get(f"/share/images/{item.pk}/").status_code == 404
    assert client.get("/share/library/").content.decode().count("Usine de Lyon") == 0


def test_the_editor_preview_counts_each_network_and_shows_findings(client: Client, personas: Personas) -> None:
    publish_share_policy(personas.acme, personas.compliance)
    set_interface_language(person=personas.director, language="en")
    client.force_login(personas.director)

    response = client.post(
        "/share/library/preview/",
        {"prefix": "variants-0", "variants-0-text": "Bravo Initech", "variants-0-language": "fr",
         "variants-0-text_x": "Court", "link": "https://acme.test/a-very-long-address", "networks": ["x", "linkedin"]},
        headers={"HX-Request": "true"},
    )  # fmt: skip

    page = response.content.decode()
    assert '<tr class="preview-x"><th scope="row">X</th><td>29 / 280</td>' in page  # 5 + space + 23 for the link
    assert '<tr class="preview-linkedin"><th scope="row">LinkedIn</th><td>13 / 3000</td>' in page
    assert "Do not name our competitors." in page


def test_expired_posts_are_marked_by_the_periodic_job(personas: Personas) -> None:
    topic = make_topic(personas.acme)
    now = timezone.now()
    item = draft_item(personas.director, topic, visible_until=now + datetime.timedelta(hours=1))
    for event in ("submitted", "approved", "published"):
        services.move_content(item=item, actor=personas.director, event=event)

    assert services.expire_content(now=now) == 0
    assert services.expire_content(now=now + datetime.timedelta(hours=2)) == 1
    item.refresh_from_db()
    assert item.status == "expired"


def test_variants_with_the_same_language_and_level_are_refused(personas: Personas) -> None:
    topic = make_topic(personas.acme)
    twice = [VariantData("fr", "general", "Un"), VariantData("fr", "general", "Deux")]

    with pytest.raises(ContentRefused):
        draft_item(personas.director, topic, variants=twice)
    with pytest.raises(ContentRefused):
        draft_item(personas.director, topic, variants=[VariantData("de", "general", "Hallo")])
    assert not ContentVariant.objects.exists()


def test_every_page_of_the_team_renders_in_french_and_english(client: Client, personas: Personas) -> None:
    publish_share_policy(personas.acme, personas.compliance)
    topic = make_topic(personas.acme)
    approved_house(topic, personas.director)
    item = published_item(personas.director, topic)
    draft = draft_item(personas.director, topic, title="Brouillon")
    client.force_login(personas.director)
    pages = [
        "/share/houses/", f"/share/houses/{topic.slug}/", f"/share/houses/{topic.slug}/edit/", "/share/library/",
        "/share/library/?status=published", "/share/library/new/", f"/share/library/{item.pk}/",
        f"/share/library/{draft.pk}/edit/", "/share/settings/", f"/share/topics/{topic.slug}/",
    ]  # fmt: skip
    for language in ("fr", "en"):
        set_interface_language(person=personas.director, language=language)
        for url in pages:
            assert client.get(url).status_code == 200, url
    assert "Maison des messages" not in client.get("/share/houses/").content.decode()  # English now


def test_the_library_lists_posts_in_a_fixed_number_of_queries(
    client: Client, personas: Personas, django_assert_max_num_queries: object
) -> None:
    topic = make_topic(personas.acme)
    for number in range(12):
        draft_item(personas.director, topic, title=f"Post {number}")
    client.force_login(personas.director)

    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get("/share/library/")

    assert response.content.decode().count('<th scope="row"><a href="/share/library/') == 12


def test_the_director_sets_the_similarity_threshold_and_others_cannot(client: Client, personas: Personas) -> None:
    client.force_login(personas.community_manager)
    assert client.post("/share/settings/", {"threshold": "50"}).status_code == 403
    client.force_login(personas.director)

    assert client.post("/share/settings/", {"threshold": "5"}).status_code == 200  # form error, nothing saved
    assert client.post("/share/settings/", {"threshold": "60"}).status_code == 302

    assert similarity_threshold(personas.acme) == 60
    assert AuditEntry.objects.filter(action="content.threshold_changed", data={"threshold": 60}).count() == 1
