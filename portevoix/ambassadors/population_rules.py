"""Populations set by rules over directory fields, with a preview, and by hand.

The rules of a population add up (matching any one is enough); a rule matches when all its
conditions hold. Applying the rules adds the people they match and takes back only the
memberships they gave (`RuleMembership`): people put in by hand or by an import stay, and people
taken out by hand (`PopulationExclusion`) are never put back. Rules run again after each import.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Department, Entity, Organization, Population, User
from portevoix.ambassadors.languages import LANGUAGE_CODES
from portevoix.ambassadors.models import PopulationExclusion, PopulationRule, RuleMembership
from portevoix.ambassadors.services import ProgrammeRefused
from portevoix.audit.services import record
from portevoix.people.services import set_populations


@dataclass(frozen=True)
class RuleConditions:
    """What a rule asks of a person; an empty condition is not checked."""

    department_ids: frozenset[int] = frozenset()
    entity_ids: frozenset[int] = frozenset()
    job_title_words: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    hired_within_months: int | None = None
    hired_over_months: int | None = None
    requires_interest: bool = False

    @property
    def is_empty(self) -> bool:
        return self == RuleConditions()

    @classmethod
    def of(cls, rule: PopulationRule) -> "RuleConditions":
        return cls(
            department_ids=frozenset(rule.departments.values_list("id", flat=True)),
            entity_ids=frozenset(rule.entities.values_list("id", flat=True)),
            job_title_words=tuple(PopulationRule.split(rule.job_title_words)),
            locations=tuple(PopulationRule.split(rule.locations)),
            languages=tuple(PopulationRule.split(rule.languages)),
            hired_within_months=rule.hired_within_months,
            hired_over_months=rule.hired_over_months,
            requires_interest=rule.requires_interest,
        )


@dataclass(frozen=True)
class ApplyOutcome:
    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)


def months_before(day: datetime.date, months: int) -> datetime.date:
    years, month_index = divmod(day.month - 1 - months, 12)
    year, month = day.year + years, month_index + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _any_of(lookup: str, values: tuple[str, ...]) -> Q:
    condition = Q()
    for value in values:
        condition |= Q(**{lookup: value})
    return condition


def condition_of(conditions: RuleConditions, today: datetime.date) -> Q:
    """The query a person must satisfy for the rule to match them."""
    condition = Q()
    if conditions.department_ids:
        condition &= Q(department_id__in=conditions.department_ids)
    if conditions.entity_ids:
        condition &= Q(entity_id__in=conditions.entity_ids)
    condition &= _any_of("job_title__icontains", conditions.job_title_words)
    condition &= _any_of("location__iexact", conditions.locations)
    # Language codes are two letters joined by commas, so a substring match finds exactly one code.
    condition &= _any_of("languages__contains", conditions.languages)
    if conditions.hired_within_months is not None:
        condition &= Q(hire_date__gte=months_before(today, conditions.hired_within_months))
    if conditions.hired_over_months is not None:
        condition &= Q(hire_date__lte=months_before(today, conditions.hired_over_months))
    if conditions.requires_interest:
        condition &= Q(ambassador_profile__is_interested=True)
    return condition


def people_matching(*, organization: Organization, conditions: list[RuleConditions]) -> QuerySet[User]:
    """Active people of the organisation who match any of the rules (nobody when there is none)."""
    today = timezone.localdate()
    matched = Q(pk__in=[])
    for item in conditions:
        if not item.is_empty:
            matched |= condition_of(item, today)
    return User.objects.filter(matched, organization=organization, is_active=True).distinct()


def population_matches(population: Population) -> QuerySet[User]:
    """Who the population's rules match now, less the people taken out by hand."""
    rules = [RuleConditions.of(rule) for rule in PopulationRule.objects.filter(population=population)]
    excluded = PopulationExclusion.objects.filter(population=population).values("person_id")
    return people_matching(organization=population.organization, conditions=rules).exclude(pk__in=excluded)


