"""The communication director defines a topic with targets, invites two of its candidates; one opens
the link of the e-mail and accepts, and the coverage matrix fills up. In English and in French."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from conftest import Mailbox, Personas
from portevoix.accounts.roles import Role
from portevoix.accounts.services import set_interface_language
from portevoix.ambassadors.models import ConsentRecord, Invitation, Topic
from portevoix.ambassadors.tests.factories import declare, linkedin
from tests.e2e.conftest import Texts
from tests.e2e.pages import heading, sign_in

pytestmark = pytest.mark.e2e

NEW_TOPIC = ("New topic", "Nouveau thème")
TO_FILL = ("Recommended candidates — to fill %(gap)s", "Candidats recommandés — pour combler : %(gap)s")
WAITING = ("Waiting for an answer", "En attente de réponse")
ACCEPTED = ("Accepted", "Acceptée")
WELCOME = ("Welcome to the ambassador programme!", "Bienvenue dans le programme ambassadeurs !")
IS_AMBASSADOR = ("You are an ambassador.", "Vous êtes ambassadeur.")
FRENCH = {"en": "French", "fr": "Français"}
MESSAGE = "We would love to hear you on hydrogen."


def matrix_cell(page: Page, key: str) -> str:
    return page.locator(f"td[data-cell='hydrogen:{key}'] .coverage-count").inner_text().strip()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_director_defines_a_topic_invites_two_candidates_and_one_accepts(
    page: Page,
    browser: Browser,
    live_server: LiveServer,
    personas: Personas,
    texts: Texts,
    language: str,
    mailbox: Mailbox,
    run_jobs: Callable[[], int],
) -> None:
    claire, bob, helene = personas.director, personas.employee, personas.hr
    for person in (claire, bob, helene):
        set_interface_language(person=person, language=language)
    declare(bob, expertise="hydrogen", languages=["fr"], networks=[linkedin()], is_interested=True)
    declare(helene, languages=["en", "fr"], networks=[linkedin()])
    sign_in(page, claire.email)

    page.goto("/ambassadors/topics/")
    with page.expect_navigation():
        page.locator("#main a.button[href='/ambassadors/topics/new/']").click()
    texts.check(heading(page), *NEW_TOPIC)
    form = page.locator("form.topic-form")
    form.locator("input[name=name]").fill("Hydrogen")
    form.locator("input[name=slug]").fill("hydrogen")
    form.locator("input[name=keywords]").fill("hydrogen, electrolysis")
    form.locator("input[name=language_fr]").fill("2")
    form.locator("input[name=language_en]").fill("1")
    form.locator("input[name=network_linkedin]").fill("2")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    topic = Topic.objects.get(slug="hydrogen")
    assert page.url.endswith(f"/ambassadors/topics/{topic.pk}/")

    # A gap of the coverage links to the candidates who would fill it, swapped in by htmx.
    page.locator("a[href='?gap=language:fr#candidates']").click()
    title = page.locator("#candidates h2")
    expect(title).to_have_text((TO_FILL[0] if language == "en" else TO_FILL[1]) % {"gap": FRENCH[language]})
    texts.check(title.inner_text().strip(), *TO_FILL, gap=FRENCH[language])
    expect(page.locator("#candidates tbody tr[data-person]")).to_have_count(2)
    assert page.url.endswith("?gap=language:fr")
    rows = page.locator("#candidates tbody tr[data-person]")
    assert rows.first.get_attribute("data-person") == bob.email, "expertise and interest put Bob first"
    assert rows.first.locator(".score-parts li").count() == 4  # expertise, language, network, interest

    for person in (bob, helene):
        page.locator(f"#candidates input[name=people][value='{person.pk}']").check()
    with page.expect_navigation():
        page.locator("#candidates button[type=submit]").click()
    page.locator("textarea[name=message]").fill(MESSAGE)
    with page.expect_navigation():
        page.locator("button[name=send]").click()
    for person in (bob, helene):
        texts.check(page.locator(f"tr[data-person='{person.email}'] td").first.inner_text().strip(), *WAITING)

    page.goto("/ambassadors/topics/")
    assert [matrix_cell(page, key) for key in ("language:fr", "language:en", "network:linkedin")] == [
        "0 / 2",
        "0 / 1",
        "0 / 2",
    ]

    assert run_jobs() == 2
    mail = next(message for message in mailbox.messages if str(message["To"]) == bob.email)
    body = mail.get_content()
    assert MESSAGE in body
    link = re.search(r"http://\S+/ambassadors/invitations/[\w-]+/", body)
    assert link is not None

    bob_context = browser.new_context(base_url=live_server.url, locale=language)
    bob_page = bob_context.new_page()
    sign_in(bob_page, bob.email)
    bob_page.goto(link.group(0).replace("http://127.0.0.1:8000", ""))
    assert MESSAGE in bob_page.locator(".invitation-message").inner_text()
    assert bob_page.locator("#terms li").count() == 5
    bob_page.locator("input[name=has_agreed]").check()
    with bob_page.expect_navigation():
        bob_page.locator("button[value=accept]").click()
    texts.check(bob_page.locator(".messages li").inner_text().strip(), *WELCOME)
    texts.check(bob_page.locator("[data-testid=participation]").inner_text().strip(), *IS_AMBASSADOR)
    bob_context.close()

    page.reload()
    assert [matrix_cell(page, key) for key in ("language:fr", "language:en", "network:linkedin")] == [
        "1 / 2",
        "0 / 1",
        "1 / 2",
    ]
    page.goto(f"/ambassadors/campaigns/{Invitation.objects.get(person=bob).campaign_id}/")
    texts.check(page.locator(f"tr[data-person='{bob.email}'] td").first.inner_text().strip(), *ACCEPTED)
    texts.check(page.locator(f"tr[data-person='{helene.email}'] td").first.inner_text().strip(), *WAITING)
    assert bob.roles.filter(role=Role.AMBASSADOR).exists()
    assert not helene.roles.filter(role=Role.AMBASSADOR).exists()
    assert list(ConsentRecord.objects.values_list("person__email", "choice")) == [(bob.email, "accepted")]
    texts.finish()
