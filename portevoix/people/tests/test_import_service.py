import datetime

import pytest
from pytest_django.fixtures import Settings

from conftest import Personas
from portevoix.accounts.models import Department, Entity, User
from portevoix.audit.models import AuditEntry
from portevoix.people import services
from portevoix.people.importing import applying
from portevoix.people.models import ImportJob
from portevoix.people.tests.factories import checked_job, csv_file, error_tuples, imported_job, make_person, xlsx_file

HEADER = ["email", "full_name", "employee_number", "department", "entity", "job_title", "location", "languages",
          "hire_date", "manager_email", "populations", "active"]  # fmt: skip


def acme_people_count(personas: Personas) -> int:
    return User.objects.filter(organization=personas.acme).count()


def test_csv_import_creates_people_with_every_field(personas: Personas) -> None:
    content = csv_file([
        HEADER,
        ["Zoe@Acme.test", "Zoé Zola", "E1", "Sales", "Acme France", "Head of sales", "Lyon", "fr, en", "2023-01-15",
         "", "experts|Jeunes talents", "yes"],
        ["yann@acme.test", "Yann Yole", "E2", "sales", "Acme France", "Seller", "Paris", "fr", "01/02/2024",
         "zoe@acme.test", "", ""],
    ])  # fmt: skip

    job = imported_job(personas.acme, content, actor=personas.hr)

    assert job.status == ImportJob.Status.DONE
    assert job.summary == {"created": 2, "updated": 0, "unchanged": 0, "new_departments": ["Sales"],
                           "new_entities": ["Acme France"]}  # fmt: skip
    zoe = User.objects.get(email="zoe@acme.test")
    yann = User.objects.get(email="yann@acme.test")
    assert (zoe.organization, zoe.full_name, zoe.employee_number, zoe.job_title, zoe.location) == (
        personas.acme,
        "Zoé Zola",
        "E1",
        "Head of sales",
        "Lyon",
    )
    assert zoe.department == yann.department == Department.objects.get(organization=personas.acme, name="Sales")
    assert zoe.entity == Entity.objects.get(organization=personas.acme, name="Acme France")
    assert (zoe.languages, zoe.hire_date, zoe.is_active) == ("en,fr", datetime.date(2023, 1, 15), True)
    assert sorted(zoe.populations.values_list("slug", flat=True)) == ["experts", "young-talents"]
    assert (yann.manager, yann.hire_date) == (zoe, datetime.date(2024, 2, 1))
    assert not zoe.has_usable_password()
    assert (job.content, job.rows) == (b"", [])


def test_import_records_one_audit_entry_with_the_counts(personas: Personas) -> None:
    before = AuditEntry.objects.count()
    content = csv_file([["email", "full_name"], ["a@acme.test", "A"], ["b@acme.test", "B"]])

    job = imported_job(personas.acme, content, actor=personas.hr)

    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.actor, entry.organization, entry.target_id) == (
        "people.imported",
        personas.hr,
        personas.acme,
        str(job.pk),
    )
    assert (entry.data["created"], entry.data["updated"], entry.data["unchanged"], entry.data["rows"]) == (2, 0, 0, 2)


def test_semicolon_csv_with_bom_and_french_headers(personas: Personas) -> None:
    content = csv_file(
        [["Courriel", "Prénom", "Nom", "Matricule", "Date d'embauche", "Actif"],
         ["marie@acme.test", "Marie", "Curie", "M7", "07/11/2022", "non"]],
        delimiter=";", bom=True,
    )  # fmt: skip

    imported_job(personas.acme, content, actor=personas.hr)

    marie = User.objects.get(email="marie@acme.test")
    assert (marie.full_name, marie.employee_number, marie.hire_date, marie.is_active) == (
        "Marie Curie",
        "M7",
        datetime.date(2022, 11, 7),
        False,
    )


def test_xlsx_import_reads_dates_and_numbers(personas: Personas) -> None:
    content = xlsx_file([
        ["E-mail", "Full name", "Employee number", "Hire date", "Manager employee number"],
        ["boss@acme.test", "Big Boss", 1000, datetime.datetime(2020, 5, 4), None],
        ["worker@acme.test", "Hard Worker", 1001, "2021-06-07", 1000],
    ])  # fmt: skip

    job = imported_job(personas.acme, content, actor=personas.hr, file_name="people.xlsx")

    assert job.summary["created"] == 2
    worker = User.objects.get(email="worker@acme.test")
    assert (worker.employee_number, worker.hire_date, worker.manager) == (
        "1001",
        datetime.date(2021, 6, 7),
        User.objects.get(employee_number="1000"),
    )


