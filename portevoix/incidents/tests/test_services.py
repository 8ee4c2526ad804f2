import datetime
from collections.abc import Callable

import pytest
from django.db import transaction
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from conftest import Mailbox, Personas
from portevoix.audit.models import AuditEntry
from portevoix.audit.services import verify_chain
from portevoix.incidents import services
from portevoix.incidents.models import Incident, IncidentChange, Severity, Status
from portevoix.incidents.selectors import incidents_by_clause, timeline
from portevoix.incidents.tests.factories import incident_data, make_incident, yesterday


def actions_logged(personas: Personas) -> list[str]:
    return list(
        AuditEntry.objects.filter(organization=personas.acme).order_by("sequence").values_list("action", flat=True)
    )


def test_recording_an_incident_starts_its_timeline_and_audits_it(personas: Personas) -> None:
    incident = make_incident(personas.acme, personas.compliance, clauses=("3.1", "2.1", "3.1"))

    assert (incident.status, incident.severity, incident.owner) == (Status.OPEN, Severity.HIGH, personas.compliance)
    assert sorted(incident.clauses.values_list("anchor", flat=True)) == ["2.1", "3.1"]
    assert [(entry.field, entry.actor) for entry in timeline(incident=incident)] == [("created", "Louis Compliance")]
    entry = AuditEntry.objects.get(action="incident.created")
    assert (entry.target_id, entry.data["clauses"], entry.actor) == (
        str(incident.pk),
        ["2.1", "3.1"],
        personas.compliance,
    )


def test_editing_records_one_timeline_line_per_changed_field(personas: Personas) -> None:
    incident = make_incident(personas.acme, personas.compliance, clauses=("3.1",))
    changed = incident_data(personas.director, severity=Severity.CRITICAL, clauses=("3.1", "3.2"))

    fields = services.update_incident(incident=incident, actor=personas.director, data=changed)

    assert fields == ["severity", "owner", "clauses"]
    lines = [(entry.field, entry.old_value, entry.new_value) for entry in timeline(incident=incident)[1:]]
    assert lines == [
        ("severity", "High", "Critical"),
        ("owner", "Louis Compliance", "Claire Director"),
        ("clauses", "3.1", "3.1, 3.2"),
    ]
    assert AuditEntry.objects.get(action="incident.updated").data == {"fields": ["severity", "owner", "clauses"]}


def test_saving_without_changes_records_nothing(personas: Personas) -> None:
    incident = make_incident(personas.acme, personas.compliance, clauses=("3.1",))

    fields = services.update_incident(
        incident=incident, actor=personas.compliance, data=incident_data(personas.compliance, clauses=("3.1",))
    )

    assert fields == []
    assert IncidentChange.objects.filter(incident=incident).count() == 1
    assert actions_logged(personas)[-1] == "incident.created"


def test_owner_must_belong_to_the_organisation(personas: Personas) -> None:
    with pytest.raises(services.IncidentRefused):
        make_incident(personas.acme, personas.outsider)

    assert not Incident.objects.exists()


def test_status_goes_forward_and_closing_needs_lessons_and_a_date(personas: Personas) -> None:
    incident = make_incident(personas.acme, personas.compliance)

    services.change_status(incident=incident, actor=personas.compliance, status=Status.INVESTIGATING)
    with pytest.raises(services.IncidentRefused, match="lessons learned"):
        services.change_status(incident=incident, actor=personas.compliance, status=Status.CLOSED)
    services.change_status(
        incident=incident,
        actor=personas.compliance,
        status=Status.CLOSED,
        lessons_learned="Brief site staff on photos.",
        closed_on=datetime.date(2026, 3, 20),
    )

    incident.refresh_from_db()
    assert (incident.status, incident.closed_on) == (Status.CLOSED, datetime.date(2026, 3, 20))
    assert incident.lessons_learned == "Brief site staff on photos."
    assert actions_logged(personas)[-2:] == ["incident.status_changed", "incident.closed"]
    fields = [entry.field for entry in timeline(incident=incident)]
    assert fields == ["created", "status", "status", "lessons_learned", "closed_on"]


def test_closing_before_detection_or_skipping_back_is_refused(personas: Personas) -> None:
    incident = make_incident(personas.acme, personas.compliance)

    with pytest.raises(services.IncidentRefused):
        services.change_status(
            incident=incident,
            actor=None,
            status=Status.CLOSED,
            lessons_learned="x",
            closed_on=datetime.date(2026, 3, 1),
        )
    with pytest.raises(services.IncidentRefused):
        services.change_status(incident=incident, actor=None, status=Status.OPEN)

    incident.refresh_from_db()
    assert (incident.status, incident.closed_on) == (Status.OPEN, None)


