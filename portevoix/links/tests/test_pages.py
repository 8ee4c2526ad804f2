"""The tracked link pages: the list, one link's figures, deactivation; and who may see what.

The programme team (community manager, communication director) sees every link of its
organisation and may deactivate one; a person sees the links of their own shares; anyone else,
and anyone of another organisation, gets a 404.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from conftest import Personas
from portevoix.accounts.models import User
from portevoix.accounts.roles import Role
from portevoix.accounts.services import create_person, set_interface_language
from portevoix.audit.models import AuditEntry
from portevoix.links import clicks
from portevoix.links.models import TrackedLink
from portevoix.links.tests.factories import make_link
from portevoix.links.tests.http import BROWSER


def _click(link: TrackedLink, referer: str = "", times: int = 1) -> None:
    for _ in range(times):
        Client().get(link.short_path, headers={"referer": referer, "user-agent": BROWSER})


def _globex_manager(personas: Personas) -> User:
    return create_person(
        organization=personas.globex, email="gus@globex.test", full_name="Gus Globex",
        roles=frozenset({Role.COMMUNITY_MANAGER}), language="en",
    )  # fmt: skip


def test_the_team_sees_every_link_of_its_organisation_with_its_clicks(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.director, language="en")
    alice_link = make_link(personas.acme, owner=personas.ambassador, campaign="solar-2026")
    other_link = make_link(personas.acme, campaign="wind-2026")
    make_link(personas.globex, campaign="globex-secret")
    _click(alice_link, "https://www.linkedin.com/feed/", times=2)
    clicks.buffer.flush()
    client.force_login(personas.director)

    response = client.get("/l/manage/")

    content = response.content.decode()
    assert response.status_code == 200
    assert [(link.pk, count) for link, count in response.context["rows"]] == [(other_link.pk, 0), (alice_link.pk, 2)]
    assert "2 links" in content
    assert "Alice Ambassador" in content
    assert "globex-secret" not in content


def test_the_list_is_searched_in_place_by_htmx(client: Client, personas: Personas) -> None:
    make_link(personas.acme, campaign="solar-2026")
    wind = make_link(personas.acme, campaign="wind-2026")
    client.force_login(personas.community_manager)

    response = client.get("/l/manage/?q=wind", headers={"HX-Request": "true"})

    content = response.content.decode()
    assert content.strip().startswith('<div id="results">')
    assert "<h1>" not in content
    assert [link.pk for link, _count in response.context["rows"]] == [wind.pk]


def test_the_list_page_needs_the_same_queries_for_one_link_or_fifty(
    client: Client, personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for _ in range(50):
        make_link(personas.acme, owner=personas.ambassador)
    client.force_login(personas.director)
    client.get("/l/manage/")  # sessions and permissions warmed

    with django_assert_num_queries(7):
        response = client.get("/l/manage/")

    assert len(response.context["rows"]) == 50


def test_an_ambassador_sees_only_the_links_of_their_own_shares(client: Client, personas: Personas) -> None:
    own = make_link(personas.acme, owner=personas.ambassador)
    someone_elses = make_link(personas.acme, owner=personas.employee)
    client.force_login(personas.ambassador)

    listed = client.get("/l/manage/")
    own_page = client.get(f"/l/manage/{own.code}/")
    other_page = client.get(f"/l/manage/{someone_elses.code}/")

    assert [link.pk for link, _count in listed.context["rows"]] == [own.pk]
    assert own_page.status_code == 200
    assert other_page.status_code == 404


def test_a_link_page_shows_its_target_tags_and_clicks_per_source_and_day(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.community_manager, language="en")
    link = make_link(personas.acme, owner=personas.ambassador)
    _click(link, "https://www.linkedin.com/feed/", times=3)
    _click(link, "https://www.google.fr/")
    Client().get(link.short_path, headers={"user-agent": "LinkedInBot/1.0"})
    clicks.buffer.flush()
    client.force_login(personas.community_manager)

    response = client.get(f"/l/manage/{link.code}/")

    content = response.content.decode()
    assert f'<code id="short-url">http://testserver/l/{link.code}</code>' in content
    assert "utm_source=linkedin · utm_medium=ambassador · utm_campaign=solar-2026 · utm_content=share-1" in content
    assert '<strong id="click-total">4</strong> clicks' in content
    assert "and 1 link preview fetched by a network or an app, not counted as a click" in content
    assert '<tr><th scope="row">LinkedIn</th><td class="number">3</td></tr>' in content
    assert '<tr><th scope="row">Search engine</th><td class="number">1</td></tr>' in content
    assert response.context["days"] == [(timezone.localdate(), 4, 100)]
    assert "Deactivate this link" in content


def test_the_link_page_in_french(client: Client, personas: Personas) -> None:
    link = make_link(personas.acme)
    client.force_login(personas.director)

    content = client.get(f"/l/manage/{link.code}/").content.decode()

    assert "<h2>Clics</h2>" in content
    assert "Désactiver ce lien" in content


def test_the_team_deactivates_a_link_which_then_leads_to_the_notice_and_is_audited(
    client: Client, personas: Personas
) -> None:
    set_interface_language(person=personas.community_manager, language="en")
    link = make_link(personas.acme)
    _click(link)  # known to this process: the deactivation must reach the cache
    client.force_login(personas.community_manager)

    response = client.post(f"/l/manage/{link.code}/deactivate", follow=True)
    visit = Client().get(link.short_path, headers={"user-agent": BROWSER})

    link.refresh_from_db()
    assert not link.is_active
    assert "The link is deactivated: visitors now see a page saying so." in response.content.decode()
    assert visit.status_code == 410
    entry = AuditEntry.objects.get(action="link.deactivated")
    assert (entry.actor, entry.target_label) == (personas.community_manager, link.short_path)

    client.post(f"/l/manage/{link.code}/reactivate")

    link.refresh_from_db()
    assert link.is_active
    assert Client().get(link.short_path, headers={"user-agent": BROWSER}).status_code == 302
    assert AuditEntry.objects.filter(action="link.reactivated").count() == 1


@pytest.mark.parametrize("persona", ["ambassador", "employee", "compliance", "hr", "admin"])
def test_other_roles_cannot_deactivate_even_their_own_link(client: Client, personas: Personas, persona: str) -> None:
    user = getattr(personas, persona)
    link = make_link(personas.acme, owner=user)
    client.force_login(user)

    response = client.post(f"/l/manage/{link.code}/deactivate")

    link.refresh_from_db()
    assert response.status_code == 403
    assert link.is_active
    assert not AuditEntry.objects.filter(action="link.deactivated").exists()


def test_another_organisation_gets_404_for_a_links_page_and_its_deactivation(
    client: Client, personas: Personas
) -> None:
    link = make_link(personas.acme, owner=personas.ambassador)
    client.force_login(_globex_manager(personas))

    page = client.get(f"/l/manage/{link.code}/")
    deactivation = client.post(f"/l/manage/{link.code}/deactivate")
    listed = client.get("/l/manage/")

    link.refresh_from_db()
    assert (page.status_code, deactivation.status_code) == (404, 404)
    assert link.is_active
    assert list(listed.context["rows"]) == []


def test_a_link_page_of_another_person_is_404_for_an_employee(client: Client, personas: Personas) -> None:
    link = make_link(personas.acme, owner=personas.ambassador)
    client.force_login(personas.employee)

    assert client.get(f"/l/manage/{link.code}/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in_for_the_pages_but_not_for_the_redirect(
    client: Client, personas: Personas
) -> None:
    link = make_link(personas.acme)

    page = client.get(f"/l/manage/{link.code}/")
    deactivation = client.post(f"/l/manage/{link.code}/deactivate")

    assert page.status_code == deactivation.status_code == 302
    assert page["Location"].startswith("/accounts/login/")
    assert client.get(link.short_path)["Location"] == link.target_url


def test_an_expired_link_is_marked_in_the_list(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.director, language="en")
    make_link(personas.acme, expires_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(personas.director)

    content = client.get("/l/manage/").content.decode()

    assert '<span class="badge">Expired</span>' in content
