"""The demo company's official voice: demo channels, campaigns, and a month of posts in every editorial state."""

import datetime
from collections import Counter

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portevoix.accounts.models import Organization
from portevoix.channels.models import Channel, Dispatch
from portevoix.demo.loaders import load_demo
from portevoix.publishing import selectors
from portevoix.publishing.models import Campaign, Post


def test_the_demo_has_a_month_of_official_posts_across_demo_channels(db: None) -> None:
    load_demo()
    lumarelle = Organization.objects.get(slug="lumarelle")

    channels = Channel.objects.filter(organization=lumarelle)
    posts = Post.objects.filter(organization=lumarelle)

    assert sorted(channels.values_list("network", flat=True)) == ["bluesky", "linkedin", "mastodon", "x"]
    assert all(channel.is_demo for channel in channels)
    assert Campaign.objects.filter(organization=lumarelle).count() == 3
    assert Counter(posts.values_list("status", flat=True)) == {
        "approved": 16,
        "in_review": 4,
        "draft": 4,
        "changes_requested": 1,
        "rejected": 1,
    }
    cards = selectors.calendar_posts(
        organization=lumarelle,
        start=timezone.now() - datetime.timedelta(days=30),
        end=timezone.now() + datetime.timedelta(days=30),
    )
    assert Counter(card.status.value for card in cards) == {
        "published": 7,
        "scheduled": 9,
        "in_review": 4,
        "draft": 3,
        "changes_requested": 1,
        "rejected": 1,
    }
    published = Dispatch.objects.filter(organization=lumarelle, state="sent", source_key__startswith="post:")
    assert published.count() > 7
    assert all(
        dispatch.published_at and dispatch.published_at < timezone.now() - datetime.timedelta(days=1)
        for dispatch in published
    )
    steps = {post.title: selectors.current_step(post) for post in posts.filter(status="in_review")}
    waiting_for_legal = [title for title, step in steps.items() if step and step.role == "compliance_officer"]
    assert waiting_for_legal == ["Rapport RSE"]
    # The demo's people have no mailbox: no approval e-mail waits in the queue.
    assert not DBTaskResult.objects.filter(task_path="portevoix.publishing.tasks.notify_task").exists()