def test_xlsx_errors_carry_the_spreadsheet_row_number(personas: Personas) -> None:
    content = xlsx_file([["email", "full_name"], ["ok@acme.test", "Ok"], [None, None], ["not-an-email", "Bad"]])

    job = checked_job(personas.acme, content, file_name="people.xlsx")

    assert job.status == ImportJob.Status.INVALID
    assert error_tuples(job) == [(4, "email", "invalid e-mail address: “not-an-email”")]


def test_rows_update_people_matched_by_email_or_employee_number(personas: Personas) -> None:
    bob = personas.employee
    numbered = make_person(personas.acme, "old@acme.test", "Old Address", employee_number="N42")
    content = csv_file([
        ["email", "full_name", "employee_number", "job_title"],
        ["BOB@acme.test", "Bob Employee", "", "Engineer"],
        ["new@acme.test", "Old Address", "N42", ""],
        ["alice@acme.test", "Alice Ambassador", "", ""],
    ])  # fmt: skip

    job = imported_job(personas.acme, content, actor=personas.hr)

    assert (job.summary["created"], job.summary["updated"], job.summary["unchanged"]) == (0, 2, 1)
    bob.refresh_from_db()
    numbered.refresh_from_db()
    assert (bob.job_title, bob.department is not None) == ("Engineer", True)
    assert numbered.email == "new@acme.test"
    assert acme_people_count(personas) == 8


def test_columns_left_out_of_the_file_are_not_changed(personas: Personas) -> None:
    alice = personas.ambassador
    content = csv_file([["email", "full_name"], ["alice@acme.test", "Alice A."]])

    imported_job(personas.acme, content, actor=personas.hr)

    alice.refresh_from_db()
    assert (alice.full_name, alice.languages, alice.hire_date, alice.department.name) == (  # type: ignore[union-attr]
        "Alice A.",
        "en,fr",
        datetime.date(2024, 9, 1),
        "Engineering",
    )


def test_populations_column_replaces_memberships(personas: Personas) -> None:
    alice = personas.ambassador
    services.set_populations(person=alice, populations=list(personas.acme.populations.filter(slug="hr")),
                             actor=personas.hr)  # fmt: skip
    content = csv_file([["email", "full_name", "populations"], ["alice@acme.test", "Alice Ambassador", "Experts"]])

    imported_job(personas.acme, content, actor=personas.hr)

    assert list(alice.populations.values_list("slug", flat=True)) == ["experts"]


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (["not-an-email", "X", "", ""], "email", "invalid e-mail address: “not-an-email”"),
        (["x@acme.test", "X", "31/02/2024", ""], "hire_date",
         "date not understood: “31/02/2024” (use YYYY-MM-DD or DD/MM/YYYY)"),
        (["x@acme.test", "X", "", "Astronauts"], "populations", "unknown population: “Astronauts”"),
        (["x@acme.test", "", "", ""], "full_name", "the name is missing"),
        (["", "X", "", ""], "email", "the e-mail is missing"),
    ],
)  # fmt: skip
def test_each_invalid_cell_is_reported_with_its_line_and_column(
    personas: Personas, cells: list[str], column: str, message: str
) -> None:
    content = csv_file([["email", "full_name", "hire_date", "populations"], ["ok@acme.test", "Ok", "", ""], cells])

    job = checked_job(personas.acme, content)

    assert job.status == ImportJob.Status.INVALID
    assert error_tuples(job) == [(3, column, message)]


def test_directory_errors_are_reported_with_their_line(personas: Personas) -> None:
    content = csv_file([
        ["email", "full_name", "manager_email", "languages"],
        ["one@acme.test", "One", "nobody@acme.test", "fr"],
        ["two@acme.test", "Two", "", "french"],
        ["one@acme.test", "One again", "", ""],
        ["mallory@globex.test", "Mallory", "", ""],
        ["three@acme.test", "Three", "three@acme.test", ""],
        ["four@acme.test", "Four", "one@acme.test", ""],
    ])  # fmt: skip

    job = checked_job(personas.acme, content)

    assert job.status == ImportJob.Status.INVALID
    assert error_tuples(job) == [
        (2, "manager_email", "manager not found in the directory nor in the file"),
        (3, "languages", "language not understood: “french” (use codes such as fr, en)"),
        (4, "email", "duplicate e-mail in the file (already on line 2)"),
        (5, "email", "this e-mail belongs to a person of another organisation"),
        (6, "manager_email", "a person cannot be their own manager"),
    ]
    assert job.error_count == 5


