"""The redirect `/l/<code>`: where it goes, what it counts, and that counting never breaks it."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.links import clicks, selectors, services
from portevoix.links.models import ClickCount, ReferrerCategory, TrackedLink
from portevoix.links.tests.factories import make_link

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def test_a_click_redirects_to_the_tagged_target_and_is_counted_with_its_referrer(personas: Personas) -> None:
    link = make_link(personas.acme, owner=personas.ambassador)

    response = Client().get(
        link.short_path, headers={"referer": "https://www.linkedin.com/feed/", "user-agent": BROWSER}
    )
    written = clicks.buffer.flush()

    assert response.status_code == 302
    assert response["Location"] == (
        "https://acme.example/news/solar?ref=home&utm_source=linkedin&utm_medium=ambassador"
        "&utm_campaign=solar-2026&utm_content=share-1"
    )
    assert response["Cache-Control"] == "private, no-store"
    assert written == 1
    assert selectors.clicks_per_link([link.pk]) == {link.pk: 1}
    assert selectors.clicks_by_referrer([link.pk]) == [(ReferrerCategory.LINKEDIN, 1)]
    assert selectors.clicks_by_day([link.pk]) == [(timezone.localdate(), 1)]


def test_nothing_about_the_visitor_is_kept(personas: Personas) -> None:
    link = make_link(personas.acme)

    Client().get(
        link.short_path,
        headers={"referer": "https://t.co/abc", "user-agent": BROWSER, "cookie": "id=visitor-42"},
        REMOTE_ADDR="203.0.113.9",
    )
    clicks.buffer.flush()

    row = ClickCount.objects.get()
    stored = {field.attname: getattr(row, field.attname) for field in ClickCount._meta.concrete_fields}
    assert set(stored) == {"id", "link_id", "minute", "referrer", "is_preview", "count"}
    assert (stored["referrer"], stored["is_preview"], stored["count"]) == ("x", False, 1)
    assert (stored["minute"].second, stored["minute"].microsecond) == (0, 0)
    assert "203.0.113.9" not in repr(stored)
    assert "visitor-42" not in repr(stored)
    assert response_sets_no_cookie(link.short_path)


def response_sets_no_cookie(path: str) -> bool:
    return not Client().get(path, headers={"user-agent": BROWSER}).cookies


def test_link_previews_and_head_requests_are_counted_apart_never_as_clicks(personas: Personas) -> None:
    link = make_link(personas.acme)
    client = Client()

    for agent in (
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "Twitterbot/1.0",
        "",
    ):
        assert client.get(link.short_path, headers={"user-agent": agent}).status_code == 302
    assert client.head(link.short_path, headers={"user-agent": BROWSER}).status_code == 302
    client.get(link.short_path, headers={"user-agent": BROWSER})
    clicks.buffer.flush()

    assert selectors.clicks_per_link([link.pk]) == {link.pk: 1}
    assert selectors.previews_per_link([link.pk]) == {link.pk: 6}


@pytest.mark.django_db
def test_an_unknown_code_is_a_404_page_in_the_visitors_language() -> None:
    french = Client().get("/l/zzzzzzzzzz", headers={"accept-language": "fr"})
    english = Client().get("/l/zzzzzzzzzz", headers={"accept-language": "en"})
    malformed = Client().get("/l/not-a-code")

    assert french.status_code == english.status_code == malformed.status_code == 404
    assert "<h1>Lien introuvable</h1>" in french.content.decode()
    assert "<h1>Link not found</h1>" in english.content.decode()


def test_a_deactivated_link_leads_to_a_page_saying_so_and_counts_nothing(personas: Personas) -> None:
    link = make_link(personas.acme)
    Client().get(link.short_path, headers={"user-agent": BROWSER})  # cached by this process

    services.deactivate_link(link=link, actor=personas.director)
    response = Client().get(link.short_path, headers={"user-agent": BROWSER, "accept-language": "en"})
    clicks.buffer.flush()

    assert response.status_code == 410
    assert "<h1>This link is no longer active</h1>" in response.content.decode()
    assert selectors.click_total([link.pk]) == 1


def test_an_expired_link_leads_to_a_page_giving_its_end_date(personas: Personas) -> None:
    expired = make_link(personas.acme, expires_at=timezone.now() - datetime.timedelta(minutes=1))

    response = Client().get(expired.short_path, headers={"accept-language": "fr"})

    assert response.status_code == 410
    assert "<h1>Ce lien a expiré</h1>" in response.content.decode()
    assert clicks.buffer.pending == 0


def test_other_methods_are_refused(personas: Personas) -> None:
    link = make_link(personas.acme)

    assert Client().post(link.short_path).status_code == 405
    assert clicks.buffer.pending == 0


def _rename_table(old: str, new: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {connection.ops.quote_name(old)} RENAME TO {connection.ops.quote_name(new)}")


@pytest.mark.django_db(transaction=True)
def test_clicks_still_redirect_when_the_click_table_cannot_be_written_and_are_written_later(
    personas: Personas,
) -> None:
    link = make_link(personas.acme)
    table = ClickCount._meta.db_table
    _rename_table(table, "links_clickcount_away")
    try:
        responses = [Client().get(link.short_path, headers={"user-agent": BROWSER}) for _ in range(3)]
        with pytest.raises(Exception):  # noqa: B017, PT011 - whatever the database says when a table is missing
            clicks.buffer.flush()
        pending_while_down = clicks.buffer.pending
    finally:
        _rename_table("links_clickcount_away", table)

    written = clicks.buffer.flush()

    assert [response.status_code for response in responses] == [302, 302, 302]
    assert pending_while_down == 3
    assert written == 3
    assert selectors.click_total([link.pk]) == 3


@pytest.mark.django_db(transaction=True)
def test_a_link_already_looked_up_redirects_even_when_the_links_table_cannot_be_read(personas: Personas) -> None:
    link = make_link(personas.acme)
    client = Client()
    first = client.get(link.short_path, headers={"user-agent": BROWSER})
    _rename_table(TrackedLink._meta.db_table, "links_trackedlink_away")
    try:
        second = client.get(link.short_path, headers={"user-agent": BROWSER})
    finally:
        _rename_table("links_trackedlink_away", TrackedLink._meta.db_table)

    assert first.status_code == second.status_code == 302


def test_the_french_deactivated_page(personas: Personas) -> None:
    link = make_link(personas.acme)
    services.deactivate_link(link=link, actor=personas.director)
    set_interface_language(person=personas.director, language="fr")

    response = Client().get(link.short_path, headers={"accept-language": "fr"})

    assert "<h1>Ce lien n\u2019est plus actif</h1>" in response.content.decode()
