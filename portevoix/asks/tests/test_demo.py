"""The demo's requests: an answered thread, an open request and a closed one, in both languages, without e-mails."""

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portevoix.asks.models import Ask
from portevoix.demo.loaders import load_demo


def test_demo_has_requests_in_every_state_answered_by_the_community_manager(db: None) -> None:
    outcome = load_demo()

    asks = Ask.objects.filter(organization=outcome.organization).order_by("created_at")
    by_status = {ask.status: ask for ask in asks}
    assert sorted(by_status) == ["answered", "closed", "open"]
    answered = by_status["answered"]
    assert answered.messages.count() == 3
    assert answered.assignee is not None
    assert answered.assignee.email.startswith("community@")
    assert answered.outcome == "do_not_publish"
    assert by_status["open"].draft.startswith("We're hiring")
    assert by_status["closed"].closed_at is not None
    assert all(ask.last_activity_at.date() < timezone.localdate() for ask in asks)
    assert not DBTaskResult.objects.exists(), "the demo's people have no mailbox"
