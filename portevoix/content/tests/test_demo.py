"""The demo company's message houses, library and shares, as its people see them."""

from django.test import Client

from portevoix.content import selectors
from portevoix.content.models import MessageHouseVersion, Share
from portevoix.demo.loaders import load_demo
from portevoix.links.selectors import click_total


def test_the_demo_has_houses_a_library_with_embargo_and_expiry_and_shares_with_clicks(db: None, client: Client) -> None:
    organization = load_demo().organization
    houses = MessageHouseVersion.objects.filter(house__organization=organization)
    ambassador = organization.people.get(email="ambassadrice@lumarelle.example")

    assert sorted(houses.filter(status="approved").values_list("house__topic__slug", flat=True)) == [
        "innovation", "marque-employeur", "rse", "solaire-residentiel",
    ]  # fmt: skip
    assert list(houses.filter(status="in_review").values_list("house__topic__slug", flat=True)) == ["marque-employeur"]
    assert selectors.library_counts(organization=organization) == {
        "draft": 1, "in_review": 1, "approved": 0, "published": 5, "expired": 1,
    }  # fmt: skip
    feed = [entry.item.title for entry in selectors.feed_for(user=ambassador)]
    assert len(feed) == 4
    assert not any("embargo" in title or "expiré" in title for title in feed)
    shares = Share.objects.filter(organization=organization)
    assert shares.count() > 20
    assert max(shares.values_list("similarity", flat=True)) <= selectors.similarity_threshold(organization)
    assert all(share.tracked_link_id for share in shares)
    assert click_total([share.tracked_link_id for share in shares if share.tracked_link_id]) > 100

    client.force_login(ambassador)
    assert client.get("/share/").status_code == 200
    client.force_login(organization.people.get(email="direction.communication@lumarelle.example"))
    assert client.get("/share/library/").status_code == 200
