"""Plan a fictional company's people from a CompanySpec: pure Python, no database, reproducible.

The same (company, seed, today) always gives the same people. Hire dates are relative to
`today` so the demo always has recent graduates and veterans, whatever day it is loaded.
"""

import datetime
import enum
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from django.utils.text import slugify

from portevoix.accounts.roles import Role
from portevoix.demo.data import NAME_POOLS, CompanySpec, DepartmentSpec, EntitySpec, NamePool, PersonaSpec, Title

TEAM_SIZE = 8  # people per team lead in departments too big to report to their head directly
LARGEST_FLAT_DEPARTMENT = 12


class Level(enum.StrEnum):
    CEO = "ceo"
    HEAD = "head"
    LEAD = "lead"
    MEMBER = "member"


@dataclass(frozen=True)
class PersonPlan:
    """One person to create. `manager` is the index of another plan in the same list."""

    index: int
    full_name: str
    email: str
    employee_number: str
    department: str
    entity: str
    job_title: str
    location: str
    languages: tuple[str, ...]
    language: str
    hire_date: datetime.date
    manager: int | None
    level: Level
    is_graduate: bool
    is_executive: bool
    is_female: bool
    persona: str = ""
    roles: frozenset[Role] = frozenset()
    populations: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Identity:
    first_name: str
    last_name: str
    is_female: bool
    pool: NamePool


