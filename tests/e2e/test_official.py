"""The official voice in Chromium: the community manager composes a post with live limits, previews and
the check, sends it for approval; the director approves it; the outbox's job publishes it on a demo
channel; the calendar shows it published, and a post dragged to another day moves with its dispatch.
During a crisis the calendar shows the banner and the frozen post."""

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import Mailbox, Personas
from portevoix.accounts.services import set_interface_language
from portevoix.channels.models import Dispatch
from portevoix.channels.tasks import publish_dispatch_task
from portevoix.crisis.services import start_crisis
from portevoix.lib.networks import Network
from portevoix.policies.tests.check_policy import publish_policy
from portevoix.publishing import services
from portevoix.publishing.models import Post
from portevoix.publishing.tests.factories import channel, compose, later
from tests.e2e.pages import sign_in, sign_out

pytestmark = pytest.mark.e2e


def _local_input(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def _let_time_pass_until_due(post: Post) -> None:
    """The test cannot wait days for the post's time: its dispatches become due now, and the doorbell rings."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    for dispatch in Dispatch.objects.filter(source_key=post.source_key):
        Dispatch.objects.filter(pk=dispatch.pk).update(scheduled_at=past, next_attempt_at=past)
        publish_dispatch_task.enqueue(dispatch.pk)


def test_compose_get_approval_and_see_it_published(
    page: Page, personas: Personas, run_jobs: Callable[[], int], mailbox: Mailbox
) -> None:
    publish_policy(personas.acme, personas.compliance)
    camille, claire = personas.community_manager, personas.director
    for person in (camille, claire):
        set_interface_language(person=person, language="en")
    x = channel(camille, Network.X, "Acme on X")
    mastodon = channel(camille)
    sign_in(page, camille.email)

    page.goto("/official/posts/new/")
    page.locator("#id_title").fill("Trade fair")
    page.locator(f"input[name=channels][value='{x.pk}']").check()
    page.locator(f"input[name=channels][value='{mastodon.pk}']").check()
    page.locator("#id_message").fill("Better than Initech! " + "a" * 270)
    counter = page.locator(f"#counter-{x.pk}")
    expect(counter).to_have_text("291 / 280 — 11 characters too many")
    expect(page.locator(f"#preview-{mastodon.pk} .finding-message")).to_have_text("Do not name our competitors.")
    page.locator("details#variants summary").click()
    page.locator(f"#id_variant_{x.pk}").fill("See you at the trade fair, hall 1!")
    expect(counter).to_have_text("34 / 280 — 246 characters left")
    page.locator("#id_message").fill("See you at the trade fair next week, hall 1, stand 42.")
    expect(page.locator(f"#preview-{mastodon.pk} .post-text")).to_have_text(
        "See you at the trade fair next week, hall 1, stand 42."
    )
    page.locator("#id_scheduled_at").fill(_local_input(later()))
    with page.expect_navigation():
        page.locator("#composer-save").click()
    post = Post.objects.get()
    assert page.url.endswith(f"/official/posts/{post.pk}/")
    with page.expect_navigation():
        page.locator("#post-submit").click()
    expect(page.locator("#post-status")).to_have_text("In review")
    assert run_jobs() == 1  # the e-mail to the director, who decides the first step
    assert [message["To"] for message in mailbox.messages] == [claire.email]
    sign_out(page)

    sign_in(page, claire.email)
    page.goto("/official/approvals/")
    with page.expect_navigation():
        page.locator("#awaiting-me a", has_text="Trade fair").click()
    page.locator("#id_comment").fill("Good to go.")
    with page.expect_navigation():
        page.locator("#decide-approve").click()
    expect(page.locator("#post-status")).to_have_text("Scheduled")
    expect(page.locator("#dispatches tbody tr")).to_have_count(2)

    _let_time_pass_until_due(post)
    assert run_jobs() == 2
    page.reload()
    expect(page.locator("#post-status")).to_have_text("Published")
    expect(page.locator("#dispatches tbody tr td:nth-child(2)")).to_have_text(["Published", "Published"])
    assert sorted(Dispatch.objects.values_list("text", flat=True)) == [
        "See you at the trade fair next week, hall 1, stand 42.",
        "See you at the trade fair, hall 1!",
    ]


def test_drag_a_post_to_another_day_and_see_the_crisis_freeze_it(page: Page, personas: Personas) -> None:
    camille = personas.community_manager
    set_interface_language(person=camille, language="en")
    start = later(days=2)
    post = compose(camille, [channel(camille)], title="Launch", at=start)
    services.submit_post(actor=camille, post=post)
    services.decide_post(actor=personas.director, post=post, kind="approved", revision=post.revision)
    start_day = timezone.localtime(start).date()
    # Another day of the same week, still in the future (the post is the day after tomorrow).
    target_day = start_day + datetime.timedelta(days=1 if start_day.weekday() == 0 else -1)
    sign_in(page, camille.email)

    page.goto(f"/official/calendar/?view=week&date={start_day}")
    chip = page.locator(f"#post-chip-{post.pk}")
    expect(chip).to_contain_text("Scheduled")
    chip.drag_to(page.locator(f"td[data-slot='{target_day}T14']"))
    expect(page.locator("#calendar-moved")).to_have_text("“Launch” is moved.")
    moved = timezone.localtime(Dispatch.objects.get().scheduled_at)
    assert (moved.date(), moved.hour, moved.minute) == (target_day, 14, 0)
    expect(page.locator(f"td[data-slot='{target_day}T14'] #post-chip-{post.pk}")).to_be_visible()

    start_crisis(actor=personas.director, title="Outage", holding_statement="We are on it.")
    page.reload()
    expect(page.locator("#crisis-banner strong")).to_have_text("Crisis mode: Outage")
    expect(page.locator(f"#post-chip-{post.pk} .status-badge")).to_have_text("Frozen")
