import datetime
import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from conftest import Personas
from portevoix.accounts.models import User
from portevoix.audit.labels import action_label
from portevoix.audit.models import AuditEntry
from portevoix.incidents import services
from portevoix.incidents.models import Incident, IncidentAction, Severity, Status
from portevoix.incidents.tests.factories import make_incident, yesterday
from portevoix.policies.tests.check_policy import publish_policy

MANAGERS = ["communication_director", "compliance_officer"]
READERS = ["hr"]
OTHERS = ["community_manager", "ambassador", "employee", "administrator"]


def form(**overrides: str) -> dict[str, str]:
    values = {
        "title": "Hostile post about the Lyon layoffs",
        "description": "A former employee posts insults against the CEO.",
        "occurred_at": "2026-03-01T08:00",
        "detected_at": "2026-03-01T10:15",
        "category": "reputation",
        "severity": "3",
        "owner": "LOUIS@acme.test",
        "clauses": "1.2, 2.1",
        "links": "https://www.linkedin.com/posts/1234\n\nhttps://example.org/screenshot.png",
        "lessons_learned": "",
    }
    return values | overrides


def titles(response: object) -> list[str]:
    return [incident.title for incident in response.context["page"]]  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", MANAGERS)
def test_managers_record_an_incident(client: Client, personas: Personas, role: str) -> None:
    client.force_login(personas.by_role()[role])

    response = client.post("/incidents/new/", form())

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/incidents/{incident.pk}/"
    assert (incident.organization, incident.owner, incident.severity) == (personas.acme, personas.compliance, 3)
    assert incident.occurred_at == datetime.datetime(2026, 3, 1, 7, 0, tzinfo=datetime.UTC)  # Paris is UTC+1
    assert incident.links == ["https://www.linkedin.com/posts/1234", "https://example.org/screenshot.png"]
    assert sorted(incident.clauses.values_list("anchor", flat=True)) == ["1.2", "2.1"]