def weighted_choice[T](rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    values = [value for value, _ in options]
    weights = [weight for _, weight in options]
    return rng.choices(values, weights=weights)[0]


def weighted_sample[T](rng: random.Random, items: Sequence[T], weight: Callable[[T], float], count: int) -> list[T]:
    """`count` distinct items, likelier the heavier (Efraimidis-Spirakis keys), in a stable order."""
    keyed = [(rng.random() ** (1 / weight(item)), position) for position, item in enumerate(items)]
    chosen = sorted(keyed, reverse=True)[:count]
    return [items[position] for _, position in chosen]


def years_ago(today: datetime.date, years: float) -> datetime.date:
    return today - datetime.timedelta(days=round(years * 365.25))


class _Planner:
    def __init__(self, company: CompanySpec, rng: random.Random, today: datetime.date) -> None:
        self.company = company
        self.rng = rng
        self.today = today
        self.people: list[PersonPlan] = []
        self._emails: set[str] = set()
        self._positions: dict[str, int] = {}

    @property
    def headquarters(self) -> EntitySpec:
        return self.company.entities[0]

    def email(self, first_name: str, last_name: str) -> str:
        local = f"{slugify(first_name)}.{slugify(last_name)}"
        candidate, number = local, 1
        while candidate in self._emails:
            number += 1
            candidate = f"{local}{number}"
        self._emails.add(candidate)
        return f"{candidate}@{self.company.domain}"

    def identity(self, entity: EntitySpec) -> _Identity:
        pool = NAME_POOLS[weighted_choice(self.rng, entity.name_pools)]
        is_female = self.rng.random() < 0.5
        first_name = self.rng.choice(pool.female if is_female else pool.male)
        return _Identity(first_name, self.rng.choice(pool.last), is_female, pool)

    def languages(self, pool: NamePool, entity: EntitySpec) -> tuple[str, ...]:
        spoken = {pool.language} | {code for code, chance in entity.spoken if self.rng.random() < chance}
        return tuple(sorted(spoken))

    def hire_date(self, level: Level, *, is_graduate: bool) -> datetime.date:
        # Graduates joined in the last 30 months; the others over 15 years, seniors earlier.
        bounds: dict[Level, tuple[float, float]] = {
            Level.CEO: (9, 15),
            Level.HEAD: (3, 15),
            Level.LEAD: (2, 14),
            Level.MEMBER: (0.2, 15),
        }
        low, high = bounds[level]
        if is_graduate:
            low, high = 0.05, 2.5
        return years_ago(self.today, self.rng.uniform(low, high))

    def location(self, department: DepartmentSpec, level: Level, entity: EntitySpec) -> str:
        if level is Level.CEO or department.is_leadership:
            return entity.locations[0][0]  # the head office
        return weighted_choice(self.rng, entity.locations)

    def pick_entity(self, department: DepartmentSpec) -> EntitySpec:
        allowed = [e for e in self.company.entities if not department.entities or e.name in department.entities]
        return weighted_choice(self.rng, [(entity, entity.weight) for entity in allowed])

    def add(self, department: DepartmentSpec, level: Level, entity: EntitySpec, manager: int | None) -> int:
        """Add a person with a generated identity; members may be drawn as young graduates."""
        is_graduate = level is Level.MEMBER and not department.is_leadership
        is_graduate = is_graduate and self.rng.random() < self.company.graduate_share
        who = self.identity(entity)
        job = self._title(department, level, is_graduate=is_graduate)
        index = len(self.people)
        self.people.append(
            PersonPlan(
                index=index,
                full_name=f"{who.first_name} {who.last_name}",
                email=self.email(who.first_name, who.last_name),
                employee_number=f"{self.company.employee_number_prefix}{index + 1:05d}",
                department=department.name,
                entity=entity.name,
                job_title=job.for_person(language=entity.title_language, is_female=who.is_female),
                location=self.location(department, level, entity),
                languages=self.languages(who.pool, entity),
                language="en" if "en" in (entity.title_language, who.pool.language) else "fr",
                hire_date=self.hire_date(level, is_graduate=is_graduate),
                manager=manager,
                level=level,
                is_graduate=is_graduate,
                is_executive=level in (Level.CEO, Level.HEAD) or job.is_executive,
                is_female=who.is_female,
            )
        )
        return index

    def _title(self, department: DepartmentSpec, level: Level, *, is_graduate: bool) -> Title:
        if level in (Level.CEO, Level.HEAD):
            return department.head
        if level is Level.LEAD:
            return department.lead
        if is_graduate:
            return department.junior
        # Titles go round in order so that a small department gets each of its first titles once.
        position = self._positions.get(department.name, 0)
        self._positions[department.name] = position + 1
        return department.members[position % len(department.members)]


def _plan_department(planner: _Planner, department: DepartmentSpec, ceo: int) -> None:
    head = planner.add(department, Level.HEAD, planner.headquarters, manager=ceo)
    members = department.size - 1
    if members <= LARGEST_FLAT_DEPARTMENT:
        for _ in range(members):
            planner.add(department, Level.MEMBER, planner.pick_entity(department), manager=head)
        return
    teams = math.ceil(members / TEAM_SIZE)
    for team in range(teams):
        # Each team sits in one entity; its size is the team's share of what is left after the leads.
        team_members = (members - teams) // teams + (1 if team < (members - teams) % teams else 0)
        entity = planner.pick_entity(department)
        lead = planner.add(department, Level.LEAD, entity, manager=head)
        for _ in range(team_members):
            planner.add(department, Level.MEMBER, entity, manager=lead)


def _plan_leadership(planner: _Planner, department: DepartmentSpec) -> int:
    ceo = planner.add(department, Level.CEO, planner.headquarters, manager=None)
    for _ in range(department.size - 1):
        planner.add(department, Level.MEMBER, planner.headquarters, manager=ceo)
    return ceo


def plan_company(company: CompanySpec, *, seed: int, today: datetime.date) -> list[PersonPlan]:
    """Every person of the company, with personas placed, populations and ambassadors chosen."""
    rng = random.Random(seed)
    planner = _Planner(company, rng, today)
    leadership, *departments = company.departments
    ceo = _plan_leadership(planner, leadership)
    for department in departments:
        _plan_department(planner, department, ceo)
    people = _place_personas(planner.people, company)
    people = _assign_populations(people, company, rng, today)
    return _choose_ambassadors(people, company, rng)


def _persona_seat(people: Sequence[PersonPlan], persona: PersonaSpec, headquarters: str) -> PersonPlan:
    wanted_level = Level.HEAD if persona.is_head else Level.MEMBER
    seats = [
        person
        for person in people
        if person.department == persona.department
        and person.level is wanted_level
        and person.is_graduate == persona.is_graduate
        and not person.persona
    ]
    seats.sort(key=lambda person: person.entity != headquarters)
    if not seats:
        raise ValueError(f"No seat for the persona {persona.key} in {persona.department}")
    return seats[0]


def _place_personas(people: list[PersonPlan], company: CompanySpec) -> list[PersonPlan]:
    """Put each persona on a matching seat, keeping the seat's manager, reports and hire date."""
    people = list(people)
    headquarters = company.entities[0]
    for persona in company.personas:
        seat = _persona_seat(people, persona, headquarters.name)
        people[seat.index] = replace(
            seat,
            full_name=f"{persona.first_name} {persona.last_name}",
            email=f"{persona.email_local_part}@{company.domain}",
            entity=headquarters.name,
            job_title=persona.job_title,
            location=persona.location,
            languages=persona.languages,
            language=company.default_language,
            is_female=persona.is_female,
            persona=persona.key,
            roles=frozenset({persona.role}) if persona.role else frozenset(),
            populations=persona.extra_populations,
        )
    return people


def _rule_populations(person: PersonPlan, department: DepartmentSpec, today: datetime.date) -> set[str]:
    populations = set(person.populations) | set(department.populations)
    if person.is_executive:
        populations.add("spokespeople")
    is_senior = person.level in (Level.HEAD, Level.LEAD) or person.hire_date <= years_ago(today, 7)
    if department.has_experts and is_senior:
        populations.add("experts")
    if person.is_graduate:
        populations.add("young-talents")
    return populations


def _assign_populations(
    people: list[PersonPlan], company: CompanySpec, rng: random.Random, today: datetime.date
) -> list[PersonPlan]:
    """Populations by rule (department, seniority, cohort), then hand-picked high potentials and enthusiasts."""
    departments = {department.name: department for department in company.departments}
    chosen = {person.index: _rule_populations(person, departments[person.department], today) for person in people}
    promising = [
        person
        for person in people
        if person.level in (Level.LEAD, Level.MEMBER)
        and not person.is_graduate
        and years_ago(today, 8) <= person.hire_date <= years_ago(today, 2)
    ]
    for person in weighted_sample(rng, promising, lambda _: 1.0, company.high_potentials):
        chosen[person.index].add("high-potentials")

    def enthusiasm(person: PersonPlan) -> float:
        return departments[person.department].social_media_weight * (2.0 if person.is_graduate else 1.0)

    already = sum("social-media-enthusiasts" in populations for populations in chosen.values())
    wanted = max(0, round(company.social_media_share * len(people)) - already)
    others = [person for person in people if "social-media-enthusiasts" not in chosen[person.index]]
    for person in weighted_sample(rng, others, enthusiasm, wanted):
        chosen[person.index].add("social-media-enthusiasts")
    return [replace(person, populations=frozenset(chosen[person.index])) for person in people]


def _ambassador_appeal(person: PersonPlan) -> float:
    bonus = {"social-media-enthusiasts": 3.0, "experts": 2.0, "young-talents": 2.0, "high-potentials": 1.0}
    return 1.0 + sum(bonus.get(population, 0.0) for population in person.populations)


def _choose_ambassadors(people: list[PersonPlan], company: CompanySpec, rng: random.Random) -> list[PersonPlan]:
    """Volunteers spread over the departments in turn, the likeliest candidates of each first."""
    current = sum(Role.AMBASSADOR in person.roles for person in people)
    ranked: list[list[PersonPlan]] = []
    for department in company.departments:
        candidates = [
            person
            for person in people
            if person.department == department.name and not person.persona and person.level is not Level.CEO
        ]
        ranked.append(weighted_sample(rng, candidates, _ambassador_appeal, len(candidates)))
    chosen: list[PersonPlan] = []
    while len(chosen) < company.ambassadors - current and any(ranked):
        for queue in ranked:
            if queue and len(chosen) < company.ambassadors - current:
                chosen.append(queue.pop(0))
    people = list(people)
    for person in chosen:
        people[person.index] = replace(person, roles=person.roles | {Role.AMBASSADOR})
    return people