def test_reopening_a_closed_incident_clears_its_closing_date(personas: Personas) -> None:
    incident = make_incident(personas.acme, personas.compliance, lessons_learned="Known already.")
    services.change_status(incident=incident, actor=None, status=Status.CLOSED)

    services.change_status(incident=incident, actor=None, status=Status.INVESTIGATING)

    incident.refresh_from_db()
    assert (incident.status, incident.closed_on, incident.lessons_learned) == (
        Status.INVESTIGATING,
        None,
        "Known already.",
    )


def test_action_owner_gets_an_email_in_their_language_once_committed(
    personas: Personas,
    mailbox: Mailbox,
    run_jobs: Callable[[], int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    incident = make_incident(personas.acme, personas.compliance)

    with django_capture_on_commit_callbacks(execute=True):
        action = services.add_action(
            incident=incident,
            actor=personas.compliance,
            description="Remove the photo",
            owner=personas.ambassador,
            due_on=datetime.date(2026, 3, 5),
            notify_owner=True,
        )
    ran = run_jobs()

    assert ran == 1
    [message] = mailbox.messages
    assert message["To"] == "alice@acme.test"
    assert message["Subject"] == "An incident action is yours: Photo of the Boréal site on LinkedIn"
    body = message.get_content()
    assert "Remove the photo" in body
    assert f"/incidents/{incident.pk}/" in body
    action.refresh_from_db()
    assert action.owner_notified_at is not None
    assert services.notify_action_owner(action_id=action.pk) is False  # a second run sends nothing
    assert len(mailbox.messages) == 1


def test_french_owner_gets_the_email_in_french(personas: Personas, mailbox: Mailbox) -> None:
    incident = make_incident(personas.acme, personas.compliance)
    action = services.add_action(
        incident=incident,
        actor=None,
        description="Retirer la photo",
        owner=personas.employee,
        due_on=datetime.date(2026, 3, 5),
    )

    assert services.notify_action_owner(action_id=action.pk) is True

    [message] = mailbox.messages
    assert message["To"] == "bob@acme.test"
    assert "Retirer la photo" in message.get_content()


def test_no_email_is_queued_when_not_asked(
    personas: Personas, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    incident = make_incident(personas.acme, personas.compliance)

    with django_capture_on_commit_callbacks() as callbacks:
        services.add_action(
            incident=incident, actor=None, description="Watch", owner=personas.employee, due_on=yesterday()
        )

    assert callbacks == []


def test_completing_an_action_is_audited_once(personas: Personas) -> None:
    incident = make_incident(personas.acme, personas.compliance)
    action = services.add_action(
        incident=incident,
        actor=personas.compliance,
        description="Remove the photo",
        owner=personas.ambassador,
        due_on=yesterday(),
    )

    assert services.complete_action(action=action, actor=personas.compliance, done_on=datetime.date(2026, 3, 4))
    assert not services.complete_action(action=action, actor=personas.compliance)

    action.refresh_from_db()
    assert action.done_on == datetime.date(2026, 3, 4)
    assert actions_logged(personas)[-2:] == ["incident.action_added", "incident.action_done"]
    assert verify_chain(personas.acme.pk) == []


def test_incidents_by_clause_groups_most_severe_first_and_stays_in_the_organisation(personas: Personas) -> None:
    low = make_incident(personas.acme, personas.compliance, title="Low", severity=Severity.LOW, clauses=("3.1",))
    critical = make_incident(
        personas.acme, personas.compliance, title="Critical", severity=Severity.CRITICAL, clauses=("3.1", "2.1")
    )
    make_incident(personas.acme, personas.compliance, title="None")
    make_incident(personas.globex, personas.outsider, title="Globex", clauses=("3.1",))

    grouped = incidents_by_clause(personas.acme)

    assert {anchor: [incident.title for incident in incidents] for anchor, incidents in grouped.items()} == {
        "2.1": ["Critical"],
        "3.1": ["Critical", "Low"],
    }
    assert grouped["3.1"] == [critical, low]


def test_incidents_by_clause_is_one_query(
    personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for number in range(5):
        make_incident(personas.acme, personas.compliance, title=f"I{number}", clauses=("3.1", f"4.{number}"))

    with django_assert_num_queries(1):
        grouped = incidents_by_clause(personas.acme)
        owners = {incident.owner.full_name for incidents in grouped.values() for incident in incidents}

    assert owners == {"Louis Compliance"}


def test_a_failed_audit_write_leaves_no_incident(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError), transaction.atomic():
        make_incident(personas.acme, personas.compliance)

    assert not Incident.objects.exists()
