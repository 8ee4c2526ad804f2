"""HR imports people from a file through the People pages, in the browser, as a person does it:
upload, watch the background check reach the preview, confirm, watch the import finish, then find
the new people in the directory with the live (htmx) search. A file with a bad line is refused."""

import csv
import datetime
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, Request, expect

from conftest import Personas
from portevoix.accounts.models import Department, User
from portevoix.accounts.services import set_interface_language
from portevoix.people.models import ImportJob
from tests.e2e.conftest import Texts
from tests.e2e.pages import heading, sign_in

pytestmark = pytest.mark.e2e

# The French texts the translator is expected to use (msgid → French).
PEOPLE = ("People", "Personnes")
IMPORT_PEOPLE = ("Import people", "Importer des personnes")
CHECK_THE_FILE = ("Check the file", "Vérifier le fichier")
IMPORT_OF = ("Import of %(name)s", "Import de %(name)s")
PREVIEW = ("Preview", "Aperçu")
TO_CREATE = ("to create", "à créer")
NEW_DEPARTMENTS = ("New departments", "Nouveaux départements")
IMPORT_BUTTON = (
    ("Import %(count)s person", "Import %(count)s people"),
    ("Importer %(count)s personne", "Importer %(count)s personnes"),
)
IMPORTING = (
    ("Importing %(count)s person…", "Importing %(count)s people…"),
    ("Import de %(count)s personne…", "Import de %(count)s personnes…"),
)
PEOPLE_COUNT = (("%(count)s person", "%(count)s people"), ("%(count)s personne", "%(count)s personnes"))
SEE_THE_DIRECTORY = ("See the directory", "Voir l’annuaire")  # noqa: RUF001
FILE_HAS_ERRORS = (
    (
        "The file has %(count)s error; nothing was imported. Correct it and upload the file again.",
        "The file has %(count)s errors; nothing was imported. Correct them and upload the file again.",
    ),
    (
        "Le fichier contient %(count)s erreur ; rien n’a été importé. Corrigez-la et déposez à nouveau le fichier.",  # noqa: RUF001
        "Le fichier contient %(count)s erreurs ; rien n’a été importé. Corrigez-les et déposez à nouveau le fichier.",  # noqa: RUF001
    ),
)
ERROR_TABLE_HEADERS = [("Line", "Ligne"), ("Column", "Colonne"), ("Problem", "Problème")]
# Whole sentences: checked against the catalogue rather than a wording dictated here.
WAITING = "Waiting for a background worker to check the file…"
IMPORTED = "Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
INVALID_EMAIL = "invalid e-mail address: “%(value)s”"

ACME_PERSONAS = 7  # Acme's people in the root conftest's personas


# ── The file ─────────────────────────────────────────────────────────────────────────────────

# (first name, last name, department); the first is the CEO, each department's first person its head.
PEOPLE_ROWS = [
    ("Margaux", "Lefèvre", "Direction générale"),
    ("Théo", "Garnier", "Ventes"),
    ("Inès", "Moreau", "Ventes"),
    ("Lucas", "Fontaine", "Ventes"),
    ("Chloé", "Rousseau", "Ventes"),
    ("Hugo", "Chevalier", "Ventes"),
    ("Léa", "Blanchard", "Ventes"),
    ("Nathan", "Perrin", "Ventes"),
    ("Manon", "Girard", "Finance"),
    ("Louis", "Bonnet", "Finance"),
    ("Emma", "Lambert", "Finance"),
    ("Gabriel", "Dupuis", "Finance"),
    ("Jade", "Renard", "Finance"),
    ("Arthur", "Faure", "Finance"),
    ("Zoé", "Quesnel", "Recherche & Développement"),
    ("Raphaël", "Marchand", "Recherche & Développement"),
    ("Louise", "Caron", "Recherche & Développement"),
    ("Jules", "Barbier", "Recherche & Développement"),
    ("Alice", "Meunier", "Recherche & Développement"),
    ("Adam", "Noël", "Recherche & Développement"),
    ("Lina", "Guérin", "Recherche & Développement"),
    ("Paul", "Roche", "Marketing"),  # Marketing already exists in Acme
    ("Rose", "Fabre", "Marketing"),
    ("Victor", "Dumas", "Marketing"),
    ("Anna", "Lemaire", "Marketing"),
    ("Sacha", "Brunet", "Marketing"),
    ("Mila", "Colin", "Marketing"),
    ("Tom", "Vidal", "Marketing"),
    ("Ambre", "Picard", "Marketing"),
    ("Noah", "Leclerc", "Marketing"),
]
NEW_DEPARTMENT_NAMES = ["Direction générale", "Finance", "Recherche & Développement", "Ventes"]
# Headers as a French HR system exports them, or as the English template names them.
HEADERS = {
    "fr": ["Courriel", "Prénom", "Nom", "Service", "Fonction", "Langues", "Date d'embauche", "Courriel du manager",
           "Populations"],
    "en": ["email", "first_name", "last_name", "department", "job_title", "languages", "hire_date", "manager_email",
           "populations"],
}  # fmt: skip


