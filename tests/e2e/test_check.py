"""An employee checks a risky post as they type it, one key at a time, in French and in English:
each risk appears highlighted with its label as soon as it is written, a finding opens from the
keyboard to its clause and suggestion, and the verdict says not to publish. Each pause in typing
sends one check, and the draft counts once in the statistics."""

import pytest
from playwright.sync_api import Page, Request, expect

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.policies.models import CheckCount
from portevoix.policies.tests.check_policy import publish_policy
from tests.e2e.conftest import Texts
from tests.e2e.pages import heading, sign_in

pytestmark = pytest.mark.e2e

# The French texts the translator is expected to use (msgid → French).
CHECK_MY_POST = ("Check my post", "Vérifier ma publication")
DO_NOT_PUBLISH = ("Do not publish", "Ne pas publier")
# Words whose French the test does not dictate: checked against the catalogue.
CAREFUL = "Careful"
NOTHING_YET = "Nothing to check yet."

# Typed in three bursts; after each one, the finding it adds: (matched text, severity msgid).
BURSTS = {
    "fr": [
        ("Appelez-moi au 06 12 34 56 78. ", ("06 12 34 56 78", "Warning")),
        ("Le Projet Heron avance bien. ", ("Projet Heron", "Block")),
        ("Tu es un crétin.", ("Tu es un crétin", "Block")),
    ],
    "en": [
        ("Call me on 06 12 34 56 78. ", ("06 12 34 56 78", "Warning")),
        ("Project Heron is going well. ", ("Heron", "Block")),
        ("You're an idiot.", ("You're an idiot", "Block")),
    ],
}
CLAUSE = {"fr": "c-3-1 — Projets confidentiels", "en": "c-3-1 — Confidential projects"}
SUGGESTION = {"fr": "Retirez le nom du projet.", "en": "Remove the project's name."}


def is_check(request: Request) -> bool:
    return request.method == "POST" and request.url.endswith("/check/")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_employee_sees_each_risk_appear_as_they_type_and_is_told_not_to_publish(
    page: Page, personas: Personas, texts: Texts, language: str
) -> None:
    publish_policy(personas.acme, personas.compliance)
    bob = personas.employee
    set_interface_language(person=bob, language=language)
    sign_in(page, bob.email)

    link = page.locator("header nav a[href='/check/']")
    texts.check(link.inner_text().strip(), *CHECK_MY_POST)
    with page.expect_navigation():
        link.click()
    texts.check(heading(page), *CHECK_MY_POST)
    verdict = page.locator("#check-verdict")
    assert verdict.get_attribute("aria-live") == "polite"
    texts.check_as_catalogued(verdict.inner_text().strip(), NOTHING_YET)

    checks: list[Request] = []
    page.on("request", lambda request: checks.append(request) if is_check(request) else None)
    page.locator("#id_text").focus()
    for index, (burst, (matched, severity)) in enumerate(BURSTS[language]):
        with page.expect_response(lambda response: is_check(response.request)):
            page.keyboard.type(burst, delay=25)  # far quicker than the 300 ms pause: one check per burst
        number = index + 1
        assert len(checks) == number
        marks = page.locator(".check-preview mark")
        expect(marks).to_have_count(number)  # htmx swaps the result in just after the response
        assert marks.nth(index).inner_text() == matched
        summary = page.locator(f"#finding-{number} summary")
        tag = summary.locator(".finding-tag").inner_text().strip()
        assert tag.startswith(f"{number} · ")
        texts.check_as_catalogued(tag.removeprefix(f"{number} · "), severity)
        assert summary.locator(".finding-matched").inner_text() == matched
        if number == 1:
            texts.check_as_catalogued(verdict.locator(".verdict-label").inner_text().strip(), CAREFUL)
        else:
            texts.check(verdict.locator(".verdict-label").inner_text().strip(), *DO_NOT_PUBLISH)
        assert page.evaluate("document.activeElement.id") == "id_text"  # typing never loses the box

    text = "".join(burst for burst, _finding in BURSTS[language])
    assert page.locator("#id_text").input_value() == text
    assert page.locator(".findings > li").count() == 3

    # The confidential project, from the keyboard: its clause and suggestion.
    project = page.locator("#finding-2")
    assert project.locator(".finding-clause").is_hidden()
    project.locator("summary").focus()
    page.keyboard.press("Enter")
    assert project.get_attribute("open") is not None
    assert project.locator(".finding-clause").inner_text().strip() == CLAUSE[language]
    assert project.locator(".finding-suggestion").inner_text().strip() == SUGGESTION[language]

    counts = dict(CheckCount.objects.filter(organization=personas.acme).values_list("rule_id", "count"))
    assert counts == {"": 1, "personal-data": 1, "confidential-projects": 1, "tone": 1}
    texts.finish()
