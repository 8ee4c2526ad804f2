"""The demo policy: Lumarelle Énergie's policy file, as two versions, the second one published.

The file's dates (quiet periods, dated test cases) were written for `FILE_DAY`; they move with the
demo's today, so the quiet period before the annual results is always on when the demo starts.
"""

import dataclasses
import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from compliance_engine.model import Policy, QuietPeriodSettings, TermEntry, TermListSettings
from compliance_engine.policyfile import dumps, loads
from portevoix.policies import services

if TYPE_CHECKING:
    from portevoix.demo.loaders import DemoContext

POLICY_FILE = Path(__file__).resolve().parent.parent / "policy" / "lumarelle.toml"
FILE_DAY = datetime.date(2026, 11, 27)
# The compliance officer's first change after the initial upload, so the demo has a history and a diff.
ADDED_PROJECT = "Projet Boréal"


def shift_dates(policy: Policy, days: int) -> Policy:
    """The same policy with every quiet period and dated test case moved by `days`."""
    delta = datetime.timedelta(days=days)
    rules = tuple(
        dataclasses.replace(
            rule,
            settings=dataclasses.replace(
                rule.settings, start=rule.settings.start + delta, end=rule.settings.end + delta
            ),
        )
        if isinstance(rule.settings, QuietPeriodSettings)
        else rule
        for rule in policy.rules
    )
    tests = tuple(
        dataclasses.replace(case, date=case.date + delta) if case.date is not None else case for case in policy.tests
    )
    return dataclasses.replace(policy, rules=rules, tests=tests)


def with_added_project(policy: Policy) -> Policy:
    """The policy with one more confidential project in its first term list."""
    for index, rule in enumerate(policy.rules):
        if isinstance(rule.settings, TermListSettings):
            entries = (*rule.settings.entries, TermEntry(ADDED_PROJECT))
            changed = dataclasses.replace(rule, settings=TermListSettings(entries=entries))
            return dataclasses.replace(policy, rules=(*policy.rules[:index], changed, *policy.rules[index + 1 :]))
    return policy


def load_policy(context: "DemoContext") -> None:
    """Version 1 from the file, version 2 with one more confidential project, published."""
    officer = context.personas["compliance_officer"]
    policy = shift_dates(loads(POLICY_FILE.read_text(encoding="utf-8")), (context.today - FILE_DAY).days)
    services.save_version(
        organization=context.organization,
        actor=officer,
        source=dumps(policy),
        summary="Politique initiale, reprise de la charte 2026",
    )
    second = services.save_version(
        organization=context.organization,
        actor=officer,
        source=dumps(with_added_project(policy)),
        summary=f"Ajout de « {ADDED_PROJECT} » aux projets confidentiels",
    )
    services.publish(version=second, actor=officer)
