"""Recommended candidates for a topic, each with a score that explains itself.

The score is a sum of visible parts, never a black box: population fit, declared expertise,
languages, declared networks, audience, interest, each with the points it gives and why. A
language or network that fills a gap of the topic's coverage counts three times as much as one
the topic already has enough of.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import User
from portevoix.accounts.roles import Role
from portevoix.ambassadors.languages import LANGUAGE_CODES
from portevoix.ambassadors.models import (
    AMBASSADOR_NETWORK_VALUES,
    AmbassadorProfile,
    Audience,
    Invitation,
    Topic,
    TopicTarget,
)
from portevoix.ambassadors.selectors import Column, TopicCoverage, column_for, coverage_matrix

POPULATION_POINTS = 30
EXTRA_POPULATION_POINTS = 10
EXPERTISE_POINTS = 25
GAP_POINTS = 15
TARGET_POINTS = 5
INTEREST_POINTS = 15
AUDIENCE_POINTS = {Audience.UNDER_500: 0, Audience.UNDER_2000: 5, Audience.UNDER_10000: 10, Audience.OVER_10000: 15}
# Someone who said no is not asked again for this long: never spammed.
DECLINED_QUIET_DAYS = 180
MAX_CANDIDATES = 50


@dataclass(frozen=True)
class ScorePart:
    label: str
    points: int
    detail: str


@dataclass(frozen=True)
class Candidate:
    person: User
    parts: list[ScorePart]
    fills: list[Column]  # the gaps of the topic this person would fill
    invited_at: datetime.datetime | None  # an invitation still waiting for an answer
    is_ambassador: bool  # already an ambassador, on other topics

    @property
    def score(self) -> int:
        return sum(part.points for part in self.parts)


def _fold(text: str) -> str:
    return text.casefold().strip()


def _expertise_matches(topic: Topic, expertise: list[str]) -> list[str]:
    words = [_fold(word) for word in [topic.name, *topic.keyword_list] if word.strip()]
    return [item for item in expertise if any(word in _fold(item) or _fold(item) in word for word in words)]


def _dimension_parts(
    label: str, values: set[str], dimension: str, coverage: TopicCoverage
) -> tuple[ScorePart, list[Column]] | None:
    gaps = {cell.column.value: cell.column for cell in coverage.gaps if cell.column.dimension == dimension}
    targeted = {
        cell.column.value for cell in coverage.cells if cell.wanted is not None and cell.column.dimension == dimension
    }
    filling = sorted(values & set(gaps))
    useful = sorted((values & targeted) - set(filling))
    points = GAP_POINTS * len(filling) + TARGET_POINTS * len(useful)
    if not points:
        return None
    names = [column_for(dimension, value).label for value in filling]
    others = [column_for(dimension, value).label for value in useful]
    detail = "; ".join(
        part
        for part in (
            _("fills a gap: %(names)s") % {"names": ", ".join(names)} if names else "",
            _("already covered: %(names)s") % {"names": ", ".join(others)} if others else "",
        )
        if part
    )
    return ScorePart(label=label, points=points, detail=detail), [gaps[value] for value in filling]


def _score(
    person: User, topic: Topic, coverage: TopicCoverage, fit_ids: set[int]
) -> tuple[list[ScorePart], list[Column]]:
    parts: list[ScorePart] = []
    fills: list[Column] = []
    fitting = [population for population in person.populations.all() if population.pk in fit_ids]
    if fitting:
        points = POPULATION_POINTS + EXTRA_POPULATION_POINTS * (len(fitting) - 1)
        parts.append(ScorePart(_("Population"), points, ", ".join(p.name for p in fitting)))
    profile: AmbassadorProfile | None = getattr(person, "ambassador_profile", None)
    expertise = _expertise_matches(topic, profile.expertise_list) if profile else []
    if expertise:
        parts.append(ScorePart(_("Declared expertise"), EXPERTISE_POINTS, ", ".join(expertise)))
    languages = set((profile.posting_language_list if profile else []) or person.language_list)
    networks = {row.network for row in profile.networks.all()} if profile else set()
    for label, values, dimension in (
        (_("Languages"), languages, TopicTarget.Dimension.LANGUAGE),
        (_("Declared networks"), networks, TopicTarget.Dimension.NETWORK),
    ):
        found = _dimension_parts(label, values, dimension, coverage)
        if found:
            parts.append(found[0])
            fills += found[1]
    if profile:
        best = max(
            (Audience(row.audience) for row in profile.networks.all()), key=AUDIENCE_POINTS.__getitem__, default=None
        )
        if best is not None and AUDIENCE_POINTS[best]:
            parts.append(ScorePart(_("Declared audience"), AUDIENCE_POINTS[best], str(best.label)))
        if profile.is_interested:
            parts.append(ScorePart(_("Interest"), INTEREST_POINTS, _("said they would like to join")))
    return parts, fills


def candidates_for(*, topic: Topic, gap: Column | None = None) -> list[Candidate]:
    """The best candidates for a topic, highest score first, optionally only those who fill one gap.

    Candidates are active people of the topic's organisation who are not yet ambassadors on it,
    who belong to a population that fits the topic or have declared a profile, and who did not
    decline an invitation in the last DECLINED_QUIET_DAYS days.
    """
    coverage = coverage_matrix(organization=topic.organization, topic_ids=[topic.pk]).rows
    if not coverage:
        return []
    fit_ids = set(topic.populations.values_list("pk", flat=True))
    quiet_since = timezone.now() - datetime.timedelta(days=DECLINED_QUIET_DAYS)
    declined = Invitation.objects.filter(status=Invitation.Status.DECLINED, answered_at__gte=quiet_since)
    people = (
        User.objects.filter(organization=topic.organization, is_active=True)
        .filter(Q(populations__in=fit_ids) | Q(ambassador_profile__isnull=False))
        .exclude(pk__in=declined.values("person_id"))
        .exclude(
            pk__in=AmbassadorProfile.objects.filter(topics=topic, person__roles__role=Role.AMBASSADOR).values(
                "person_id"
            )
        )
        .select_related("department", "ambassador_profile")
        .prefetch_related("populations", "ambassador_profile__networks")
        .distinct()
    )
    ambassadors = set(
        User.objects.filter(organization=topic.organization, roles__role=Role.AMBASSADOR).values_list("pk", flat=True)
    )
    pending = dict(
        Invitation.objects.filter(status=Invitation.Status.PENDING, campaign__topic=topic).values_list(
            "person_id", "created_at"
        )
    )
    found = []
    for person in people:
        parts, fills = _score(person, topic, coverage[0], fit_ids)
        if gap is not None and gap not in fills:
            continue
        if parts:
            found.append(Candidate(person, parts, fills, pending.get(person.pk), person.pk in ambassadors))
    found.sort(key=lambda candidate: (-candidate.score, candidate.person.full_name))
    return found[:MAX_CANDIDATES]


def parse_gap(value: str) -> Column | None:
    """A gap from its key in an address ("language:en", "network:mastodon"); None when not one."""
    dimension, _sep, code = value.partition(":")
    if dimension == TopicTarget.Dimension.LANGUAGE and code in LANGUAGE_CODES:
        return column_for(dimension, code)
    if dimension == TopicTarget.Dimension.NETWORK and code in AMBASSADOR_NETWORK_VALUES:
        return column_for(dimension, code)
    return None
