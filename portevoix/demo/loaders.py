"""The demo: Lumarelle Énergie (and Nordlys Analytics beside it), loaded by a list of steps.

`load_demo()` creates the two organisations, then runs every function of `DEMO_STEPS` in
order, inside one transaction: the demo is loaded entirely or not at all. If the demo
organisation already exists, nothing runs, so loading twice changes nothing.

Adding demo content for a new feature (guidelines, topics, content, channels, activity…):

1. Write a step in this module, or in `portevoix/demo/steps/<feature>.py` if it grows past a
   screenful: `def load_topics(context: DemoContext) -> None`. Create everything through your
   app's services (with `actor=None`, or `context.personas["communication_director"]` when
   the action belongs to someone), so the demo obeys the same rules and leaves the same audit
   entries as real use. Scope every query by `context.organization`.
2. Make it reproducible: draw randomness only from `context.rng("load_topics")` (a generator
   seeded by the step's name, so adding a step never changes what the others produce) and
   dates only from `context.today`.
3. Append it to `DEMO_STEPS`, after the steps whose rows it needs (people come first).
4. Test what your step must create with the `demo` fixture (conftest.py), which loads the demo
   once per test module, as `portevoix/demo/tests/test_demo_company.py` does; the idempotency
   test in `test_loader.py` already covers every model, including yours.

Steps only run on a database without the demo; to see a new step, start from a fresh
PORTEVOIX_DATA_DIR (or drop the demo organisations).
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from portevoix.accounts.models import Organization, User
from portevoix.accounts.services import create_organization
from portevoix.audit.services import record
from portevoix.demo.companies import LUMARELLE, NORDLYS
from portevoix.demo.data import CompanySpec
from portevoix.demo.generator import plan_company
from portevoix.demo.services import create_planned_people
from portevoix.demo.steps.asks import load_asks
from portevoix.demo.steps.channels import load_channels
from portevoix.demo.steps.content import load_content
from portevoix.demo.steps.crisis import load_crisis
from portevoix.demo.steps.guidelines import load_guidelines
from portevoix.demo.steps.inbox import load_inbox
from portevoix.demo.steps.incidents import load_incidents
from portevoix.demo.steps.official import load_official
from portevoix.demo.steps.policy import load_policy
from portevoix.demo.steps.programme import load_programme
from portevoix.demo.steps.quizzes import load_quizzes

DEMO_SEED = 2026
# Printed by `portevoix demo` for every persona; the demo is for trying, never for real data.
DEMO_PASSWORD = "porte-voix-demo"  # noqa: S105


@dataclass(frozen=True)
class Login:
    organization: str
    label: str
    email: str


@dataclass
class DemoContext:
    """What the steps share: the organisations, their personas by key, reproducible randomness."""

    organization: Organization
    other_organization: Organization
    today: datetime.date
    password: str
    personas: dict[str, User] = field(default_factory=dict)
    other_personas: dict[str, User] = field(default_factory=dict)

    def rng(self, step_name: str) -> random.Random:
        return random.Random(f"{DEMO_SEED}:{step_name}")


type DemoStep = Callable[[DemoContext], None]


def load_people(context: DemoContext) -> None:
    """Lumarelle Énergie's ~320 people: departments, entities, managers, populations, ambassadors, personas."""
    plans = plan_company(LUMARELLE, seed=DEMO_SEED, today=context.today)
    context.personas = create_planned_people(organization=context.organization, plans=plans, password=context.password)


def load_other_organization(context: DemoContext) -> None:
    """Nordlys Analytics' ~20 people, so the demo shows that organisations never see each other."""
    plans = plan_company(NORDLYS, seed=DEMO_SEED + 1, today=context.today)
    context.other_personas = create_planned_people(
        organization=context.other_organization, plans=plans, password=context.password
    )


DEMO_STEPS: list[DemoStep] = [
    load_people,
    load_other_organization,
    load_policy,
    load_asks,
    load_incidents,
    load_guidelines,
    load_quizzes,
    load_programme,
    # A past crisis, switched on and lifted at load time, once the programme has its ambassadors:
    # it must run before the steps that schedule official posts or publish content, or its
    # switch would freeze them for good.
    load_crisis,
    load_content,
    load_channels,
    load_official,
    load_inbox,
]


@dataclass(frozen=True)
class DemoOutcome:
    is_created: bool
    organization: Organization
    logins: list[Login]
    password: str


def demo_logins() -> list[Login]:
    """One login per persona of the demo company, then the other organisation's administrator."""
    return [
        Login(organization=company.name, label=persona.label, email=f"{persona.email_local_part}@{company.domain}")
        for company in (LUMARELLE, NORDLYS)
        for persona in company.personas
    ]


def _create(company: CompanySpec) -> Organization:
    return create_organization(name=company.name, slug=company.slug, default_language=company.default_language)


def load_demo(*, today: datetime.date | None = None) -> DemoOutcome:
    """Load the demo companies in one transaction, or do nothing if they are already there."""
    with transaction.atomic():
        existing = Organization.objects.filter(slug=LUMARELLE.slug).first()
        if existing is not None:
            return DemoOutcome(is_created=False, organization=existing, logins=demo_logins(), password=DEMO_PASSWORD)
        context = DemoContext(
            organization=_create(LUMARELLE),
            other_organization=_create(NORDLYS),
            today=today or timezone.localdate(),
            password=DEMO_PASSWORD,
        )
        for step in DEMO_STEPS:
            step(context)
        steps = [step.__name__ for step in DEMO_STEPS]
        for organization in (context.organization, context.other_organization):
            people = organization.people.count()
            record(organization=organization, actor=None, action="demo.loaded", data={"steps": steps, "people": people})
    return DemoOutcome(is_created=True, organization=context.organization, logins=demo_logins(), password=DEMO_PASSWORD)


def login_lines(outcome: DemoOutcome) -> list[str]:
    """The sign-in table printed by `portevoix demo` and `portevoix seed`, one block per organisation."""
    width = max(len(login.label) for login in outcome.logins)
    lines = [f"Sign in with one of these accounts (password for all: {outcome.password}):"]
    organization = ""
    for login in outcome.logins:
        if login.organization != organization:
            organization = login.organization
            lines += ["", f"  {organization}"]
        lines.append(f"    {login.label:<{width}}  {login.email}")
    return lines