@pytest.mark.parametrize("role", READERS)
def test_hr_reads_the_register_but_cannot_change_it(client: Client, personas: Personas, role: str) -> None:
    incident = make_incident(personas.acme, personas.compliance)
    client.force_login(personas.by_role()[role])

    assert client.get("/incidents/").status_code == 200
    page = client.get(f"/incidents/{incident.pk}/")
    assert page.status_code == 200
    assert b"Mark as done" not in page.content
    assert b"/status/" not in page.content
    assert client.get("/incidents/new/").status_code == 403
    assert client.post(f"/incidents/{incident.pk}/status/", {"status": "investigating"}).status_code == 403
    assert client.post(f"/incidents/{incident.pk}/actions/", {"description": "x"}).status_code == 403
    incident.refresh_from_db()
    assert (incident.status, incident.actions.count()) == (Status.OPEN, 0)


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_get_403_and_see_nothing(client: Client, personas: Personas, role: str) -> None:
    incident = make_incident(personas.acme, personas.compliance, title="Secret leak")
    client.force_login(personas.by_role()[role])

    for url in ("/incidents/", f"/incidents/{incident.pk}/", "/incidents/export.csv", "/incidents/new/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Secret leak" not in response.content
    assert client.post("/incidents/new/", form()).status_code == 403
    assert Incident.objects.count() == 1


def test_another_organisations_incident_is_a_404(client: Client, personas: Personas) -> None:
    incident = make_incident(personas.acme, personas.compliance)
    action = services.add_action(
        incident=incident, actor=None, description="Remove it", owner=personas.employee, due_on=yesterday()
    )
    globex_officer = services_person_globex(personas)
    client.force_login(globex_officer)

    assert client.get(f"/incidents/{incident.pk}/").status_code == 404
    assert client.get(f"/incidents/{incident.pk}/edit/").status_code == 404
    assert client.post(f"/incidents/{incident.pk}/status/", {"status": "investigating"}).status_code == 404
    assert client.post(f"/incidents/{incident.pk}/actions/{action.pk}/done/").status_code == 404
    assert titles(client.get("/incidents/")) == []
    action.refresh_from_db()
    assert action.done_on is None


def services_person_globex(personas: Personas) -> User:
    from portevoix.accounts.roles import Role
    from portevoix.accounts.services import create_person

    return create_person(
        organization=personas.globex,
        email="gus@globex.test",
        full_name="Gus Globex",
        roles=frozenset({Role.COMPLIANCE_OFFICER}),
    )


def test_anonymous_visitor_is_sent_to_sign_in(client: Client, personas: Personas) -> None:
    response = client.get("/incidents/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"owner": "mallory@globex.test"}, "owner", "Nobody in your organisation has the e-mail address"),
        ({"clauses": "3.1, <b>2</b>"}, "clauses", "“<b>2</b>” is not a clause number"),
        ({"links": "https://ok.example\njavascript:alert(1)"}, "links", "Line 2: “javascript:alert(1)” is not a web"),
        ({"detected_at": "2026-02-28T10:00"}, "detected_at", "cannot be detected before it occurred"),
        ({"occurred_at": "2999-01-01T10:00", "detected_at": "2999-01-01T11:00"}, "occurred_at", "in the future"),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_form_errors_are_clear_and_save_nothing(
    client: Client, personas: Personas, changes: dict[str, str], field: str, message: str
) -> None:
    personas.compliance.language = "en"
    personas.compliance.save(update_fields=["language"])
    client.force_login(personas.compliance)

    response = client.post("/incidents/new/", form(**changes))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert not Incident.objects.exists()


def test_clauses_must_be_published_ones_once_a_policy_is_published(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    client.force_login(personas.director)

    refused = client.post("/incidents/new/", form(clauses="c-3-1, 9.9"))
    page = client.get("/incidents/new/")
    accepted = client.post("/incidents/new/", form(clauses="c-3-1"))

    assert "The published guidelines have no clause 9.9" in refused.context["form"].errors["clauses"][0]
    assert "c-2-1" in refused.context["form"].errors["clauses"][0]
    assert "Projets confidentiels" in page.content.decode()  # Claire reads French
    assert accepted.status_code == 302
    assert list(Incident.objects.get().clauses.values_list("anchor", flat=True)) == ["c-3-1"]


def test_list_is_sorted_by_severity_then_date_and_filters(client: Client, personas: Personas) -> None:
    old_high = make_incident(
        personas.acme,
        personas.compliance,
        title="Old high",
        severity=Severity.HIGH,
        clauses=("3.1",),
        occurred_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    make_incident(personas.acme, personas.compliance, title="New high", severity=Severity.HIGH)
    make_incident(
        personas.acme,
        personas.director,
        title="Critical",
        severity=Severity.CRITICAL,
        category="security",
        clauses=("6.1",),
    )
    make_incident(personas.acme, personas.compliance, title="Low", severity=Severity.LOW)
    services.change_status(incident=old_high, actor=None, status=Status.INVESTIGATING)
    make_incident(personas.globex, personas.outsider, title="Globex")
    client.force_login(personas.compliance)

    assert titles(client.get("/incidents/")) == ["Critical", "New high", "Old high", "Low"]
    assert titles(client.get("/incidents/?status=investigating")) == ["Old high"]
    assert titles(client.get("/incidents/?category=security")) == ["Critical"]
    assert titles(client.get("/incidents/?severity=1")) == ["Low"]
    assert titles(client.get(f"/incidents/?owner={personas.director.pk}")) == ["Critical"]
    assert titles(client.get("/incidents/?clause=3.1")) == ["Old high"]
    assert titles(client.get("/incidents/?severity=nope")) == ["Critical", "New high", "Old high", "Low"]


def test_list_flags_overdue_actions(client: Client, personas: Personas) -> None:
    incident = make_incident(personas.acme, personas.compliance)
    services.add_action(incident=incident, actor=None, description="Late", owner=personas.employee, due_on=yesterday())
    done = services.add_action(
        incident=incident, actor=None, description="Done late", owner=personas.employee, due_on=yesterday()
    )
    services.complete_action(action=done, actor=None)
    client.force_login(personas.compliance)

    response = client.get("/incidents/")
    [row] = response.context["page"]

    assert (row.overdue_actions, row.open_actions) == (1, 1)
    assert 'class="badge badge-block overdue"' in response.content.decode()


def test_htmx_filter_gets_only_the_results(client: Client, personas: Personas) -> None:
    make_incident(personas.acme, personas.compliance, title="Leak")
    client.force_login(personas.compliance)

    body = client.get("/incidents/?status=open", headers={"HX-Request": "true"}).content.decode()

    assert body.lstrip().startswith('<div id="results">')
    assert "Leak" in body
    assert "<html" not in body
    assert "/incidents/export.csv?status=open" in body


def test_list_page_runs_a_constant_number_of_queries(
    client: Client, personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client.force_login(personas.compliance)
    client.get("/incidents/")
    for number in range(30):
        incident = make_incident(personas.acme, personas.compliance, title=f"I{number}", clauses=("3.1", "2.1"))
        services.add_action(incident=incident, actor=None, description="x", owner=personas.employee, due_on=yesterday())

    # session, user, roles, organisation, owners, clauses, count, page rows, clauses of the page
    with django_assert_num_queries(9):
        response = client.get("/incidents/")

    assert len(titles(response)) == 30


def test_closing_through_the_page_needs_lessons(client: Client, personas: Personas) -> None:
    incident = make_incident(personas.acme, personas.compliance)
    client.force_login(personas.compliance)

    refused = client.post(f"/incidents/{incident.pk}/status/", {"status": "closed"})
    closed = client.post(
        f"/incidents/{incident.pk}/status/",
        {"status": "closed", "lessons_learned": "Add the site to clause 3.1.", "closed_on": "2026-03-10"},
    )

    assert refused.status_code == 400
    assert "lessons_learned" in refused.context["status_form"].errors
    assert closed.status_code == 302
    incident.refresh_from_db()
    assert (incident.status, incident.closed_on) == (Status.CLOSED, datetime.date(2026, 3, 10))
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Add the site to clause 3.1." in page


def test_adding_and_completing_actions_with_htmx(client: Client, personas: Personas) -> None:
    incident = make_incident(personas.acme, personas.compliance)
    client.force_login(personas.compliance)
    htmx = {"HX-Request": "true"}

    invalid = client.post(f"/incidents/{incident.pk}/actions/", {"description": "x", "owner": "a@b.c"}, headers=htmx)
    added = client.post(
        f"/incidents/{incident.pk}/actions/",
        {"description": "Ask for removal", "owner": "alice@acme.test", "due_on": "2026-03-03"},
        headers=htmx,
    )
    action = IncidentAction.objects.get()
    done = client.post(f"/incidents/{incident.pk}/actions/{action.pk}/done/", headers=htmx)

    assert invalid.status_code == 400
    assert added.status_code == 200
    assert added.content.decode().lstrip().startswith('<section class="card" id="actions"')
    assert "Ask for removal" in added.content.decode()
    assert "badge badge-block overdue" in added.content.decode()
    assert done.status_code == 200
    action.refresh_from_db()
    assert action.done_on is not None
    assert (action.owner, action.due_on) == (personas.ambassador, datetime.date(2026, 3, 3))


def test_edit_page_changes_the_timeline(client: Client, personas: Personas) -> None:
    incident = make_incident(personas.acme, personas.compliance, clauses=("1.2", "2.1"))
    client.force_login(personas.director)
    page = client.get(f"/incidents/{incident.pk}/edit/")
    values = page.context["form"].initial

    response = client.post(
        f"/incidents/{incident.pk}/edit/",
        form(
            title=values["title"],
            description=values["description"],
            occurred_at="2026-03-02T10:30",
            detected_at="2026-03-02T13:30",
            category="legal_confidentiality",
            severity="4",
            owner="louis@acme.test",
        ),
    )

    assert response.status_code == 302
    detail = client.get(f"/incidents/{incident.pk}/")
    fields = [entry.field for entry in detail.context["timeline"]]
    assert fields == ["created", "severity", "links"]


def test_exports_in_csv_and_xlsx_are_audited(client: Client, personas: Personas) -> None:
    make_incident(personas.acme, personas.compliance, title="=HYPERLINK(evil)", clauses=("3.1",))
    make_incident(personas.globex, personas.outsider, title="Globex")
    personas.hr.language = "en"
    personas.hr.save(update_fields=["language"])
    client.force_login(personas.hr)

    csv_response = client.get("/incidents/export.csv")
    xlsx_response = client.get("/incidents/export.xlsx")

    text = csv_response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Number,Title,Status,Severity,Risk category,")
    assert "'=HYPERLINK(evil),Open,High,Legal and confidentiality," in lines[1]
    assert len(lines) == 2
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert sheet is not None
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[1][1:5] == ["'=HYPERLINK(evil)", "Open", "High", "Legal and confidentiality"]
    assert cells[1][8] == "3.1"
    entries = AuditEntry.objects.filter(action="incidents.exported").order_by("sequence")
    assert [entry.data for entry in entries] == [{"format": "csv", "incidents": 1}, {"format": "xlsx", "incidents": 1}]


def test_audit_labels_name_every_incident_action() -> None:
    for code in (
        "incident.created",
        "incident.updated",
        "incident.status_changed",
        "incident.closed",
        "incident.action_added",
        "incident.action_done",
        "incidents.exported",
    ):
        assert action_label(code) != code


def test_navigation_shows_incidents_only_to_those_who_may_see_them(client: Client, personas: Personas) -> None:
    client.force_login(personas.hr)
    assert b'href="/incidents/"' in client.get("/check/").content
    client.force_login(personas.employee)
    assert b'href="/incidents/"' not in client.get("/check/").content
