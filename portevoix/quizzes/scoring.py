"""Scoring and validation of quiz questions: plain functions over plain data, no database."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ScoredQuestion:
    question_id: int
    correct_choice_ids: frozenset[int]


@dataclass(frozen=True)
class Score:
    correct_count: int
    question_count: int
    correct_question_ids: frozenset[int]

    @property
    def percent(self) -> int:
        # Rounded down: 79.9% must not pass a pass mark of 80%.
        return 100 * self.correct_count // self.question_count if self.question_count else 0

    def is_passed(self, pass_mark: int) -> bool:
        return self.percent >= pass_mark


def score(questions: list[ScoredQuestion], answers: Mapping[int, frozenset[int]]) -> Score:
    """A question counts only when exactly its correct choices are chosen (no more, no fewer)."""
    correct = frozenset(
        question.question_id
        for question in questions
        if answers.get(question.question_id, frozenset()) == question.correct_choice_ids
    )
    return Score(correct_count=len(correct), question_count=len(questions), correct_question_ids=correct)


@dataclass(frozen=True)
class ChoiceData:
    text_fr: str
    text_en: str
    is_correct: bool

    @property
    def is_empty(self) -> bool:
        return not self.text_fr.strip() and not self.text_en.strip()


def question_problems(*, is_multiple: bool, text_fr: str, text_en: str, choices: list[ChoiceData]) -> list[str]:
    """Why a question cannot be saved, in sentences for its author; empty when it can."""
    problems = []
    if not text_fr.strip() and not text_en.strip():
        problems.append(_("Write the question in at least one language."))
    filled = [choice for choice in choices if not choice.is_empty]
    if len(filled) < 2:
        problems.append(_("Give at least two answers to choose from."))
    correct = sum(1 for choice in filled if choice.is_correct)
    if any(choice.is_correct for choice in choices if choice.is_empty):
        problems.append(_("An answer marked correct has no text."))
    if not is_multiple and correct != 1:
        problems.append(
            _("A single-choice question needs exactly one correct answer; %(count)s are marked.") % {"count": correct}
        )
    if is_multiple and correct < 1:
        problems.append(_("A multiple-choice question needs at least one correct answer."))
    return problems