def email_of(first: str, last: str) -> str:
    plain = {"é": "e", "è": "e", "ë": "e", "ï": "i", "ç": "c"}
    return "".join(plain.get(char, char) for char in f"{first}.{last}".lower()) + "@acme.test"


def hire_date_of(index: int) -> datetime.date:
    # Days above 12 so that a month-first reading would fail or differ.
    return datetime.date(2015 + index % 10, 1 + index % 12, 13 + index % 15)


def write_people_file(path: Path, *, language: str, bad_email_on_line: int | None = None) -> Path:
    """30 people, their managers in the same file, French dates (DD/MM/YYYY), populations by name."""
    heads: dict[str, str] = {}
    rows: list[list[str]] = []
    for index, (first, last, department) in enumerate(PEOPLE_ROWS):
        email = email_of(first, last)
        ceo = email_of(*PEOPLE_ROWS[0][:2])
        is_head = department not in heads
        manager = "" if index == 0 else ceo if is_head else heads[department]
        heads.setdefault(department, email)
        populations = "Experts|Jeunes talents" if index % 3 == 0 else ("hauts potentiels" if index % 3 == 1 else "")
        line = index + 2  # the header is line 1
        rows.append([
            "not-an-email" if line == bad_email_on_line else email,
            first,
            last,
            department,
            "Responsable" if is_head else "Chargé de projet",
            "fr, en" if index % 2 else "fr",
            hire_date_of(index).strftime("%d/%m/%Y"),
            manager,
            populations,
        ])  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";" if language == "fr" else ",")
        writer.writerow(HEADERS[language])
        writer.writerows(rows)
    return path


# ── Steps ────────────────────────────────────────────────────────────────────────────────────


def open_import_page(page: Page, texts: Texts) -> None:
    """People in the navigation, then the "Import people" button of the directory."""
    people_link = page.locator("header nav a[href='/people/']")
    texts.check(people_link.inner_text().strip(), *PEOPLE)
    with page.expect_navigation():
        people_link.click()
    texts.check(heading(page), *PEOPLE)
    import_link = page.locator("#main a[href='/people/import/']")
    texts.check(import_link.inner_text().strip(), *IMPORT_PEOPLE)
    with page.expect_navigation():
        import_link.click()
    texts.check(heading(page), *IMPORT_PEOPLE)


def upload(page: Page, texts: Texts, path: Path) -> int:
    """Choose the file and submit it; return the id of the import job the page shows."""
    form = page.locator("#main form[enctype='multipart/form-data']")
    form.locator("input[type=file]").set_input_files(path)
    button = form.locator("button[type=submit]")
    texts.check(button.inner_text().strip(), *CHECK_THE_FILE)
    with page.expect_navigation():
        button.click()
    path_parts = urlsplit(page.url).path.strip("/").split("/")
    assert path_parts[:2] == ["people", "import"], page.url
    texts.check(heading(page), *IMPORT_OF, name=path.name)
    return int(path_parts[2])


def wait_for_status(page: Page, selector: str) -> None:
    """Wait for the polled status block (refreshed every second by htmx) to show `selector`."""
    page.locator(f"#import-status {selector}").first.wait_for(state="visible", timeout=5_000)


