"""Reminder e-mails: on the schedule the author set at publication, and by hand from the dashboard.

A scheduled reminder is claimed (its counter raised) in the same transaction that sends it: two
workers can never send the same one, a failed send leaves the counter as it was, and nobody gets
more than `reminder_max_count` scheduled reminders or one sooner than `reminder_every_days`.
Nobody who has acknowledged gets one, since only pending people are selected.
"""

import datetime
import logging
import time

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portevoix.accounts.models import User
from portevoix.guidelines import selectors
from portevoix.guidelines.models import GuidelinesVersion, Reminder
from portevoix.guidelines.selectors import PendingFilters

logger = logging.getLogger(__name__)

# People are read this many at a time; a run sends for at most RUN_BUDGET, the next run continues.
BATCH = 500
RUN_BUDGET = datetime.timedelta(minutes=10)


def due_for_scheduled_reminder(*, version: GuidelinesVersion, now: datetime.datetime) -> QuerySet[User]:
    """Pending people whose next scheduled reminder is due now."""
    every = datetime.timedelta(days=version.reminder_every_days)
    if not version.is_published or not version.reminder_max_count or not every or version.published_at is None:
        return User.objects.none()
    if now < version.published_at + every:
        return User.objects.none()
    not_due = Reminder.objects.filter(version=version, person=OuterRef("pk")).filter(
        Q(scheduled_count__gte=version.reminder_max_count) | Q(last_sent_at__gt=now - every)
    )
    return selectors.pending_people(version=version, filters=PendingFilters()).filter(~Exists(not_due))


def send_scheduled_reminders(*, now: datetime.datetime | None = None) -> int:
    """Send every due scheduled reminder of every published version, BATCH people at a time; return how many.

    A run stops after RUN_BUDGET so that it never overlaps the next hourly run; what is left is
    still due then. The people just reminded leave the due list, so each batch moves forward.
    """
    now = now or timezone.now()
    deadline = time.monotonic() + RUN_BUDGET.total_seconds()
    sent = 0
    for version in GuidelinesVersion.objects.filter(
        status=GuidelinesVersion.Status.PUBLISHED, reminder_max_count__gt=0
    ):
        while time.monotonic() < deadline:
            people = list(due_for_scheduled_reminder(version=version, now=now).select_related(None)[:BATCH])
            sent_now = sum(_send_claimed(version, person, now) for person in people)
            sent += sent_now
            if len(people) < BATCH or not sent_now:
                break
    if sent:
        logger.info("guidelines.reminders_sent count=%d", sent)
    return sent


def _send_claimed(version: GuidelinesVersion, person: User, now: datetime.datetime) -> bool:
    with transaction.atomic():
        if not _claim_scheduled(version, person, now):
            return False
        _send(version, person)
    return True


def _claim_scheduled(version: GuidelinesVersion, person: User, now: datetime.datetime) -> bool:
    every = datetime.timedelta(days=version.reminder_every_days)
    updated = Reminder.objects.filter(
        version=version, person=person, scheduled_count__lt=version.reminder_max_count, last_sent_at__lte=now - every
    ).update(scheduled_count=F("scheduled_count") + 1, last_sent_at=now)
    if updated:
        return True
    if Reminder.objects.filter(version=version, person=person).exists():
        return False
    try:
        with transaction.atomic():
            Reminder.objects.create(version=version, person=person, scheduled_count=1, last_sent_at=now)
    except IntegrityError:  # another worker claimed it first
        return False
    return True


def send_manual_reminders(
    *, version_id: int, person_id: int | None, department_id: int | None, entity_id: int | None
) -> int:
    """Send the reminders asked for from the dashboard to the people still pending; return how many."""
    version = GuidelinesVersion.objects.filter(pk=version_id, status=GuidelinesVersion.Status.PUBLISHED).first()
    if version is None:
        return 0
    people = selectors.pending_people(version=version, filters=PendingFilters(department_id, entity_id))
    if person_id is not None:
        people = people.filter(pk=person_id)
    sent = 0
    for person in people.select_related(None).iterator(chunk_size=BATCH):
        with transaction.atomic():
            now = timezone.now()
            if not Reminder.objects.filter(version=version, person=person).update(
                manual_count=F("manual_count") + 1, last_sent_at=now
            ):
                Reminder.objects.create(version=version, person=person, manual_count=1, last_sent_at=now)
            _send(version, person)
            sent += 1
    return sent


def _send(version: GuidelinesVersion, person: User) -> None:
    language = person.language if person.language in {"fr", "en"} else "fr"
    url = settings.PUBLIC_URL.rstrip("/") + reverse("guidelines:read", kwargs={"number": version.number})
    context = {"person": person, "version": version, "title": version.title(language), "url": url}
    subject, _blank, body = render_to_string(f"guidelines/email/reminder.{language}.txt", context).partition("\n\n")
    message = EmailMessage(subject=subject.strip(), body=body, to=[person.email])
    mailers.default.send_messages([message])
