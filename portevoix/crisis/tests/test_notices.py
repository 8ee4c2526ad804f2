"""The crisis e-mail to ambassadors, through a real SMTP server: one each, in their language, once."""

from collections.abc import Callable

from pytest_django import DjangoCaptureOnCommitCallbacks

from conftest import Mailbox, Personas
from portevoix.accounts.roles import Role
from portevoix.accounts.services import create_person
from portevoix.crisis import notices, selectors, services
from portevoix.crisis.models import CrisisNotice
from portevoix.crisis.tests.factories import STATEMENT_EN, STATEMENT_FR, start


def test_switching_on_mails_each_ambassador_in_their_language_what_not_to_comment_on(
    personas: Personas,
    mailbox: Mailbox,
    run_jobs: Callable[[], int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    create_person(
        organization=personas.acme, email="zoe@acme.test", full_name="Zoé Ambassadrice",
        roles=frozenset({Role.AMBASSADOR}), language="fr",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        crisis = start(personas.director)

    assert run_jobs() == 3  # the fan-out, then one job per ambassador

    subjects = {str(message["To"]): str(message["Subject"]) for message in mailbox.messages}
    assert subjects == {
        "alice@acme.test": "Crisis mode at Acme: Incident in Lyon",
        "zoe@acme.test": "Mode crise chez Acme : Incident à Lyon",
    }
    bodies = {str(message["To"]): message.get_content().replace("\r\n", "\n") for message in mailbox.messages}
    assert STATEMENT_EN in bodies["alice@acme.test"]
    assert "Please do not comment on:\nThe causes of the incident, the injured." in bodies["alice@acme.test"]
    assert STATEMENT_FR in bodies["zoe@acme.test"]
    assert "Merci de ne pas commenter :\nLes causes de l'incident, les blessés." in bodies["zoe@acme.test"]
    assert "http://127.0.0.1:8000/crisis/notice/" in bodies["zoe@acme.test"]
    assert selectors.notice_counts(crisis=crisis) == selectors.NoticeCounts(
        recipients=2, emailed=2, read=0, told_lifted=0
    )


def test_a_notice_is_mailed_once_however_often_the_jobs_run(
    personas: Personas,
    mailbox: Mailbox,
    run_jobs: Callable[[], int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        crisis = start(personas.director)
    run_jobs()
    notice = CrisisNotice.objects.get(crisis=crisis)

    assert notices.send_notice(notice_id=notice.pk) is False
    assert notices.send_notices(crisis_id=crisis.pk) == 0
    assert run_jobs() == 0
    assert [str(message["To"]) for message in mailbox.messages] == ["alice@acme.test"]


def test_nothing_is_mailed_for_a_crisis_lifted_before_the_job_ran(
    personas: Personas,
    mailbox: Mailbox,
    run_jobs: Callable[[], int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        crisis = start(personas.director)
    services.lift_crisis(crisis=crisis, actor=personas.director, reason="Fausse alerte")

    run_jobs()

    assert mailbox.messages == []
    assert CrisisNotice.objects.get(crisis=crisis).emailed_at is None


def test_the_demo_switch_mails_nobody(
    personas: Personas,
    mailbox: Mailbox,
    run_jobs: Callable[[], int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        crisis = start(personas.director, sends_emails=False)

    assert run_jobs() == 0
    assert mailbox.messages == []
    assert selectors.notice_counts(crisis=crisis).recipients == 1


def test_reading_the_notice_is_recorded_once(personas: Personas) -> None:
    crisis = start(personas.director)

    notices.mark_notice_read(crisis=crisis, reader=personas.ambassador)
    first = CrisisNotice.objects.get(crisis=crisis).read_at
    notices.mark_notice_read(crisis=crisis, reader=personas.ambassador)
    notices.mark_notice_read(crisis=crisis, reader=personas.employee)

    assert first is not None
    assert CrisisNotice.objects.get(crisis=crisis).read_at == first
    assert selectors.notice_counts(crisis=crisis).read == 1


def test_lifting_tells_the_ambassadors_who_were_told_it_started_without_the_reason(
    personas: Personas,
    mailbox: Mailbox,
    run_jobs: Callable[[], int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        crisis = start(personas.director)
    run_jobs()
    late = create_person(
        organization=personas.acme, email="late@acme.test", full_name="Late", roles=frozenset({Role.AMBASSADOR})
    )
    CrisisNotice.objects.create(crisis=crisis, recipient=late)  # never e-mailed: nothing to take back

    with django_capture_on_commit_callbacks(execute=True):
        services.lift_crisis(crisis=crisis, actor=personas.director, reason="Motif interne confidentiel")
    assert run_jobs() == 2  # the fan-out, then Alice's e-mail

    lifted = mailbox.messages[1]
    assert (str(lifted["To"]), str(lifted["Subject"])) == (
        "alice@acme.test",
        "Crisis mode lifted at Acme: Incident in Lyon",
    )
    assert "The ambassador feed is back and you may share again." in lifted.get_content()
    assert "confidentiel" not in lifted.get_content()
    assert len(mailbox.messages) == 2
    notice = CrisisNotice.objects.get(crisis=crisis, recipient=personas.ambassador)
    assert notices.send_lift_notice(notice_id=notice.pk) is False
    assert selectors.notice_counts(crisis=crisis).told_lifted == 1
