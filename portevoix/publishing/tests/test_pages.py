"""The editorial pages as people use them: composer with live previews, a post's page, calendar, feed."""

import datetime
import re

import icalendar
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.channels.models import Dispatch
from portevoix.crisis.services import lift_crisis, start_crisis
from portevoix.lib.networks import Network
from portevoix.policies.tests.check_policy import publish_policy
from portevoix.publishing import services
from portevoix.publishing.models import Post, PostMedia
from portevoix.publishing.tests.factories import PNG, campaign, channel, compose, later


def _local(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_the_live_preview_counts_as_each_network_does_and_checks_with_the_official_scope(
    client: Client, personas: Personas
) -> None:
    publish_policy(personas.acme, personas.compliance)
    set_interface_language(person=personas.community_manager, language="en")
    x = channel(personas.community_manager, Network.X, "Acme on X")
    mastodon = channel(personas.community_manager)
    client.force_login(personas.community_manager)
    message = "Better than Initech: https://example.com/a/very/long/address/that/counts/as/twenty-three"

    response = client.post(
        "/official/posts/new/",
        {"title": "T", "message": message, "channels": [x.pk, mastodon.pk], f"variant_{x.pk}": "x" * 281},
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert re.search(rf'id="counter-{x.pk}">281 / 280 — 1 character too many', content)
    length = len("Better than Initech: ") + 23
    assert re.search(rf'id="counter-{mastodon.pk}">{length} / 500 — {500 - length} characters left', content)
    assert "Do not name our competitors." in content  # the official scope's rule
    assert not Post.objects.exists()


def test_saving_a_text_over_the_network_limit_is_refused_with_the_reason(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.community_manager, language="en")
    x = channel(personas.community_manager, Network.X, "Acme on X")
    client.force_login(personas.community_manager)

    response = client.post("/official/posts/new/", {"title": "T", "message": "é" * 300, "channels": [x.pk]})

    assert response.status_code == 400
    assert "300 characters as X counts them, over its limit of 280: shorten this text." in response.content.decode()
    assert not Post.objects.exists()


def test_an_image_needs_its_alternative_text_and_is_saved_with_it(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.community_manager, language="en")
    mastodon = channel(personas.community_manager)
    client.force_login(personas.community_manager)
    data = {"title": "Stand", "message": "Notre stand", "channels": [mastodon.pk], "scheduled_at": _local(later())}

    refused = client.post("/official/posts/new/", data | {"image": SimpleUploadedFile("a.png", PNG, "image/png")})
    saved = client.post(
        "/official/posts/new/",
        data | {"image": SimpleUploadedFile("a.png", PNG, "image/png"), "image_alt": "Le stand Acme, hall 1"},
    )

    assert refused.status_code == 400
    assert "Describe the image: its alternative text is required." in refused.content.decode()
    media = PostMedia.objects.get()
    assert (media.alt_text, media.content_type, media.post.title) == ("Le stand Acme, hall 1", "image/png", "Stand")
    assert saved["Location"] == f"/official/posts/{media.post_id}/"
    image = client.get(f"/official/posts/{media.post_id}/media/{media.pk}/")
    assert (image.status_code, image["Content-Type"], image.content) == (200, "image/png", PNG)


def test_a_file_that_is_not_an_image_is_refused(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.community_manager, language="en")
    mastodon = channel(personas.community_manager)
    client.force_login(personas.community_manager)

    response = client.post(
        "/official/posts/new/",
        {"title": "T", "message": "M", "channels": [mastodon.pk], "image_alt": "x",
         "image": SimpleUploadedFile("a.png", b"<script>alert(1)</script>", "image/png")},
    )  # fmt: skip

    assert response.status_code == 400
    assert "This file is not a PNG, JPEG, GIF or WebP image." in response.content.decode()
    assert not Post.objects.exists()


def test_compose_submit_and_approve_through_the_pages(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.director, language="en")
    mastodon = channel(personas.community_manager)
    client.force_login(personas.community_manager)
    when = later()
    client.post(
        "/official/posts/new/",
        {"title": "Lancement", "message": "Bonjour !", "channels": [mastodon.pk], "scheduled_at": _local(when)},
    )
    post = Post.objects.get()
    assert post.scheduled_at == when
    client.post(f"/official/posts/{post.pk}/submit/")

    client.force_login(personas.director)
    page = client.get(f"/official/posts/{post.pk}/").content.decode()
    assert 'id="decide-approve"' in page
    response = client.post(f"/official/posts/{post.pk}/decide/", {"kind": "approved", "revision": "1"})

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.APPROVED
    page = client.get(f"/official/posts/{post.pk}/").content.decode()
    row = re.search(r'<table class="dispatch-table" id="dispatches">.*?</table>', page, re.S)
    assert row is not None
    assert "Acme sur Mastodon" in row.group(0)
    assert "Scheduled" in row.group(0)


def test_an_approval_of_a_stale_revision_shows_why_it_was_refused(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.director, language="en")
    post = compose(personas.community_manager, [channel(personas.community_manager)])
    services.submit_post(actor=personas.community_manager, post=post)
    client.force_login(personas.director)

    response = client.post(f"/official/posts/{post.pk}/decide/", {"kind": "approved", "revision": "7"})

    assert response.status_code == 400
    assert "The post was edited since you opened it: read the new revision first." in response.content.decode()


def test_the_month_shows_each_post_with_its_campaign_name_and_status(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.community_manager, language="en")
    vivatech = campaign(personas.community_manager)
    post = compose(personas.community_manager, [channel(personas.community_manager)], campaign=vivatech)
    client.force_login(personas.community_manager)

    page = client.get(f"/official/calendar/?date={timezone.localtime(post.scheduled_at).date()}").content.decode()

    chip = re.search(rf'<a class="post-chip campaign-green" id="post-chip-{post.pk}".*?</a>', page, re.S)
    assert chip is not None
    assert "09:00" in chip.group(0)
    assert "Annonce VivaTech" in chip.group(0)
    assert "Draft" in chip.group(0)
    assert "Salon VivaTech" in chip.group(0)
    assert "Mastodon" in chip.group(0)
    assert 'draggable="true"' in chip.group(0)


def test_filters_keep_only_the_posts_asked_for(client: Client, personas: Personas) -> None:
    mastodon = channel(personas.community_manager)
    bluesky = channel(personas.community_manager, Network.BLUESKY, "Acme sur Bluesky")
    on_mastodon = compose(personas.community_manager, [mastodon], title="Sur Mastodon")
    compose(personas.community_manager, [bluesky], title="Sur Bluesky")
    client.force_login(personas.community_manager)
    day = timezone.localtime(on_mastodon.scheduled_at).date()

    by_channel = client.get(f"/official/calendar/?date={day}&channel={mastodon.pk}", headers={"HX-Request": "true"})
    by_status = client.get(f"/official/calendar/?date={day}&status=scheduled", headers={"HX-Request": "true"})

    assert "Sur Mastodon" in by_channel.content.decode()
    assert "Sur Bluesky" not in by_channel.content.decode()
    assert "Sur Mastodon" not in by_status.content.decode()
    assert "Sur Bluesky" not in by_status.content.decode()


def test_moving_an_approved_post_on_the_calendar_moves_its_dispatch(client: Client, personas: Personas) -> None:
    post = compose(personas.community_manager, [channel(personas.community_manager)])
    services.submit_post(actor=personas.community_manager, post=post)
    services.decide_post(actor=personas.director, post=post, kind="approved", revision=1)
    client.force_login(personas.community_manager)
    target = later(days=5, hour=14)

    response = client.post(
        f"/official/posts/{post.pk}/move/",
        {"scheduled_at": _local(target), "calendar": "?view=week&date=" + str(target.date())},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert f'id="post-chip-{post.pk}"' in response.content.decode()
    assert Dispatch.objects.get().scheduled_at == target
    post.refresh_from_db()
    assert (post.scheduled_at, post.status) == (target, Post.Status.APPROVED)


def test_during_a_crisis_the_calendar_shows_it_and_refuses_moves(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.community_manager, language="en")
    post = compose(personas.community_manager, [channel(personas.community_manager)])
    services.submit_post(actor=personas.community_manager, post=post)
    services.decide_post(actor=personas.director, post=post, kind="approved", revision=1)
    crisis = start_crisis(actor=personas.director, title="Panne", holding_statement="Nous revenons vers vous.")
    assert Dispatch.objects.get().state == Dispatch.State.FROZEN  # the channels' receiver froze it
    client.force_login(personas.community_manager)
    day = timezone.localtime(post.scheduled_at).date()

    page = client.get(f"/official/calendar/?date={day}").content.decode()
    moved = client.post(
        f"/official/posts/{post.pk}/move/", {"scheduled_at": _local(later(days=6))}, headers={"HX-Request": "true"}
    )

    assert "Crisis mode: Panne" in page
    assert re.search(rf'id="post-chip-{post.pk}".*?Frozen', page, re.S)
    assert "A crisis is on: nothing can be scheduled until it is lifted." in moved.content.decode()
    assert Dispatch.objects.get().state == Dispatch.State.FROZEN

    lift_crisis(crisis=crisis, actor=personas.director, reason="Résolu")
    client.post(f"/official/posts/{post.pk}/move/", {"scheduled_at": _local(later(days=6))})
    dispatch = Dispatch.objects.get()
    assert (dispatch.state, dispatch.scheduled_at) == (Dispatch.State.SCHEDULED, later(days=6))


def test_the_calendar_feed_lists_posts_until_it_is_revoked(client: Client, personas: Personas) -> None:
    post = compose(personas.community_manager, [channel(personas.community_manager)], title="Lancement")
    client.force_login(personas.community_manager)

    page = client.post("/official/calendar/feed/", {"action": "create"}).content.decode()
    url = re.search(r'id="feed-url" class="feed-url" value="http://testserver(/official/calendar/[^"]+\.ics)"', page)
    assert url is not None
    client.logout()
    feed = client.get(url.group(1))

    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert [(str(e["summary"]), e.decoded("dtstart")) for e in events] == [
        ("[Brouillon] Lancement (Acme sur Mastodon)", post.scheduled_at)
    ]

    client.force_login(personas.community_manager)
    client.post("/official/calendar/feed/", {"action": "revoke"})
    client.logout()
    assert client.get(url.group(1)).status_code == 404


def test_the_month_costs_the_same_queries_for_two_posts_or_twelve(
    client: Client, personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    mastodon = channel(personas.community_manager)
    bluesky = channel(personas.community_manager, Network.BLUESKY, "Acme sur Bluesky")
    vivatech = campaign(personas.community_manager)
    posts = [compose(personas.community_manager, [mastodon, bluesky], campaign=vivatech, at=later(days=2))]
    services.submit_post(actor=personas.community_manager, post=posts[0])
    services.decide_post(actor=personas.director, post=posts[0], kind="approved", revision=1)
    posts.append(compose(personas.community_manager, [mastodon], at=later(days=2)))
    client.force_login(personas.community_manager)
    url = f"/official/calendar/?date={timezone.localtime(posts[0].scheduled_at).date()}"
    client.get(url)  # sessions and caches warm
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        compose(personas.community_manager, [mastodon, bluesky], campaign=vivatech, at=later(days=2))

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)

    assert response.content.decode().count('class="post-chip') == 12


def _section_links(html: str) -> list[tuple[str, bool]]:
    """(address, is current) of each link in the official voice's own menu."""
    match = re.search(r'<nav class="section-nav"[^>]*>(.*?)</nav>', html, re.DOTALL)
    if match is None:
        return []
    return [
        (href, "aria-current" in attributes)
        for attributes, href in (
            (m.group(0), m.group(1)) for m in re.finditer(r'<a[^>]*href="([^"]+)"[^>]*>', match.group(1))
        )
    ]


def test_the_official_voice_pages_share_one_menu_that_marks_where_you_are(client: Client, personas: Personas) -> None:
    client.force_login(personas.community_manager)

    on_inbox = _section_links(client.get("/inbox/").content.decode())
    on_calendar = _section_links(client.get("/official/calendar/").content.decode())
    on_channels = _section_links(client.get("/channels/").content.decode())

    expected = [
        "/official/",
        "/official/calendar/",
        "/official/approvals/",
        "/inbox/",
        "/channels/",
        "/official/campaigns/",
        "/official/steps/",
        "/official/posts/new/",
    ]
    assert [href for href, _current in on_inbox] == expected
    assert [href for href, current in on_inbox if current] == ["/inbox/"]
    assert [href for href, current in on_calendar if current] == ["/official/calendar/"]
    assert [href for href, current in on_channels if current] == ["/channels/"]


def test_the_official_menu_is_not_shown_to_those_who_cannot_open_the_official_pages(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.compliance)
    assert _section_links(client.get("/official/approvals/").content.decode()) == []
    client.force_login(personas.employee)
    assert _section_links(client.get("/check/").content.decode()) == []
