"""Reads of quizzes, scoped to the viewer's organisation; a person's attempts are only theirs.

Results per department and entity are one GROUP BY over the version's audience, each person
carrying their best score as a subquery: nothing loops over people in Python.
"""

from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from portevoix.accounts.models import Department, Entity, User
from portevoix.guidelines import selectors as guidelines
from portevoix.guidelines.models import GuidelinesVersion
from portevoix.quizzes.models import Attempt, Choice, Question, Quiz


def get_version_for_user(*, user: User, number: int) -> GuidelinesVersion:
    """A guidelines version the person may read (another organisation's is a 404)."""
    return guidelines.get_version_for_user(user=user, number=number)


def quiz_of(version: GuidelinesVersion) -> Quiz | None:
    return Quiz.objects.filter(version=version).first()


def get_quiz(version: GuidelinesVersion) -> Quiz:
    return get_object_or_404(Quiz, version=version, organization_id=version.organization_id)


def questions_of(quiz: Quiz) -> list[Question]:
    """The questions in order, each with its choices loaded (two queries)."""
    return list(quiz.questions.prefetch_related("choices").order_by("position", "id"))


def choices_of(question: Question) -> list[Choice]:
    return list(question.choices.all())


def get_question(*, quiz: Quiz, question_id: int) -> Question:
    return get_object_or_404(Question.objects.prefetch_related("choices"), quiz=quiz, pk=question_id)


def is_taker(*, person: User, version: GuidelinesVersion) -> bool:
    """Whether the person may take the version's quiz: it is published and aimed at them."""
    return version.is_published and guidelines.is_targeted(person, guidelines.audience_of(version))


def attempts_of(*, quiz: Quiz, person: User) -> list[Attempt]:
    return list(Attempt.objects.filter(quiz=quiz, person=person).order_by("-number"))


def get_attempt_for_user(*, user: User, quiz: Quiz, attempt_id: int) -> Attempt:
    """One of the person's own attempts; anybody else's is a 404, whatever the viewer's role."""
    return get_object_or_404(Attempt, quiz=quiz, person=user, pk=attempt_id)


def attempts_left(*, quiz: Quiz, used: int) -> int | None:
    """How many attempts remain, or None when the quiz allows as many as one wants."""
    return max(quiz.max_attempts - used, 0) if quiz.has_attempt_limit else None


@dataclass(frozen=True)
class GroupResult:
    name: str
    targeted: int
    attempted: int
    passed: int
    average_score: int | None

    @property
    def pass_rate(self) -> int | None:
        return round(100 * self.passed / self.attempted) if self.attempted else None


@dataclass(frozen=True)
class Results:
    overall: GroupResult
    by_department: list[GroupResult]
    by_entity: list[GroupResult]


def _best_score(quiz: Quiz) -> Subquery:
    best = Attempt.objects.filter(quiz=quiz, person=OuterRef("pk")).values("person").annotate(best=Max("score"))
    return Subquery(best.values("best")[:1], output_field=IntegerField())


def _with_results(quiz: Quiz, version: GuidelinesVersion) -> QuerySet[User]:
    return guidelines.audience_people(version).annotate(
        best_score=_best_score(quiz),
        has_passed=Exists(Attempt.objects.filter(quiz=quiz, person=OuterRef("pk"), is_passed=True)),
    )


_FIGURES = {
    "targeted": Count("id"),
    "attempted": Count("id", filter=Q(best_score__isnull=False)),
    "passed": Count("id", filter=Q(has_passed=True)),
    "average": Avg("best_score"),
}


def _grouped(people: QuerySet[User], field: str, names: dict[int, str], unnamed: str) -> list[GroupResult]:
    rows = people.values(field).annotate(**_FIGURES).values_list(field, *_FIGURES)
    groups = [
        GroupResult(names.get(key, unnamed) if key else unnamed, targeted, attempted, passed,
                    round(average) if average is not None else None)
        for key, targeted, attempted, passed, average in rows
    ]  # fmt: skip
    return sorted(groups, key=lambda group: (group.name == unnamed, group.name))


def results(*, quiz: Quiz, version: GuidelinesVersion, overall_name: str, unnamed: str) -> Results:
    """Targeted, attempted, passed and average best score, for everyone, per department and per entity."""
    people = _with_results(quiz, version)
    organization_id = version.organization_id
    total = people.aggregate(**_FIGURES)
    overall = GroupResult(overall_name, total["targeted"], total["attempted"], total["passed"],
                          round(total["average"]) if total["average"] is not None else None)  # fmt: skip
    departments = dict(Department.objects.filter(organization_id=organization_id).values_list("id", "name"))
    entities = dict(Entity.objects.filter(organization_id=organization_id).values_list("id", "name"))
    return Results(
        overall=overall,
        by_department=_grouped(people, "department_id", departments, unnamed),
        by_entity=_grouped(people, "entity_id", entities, unnamed),
    )


def people_results(*, quiz: Quiz) -> QuerySet[User]:
    """The people who took the quiz, with their number of attempts, best score and whether they passed, by name."""
    attempts = Attempt.objects.filter(quiz=quiz, person=OuterRef("pk")).values("person")
    taken = Attempt.objects.filter(quiz=quiz).values("person")
    people = User.objects.filter(organization_id=quiz.organization_id, pk__in=taken)
    return (
        people.annotate(
            attempt_count=Subquery(
                attempts.annotate(count=Count("id")).values("count")[:1], output_field=IntegerField()
            ),
            best_score=_best_score(quiz),
            has_passed=Exists(Attempt.objects.filter(quiz=quiz, person=OuterRef("pk"), is_passed=True)),
        )
        .select_related("department")
        .order_by("full_name", "id")
    )


@dataclass(frozen=True)
class QuizCard:
    """What a person's pages say about the quiz of the guidelines aimed at them."""

    number: int
    best_score: int | None
    is_passed: bool


def quiz_card(*, person: User) -> QuizCard | None:
    version = guidelines.published_version_for(person)
    quiz = quiz_of(version) if version is not None else None
    if version is None or quiz is None:
        return None
    figures = Attempt.objects.filter(quiz=quiz, person=person).aggregate(
        best=Max("score"), passed=Count("id", filter=Q(is_passed=True))
    )
    return QuizCard(number=version.number, best_score=figures["best"], is_passed=bool(figures["passed"]))


@dataclass(frozen=True)
class ReviewedChoice:
    text: str
    is_chosen: bool
    is_correct: bool


@dataclass(frozen=True)
class ReviewedQuestion:
    number: int
    text: str
    is_multiple: bool
    is_right: bool
    explanation: str
    clause_anchor: str
    choices: list[ReviewedChoice]


def attempt_review(*, attempt: Attempt, questions: list[Question], language: str) -> list[ReviewedQuestion]:
    """Each question of an attempt in the reader's language, with what they chose and whether it was right."""
    reviewed = []
    for number, question in enumerate(questions, start=1):
        chosen = set(attempt.answers.get(str(question.pk), []))
        choices = [ReviewedChoice(choice.text(language), choice.pk in chosen, choice.is_correct)
                   for choice in question.choices.all()]  # fmt: skip
        reviewed.append(
            ReviewedQuestion(
                number=number,
                text=question.text(language),
                is_multiple=question.is_multiple,
                is_right=all(choice.is_chosen == choice.is_correct for choice in choices),
                explanation=question.explanation(language),
                clause_anchor=question.clause_anchor,
                choices=choices,
            )
        )
    return reviewed
