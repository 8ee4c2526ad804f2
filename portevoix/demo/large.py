"""A large organisation for measuring pages and queries: N people shaped like the demo company.

Streamed person by person so 100,000 people never sit in memory as plans; the manager of
each person is a formula of their position, so managers can be linked once everyone has a key.
"""

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.text import slugify

from portevoix.demo.companies import LUMARELLE
from portevoix.demo.data import NAME_POOLS, DepartmentSpec, EntitySpec
from portevoix.demo.generator import weighted_choice, years_ago

DEPARTMENTS = LUMARELLE.departments
ENTITIES = LUMARELLE.entities
MANAGER_SPAN = 8
AMBASSADOR_SHARE = 0.02
HIGH_POTENTIAL_SHARE = 0.02
GRADUATE_SHARE = 0.1
SOCIAL_MEDIA_SHARE = 0.08


@dataclass(frozen=True)
class LargePerson:
    index: int
    full_name: str
    email: str
    employee_number: str
    department: str
    entity: str
    job_title: str
    location: str
    languages: str
    language: str
    hire_date: datetime.date
    populations: tuple[str, ...]
    is_ambassador: bool


def manager_of(index: int) -> int | None:
    """Person 0 leads; the first person of each department reports to them, the rest in teams of 8."""
    if index == 0:
        return None
    rank, department = divmod(index, len(DEPARTMENTS))
    if rank == 0:
        return 0
    return ((rank - 1) // MANAGER_SPAN) * len(DEPARTMENTS) + department


def _populations(
    department: DepartmentSpec, rank: int, *, is_graduate: bool, is_senior: bool, draw: float
) -> tuple[str, ...]:
    populations = list(department.populations)
    if rank == 0:
        populations.append("spokespeople")
    if department.has_experts and is_senior:
        populations.append("experts")
    if is_graduate:
        populations.append("young-talents")
    if draw < HIGH_POTENTIAL_SHARE:
        populations.append("high-potentials")
    elif draw < HIGH_POTENTIAL_SHARE + SOCIAL_MEDIA_SHARE * department.social_media_weight:
        populations.append("social-media-enthusiasts")
    return tuple(populations)


class _LargeGenerator:
    def __init__(self, *, slug: str, seed: int, today: datetime.date) -> None:
        self.rng = random.Random(seed)
        self.slug = slug
        self.today = today
        self._slugs: dict[str, str] = {}

    def _slug(self, name: str) -> str:
        # slugify is the slow part of naming 100,000 people, and names repeat.
        if name not in self._slugs:
            self._slugs[name] = slugify(name)
        return self._slugs[name]

    def _name(self, entity: EntitySpec) -> tuple[str, str, bool, str]:
        pool = NAME_POOLS[weighted_choice(self.rng, entity.name_pools)]
        is_female = self.rng.random() < 0.5
        first = self.rng.choice(pool.female if is_female else pool.male)
        return first, self.rng.choice(pool.last), is_female, pool.language

    def person(self, index: int) -> LargePerson:
        rng = self.rng
        rank, department_position = divmod(index, len(DEPARTMENTS))
        department = DEPARTMENTS[department_position]
        entity: EntitySpec = ENTITIES[0] if rank == 0 else weighted_choice(rng, [(e, e.weight) for e in ENTITIES])
        first, last, is_female, name_language = self._name(entity)
        is_graduate = rank > 0 and rng.random() < GRADUATE_SHARE
        hire_date = years_ago(self.today, rng.uniform(0.05, 2.5) if is_graduate else rng.uniform(0.2, 20))
        is_senior = hire_date <= years_ago(self.today, 7)
        job = department.head if rank == 0 else department.junior if is_graduate else rng.choice(department.members)
        return LargePerson(
            index=index,
            full_name=f"{first} {last}",
            email=f"{self._slug(first)}.{self._slug(last)}.{index + 1}@{self.slug}.example",
            employee_number=f"{index + 1:07d}",
            department=department.name,
            entity=entity.name,
            job_title=job.for_person(language=entity.title_language, is_female=is_female),
            location=weighted_choice(rng, entity.locations),
            languages=",".join(sorted({name_language} | {code for code, p in entity.spoken if rng.random() < p})),
            language=entity.title_language,
            hire_date=hire_date,
            populations=_populations(department, rank, is_graduate=is_graduate, is_senior=is_senior, draw=rng.random()),
            is_ambassador=rank > 0 and rng.random() < AMBASSADOR_SHARE,
        )


def large_people(*, slug: str, count: int, seed: int, today: datetime.date) -> Iterator[LargePerson]:
    """The people of a large organisation, in index order, reproducible for a given seed and day."""
    generator = _LargeGenerator(slug=slug, seed=seed, today=today)
    for index in range(count):
        yield generator.person(index)
