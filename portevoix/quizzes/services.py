"""Writes on quizzes: settings, questions, copying from the previous version, attempts. Each change is audited."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import User
from portevoix.audit.services import record
from portevoix.guidelines.models import GuidelinesVersion
from portevoix.quizzes import selectors
from portevoix.quizzes.models import Attempt, Choice, Question, Quiz
from portevoix.quizzes.scoring import ChoiceData, ScoredQuestion, question_problems, score


class QuizRefused(Exception):
    """A change that cannot be made; the messages say why, for the person."""

    def __init__(self, *problems: str) -> None:
        super().__init__(" ".join(problems))
        self.problems = list(problems)


def _ensure_draft(version: GuidelinesVersion) -> None:
    if not version.is_draft:
        raise QuizRefused(
            _("Version %(number)s is not a draft: its quiz cannot be changed.") % {"number": version.number}
        )


@dataclass(frozen=True)
class QuizSettings:
    pass_mark: int = 80
    max_attempts: int = 3
    shows_answers: bool = True


def save_quiz(*, version: GuidelinesVersion, actor: User | None, quiz_settings: QuizSettings) -> Quiz:
    """Add a quiz to a draft, or change its pass mark, attempts allowed and whether answers are shown."""
    _ensure_draft(version)
    if not 1 <= quiz_settings.pass_mark <= 100:
        raise QuizRefused(_("The pass mark is a percentage between 1 and 100."))
    with transaction.atomic():
        quiz, is_created = Quiz.objects.get_or_create(
            version=version,
            defaults={"organization_id": version.organization_id, **quiz_settings.__dict__},
        )
        if not is_created:
            quiz.pass_mark = quiz_settings.pass_mark
            quiz.max_attempts = quiz_settings.max_attempts
            quiz.shows_answers = quiz_settings.shows_answers
            quiz.save(update_fields=["pass_mark", "max_attempts", "shows_answers"])
        record(organization=version.organization, actor=actor, target=quiz,
               action="quiz.created" if is_created else "quiz.edited",
               data={"version": version.number} | quiz_settings.__dict__)  # fmt: skip
    return quiz


@dataclass(frozen=True)
class QuestionData:
    position: int
    kind: str
    text_fr: str
    text_en: str
    explanation_fr: str = ""
    explanation_en: str = ""
    clause_anchor: str = ""
    choices: list[ChoiceData] = field(default_factory=list)


def save_question(*, quiz: Quiz, actor: User | None, data: QuestionData, question: Question | None = None) -> Question:
    """Add a question to a draft's quiz, or change one; its answers are replaced by `data.choices`.

    Refused, with every reason, unless the question has a text, at least two answers, and exactly
    one correct answer (single choice) or at least one (multiple choice).
    """
    version = quiz.version
    _ensure_draft(version)
    problems = question_problems(
        is_multiple=data.kind == Question.Kind.MULTIPLE, text_fr=data.text_fr, text_en=data.text_en,
        choices=data.choices,
    )  # fmt: skip
    if problems:
        raise QuizRefused(*problems)
    with transaction.atomic():
        question = question or Question(quiz=quiz)
        for name in ("position", "kind", "text_fr", "text_en", "explanation_fr", "explanation_en", "clause_anchor"):
            setattr(question, name, getattr(data, name))
        question.save()
        question.choices.all().delete()
        filled = _create_choices(question, data.choices)
        record(organization=version.organization, actor=actor, action="quiz.question_saved", target=quiz,
               data={"version": version.number, "question": question.pk, "kind": question.kind,
                     "answers": len(filled), "clause": question.clause_anchor})  # fmt: skip
    return question


def delete_question(*, question: Question, actor: User | None) -> None:
    quiz = question.quiz
    _ensure_draft(quiz.version)
    with transaction.atomic():
        record(organization=quiz.version.organization, actor=actor, action="quiz.question_removed", target=quiz,
               data={"version": quiz.version.number, "question": question.pk})  # fmt: skip
        question.delete()


def copy_quiz(*, version: GuidelinesVersion, actor: User | None) -> Quiz:
    """Give a draft the quiz of the version it was made from: settings, questions and answers."""
    _ensure_draft(version)
    source_version = version.based_on
    source = selectors.quiz_of(source_version) if source_version is not None else None
    if source_version is None or source is None:
        raise QuizRefused(_("The version this draft was made from has no quiz to copy."))
    if selectors.quiz_of(version) is not None:
        raise QuizRefused(_("This draft already has a quiz."))
    quiz_settings = QuizSettings(source.pass_mark, source.max_attempts, source.shows_answers)
    with transaction.atomic():
        quiz = Quiz.objects.create(organization_id=version.organization_id, version=version, **quiz_settings.__dict__)
        _create_questions(quiz, [_data_of(question) for question in selectors.questions_of(source)])
        record(organization=version.organization, actor=actor, action="quiz.copied", target=quiz,
               data={"version": version.number, "from": source_version.number})  # fmt: skip
    return quiz


def _data_of(question: Question) -> QuestionData:
    choices = [ChoiceData(c.text_fr, c.text_en, c.is_correct) for c in question.choices.all()]
    names = ("position", "kind", "text_fr", "text_en", "explanation_fr", "explanation_en", "clause_anchor")
    return QuestionData(**{name: getattr(question, name) for name in names}, choices=choices)


def _create_questions(quiz: Quiz, questions: list[QuestionData]) -> None:
    for data in questions:
        question = Question.objects.create(
            quiz=quiz, position=data.position, kind=data.kind, text_fr=data.text_fr, text_en=data.text_en,
            explanation_fr=data.explanation_fr, explanation_en=data.explanation_en, clause_anchor=data.clause_anchor,
        )  # fmt: skip
        _create_choices(question, data.choices)


def _create_choices(question: Question, choices: list[ChoiceData]) -> list[Choice]:
    """The answers with a text, numbered in order; empty rows of the editor are skipped."""
    filled = [choice for choice in choices if not choice.is_empty]
    return Choice.objects.bulk_create(
        Choice(question=question, position=position, text_fr=choice.text_fr, text_en=choice.text_en,
               is_correct=choice.is_correct)
        for position, choice in enumerate(filled, start=1)
    )  # fmt: skip


def submit_attempt(
    *, quiz: Quiz, person: User, answers: Mapping[int, frozenset[int]], at: datetime.datetime | None = None
) -> Attempt:
    """Score and store a person's answers: a question counts only if exactly its correct answers are chosen.

    Refused when the version is not published or not aimed at the person, or when no attempt is
    left. `at` dates an attempt made elsewhere (the demo's history); it defaults to now.
    """
    version = quiz.version
    if not selectors.is_taker(person=person, version=version):
        raise QuizRefused(_("This quiz is not one you are asked to take."))
    questions = selectors.questions_of(quiz)
    if not questions:
        raise QuizRefused(_("This quiz has no question yet."))
    result = score(
        [ScoredQuestion(q.pk, frozenset(c.pk for c in q.choices.all() if c.is_correct)) for q in questions], answers
    )
    used = Attempt.objects.filter(quiz=quiz, person=person).count()
    if quiz.has_attempt_limit and used >= quiz.max_attempts:
        raise QuizRefused(_("You have used all your attempts at this quiz."))
    known = {question.pk: {choice.pk for choice in question.choices.all()} for question in questions}
    stored = {str(key): sorted(value & known[key]) for key, value in answers.items() if key in known}
    is_passed = result.is_passed(quiz.pass_mark)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                organization_id=quiz.organization_id, quiz=quiz, version=version, person=person, number=used + 1,
                answers=stored, correct_count=result.correct_count, question_count=result.question_count,
                score=result.percent, is_passed=is_passed, submitted_at=at or timezone.now(),
            )  # fmt: skip
            record(organization=version.organization, actor=person, target=quiz,
                   action="quiz.attempt_passed" if is_passed else "quiz.attempt_failed",
                   data={"version": version.number, "attempt": attempt.number, "score": result.percent,
                         "pass_mark": quiz.pass_mark})  # fmt: skip
    except IntegrityError as error:
        # Another submission by the same person took this attempt number first (a double click).
        raise QuizRefused(_("This attempt was already submitted.")) from error
    return attempt


def import_quiz(
    *, version: GuidelinesVersion, actor: User | None, quiz_settings: QuizSettings, questions: list[QuestionData]
) -> Quiz:
    """Attach a quiz written elsewhere (a previous tool, the demo's history) to a version in one go.

    Allowed on a draft, or on a published version that has no quiz yet: nobody can have taken it,
    so every taker answers the same questions. Each question is validated as in the editor.
    """
    if not (version.is_draft or version.is_published) or selectors.quiz_of(version) is not None:
        raise QuizRefused(_("A quiz can only be imported into a draft or a published version without a quiz."))
    problems = [
        problem
        for data in questions
        for problem in question_problems(
            is_multiple=data.kind == Question.Kind.MULTIPLE, text_fr=data.text_fr, text_en=data.text_en,
            choices=data.choices,
        )
    ]  # fmt: skip
    if problems or not questions:
        raise QuizRefused(*(problems or [_("A quiz needs at least one question.")]))
    with transaction.atomic():
        quiz = Quiz.objects.create(organization_id=version.organization_id, version=version, **quiz_settings.__dict__)
        _create_questions(quiz, questions)
        record(organization=version.organization, actor=actor, action="quiz.imported", target=quiz,
               data={"version": version.number, "questions": len(questions)} | quiz_settings.__dict__)  # fmt: skip
    return quiz
