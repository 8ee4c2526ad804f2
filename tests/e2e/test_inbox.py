"""The community manager opens the inbox, sees a hostile message flagged with its clause, picks a
saved reply, is warned as she types a competitor's name, fixes it, and sends the reply, which
leaves through the channel's outbox."""

import pytest
from playwright.sync_api import Page, expect

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.channels.models import Dispatch
from portevoix.inbox.models import Message
from portevoix.inbox.services import save_reply_template
from portevoix.inbox.tests.factories import demo_channel, received
from portevoix.policies.tests.check_policy import publish_policy
from tests.e2e.conftest import Texts
from tests.e2e.pages import heading, sign_in

pytestmark = pytest.mark.e2e

SAVED = {"fr": "Merci pour votre message, nous revenons vers vous.", "en": "Thank you, we will get back to you."}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_community_manager_answers_a_flagged_message_with_a_checked_reply(
    page: Page, personas: Personas, texts: Texts, language: str
) -> None:
    publish_policy(personas.acme, personas.compliance)
    camille = personas.community_manager
    set_interface_language(person=camille, language=language)
    channel = demo_channel(personas.acme, owner=camille)
    hostile = received(channel, "Bande de connards, rendez-moi mon argent")
    received(channel, "Merci pour le webinaire !")
    save_reply_template(
        organization=personas.acme, actor=camille, title="Merci", language=language, text=SAVED[language]
    )
    sign_in(page, camille.email)

    page.goto("/inbox/?risk=hostile")
    texts.check_as_catalogued(heading(page), "Inbox")
    rows = page.locator("table.inbox tbody tr")
    expect(rows).to_have_count(1)
    with page.expect_navigation():
        rows.first.locator("a").first.click()
    expect(page.locator(".findings .clause-id").first).to_contain_text("c-2-1")

    page.locator("#saved-reply").select_option(label=f"Merci ({'Français' if language == 'fr' else 'English'})")
    expect(page.locator("#id_text")).to_have_value(SAVED[language])
    with page.expect_response(lambda response: response.url.endswith(f"/inbox/{hostile.pk}/reply/")):
        page.locator("#id_text").fill("Notre offre est meilleure que celle d'Initech.")
    expect(page.locator("#reply-check .finding")).to_contain_text("Initech")
    with page.expect_response(lambda response: response.url.endswith(f"/inbox/{hostile.pk}/reply/")):
        page.locator("#id_text").fill(SAVED[language])
    expect(page.locator("#reply-check .finding")).to_have_count(0)
    with page.expect_navigation():
        page.locator("#reply-form button[type=submit]").click()

    dispatch = Dispatch.objects.get()
    assert (dispatch.text, dispatch.in_reply_to, dispatch.channel) == (SAVED[language], hostile.remote_id, channel)
    expect(page.locator("ol.replies li").first).to_contain_text(SAVED[language])
    hostile.refresh_from_db()
    assert hostile.status == Message.Status.WAITING
