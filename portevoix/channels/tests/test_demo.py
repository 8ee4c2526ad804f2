"""The demo company's channels: demo channels only, posts published through the real outbox, others scheduled."""

from portevoix.channels.models import Alert, Channel, Dispatch
from portevoix.demo.loaders import load_demo


def test_the_demo_company_has_demo_channels_with_published_and_scheduled_posts(db: None) -> None:
    outcome = load_demo()

    channels = Channel.objects.filter(organization=outcome.organization)
    assert sorted(channels.values_list("network", flat=True)) == ["bluesky", "linkedin", "mastodon", "x"]
    assert set(channels.values_list("is_demo", "state")) == {(True, Channel.State.CONNECTED)}
    # The channels step's own posts; the editorial step adds official posts of its own ("post:<id>").
    dispatches = Dispatch.objects.filter(organization=outcome.organization, source_key__startswith="demo:")
    assert dispatches.filter(state=Dispatch.State.SENT).count() == 6
    assert dispatches.filter(state=Dispatch.State.SCHEDULED).count() == 8
    # Two went wrong through the same outbox, and their owner was told.
    failed = dispatches.get(state=Dispatch.State.FAILED)
    unconfirmed = dispatches.get(state=Dispatch.State.UNCONFIRMED)
    assert (failed.channel.network, failed.attempts, failed.remote_id) == ("x", 1, "")
    assert "refused" in failed.last_error
    assert (unconfirmed.channel.network, unconfirmed.remote_id) == ("linkedin", "")
    assert [attempt.outcome for attempt in unconfirmed.attempt_log.order_by("pk")] == ["ambiguous"] + ["retry"] * 5
    assert set(Alert.objects.filter(dispatch__in=[failed, unconfirmed]).values_list("kind", "recipient")) == {
        (Alert.Kind.DISPATCH_FAILED, failed.channel.owner_id),
        (Alert.Kind.DISPATCH_UNCONFIRMED, unconfirmed.channel.owner_id),
    }
    assert all(
        remote_id.startswith("demo-")
        for remote_id in dispatches.exclude(remote_id="").values_list("remote_id", flat=True)
    )
