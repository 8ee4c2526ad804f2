import datetime

import pytest
from django.apps import apps

from portevoix.accounts.models import User
from portevoix.demo import loaders
from portevoix.demo.companies import LUMARELLE
from portevoix.demo.generator import plan_company
from portevoix.demo.loaders import DemoContext, load_demo


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_loading_the_demo_twice_changes_no_row_of_any_model(db: None) -> None:
    first = load_demo()
    counts = _row_counts()

    second = load_demo()

    assert first.is_created
    assert not second.is_created
    assert _row_counts() == counts
    assert counts["accounts.User"] == 340


def test_demo_people_are_bilingual_and_spread_over_cities_and_fifteen_years(db: None) -> None:
    today = datetime.date(2026, 6, 1)
    outcome = load_demo(today=today)

    people = User.objects.filter(organization=outcome.organization)
    assert set(people.values_list("location", flat=True)) == {
        "Lyon",
        "Paris",
        "Nantes",
        "London",
        "Manchester",
        "Montréal",
        "Bruxelles",
    }
    assert set(people.values_list("language", flat=True)) == {"fr", "en"}
    titles = [t for d in LUMARELLE.departments for t in (d.head, d.lead, d.junior, *d.members)]
    english = {t.en for t in titles}
    french = {t.fr_male for t in titles} | {t.fr_female for t in titles}
    assert people.filter(location__in=["London", "Manchester"]).exclude(job_title__in=english).count() == 0
    assert people.filter(location__in=["Lyon", "Paris", "Nantes"]).exclude(job_title__in=french).count() == 0
    assert people.filter(hire_date__lt=today - datetime.timedelta(days=12 * 365)).exists()
    assert people.filter(hire_date__gt=today - datetime.timedelta(days=365)).count() >= 10
    for code in ("fr", "en", "de", "es", "it", "nl"):
        assert people.filter(languages__contains=code).exists(), code


def test_a_failing_step_leaves_nothing_behind(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_step(context: DemoContext) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(loaders, "DEMO_STEPS", [*loaders.DEMO_STEPS, broken_step])
    counts = _row_counts()

    with pytest.raises(RuntimeError, match="boom"):
        load_demo()

    assert _row_counts() == counts


def test_the_same_seed_and_day_plan_the_same_company() -> None:
    today = datetime.date(2026, 1, 15)

    assert plan_company(LUMARELLE, seed=7, today=today) == plan_company(LUMARELLE, seed=7, today=today)
    assert plan_company(LUMARELLE, seed=7, today=today) != plan_company(LUMARELLE, seed=8, today=today)
