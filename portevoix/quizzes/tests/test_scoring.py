"""Scoring and question validation, without a database."""

from collections.abc import Iterator

import pytest
from django.utils import translation

from portevoix.quizzes.scoring import ChoiceData, ScoredQuestion, question_problems, score

QUESTIONS = [
    ScoredQuestion(1, frozenset({10})),
    ScoredQuestion(2, frozenset({20, 21})),
    ScoredQuestion(3, frozenset({30})),
]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_multiple_choice_counts_only_with_exactly_the_correct_set() -> None:
    assert score(QUESTIONS, {1: frozenset({10}), 2: frozenset({20, 21})}).correct_question_ids == {1, 2}
    assert score(QUESTIONS, {2: frozenset({20})}).correct_count == 0
    assert score(QUESTIONS, {2: frozenset({20, 21, 22})}).correct_count == 0


def test_score_is_rounded_down_so_a_near_miss_never_passes() -> None:
    result = score(QUESTIONS, {1: frozenset({10}), 2: frozenset({20, 21})})

    assert (result.correct_count, result.question_count, result.percent) == (2, 3, 66)
    assert result.is_passed(66)
    assert not result.is_passed(67)


def test_unanswered_questions_are_wrong() -> None:
    assert score(QUESTIONS, {}).percent == 0


def answer(text: str, *, is_correct: bool = False) -> ChoiceData:
    return ChoiceData(text_fr=text, text_en=text, is_correct=is_correct)


def test_a_valid_single_choice_question_has_no_problem() -> None:
    choices = [answer("Yes", is_correct=True), answer("No"), ChoiceData("", "", is_correct=False)]

    assert question_problems(is_multiple=False, text_fr="Q ?", text_en="Q?", choices=choices) == []


def test_single_choice_needs_exactly_one_correct_answer() -> None:
    choices = [answer("A", is_correct=True), answer("B", is_correct=True)]

    problems = question_problems(is_multiple=False, text_fr="Q", text_en="", choices=choices)

    assert problems == ["A single-choice question needs exactly one correct answer; 2 are marked."]


def test_multiple_choice_needs_a_correct_answer_and_two_answers_and_a_text() -> None:
    problems = question_problems(is_multiple=True, text_fr="", text_en=" ", choices=[answer("A")])

    assert problems == [
        "Write the question in at least one language.",
        "Give at least two answers to choose from.",
        "A multiple-choice question needs at least one correct answer.",
    ]


def test_an_empty_answer_cannot_be_marked_correct() -> None:
    choices = [answer("A", is_correct=True), answer("B"), ChoiceData("", "", is_correct=True)]

    assert question_problems(is_multiple=True, text_fr="Q", text_en="Q", choices=choices) == [
        "An answer marked correct has no text."
    ]
