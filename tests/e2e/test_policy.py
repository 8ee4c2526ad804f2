"""The compliance officer writes, tests and publishes the policy in the browser: upload the file,
publish it, add a term through the term-list form with a pasted line, read the diff in sentences,
add a test case that fails and see that this version cannot be published."""

import pytest
from playwright.sync_api import Page

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.demo.steps.policy import POLICY_FILE
from portevoix.policies import services
from tests.e2e.conftest import Texts
from tests.e2e.pages import heading, sign_in

pytestmark = pytest.mark.e2e

POLICY = ("Policy", "Politique")
VERSION = ("Policy version %(number)s", "Version %(number)s de la politique")
PUBLISH = ("Publish version %(number)s", "Publier la version %(number)s")
PUBLISHED = ("Published, applies now", "Publiée, s’applique maintenant")  # noqa: RUF001
SAVE = ("Save as a new version", "Enregistrer comme nouvelle version")
TERM_ADDED = "Rule %(rule)s: %(terms)s added."


def _save(page: Page, texts: Texts) -> None:
    button = page.get_by_role("button", name=SAVE[0] if texts.language == "en" else SAVE[1])
    if texts.language == "fr" and not button.count():
        button = page.get_by_role("button", name=SAVE[0])
    with page.expect_navigation():
        button.click()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_compliance_officer_writes_tests_and_publishes_the_policy(
    page: Page, personas: Personas, texts: Texts, language: str
) -> None:
    set_interface_language(person=personas.compliance, language=language)
    sign_in(page, personas.compliance.email)

    page.goto("/policy/")
    texts.check(heading(page), *POLICY)
    page.goto("/policy/file/")
    page.locator("textarea[name=source]").fill(POLICY_FILE.read_text(encoding="utf-8"))
    _save(page, texts)
    assert page.url.endswith("/policy/v/1/")
    title = page.locator("#main h1").evaluate("h1 => h1.firstChild.textContent")
    texts.check(title.strip(), *VERSION, number="1")

    publish = page.locator("form[action='/policy/v/1/publish/'] button")
    texts.check(publish.inner_text().strip(), *PUBLISH, number="1")
    with page.expect_navigation():
        publish.click()
    texts.check(page.locator("h1 .badge").inner_text().strip(), *PUBLISHED)
    active = services.active_version(personas.acme)
    assert active is not None
    assert active.number == 1

    # Paste a new code name with its context options into the term list.
    page.goto("/policy/rules/projets-confidentiels/")
    terms = page.locator("textarea[name=terms]")
    terms.fill(terms.input_value() + "\nNébuleuse [context: projet, project; qualifiers: hashtag]\n")
    _save(page, texts)
    assert page.url.endswith("/policy/v/2/")
    page.goto("/policy/v/2/diff/")
    changes = [item.inner_text().strip() for item in page.locator("#main section.card li").all()]
    assert len(changes) == 1
    quoted = "« Nébuleuse »" if texts.language == "fr" else "“Nébuleuse”"  # each language's quotes
    texts.check_as_catalogued(changes[0], TERM_ADDED, rule="projets-confidentiels", terms=quoted)
    assert page.locator("pre.diff ins").inner_text().strip().startswith("+")

    # A test case that the policy fails: the new version cannot be published.
    page.goto("/policy/tests/new/")
    page.locator("textarea[name=text]").fill("Le #Nébuleuse avance bien !")
    page.locator("input[name=must_not_find][value=projets-confidentiels]").check()
    _save(page, texts)
    assert page.url.endswith("/policy/v/3/")
    assert page.locator("form[action='/policy/v/3/publish/'] button").is_disabled()
    assert "projets-confidentiels" in page.locator(".test-failures").inner_text()
    active = services.active_version(personas.acme)
    assert active is not None
    assert active.number == 1
    texts.finish()
