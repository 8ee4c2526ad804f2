"""E-mails about requests, through a real SMTP server: one per recipient, in their language, without the draft."""

from collections.abc import Callable

from pytest_django import DjangoCaptureOnCommitCallbacks

from conftest import Mailbox, Personas
from portevoix.accounts.services import set_interface_language
from portevoix.asks import services
from portevoix.asks.models import AskNotification
from portevoix.asks.tests.factories import open_ask


def test_a_new_request_mails_each_team_member_in_their_language_without_the_draft(
    personas: Personas,
    mailbox: Mailbox,
    run_jobs: Callable[[], int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    set_interface_language(person=personas.director, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        ask = open_ask(personas.employee, question="Puis-je parler de Heron ?")

    assert run_jobs() == 2

    subjects = {str(message["To"]): str(message["Subject"]) for message in mailbox.messages}
    assert subjects == {
        "claire@acme.test": f"New request #{ask.pk} from Bob Employee",
        "camille@acme.test": f"Nouvelle demande n° {ask.pk} de Bob Employee",
    }
    for message in mailbox.messages:
        body = message.get_content()
        assert f"http://127.0.0.1:8000/asks/{ask.pk}/" in body
        assert "Heron" not in body


def test_an_answer_mails_the_author_once_however_often_the_job_runs(
    personas: Personas,
    mailbox: Mailbox,
    run_jobs: Callable[[], int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    ask = open_ask(personas.ambassador)  # Alice reads English
    with django_capture_on_commit_callbacks(execute=True):
        message = services.reply(ask=ask, author=personas.community_manager, body="Non, pas encore.")

    run_jobs()
    assert services.send_notification(message_id=message.pk, recipient_id=personas.ambassador.pk) is False

    assert [(str(mail["To"]), str(mail["Subject"])) for mail in mailbox.messages] == [
        ("alice@acme.test", f"The communication team answered your request #{ask.pk}")
    ]
    assert "Camille Manager, of the communication team, answered" in mailbox.messages[0].get_content()
    assert AskNotification.objects.filter(message=message).count() == 1


def test_a_reply_from_the_author_mails_whoever_took_the_request(
    personas: Personas,
    mailbox: Mailbox,
    run_jobs: Callable[[], int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    ask = open_ask(personas.employee)
    services.assign_to_self(ask=ask, actor=personas.director)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(ask=ask, author=personas.employee, body="Et maintenant ?")

    run_jobs()

    assert [(str(mail["To"]), str(mail["Subject"])) for mail in mailbox.messages] == [
        ("claire@acme.test", f"Bob Employee a répondu sur la demande n° {ask.pk}")
    ]


def test_nobody_is_mailed_about_their_own_message(
    personas: Personas,
    mailbox: Mailbox,
    run_jobs: Callable[[], int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        open_ask(personas.director)

    run_jobs()

    assert [str(mail["To"]) for mail in mailbox.messages] == ["camille@acme.test"]
