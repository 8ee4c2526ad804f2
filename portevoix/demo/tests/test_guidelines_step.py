import datetime

from compliance_engine.policyfile import loads
from portevoix.demo.loaders import DemoOutcome
from portevoix.demo.steps.guidelines import SECOND_PUBLISHED_DAYS_AGO
from portevoix.demo.steps.policy import POLICY_FILE
from portevoix.guidelines import selectors
from portevoix.guidelines.models import Acknowledgement, GuidelinesVersion

DEMO_DAY = datetime.date(2027, 3, 1)  # the day of the module's demo (conftest.py: demo)


def test_demo_has_an_archived_and_a_published_version_changing_two_clauses(demo: DemoOutcome) -> None:
    versions = list(GuidelinesVersion.objects.filter(organization=demo.organization).order_by("number"))
    assert [(v.number, v.status) for v in versions] == [(1, "archived"), (2, "published")]
    changed = set(versions[1].clauses.filter(is_material_change=True).values_list("anchor", flat=True))
    assert changed == {"3.5", "5.1"}
    assert selectors.audience_of(versions[1]).is_everyone
    assert all(not clause.lagging_languages for clause in versions[1].clauses.all())


def test_every_clause_the_demo_policy_cites_is_in_the_guidelines(demo: DemoOutcome) -> None:
    published = selectors.published_version(demo.organization)
    assert published is not None
    anchors = set(published.clauses.values_list("anchor", flat=True))
    cited = {rule.clause_id for rule in loads(POLICY_FILE.read_text(encoding="utf-8")).rules}
    assert cited <= anchors
    assert len(anchors - cited) >= 3  # a few general clauses too


def test_completion_is_partial_and_spread_over_the_weeks_since_publication(demo: DemoOutcome) -> None:
    published = selectors.published_version(demo.organization)
    assert published is not None
    assert published.published_at is not None
    figures = selectors.completion(version=published, unnamed="-")
    assert 0.4 < figures.done / figures.total < 0.8
    rates = [group.percent for group in figures.by_department]
    assert max(rates) - min(rates) >= 40
    assert len(figures.by_day) >= 10
    first_day = figures.by_day[0].day
    assert first_day >= (published.published_at.date() - datetime.timedelta(days=1))
    assert (DEMO_DAY - first_day).days <= SECOND_PUBLISHED_DAYS_AGO + 1
    employee = demo.organization.people.get(email="employe@lumarelle.example")
    assert not Acknowledgement.objects.filter(version=published, person=employee).exists()
