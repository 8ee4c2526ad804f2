"""E-mails of the approval workflow, through a real SMTP server: the deciders of each step when a post
reaches it, the author when changes are requested; in each person's language, with a link and never
the post's text; once, however often the job runs."""

from collections.abc import Callable

from pytest_django import DjangoCaptureOnCommitCallbacks

from conftest import Mailbox, Personas
from portevoix.accounts.services import set_interface_language
from portevoix.publishing import notifications, selectors, services
from portevoix.publishing.models import PostNotification
from portevoix.publishing.tests.factories import channel, compose

TEXT = "Nous serons au salon VivaTech la semaine prochaine, venez nous voir !"


def test_each_step_s_deciders_are_told_in_their_language_when_the_post_reaches_them(
    personas: Personas,
    mailbox: Mailbox,
    run_jobs: Callable[[], int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    set_interface_language(person=personas.compliance, language="en")
    post = compose(personas.community_manager, [channel(personas.community_manager)], is_sensitive=True)

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_post(actor=personas.community_manager, post=post)
    assert run_jobs() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_post(actor=personas.director, post=post, kind="approved", revision=1)
    assert run_jobs() == 1

    assert [(m["To"], m["Subject"]) for m in mailbox.messages] == [
        ("claire@acme.test", "Une publication officielle attend votre validation : Annonce VivaTech"),
        ("louis@acme.test", "An official post waits for your approval: Annonce VivaTech"),
    ]
    body = mailbox.messages[1].get_content()
    assert "The post “Annonce VivaTech” waits for the step “Juridique”, which you decide." in body
    assert f"/official/posts/{post.pk}/" in body
    assert TEXT not in body


def test_the_author_is_told_when_changes_are_requested_and_only_once(
    personas: Personas,
    mailbox: Mailbox,
    run_jobs: Callable[[], int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    post = compose(personas.community_manager, [channel(personas.community_manager)])
    services.submit_post(actor=personas.community_manager, post=post)

    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decide_post(
            actor=personas.director, post=post, kind="changes_requested", comment="Ajoutez le stand.", revision=1
        )
    run_jobs()
    again = notifications.send_notification(
        post_id=post.pk, recipient_id=personas.community_manager.pk, event=notifications.decision_event(decision)
    )

    assert [(m["To"], m["Subject"]) for m in mailbox.messages] == [
        ("camille@acme.test", "Modifications demandées : Annonce VivaTech")
    ]
    assert "Claire Director a rendu sa décision sur votre publication" in mailbox.messages[0].get_content()
    assert again is False
    assert PostNotification.objects.count() == 1


def test_a_step_e_mail_whose_post_moved_on_is_not_sent(personas: Personas, mailbox: Mailbox) -> None:
    post = compose(personas.community_manager, [channel(personas.community_manager)])
    services.submit_post(actor=personas.community_manager, post=post)
    step = selectors.current_step(post)
    assert step is not None
    event = notifications.step_event(step, post)
    services.decide_post(actor=personas.director, post=post, kind="approved", revision=1)

    sent = notifications.send_notification(post_id=post.pk, recipient_id=personas.director.pk, event=event)

    assert sent is False
    assert mailbox.messages == []
