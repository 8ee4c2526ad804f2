"""An employee types a flagged draft in "Check my post", asks the communication team about it, the
community manager answers from the queue, and the employee reads the answer, told by e-mail and by
the unread badge beside the requests link."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from conftest import Mailbox, Personas
from portevoix.accounts.services import set_interface_language
from portevoix.asks.models import Ask
from portevoix.policies.tests.check_policy import publish_policy
from tests.e2e.conftest import Texts
from tests.e2e.pages import heading, sign_in, sign_out

pytestmark = pytest.mark.e2e

ASK_THE_TEAM = "Ask the communication team"
ASK_BUTTON = "Ask the communication team about this post"
DRAFT = {"fr": "Le Projet Heron avance bien.", "en": "Project Heron is going well."}
MATCHED = {"fr": "Projet Heron", "en": "Heron"}
QUESTION = {"fr": "Puis-je annoncer cette avancée ?", "en": "May I announce this progress?"}
ANSWER = "Not yet: Heron is confidential.\nWait for the announcement."


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_employee_asks_about_a_flagged_draft_and_reads_the_answer(
    page: Page,
    personas: Personas,
    texts: Texts,
    language: str,
    mailbox: Mailbox,
    run_jobs: Callable[[], int],
) -> None:
    publish_policy(personas.acme, personas.compliance)
    bob, camille = personas.employee, personas.community_manager
    set_interface_language(person=bob, language=language)
    sign_in(page, bob.email)

    page.goto("/check/")
    with page.expect_response(lambda response: response.request.method == "POST" and response.url.endswith("/check/")):
        page.locator("#id_text").fill(DRAFT[language])
    button = page.locator("#check-ask-button")
    texts.check_as_catalogued(button.inner_text().strip(), ASK_BUTTON)
    with page.expect_navigation():
        button.click()
    texts.check_as_catalogued(heading(page), ASK_THE_TEAM)
    assert page.locator("#id_text").input_value() == DRAFT[language]
    page.locator("#id_question").fill(QUESTION[language])
    with page.expect_navigation():
        page.locator("form.ask-form button[type=submit]").click()
    ask = Ask.objects.get()
    assert page.url.endswith(f"/asks/{ask.pk}/")
    assert page.locator("#ask-draft-text mark").first.inner_text() == MATCHED[language]
    assert run_jobs() == 2  # one e-mail to each member of the team
    sign_out(page)

    sign_in(page, camille.email)
    page.goto("/asks/queue/")
    with page.expect_navigation():
        page.locator(f"a[href='/asks/{ask.pk}/']").click()
    assert page.locator(".ask-message-body").first.inner_text() == QUESTION[language]
    page.locator("#id_body").fill(ANSWER)
    with page.expect_navigation():
        page.locator("form.ask-reply button[type=submit]").click()
    assert page.locator(".ask-message-team .ask-message-body").inner_text() == ANSWER
    sign_out(page)
    assert run_jobs() == 1

    sign_in(page, bob.email)
    badge = page.locator("#asks-unread.badge")
    badge.wait_for()
    assert badge.inner_text().strip().startswith("1")
    with page.expect_navigation():
        page.locator("a.asks-link").click()
    with page.expect_navigation():
        page.locator(f"a[href='/asks/{ask.pk}/']").click()
    assert page.locator(".ask-message-team .ask-message-body").inner_text() == ANSWER
    with page.expect_response(lambda response: response.url.endswith("/asks/unread/")):
        page.goto("/asks/")
    expect(page.locator("#asks-unread")).to_have_text("")  # read: the badge is gone (once htmx swaps it)

    answered = [mail for mail in mailbox.messages if str(mail["To"]) == bob.email]
    subject = {
        "fr": f"L'équipe communication a répondu à votre demande n° {ask.pk}",
        "en": f"The communication team answered your request #{ask.pk}",
    }
    assert [str(mail["Subject"]) for mail in answered] == [subject[language]]
    assert f"/asks/{ask.pk}/" in answered[0].get_content()
    texts.finish()