# ── Tests ────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("language", ["fr", "en"])
def test_hr_imports_people_from_a_file_then_finds_them_with_the_live_search(
    page: Page, personas: Personas, texts: Texts, run_jobs: Callable[[], int], tmp_path: Path, language: str
) -> None:
    hr = personas.hr
    set_interface_language(person=hr, language=language)
    people_file = write_people_file(tmp_path / "people.csv", language=language)
    sign_in(page, hr.email)
    open_import_page(page, texts)

    job_id = upload(page, texts, people_file)

    # Nothing has checked the file yet: the page shows a progress bar and keeps asking.
    assert page.locator("#import-status[hx-trigger='every 1s'] progress#import-progress").is_visible()
    label = page.locator("#import-status label[for=import-progress]").inner_text().strip()
    texts.check_as_catalogued(label, WAITING)
    assert run_jobs() == 1
    wait_for_status(page, "h2")

    status = page.locator("#import-status")
    assert status.get_attribute("hx-get") is None  # polling stops once there is something to read
    texts.check(status.locator("h2").inner_text().strip(), *PREVIEW)
    stats = {
        card.locator(".stat-label").inner_text().strip(): card.locator(".stat").inner_text().strip()
        for card in status.locator(".card").all()
    }
    assert len(stats) == 3
    to_create = status.locator(".card").first
    texts.check(to_create.locator(".stat-label").inner_text().strip(), *TO_CREATE)
    assert list(stats.values()) == ["30", "0", "0"]
    texts.check(status.locator("h3").first.inner_text().strip(), *NEW_DEPARTMENTS)
    assert [badge.strip() for badge in status.locator("h3 + p .badge").all_inner_texts()] == NEW_DEPARTMENT_NAMES
    assert page.get_by_role("alert").count() == 0
    assert User.objects.filter(organization=personas.acme).count() == ACME_PERSONAS  # nothing written yet

    confirm = status.locator("form[action$='/confirm/'] button[type=submit]")
    texts.check_plural(confirm.inner_text().strip(), *IMPORT_BUTTON, count=30)
    with page.expect_navigation():
        confirm.click()
    assert urlsplit(page.url).path == f"/people/import/{job_id}/"
    assert page.locator("#import-status[hx-trigger='every 1s'] progress#import-progress").is_visible()
    label = page.locator("#import-status label[for=import-progress]").inner_text().strip()
    texts.check_plural(label, *IMPORTING, count=30)
    assert run_jobs() == 2  # the import, then the population rules it sets off (people_imported)
    wait_for_status(page, "[role=status]")

    texts.check_as_catalogued(
        status.get_by_role("status").inner_text().strip(), IMPORTED, created="30", updated="0", unchanged="0"
    )
    directory_link = status.locator("a[href='/people/']")
    texts.check(directory_link.inner_text().strip(), *SEE_THE_DIRECTORY)

    # The database holds what the file said, managers and day-first dates included.
    job = ImportJob.objects.get(pk=job_id)
    assert (job.status, job.confirmed_by_id, job.rows, bytes(job.content)) == (ImportJob.Status.DONE, hr.pk, [], b"")
    acme_people = User.objects.filter(organization=personas.acme)
    assert acme_people.count() == ACME_PERSONAS + 30
    ceo_email = email_of("Margaux", "Lefèvre")
    zoe = acme_people.select_related("manager", "department").get(email=email_of("Zoé", "Quesnel"))
    assert zoe.full_name == "Zoé Quesnel"
    assert zoe.department is not None
    assert zoe.department.name == "Recherche & Développement"
    assert zoe.manager is not None
    assert zoe.manager.email == ceo_email  # a department head reports to the CEO
    assert zoe.hire_date == hire_date_of(14)
    assert sorted(zoe.populations.values_list("slug", flat=True)) == []
    raphael = acme_people.select_related("manager").get(email=email_of("Raphaël", "Marchand"))
    assert raphael.manager_id == zoe.pk
    assert raphael.languages == "en,fr"
    assert sorted(raphael.populations.values_list("slug", flat=True)) == ["experts", "young-talents"]
    assert acme_people.get(email=ceo_email).manager_id is None
    assert acme_people.filter(manager__isnull=False).count() == 29
    assert sorted(Department.objects.filter(organization=personas.acme).values_list("name", flat=True)) == sorted(
        [*NEW_DEPARTMENT_NAMES, "Engineering", "Marketing"]
    )

    # The directory lists the new people; typing a name narrows the list in place.
    with page.expect_navigation():
        directory_link.click()
    results = page.locator("#results")
    texts.check_plural(results.get_by_role("status").inner_text().strip(), *PEOPLE_COUNT, count=ACME_PERSONAS + 30)
    names = results.locator("tbody th[scope=row] a").all_text_contents()  # (the style upper-cases them)
    assert {f"{first} {last}" for first, last, _department in PEOPLE_ROWS} <= set(names)

    page.evaluate("window.__notReloaded = true")
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request) if "/people/" in request.url else None)
    search = page.locator("#main form[role=search] input[name=q]")
    with page.expect_response(lambda response: "q=Ques" in response.url) as searched:
        search.press_sequentially("Ques", delay=40)  # faster than the 300 ms debounce: one request
    assert searched.value.request.headers.get("hx-request") == "true"
    expect(results.locator("tbody th[scope=row] a")).to_have_count(1)  # htmx swaps just after the response
    texts.check_plural(results.get_by_role("status").inner_text().strip(), *PEOPLE_COUNT, count=1)
    assert results.locator("tbody th[scope=row] a").all_text_contents() == ["Zoé Quesnel"]
    assert page.evaluate("window.__notReloaded") is True  # the same document: no full page load
    assert [request.resource_type for request in requests] == ["xhr"]
    assert parse_qs(urlsplit(page.url).query)["q"] == ["Ques"]  # the search is in the address, for sharing

    with page.expect_navigation():
        results.get_by_role("link", name="Zoé Quesnel").click()
    assert heading(page) == "Zoé Quesnel"
    assert page.locator("#main a[href^='/people/']", has_text="Margaux Lefèvre").count() == 1  # her manager
    assert page.locator(f"#main time[datetime='{hire_date_of(14).isoformat()}']").count() == 1
    texts.finish()


