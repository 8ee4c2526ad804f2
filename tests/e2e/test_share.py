"""An ambassador on a phone makes a suggested post their own: the check flags a confidential
project as they type, they fix it, add the disclosure the policy suggests, and share on X. The
share page of X opens in a new tab with their text and their own tracked link; the test answers
for x.com itself, so nothing reaches the real network."""

import urllib.parse

import pytest
from playwright.sync_api import Browser, Page, Route, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.content.models import Share
from portevoix.content.tests.factories import make_topic, publish_share_policy, published_item
from portevoix.lib.networks import Network
from tests.e2e.conftest import CHROMIUM, Texts
from tests.e2e.pages import sign_in

pytestmark = pytest.mark.e2e

PHONE: ViewportSize = {"width": 390, "height": 844}
MAKE_IT_MINE = ("Make it mine and share", "La faire mienne et partager")
RISKY = {
    "fr": "J'ai visité l'atelier de Lyon hier avec le Projet Heron : des panneaux recyclables, bravo aux techniciens !",
    "en": "I visited the Lyon workshop yesterday with Project Heron: recyclable panels, well done to the technicians!",
}
FIXED = {
    "fr": "J'ai visité l'atelier de Lyon hier : des panneaux recyclables, bravo aux techniciens !",
    "en": "I visited the Lyon workshop yesterday: recyclable panels, well done to the technicians!",
}
MATCHED = {"fr": "Projet Heron", "en": "Heron"}


def _phone_page(browser: Browser, live_server: LiveServer, language: str) -> Page:
    context = browser.new_context(base_url=live_server.url, locale=language, viewport=PHONE, has_touch=True)
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_ambassador_on_a_phone_fixes_a_finding_and_shares_on_x(
    browser: Browser, live_server: LiveServer, personas: Personas, texts: Texts, language: str
) -> None:
    assert CHROMIUM.exists()
    publish_share_policy(personas.acme, personas.compliance)
    item = published_item(personas.director, make_topic(personas.acme), networks=[Network.X, Network.LINKEDIN])
    alice = personas.ambassador
    set_interface_language(person=alice, language=language)
    page = _phone_page(browser, live_server, language)
    opened: list[str] = []

    def answer_for_x(route: Route) -> None:
        opened.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<html><body>X</body></html>")

    page.context.route("https://x.com/**", answer_for_x)
    sign_in(page, alice.email)

    page.goto("/share/")
    card = page.locator(f"#item-{item.pk}")
    expect(card).to_be_visible()
    wide = page.evaluate(
        "[...document.querySelectorAll('#main *')].filter(e => e.getBoundingClientRect().right > 391)"
        ".map(e => e.tagName + '#' + e.id + '.' + e.className)"
    )
    assert wide == []  # nothing in the feed is wider than the phone
    button = card.locator("a.button")
    texts.check(button.inner_text().strip(), *MAKE_IT_MINE)
    with page.expect_navigation():
        button.click()

    text = page.locator("#id_text")
    expect(text).to_have_value(item.variants.get().text + "\n\n#solaire")
    assert int(page.locator("#personal-meter").get_attribute("value") or "100") < 10  # the suggestion, as is
    text.fill(RISKY[language])
    expect(page.locator(".check-preview mark")).to_have_text(MATCHED[language])
    verdict = page.locator("#check-verdict .verdict-label")
    texts.check_as_catalogued(verdict.inner_text().strip(), "Do not publish")

    text.fill(FIXED[language])
    expect(page.locator(".check-preview mark")).to_have_count(0)
    expect(page.locator("#share-disclosure-state")).not_to_contain_text("✓")
    page.locator("#add-disclosure").click()
    expect(text).to_have_value(FIXED[language] + "\n#collaborateur")
    expect(page.locator("#share-disclosure-state")).to_contain_text("✓")
    texts.check_as_catalogued(verdict.inner_text().strip(), "Fine")
    assert int(page.locator("#personal-meter").get_attribute("value") or "0") > 80

    with page.expect_navigation():
        page.locator("#share-button").click()
    share = Share.objects.get()
    with page.expect_popup() as popup:
        page.locator("#share-open").click()
    popup.value.wait_for_load_state()

    assert share.text == FIXED[language] + "\n#collaborateur"
    assert share.tracked_link is not None
    expected = "https://x.com/intent/post?" + urllib.parse.urlencode({"text": share.text, "url": share.link_url})
    assert opened == [expected]
    assert popup.value.url == expected
    assert share.link_url.endswith(f"/l/{share.tracked_link.code}")
    page.context.close()
    texts.finish()


def test_an_editor_sees_each_networks_length_and_the_check_as_they_type(
    page: Page, personas: Personas, texts: Texts
) -> None:
    publish_share_policy(personas.acme, personas.compliance)
    make_topic(personas.acme)
    director = personas.director
    set_interface_language(person=director, language="en")
    sign_in(page, director.email)
    page.goto("/share/library/new/")
    page.locator("#id_networks input[value=x]").check()
    page.locator("#id_link").fill("https://acme.test/lyon")

    page.locator("#id_variants-0-text").fill("Solaire " * 33 + "Initech")  # 271 characters, the link makes 295

    expect(page.locator("#variant-0 .preview-x td").nth(1)).to_have_text("15 too many")
    expect(page.locator("#variant-0 .findings")).to_contain_text("Do not name our competitors.")
    page.locator("#variant-0 details summary").click()
    page.locator("#id_variants-0-text_x").fill("Le solaire, version courte.")
    expect(page.locator("#variant-0 .preview-x td").nth(0)).to_have_text("51 / 280")
    texts.finish()
