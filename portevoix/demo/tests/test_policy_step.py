import datetime

import pytest

from compliance_engine.model import QuietPeriodSettings
from compliance_engine.policyfile import loads
from portevoix.demo.loaders import load_demo
from portevoix.demo.steps.policy import ADDED_PROJECT, FILE_DAY, POLICY_FILE, shift_dates
from portevoix.policies import services
from portevoix.policies.models import PolicyVersion


def test_demo_policy_is_published_with_every_test_case_passing(db: None) -> None:
    outcome = load_demo(today=datetime.date(2027, 3, 1))

    versions = PolicyVersion.objects.filter(organization=outcome.organization).order_by("number")
    assert [version.number for version in versions] == [1, 2]
    assert all(version.tests_failed == 0 and version.tests_passed >= 30 for version in versions)
    assert services.active_version(outcome.organization) == versions[1]
    assert ADDED_PROJECT in versions[1].source
    assert ADDED_PROJECT not in versions[0].source


@pytest.mark.parametrize("days", [0, 95, -400])
def test_quiet_periods_and_dated_test_cases_move_with_the_demo_day(days: int) -> None:
    policy = loads(POLICY_FILE.read_text(encoding="utf-8"))
    moved = shift_dates(policy, days)
    delta = datetime.timedelta(days=days)
    periods = [rule.settings for rule in policy.rules if isinstance(rule.settings, QuietPeriodSettings)]
    moved_periods = [rule.settings for rule in moved.rules if isinstance(rule.settings, QuietPeriodSettings)]
    assert periods, "the demo policy has a quiet period"
    assert [(p.start + delta, p.end + delta) for p in periods] == [(p.start, p.end) for p in moved_periods]
    assert [case.date + delta if case.date else None for case in policy.tests] == [case.date for case in moved.tests]
    assert any(period.start <= FILE_DAY <= period.end for period in periods), "a quiet period is on at the file's day"