def _check(organization: Organization, conditions: RuleConditions) -> None:
    if conditions.is_empty:
        raise ProgrammeRefused(_("Set at least one condition: a rule without any would take in everyone."))
    if Department.objects.filter(pk__in=conditions.department_ids).exclude(organization=organization).exists():
        raise ProgrammeRefused(_("Unknown department."))
    if Entity.objects.filter(pk__in=conditions.entity_ids).exclude(organization=organization).exists():
        raise ProgrammeRefused(_("Unknown entity."))
    unknown = sorted(set(conditions.languages) - set(LANGUAGE_CODES))
    if unknown:
        raise ProgrammeRefused(_("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)})
    within, over = conditions.hired_within_months, conditions.hired_over_months
    if within is not None and over is not None and over >= within:
        raise ProgrammeRefused(
            _("Hired more than %(over)s months ago and less than %(within)s months ago: nobody can match both.")
            % {"over": over, "within": within}
        )


def add_rule(*, population: Population, conditions: RuleConditions, actor: User) -> PopulationRule:
    """Add a rule to a population and apply the population's rules at once."""
    _check(population.organization, conditions)
    with transaction.atomic():
        rule = PopulationRule.objects.create(
            population=population,
            job_title_words=", ".join(conditions.job_title_words),
            locations=", ".join(conditions.locations),
            languages=",".join(conditions.languages),
            hired_within_months=conditions.hired_within_months,
            hired_over_months=conditions.hired_over_months,
            requires_interest=conditions.requires_interest,
            created_by=actor,
        )
        rule.departments.set(conditions.department_ids)
        rule.entities.set(conditions.entity_ids)
        _audit(population, actor, "population.rule_added", {"rule": rule.pk})
        apply_rules(population=population, actor=actor)
    return rule


def _audit(population: Population, actor: User | None, action: str, data: dict[str, int]) -> None:
    record(organization=population.organization, actor=actor, action=action, target=population, data=data)


def delete_rule(*, rule: PopulationRule, actor: User) -> None:
    """Remove a rule; the people only it had put in leave the population."""
    population = rule.population
    with transaction.atomic():
        _audit(population, actor, "population.rule_deleted", {"rule": rule.pk})
        rule.delete()
        apply_rules(population=population, actor=actor)


def apply_rules(*, population: Population, actor: User | None) -> ApplyOutcome:
    """Bring a population in line with its rules; audited when someone joins or leaves."""
    through = User.populations.through
    with transaction.atomic():
        matching = set(population_matches(population).values_list("pk", flat=True))
        members = set(through.objects.filter(population=population).values_list("user_id", flat=True))
        granted = set(RuleMembership.objects.filter(population=population).values_list("person_id", flat=True))
        added = sorted(matching - members)
        removed = sorted((granted - matching) & members)
        through.objects.bulk_create(through(population=population, user_id=person_id) for person_id in added)
        through.objects.filter(population=population, user_id__in=removed).delete()
        RuleMembership.objects.filter(population=population, person_id__in=granted - matching).delete()
        RuleMembership.objects.bulk_create(
            RuleMembership(population=population, person_id=person_id) for person_id in added
        )
        if added or removed:
            _audit(population, actor, "population.rules_applied", {"added": len(added), "removed": len(removed)})
    return ApplyOutcome(added=added, removed=removed)


def apply_rules_for(*, organization_id: int) -> None:
    """Apply the rules of every population of an organisation (after an import)."""
    for population in Population.objects.filter(organization_id=organization_id).select_related("organization"):
        apply_rules(population=population, actor=None)


def add_member(*, population: Population, person: User, actor: User) -> None:
    """Put a person in a population by hand; the rules will not take them out."""
    _same_organization(population, person)
    with transaction.atomic():
        PopulationExclusion.objects.filter(population=population, person=person).delete()
        RuleMembership.objects.filter(population=population, person=person).delete()
        wanted = {item.pk: item for item in [*person.populations.all(), population]}
        set_populations(person=person, populations=list(wanted.values()), actor=actor)


def remove_member(*, population: Population, person: User, actor: User) -> None:
    """Take a person out of a population by hand; its rules will not put them back."""
    _same_organization(population, person)
    with transaction.atomic():
        PopulationExclusion.objects.get_or_create(population=population, person=person)
        RuleMembership.objects.filter(population=population, person=person).delete()
        kept = [item for item in person.populations.all() if item.pk != population.pk]
        set_populations(person=person, populations=kept, actor=actor)


def create_population(*, organization: Organization, name: str, slug: str, actor: User) -> Population:
    """Add a population of the organisation's own beside the seven built-in ones."""
    if Population.objects.filter(organization=organization, slug=slug).exists():
        raise ProgrammeRefused(_("Another population already has the key “%(slug)s”.") % {"slug": slug})
    with transaction.atomic():
        population = Population.objects.create(organization=organization, name=name.strip(), slug=slug)
        _audit(population, actor, "population.created", {})
    return population


def _same_organization(population: Population, person: User) -> None:
    if population.organization_id != person.organization_id:
        raise ProgrammeRefused(_("This person is not in your organisation."))