def test_an_employee_number_of_another_person_is_an_error(personas: Personas) -> None:
    make_person(personas.acme, "numbered@acme.test", "Numbered", employee_number="N1")
    content = csv_file([["email", "full_name", "employee_number"], ["bob@acme.test", "Bob", "N1"]])

    job = checked_job(personas.acme, content)

    assert error_tuples(job) == [
        (2, "employee_number", "this employee number belongs to another person (numbered@acme.test)")
    ]


def test_header_problems_are_reported_on_line_one(personas: Personas) -> None:
    content = csv_file([["E-mail", "Nickname", "email"], ["a@acme.test", "A", "a@acme.test"]])

    job = checked_job(personas.acme, content)

    assert error_tuples(job) == [
        (1, "Nickname", "unknown column (see the template for the accepted columns)"),
        (1, "email", "this column appears twice"),
        (1, "full_name", "a full_name column (or first_name and last_name) is required"),
    ]


def test_one_bad_line_means_nothing_is_imported(personas: Personas) -> None:
    rows = [["email", "full_name"], *([f"p{i}@acme.test", f"P {i}"] for i in range(50))]
    rows[30] = ["broken", "Broken"]
    count_before = acme_people_count(personas)

    job = checked_job(personas.acme, csv_file(rows))

    assert (job.status, error_tuples(job)) == (
        ImportJob.Status.INVALID,
        [(31, "email", "invalid e-mail address: “broken”")],
    )
    assert job.rows == []
    assert not services.confirm_import(job=job, actor=personas.hr, enqueue=False)
    assert acme_people_count(personas) == count_before


def test_a_file_over_the_size_limit_is_refused(personas: Personas, settings: Settings) -> None:
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    content = csv_file([["email", "full_name"]]) + b"x" * (1024 * 1024)

    job = checked_job(personas.acme, content)

    assert error_tuples(job) == [(0, "", "The file is larger than the limit of 1 MB.")]


def test_a_file_not_in_utf8_is_refused_with_the_line(personas: Personas) -> None:
    content = "email,full_name\nok@acme.test,Ok\nh@acme.test,Hélène\n".encode("latin-1")

    job = checked_job(personas.acme, content)

    assert error_tuples(job) == [
        (3, "", "The file is not UTF-8 text. Save it as “CSV UTF-8” (or as XLSX) and upload it again.")
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"email,full_name\n", "The file has no data rows: only a header line."),
        (b"email,full_name\n\n,\n", "The file has no data rows: only a header line."),
        (b"PK\x03\x04garbage", "The file cannot be read as an Excel workbook (.xlsx)."),
    ],
)
def test_files_without_people_are_refused(personas: Personas, content: bytes, message: str) -> None:
    job = checked_job(personas.acme, content)

    assert (job.status, [error[2] for error in error_tuples(job)]) == (ImportJob.Status.INVALID, [message])


def test_checking_saves_the_progress(personas: Personas) -> None:
    rows = [["email", "full_name"], *([f"p{i}@acme.test", f"P {i}"] for i in range(1200))]

    job = checked_job(personas.acme, csv_file(rows))

    assert (job.status, job.total_rows, job.processed_rows, job.summary["created"]) == (
        ImportJob.Status.READY,
        1200,
        1200,
        1200,
    )


def test_rows_are_checked_again_when_applied(personas: Personas) -> None:
    job = checked_job(personas.acme, csv_file([["email", "full_name"], ["a@acme.test", "A"], ["late@x.test", "L"]]))
    make_person(personas.globex, "late@x.test", "Taken Meanwhile")
    count_before = acme_people_count(personas)

    assert services.confirm_import(job=job, actor=personas.hr, enqueue=False)
    services.apply_import(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, error_tuples(job)) == (
        ImportJob.Status.FAILED,
        [(3, "email", "this e-mail belongs to a person of another organisation")],
    )
    assert job.failure_reason == "The directory changed since the file was checked; nothing was imported."
    assert acme_people_count(personas) == count_before


