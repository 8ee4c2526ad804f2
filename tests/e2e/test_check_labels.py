"""An employee reads the highlighted preview of their post and clicks a numbered label: the
finding it names opens and takes the focus, after every live update too. Without JavaScript the
label is still a link to the finding."""

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from conftest import Personas
from portevoix.policies.tests.check_policy import publish_policy
from tests.e2e.pages import sign_in

pytestmark = pytest.mark.e2e

RISKY = "Le Projet Heron avance. Appelez-moi au 06 12 34 56 78."


def is_check(response_url: str, method: str) -> bool:
    return method == "POST" and response_url.endswith("/check/")


def focused_finding(page: Page) -> str | None:
    found = page.evaluate("document.activeElement.closest('details')?.id ?? null")
    return str(found) if found is not None else None


def test_a_label_in_the_preview_opens_its_finding_and_moves_focus_to_it(page: Page, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    sign_in(page, personas.employee.email)
    page.goto("/check/")

    with page.expect_response(lambda response: is_check(response.url, response.request.method)):
        page.locator("#id_text").fill(RISKY)
    second = page.locator("#finding-2")
    expect(second).not_to_have_attribute("open", "")
    page.locator(".check-preview a[href='#finding-2']").click()

    expect(second).to_have_attribute("open", "")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    assert focused_finding(page) == "finding-2"
    assert page.url.endswith("/check/#finding-2")
    expect(second.locator(".finding-suggestion")).to_be_visible()

    # The findings are swapped in again as the text changes: the labels keep working, from the keyboard.
    page.locator("#id_text").focus()
    with page.expect_response(lambda response: is_check(response.url, response.request.method)):
        page.keyboard.type(" Tu es un crétin.")
    expect(page.locator(".findings > li")).to_have_count(3)
    page.locator(".check-preview a[href='#finding-3']").focus()
    page.keyboard.press("Enter")

    expect(page.locator("#finding-3")).to_have_attribute("open", "")
    assert focused_finding(page) == "finding-3"


def test_without_javascript_a_label_is_still_a_link_to_its_finding(
    browser: Browser, live_server: LiveServer, personas: Personas
) -> None:
    publish_policy(personas.acme, personas.compliance)
    context = browser.new_context(base_url=live_server.url, locale="en", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, personas.employee.email)
    page.goto("/check/")
    page.locator("#id_text").fill(RISKY)
    with page.expect_navigation():
        page.locator("#check-form button[type=submit]").click()

    page.locator(".check-preview a[href='#finding-2']").click()

    assert page.url.endswith("/check/#finding-2")
    expect(page.locator("#finding-2 summary")).to_be_visible()
    context.close()
