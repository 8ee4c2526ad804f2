"""The communication director switches crisis mode on after reading what it will do; the banner
appears on every page, the team adds a note to the timeline, an ambassador is e-mailed, reads
the holding statement in the app and finds their feed replaced by it; the director lifts the
crisis with a reason and the ambassador is told.

Not checked here yet: the editorial calendar showing frozen posts (the editorial branch had not
reached main when this was written)."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from conftest import Mailbox, Personas
from portevoix.accounts.services import set_interface_language
from portevoix.crisis.models import Crisis
from tests.e2e.conftest import Texts
from tests.e2e.pages import heading, sign_in, sign_out

pytestmark = pytest.mark.e2e

CONFIRM = ("Confirm crisis mode", "Confirmer le mode crise")
TOLD = (
    ("%(count)s ambassador will be told by e-mail and in the app what not to comment on.",
     "%(count)s ambassadors will be told by e-mail and in the app what not to comment on."),
    ("%(count)s ambassadeur apprendra par e-mail et dans l’application ce qu’il ne faut pas commenter.",  # noqa: RUF001
     "%(count)s ambassadeurs apprendront par e-mail et dans l’application ce qu’il ne faut pas commenter."),  # noqa: RUF001
)  # fmt: skip
LIFTED = (
    "Crisis mode is lifted. Frozen posts stay frozen until someone reschedules them.",
    "Le mode crise est levé. Les publications gelées le restent jusqu’à ce que quelqu’un les reprogramme.",  # noqa: RUF001
)
TITLE = {"fr": "Incident sur le site de Lyon", "en": "Incident at the Lyon site"}
STATEMENT = {
    "fr": "Un incident touche notre site de Lyon. Nos équipes sont mobilisées ; nous communiquerons à 18 h.",
    "en": "An incident affects our Lyon site. Our teams are on it; we will say more at 6 pm.",
}
DO_NOT_COMMENT = {"fr": "Les causes de l'incident et les personnes blessées.", "en": "The causes and the injured."}


def fill_texts(page: Page) -> None:
    form = page.locator("form.crisis-form")
    for language in ("fr", "en"):
        form.locator(f"input[name={language}-title]").fill(TITLE[language])
        form.locator(f"textarea[name={language}-holding_statement]").fill(STATEMENT[language])
        form.locator(f"textarea[name={language}-do_not_comment]").fill(DO_NOT_COMMENT[language])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_director_switches_crisis_mode_on_and_an_ambassador_reads_the_holding_statement(
    page: Page, personas: Personas, texts: Texts, language: str, mailbox: Mailbox, run_jobs: Callable[[], int]
) -> None:
    claire, alice = personas.director, personas.ambassador
    for person in (claire, alice):
        set_interface_language(person=person, language=language)
    sign_in(page, claire.email)
    assert page.locator(".crisis-banner").count() == 0

    with page.expect_navigation():
        page.locator("a.crisis-link").click()
    fill_texts(page)
    with page.expect_navigation():
        page.locator("form.crisis-form button[type=submit]").click()
    texts.check(heading(page), *CONFIRM)
    texts.check_plural(page.locator(".crisis-ambassadors").inner_text().strip(), *TOLD, count=1)
    assert Crisis.objects.count() == 0  # nothing happens before the confirmation
    with page.expect_navigation():
        page.locator("form.crisis-confirm button[name=confirmed]").click()

    crisis = Crisis.objects.get()
    assert page.url.endswith(f"/crisis/{crisis.pk}/")
    expect(page.locator(".crisis-banner")).to_contain_text(TITLE[language])
    page.locator("form.note-form textarea[name=text]").fill("AFP called; answered with the holding statement.")
    page.locator("form.note-form button[type=submit]").click()
    expect(page.locator(".crisis-timeline li.entry-note")).to_contain_text("AFP called")
    assert page.locator(".crisis-timeline li").count() == 3  # switched on, ambassadors notified, the note
    page.goto("/guidelines/")
    expect(page.locator(".crisis-banner")).to_be_visible()
    sign_out(page)

    assert run_jobs() == 2  # the fan-out, then Alice's e-mail
    assert [str(message["To"]) for message in mailbox.messages] == [alice.email]
    assert STATEMENT[language] in mailbox.messages[0].get_content()

    sign_in(page, alice.email)
    banner = page.locator(".crisis-banner")
    expect(banner).to_contain_text(TITLE[language])
    with page.expect_navigation():
        banner.locator("a").click()
    assert page.locator(".holding-statement").inner_text().strip() == STATEMENT[language]
    assert page.locator(".crisis-do-not-comment p").inner_text().strip() == DO_NOT_COMMENT[language]
    # The ambassador's feed is replaced by the holding statement (the content app shows the
    # organisation's text, or the reader's language once it reads `crisis.texts(language)`).
    page.goto("/share/")
    expect(page.locator("#crisis-notice")).to_be_visible()
    assert page.locator("#holding-statement").inner_text().strip() in {STATEMENT["fr"], STATEMENT[language]}
    assert page.locator("#feed").count() == 0
    sign_out(page)

    sign_in(page, claire.email)
    page.goto(f"/crisis/{crisis.pk}/")
    assert page.locator(".notices-read").inner_text().strip() == "1"
    page.locator("form.lift-form textarea[name=reason]").fill("Site secured; statement published at 6 pm.")
    with page.expect_navigation():
        page.locator("form.lift-form button[type=submit]").click()
    texts.check(page.locator(".messages li").inner_text().strip(), *LIFTED)
    assert page.locator(".crisis-banner").count() == 0
    assert page.locator(".crisis-timeline li").count() == 4
    assert run_jobs() == 2  # the fan-out, then Alice is told sharing is back
    assert [str(message["To"]) for message in mailbox.messages] == [alice.email, alice.email]
    sign_out(page)

    sign_in(page, alice.email)
    page.goto("/share/")
    assert page.locator("#crisis-notice").count() == 0  # the feed is back, frozen posts are not
    assert page.locator(".crisis-banner").count() == 0
    texts.finish()
