"""Reminders by e-mail (G2), received by a real SMTP server: on schedule, in each person's language,
stopping at acknowledgement and never more than the schedule allows; and by hand from the dashboard."""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from conftest import Mailbox, Personas
from portevoix.accounts.models import Department
from portevoix.audit.models import AuditEntry
from portevoix.guidelines import services
from portevoix.guidelines.models import GuidelinesVersion, Reminder
from portevoix.guidelines.reminders import send_scheduled_reminders
from portevoix.guidelines.services import Publication
from portevoix.guidelines.tasks import send_scheduled_reminders_task
from portevoix.guidelines.tests.factories import FIRST, published
from portevoix.jobs.periodic import registered_jobs

pytestmark = pytest.mark.django_db

ACME_PEOPLE = {
    "claire@acme.test", "camille@acme.test", "louis@acme.test", "helene@acme.test",
    "alice@acme.test", "bob@acme.test", "adam@acme.test",
}  # fmt: skip


def _published(personas: Personas, every: int = 7, most: int = 2) -> GuidelinesVersion:
    return published(
        personas.director, *FIRST, publication=Publication(reminder_every_days=every, reminder_max_count=most)
    )


def _day(version: GuidelinesVersion, days: float) -> datetime.datetime:
    assert version.published_at is not None
    return version.published_at + datetime.timedelta(days=days)


def test_reminders_follow_the_schedule_and_stop_at_its_end(personas: Personas, mailbox: Mailbox) -> None:
    version = _published(personas)
    assert send_scheduled_reminders(now=_day(version, 6)) == 0
    assert send_scheduled_reminders(now=_day(version, 7)) == 7
    assert {message["To"] for message in mailbox.messages} == ACME_PEOPLE
    assert send_scheduled_reminders(now=_day(version, 8)) == 0
    assert send_scheduled_reminders(now=_day(version, 14)) == 7
    assert send_scheduled_reminders(now=_day(version, 21)) == 0
    assert send_scheduled_reminders(now=_day(version, 60)) == 0
    assert len(mailbox.messages) == 14
    assert set(Reminder.objects.values_list("scheduled_count", flat=True)) == {2}


def test_reminders_stop_as_soon_as_the_person_acknowledges(personas: Personas, mailbox: Mailbox) -> None:
    version = _published(personas)
    send_scheduled_reminders(now=_day(version, 7))
    services.acknowledge(version=version, person=personas.employee)
    mailbox.messages.clear()
    send_scheduled_reminders(now=_day(version, 14))
    assert "bob@acme.test" not in {message["To"] for message in mailbox.messages}
    assert len(mailbox.messages) == 6


def test_reminder_is_written_in_the_persons_language(personas: Personas, mailbox: Mailbox) -> None:
    version = _published(personas)
    send_scheduled_reminders(now=_day(version, 7))
    by_person = {message["To"]: message for message in mailbox.messages}
    french, english = by_person["bob@acme.test"], by_person["helene@acme.test"]
    assert str(french["Subject"]) == "Rappel : merci de lire et d'accepter la charte « Charte »"
    assert "Bonjour Bob Employee," in french.get_content()
    assert str(english["Subject"]) == 'Reminder: please read and acknowledge the guidelines "Guidelines"'
    assert f"http://127.0.0.1:8000/guidelines/v/{version.number}/" in english.get_content()


def test_no_reminders_when_the_author_asked_for_none(personas: Personas, mailbox: Mailbox) -> None:
    version = _published(personas, most=0)
    assert send_scheduled_reminders(now=_day(version, 30)) == 0
    assert mailbox.messages == []


def test_the_periodic_job_is_registered_and_sends_through_the_worker(
    personas: Personas, mailbox: Mailbox, run_jobs: Callable[[], int]
) -> None:
    assert "guidelines.reminders" in {job.name for job in registered_jobs()}
    version = _published(personas)
    GuidelinesVersion.objects.filter(pk=version.pk).update(published_at=_day(version, -8))
    send_scheduled_reminders_task.enqueue()
    assert run_jobs() == 1
    assert len(mailbox.messages) == 7


def test_director_reminds_one_department_from_the_dashboard(
    client: Client,
    personas: Personas,
    mailbox: Mailbox,
    run_jobs: Callable[[], int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    version = _published(personas)
    services.acknowledge(version=version, person=personas.employee)
    engineering = Department.objects.get(organization=personas.acme, name="Engineering")
    client.force_login(personas.director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/guidelines/v/{version.number}/completion/remind/", {"department": engineering.pk})
    assert response.status_code == 302
    run_jobs()
    assert [message["To"] for message in mailbox.messages] == ["alice@acme.test"]
    entry = AuditEntry.objects.get(action="guidelines.reminders_requested")
    assert (entry.actor, entry.data["department"]) == (personas.director, engineering.pk)
    assert Reminder.objects.get(person=personas.ambassador).manual_count == 1


def test_an_employee_cannot_send_reminders(
    client: Client, personas: Personas, mailbox: Mailbox, run_jobs: Callable[[], int]
) -> None:
    version = _published(personas)
    client.force_login(personas.employee)
    response = client.post(f"/guidelines/v/{version.number}/completion/remind/", {"person": personas.ambassador.pk})
    assert response.status_code == 403
    run_jobs()
    assert mailbox.messages == []
    assert not AuditEntry.objects.filter(action="guidelines.reminders_requested").exists()


def test_a_run_sends_every_due_reminder_batch_after_batch(
    personas: Personas, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("portevoix.guidelines.reminders.BATCH", 3)
    version = _published(personas)
    assert send_scheduled_reminders(now=_day(version, 7)) == 7
    assert {message["To"] for message in mailbox.messages} == ACME_PEOPLE
