"""The compliance officer records an incident citing a clause, adds an action and closes the
incident with its lessons learned, in the browser, in English and in French."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.incidents.models import Incident, Status
from tests.e2e.conftest import Texts
from tests.e2e.pages import heading, sign_in

pytestmark = pytest.mark.e2e

RECORD = ("Record an incident", "Déclarer un incident")
RECORDED = ("Incident recorded.", "Incident enregistré.")
NO_ACTION = ("No action yet.", "Aucune action pour l’instant.")  # noqa: RUF001
CLOSED = "Closed"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_compliance_officer_records_acts_on_and_closes_an_incident(
    page: Page, personas: Personas, texts: Texts, language: str
) -> None:
    set_interface_language(person=personas.compliance, language=language)
    sign_in(page, personas.compliance.email)

    page.goto("/incidents/")
    page.locator("#main a.button[href='/incidents/new/']").click()
    texts.check(heading(page), *RECORD)
    form = page.locator("form.incident-form")
    form.locator("input[name=title]").fill("Photo of the Boréal site on LinkedIn")
    form.locator("textarea[name=description]").fill("An engineer posted a photo of the confidential site.")
    form.locator("input[name=occurred_at]").fill("2026-03-01T08:00")
    form.locator("input[name=detected_at]").fill("2026-03-01T10:15")
    form.locator("select[name=category]").select_option("legal_confidentiality")
    form.locator("select[name=severity]").select_option("3")
    form.locator("input[name=clauses]").fill("3.1")
    form.locator("textarea[name=links]").fill("https://www.linkedin.com/posts/1234")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    incident = Incident.objects.get()
    assert page.url.endswith(f"/incidents/{incident.pk}/")
    texts.check(page.locator(".messages li").inner_text().strip(), *RECORDED)
    assert page.locator(".incident-clauses .badge").all_inner_texts() == ["3.1"]
    texts.check(page.locator("#actions tbody td").inner_text().strip(), *NO_ACTION)

    # The action is added by htmx: the table updates in place, the page does not reload.
    actions = page.locator("form.action-form")
    actions.locator("input[name=description]").fill("Ask the author to remove the photo")
    actions.locator("input[name=owner]").fill(personas.ambassador.email)
    actions.locator("input[name=due_on]").fill("2026-03-02")
    actions.locator("input[name=notify_owner]").uncheck()
    actions.locator("button[type=submit]").click()
    row = page.locator("#actions tbody tr.action")
    row.locator("th").filter(has_text="Ask the author to remove the photo").wait_for()
    assert row.locator(".overdue").count() == 1
    row.locator("button[type=submit]").click()
    page.locator("#actions tr.action-done").wait_for()

    status = page.locator("form.status-form")
    status.locator("select[name=status]").select_option("closed")
    status.locator("textarea[name=lessons_learned]").fill("Remind site teams that project sites are confidential.")
    with page.expect_navigation():
        status.locator("button[type=submit]").click()

    texts.check_as_catalogued(page.locator("h1 .badge").inner_text().strip(), CLOSED)
    assert page.locator(".lessons").inner_text().strip() == "Remind site teams that project sites are confidential."
    incident.refresh_from_db()
    assert (incident.status, incident.closed_on) == (Status.CLOSED, timezone.localdate())
    assert incident.actions.get().done_on is not None
    # recorded, action added, action done, status, lessons learned, closing date
    assert len(page.locator(".timeline li").all()) == 6
    texts.finish()