def test_a_file_with_an_invalid_email_shows_the_line_and_column_and_imports_nothing(
    page: Page, personas: Personas, texts: Texts, run_jobs: Callable[[], int], tmp_path: Path
) -> None:
    hr = personas.hr
    set_interface_language(person=hr, language="en")
    people_file = write_people_file(tmp_path / "people-with-error.csv", language="en", bad_email_on_line=4)
    sign_in(page, hr.email)
    open_import_page(page, texts)

    job_id = upload(page, texts, people_file)
    assert run_jobs() == 1
    wait_for_status(page, "[role=alert]")

    status = page.locator("#import-status")
    texts.check_plural(status.get_by_role("alert").inner_text().strip(), *FILE_HAS_ERRORS, count=1)
    table = status.locator("table")
    headers = table.locator("thead th").all_text_contents()  # (the style upper-cases them)
    for header, expected in zip(headers, ERROR_TABLE_HEADERS, strict=True):
        texts.check(header.strip(), *expected)
    rows = table.locator("tbody tr")
    assert rows.count() == 1
    line, column, problem = (cell.strip() for cell in rows.first.locator("th, td").all_text_contents())
    assert (line, column) == ("4", "email")
    texts.check_as_catalogued(problem, INVALID_EMAIL, value="not-an-email")
    assert status.locator("button, form[action$='/confirm/']").count() == 0
    assert status.get_attribute("hx-get") is None

    job = ImportJob.objects.get(pk=job_id)
    assert (job.status, job.error_count, job.rows) == (ImportJob.Status.INVALID, 1, [])
    assert User.objects.filter(organization=personas.acme).count() == ACME_PERSONAS
    assert not User.objects.filter(email__endswith="@acme.test", full_name="Margaux Lefèvre").exists()
    assert sorted(Department.objects.filter(organization=personas.acme).values_list("name", flat=True)) == [
        "Engineering",
        "Marketing",
    ]
    # Confirming by hand (a stale tab, a crafted request) is refused too.
    csrf_token = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "csrftoken")
    response = page.request.post(
        f"/people/import/{job_id}/confirm/", headers={"X-CSRFToken": csrf_token}, max_redirects=0
    )
    assert (response.status, response.headers["location"]) == (302, f"/people/import/{job_id}/")
    assert run_jobs() == 0
    assert ImportJob.objects.get(pk=job_id).status == ImportJob.Status.INVALID
    assert User.objects.filter(organization=personas.acme).count() == ACME_PERSONAS
    texts.finish()