def test_a_failure_while_applying_rolls_everything_back(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    content = csv_file(
        [["email", "full_name", "department"], ["a@acme.test", "A", "New"], ["bob@acme.test", "Bob", ""]]
    )
    job = checked_job(personas.acme, content)
    audit_before = AuditEntry.objects.count()

    def broken_record(**kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "record", broken_record)
    services.confirm_import(job=job, actor=personas.hr, enqueue=False)
    services.apply_import(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.failure_reason) == (
        ImportJob.Status.FAILED,
        "The import failed and nothing was changed: disk full",
    )
    assert not User.objects.filter(email="a@acme.test").exists()
    assert not Department.objects.filter(name="New").exists()
    assert User.objects.get(pk=personas.employee.pk).department is not None
    assert AuditEntry.objects.count() == audit_before


def test_an_import_is_applied_once(personas: Personas) -> None:
    job = imported_job(personas.acme, csv_file([["email", "full_name"], ["a@acme.test", "A"]]), actor=personas.hr)

    assert not services.confirm_import(job=job, actor=personas.hr, enqueue=False)
    services.apply_import(job_id=job.pk)

    assert AuditEntry.objects.filter(action="people.imported").count() == 1


def test_new_people_who_manage_each_other_get_their_managers(personas: Personas) -> None:
    content = csv_file([
        ["email", "full_name", "manager_email"],
        ["a@acme.test", "A", "b@acme.test"],
        ["b@acme.test", "B", "a@acme.test"],
        ["c@acme.test", "C", "a@acme.test"],
    ])  # fmt: skip

    imported_job(personas.acme, content, actor=personas.hr)

    managers = dict(User.objects.filter(email__in=["a@acme.test", "b@acme.test", "c@acme.test"])
                    .values_list("email", "manager__email"))  # fmt: skip
    assert managers == {"a@acme.test": "b@acme.test", "b@acme.test": "a@acme.test", "c@acme.test": "a@acme.test"}


def test_updates_also_work_without_update_from(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(applying, "_supports_update_from", lambda: False)
    content = csv_file([["email", "full_name", "department", "manager_email"],
                        ["bob@acme.test", "Robert Employee", "Support", "claire@acme.test"]])  # fmt: skip

    job = imported_job(personas.acme, content, actor=personas.hr)

    bob = User.objects.select_related("department").get(pk=personas.employee.pk)
    assert (job.summary["updated"], bob.full_name, bob.department.name, bob.manager) == (  # type: ignore[union-attr]
        1,
        "Robert Employee",
        "Support",
        personas.director,
    )


def test_a_check_interrupted_by_a_dead_worker_runs_again_when_its_job_is_reaped(personas: Personas) -> None:
    content = csv_file([["email", "full_name"], ["a@acme.test", "A"]])
    job = services.start_import(
        organization=personas.acme, uploaded_by=None, file_name="p.csv", content=content, enqueue=False
    )
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALIDATING, processed_rows=0)

    services.validate_import(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.summary["created"]) == (ImportJob.Status.READY, 1)


def test_an_apply_interrupted_by_a_dead_worker_runs_again_and_imports_once(personas: Personas) -> None:
    job = checked_job(personas.acme, csv_file([["email", "full_name"], ["a@acme.test", "A"]]))
    assert services.confirm_import(job=job, actor=personas.hr, enqueue=False)

    services.apply_import(job_id=job.pk)
    services.apply_import(job_id=job.pk)

    assert User.objects.filter(email="a@acme.test").count() == 1
    assert AuditEntry.objects.filter(action="people.imported").count() == 1


def test_the_background_check_writes_errors_in_the_uploaders_language(personas: Personas) -> None:
    from portevoix.people import tasks

    content = csv_file([["email", "full_name"], ["not-an-email", "A"]])
    french = services.start_import(
        organization=personas.acme, uploaded_by=personas.director, file_name="p.csv", content=content, enqueue=False
    )
    english = services.start_import(
        organization=personas.acme, uploaded_by=personas.ambassador, file_name="p.csv", content=content, enqueue=False
    )

    tasks.validate_import_task.call(french.pk)
    tasks.validate_import_task.call(english.pk)

    french.refresh_from_db()
    english.refresh_from_db()
    assert error_tuples(french) == [(2, "email", "adresse e-mail invalide : « not-an-email »")]
    assert error_tuples(english) == [(2, "email", "invalid e-mail address: “not-an-email”")]
