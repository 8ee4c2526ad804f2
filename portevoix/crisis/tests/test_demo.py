import datetime

from django.test import Client

from portevoix.accounts.models import Organization, User
from portevoix.crisis import selectors
from portevoix.crisis.models import Crisis, TimelineEntry
from portevoix.crisis.selectors import active_crisis, notice_counts
from portevoix.demo.companies import LUMARELLE, NORDLYS
from portevoix.demo.loaders import DemoOutcome

DEMO_DAY = datetime.date(2026, 11, 27)  # the day of the module's demo (conftest.py: demo)


def test_the_demo_has_a_past_crisis_with_its_timeline_and_none_on(demo: DemoOutcome) -> None:
    lumarelle = Organization.objects.get(slug=LUMARELLE.slug)

    crisis = Crisis.objects.get(organization=lumarelle)

    assert active_crisis(lumarelle) is None
    assert crisis.started_at.date() == datetime.date(2026, 11, 8)
    assert crisis.ended_at is not None
    assert crisis.ended_at - crisis.started_at == datetime.timedelta(hours=31)
    assert crisis.texts("en").title == "Ammonia leak at the Grenoble biomass plant"
    kinds = list(crisis.timeline.order_by("at", "pk").values_list("kind", flat=True))
    # What the other layers froze, if anything, sits between the switch and the notices.
    assert (kinds[0], kinds[-1]) == (TimelineEntry.Kind.STARTED, TimelineEntry.Kind.LIFTED)
    assert kinds.count(TimelineEntry.Kind.NOTIFIED) == 1
    assert kinds.count(TimelineEntry.Kind.NOTE) == 4
    counts = notice_counts(crisis=crisis)
    ambassadors = selectors.ambassadors(organization=lumarelle).count()
    assert counts.recipients == counts.emailed == counts.told_lifted == ambassadors > 20
    assert 0 < counts.read < ambassadors
    assert not Crisis.objects.filter(organization__slug=NORDLYS.slug).exists()


def test_the_demo_director_sees_the_crisis_history_and_its_timeline(client: Client, demo: DemoOutcome) -> None:
    client.force_login(User.objects.get(email="direction.communication@lumarelle.example"))

    index = client.get("/crisis/")
    crisis = index.context["past"][0]
    detail = client.get(f"/crisis/{crisis.pk}/")

    assert index.context["crisis"] is None
    assert detail.status_code == 200
    notes = [entry.text for entry in detail.context["timeline"] if entry.kind == TimelineEntry.Kind.NOTE]
    assert notes[0] == "Premières questions sur X et LinkedIn : réponse par la déclaration d'attente."
    assert "Fuite maîtrisée, site rouvert" in detail.content.decode()
    assert b"crisis-banner" not in detail.content
