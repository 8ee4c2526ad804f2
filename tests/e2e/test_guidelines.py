"""Guidelines in the browser: an employee reads and acknowledges them from the home page; a
communication director writes a new version, publishes it to one department and watches the
completion dashboard change."""

import pytest
from playwright.sync_api import Page

from conftest import Personas
from portevoix.accounts.models import Department
from portevoix.accounts.services import set_interface_language
from portevoix.guidelines import services
from portevoix.guidelines.models import Acknowledgement, GuidelinesVersion
from portevoix.guidelines.tests.factories import FIRST, published
from tests.e2e.conftest import Texts
from tests.e2e.pages import heading, sign_in

pytestmark = pytest.mark.e2e

READ_AND_ACKNOWLEDGE = ("Read and acknowledge", "Lire et accepter")
ACKNOWLEDGE = ("I have read and I acknowledge", "J’ai lu et j’accepte")  # noqa: RUF001
THANKS = "Thank you: your acknowledgement of version %(number)s is recorded."
NEW_DRAFT = ("New draft from the published version", "Nouvelle version à partir de la version publiée")
PUBLISH = "Publish version %(number)s"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_employee_reads_and_acknowledges_the_guidelines_from_the_home_page(
    page: Page, personas: Personas, texts: Texts, language: str
) -> None:
    version = published(personas.director, *FIRST)
    set_interface_language(person=personas.employee, language=language)
    sign_in(page, personas.employee.email)

    page.goto("/")
    button = page.locator("#main a.button[href='/guidelines/v/1/']")
    texts.check(button.inner_text().strip(), *READ_AND_ACKNOWLEDGE)
    with page.expect_navigation():
        button.click()
    assert heading(page).startswith("Charte" if language == "fr" else "Guidelines")
    body = page.locator("#clause-3\\.1 p").last.inner_text()
    assert body == ("Texte de la clause 3.1." if language == "fr" else "Text of clause 3.1.")

    acknowledge = page.locator("form.acknowledge button")
    texts.check(acknowledge.inner_text().strip(), *ACKNOWLEDGE)
    with page.expect_navigation():
        acknowledge.click()
    texts.check_as_catalogued(page.locator(".message.success").first.inner_text().strip(), THANKS, number="1")
    assert page.locator("form.acknowledge").count() == 0
    acknowledgement = Acknowledgement.objects.get(version=version, person=personas.employee)
    assert acknowledgement.content_hash == version.content_hash
    texts.finish()


def test_director_publishes_a_new_version_to_one_department_and_watches_the_dashboard(
    page: Page, personas: Personas, texts: Texts
) -> None:
    published(personas.director, *FIRST)
    set_interface_language(person=personas.director, language="en")
    engineering = Department.objects.get(organization=personas.acme, name="Engineering")
    sign_in(page, personas.director.email)

    page.goto("/guidelines/")
    with page.expect_navigation():
        page.get_by_role("button", name=NEW_DRAFT[0]).click()
    assert page.url.endswith("/guidelines/v/2/edit/")
    with page.expect_navigation():
        page.locator("a[href='/guidelines/v/2/clauses/3.1/']").click()
    page.locator("textarea[name=body_en]").fill("Never name a confidential project, **not even its initials**.")
    page.locator("textarea[name=body_fr]").fill("Ne citez jamais un projet confidentiel, **pas même ses initiales**.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the clause").click()

    page.goto("/guidelines/v/2/diff/")
    assert "not even its initials" in " ".join(page.locator(".word-diff ins").all_inner_texts())

    page.goto("/guidelines/v/2/publish/")
    page.locator("input[name=audience][value=groups]").check()
    page.locator(f"input[name=departments][value='{engineering.pk}']").check()
    assert page.locator("input[name=material_anchors][value='3.1']").is_checked()
    with page.expect_navigation():
        page.get_by_role("button", name=PUBLISH % {"number": "2"}).click()
    assert page.url.endswith("/guidelines/v/2/completion/")
    assert page.locator("#completion-rate").inner_text() == "0%"
    pending = [row.inner_text() for row in page.locator("#pending tbody th").all()]
    assert [line.split("\n")[0] for line in pending] == ["Alice Ambassador", "Bob Employee"]

    second = GuidelinesVersion.objects.get(organization=personas.acme, number=2)
    services.acknowledge(version=second, person=personas.employee)
    page.reload()
    assert page.locator("#completion-rate").inner_text() == "50%"
    pending = [row.inner_text().split("\n")[0] for row in page.locator("#pending tbody th").all()]
    assert pending == ["Alice Ambassador"]
    texts.finish()
