"""The demo quiz: five bilingual questions on the published guidelines, attempts by about 40% of the people."""

import datetime

import pytest
from django.db.models import Count

from portevoix.accounts.models import User
from portevoix.demo.loaders import load_demo
from portevoix.quizzes import selectors
from portevoix.quizzes.models import Attempt, Quiz

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 16)


def test_demo_quiz_is_on_the_published_guidelines_with_realistic_attempts() -> None:
    outcome = load_demo(today=TODAY)

    quiz = Quiz.objects.get(organization=outcome.organization)
    assert quiz.version.is_published
    questions = selectors.questions_of(quiz)
    assert len(questions) == 5
    assert all(q.text_fr and q.text_en and q.explanation_fr and q.explanation_en for q in questions)
    assert all(q.missing_languages(list(q.choices.all())) == [] for q in questions)
    assert {q.kind for q in questions} == {"single", "multiple"}
    people = User.objects.filter(organization=outcome.organization).count()
    takers = Attempt.objects.filter(quiz=quiz).values("person").distinct().count()
    passed = Attempt.objects.filter(quiz=quiz, is_passed=True).values("person").distinct().count()
    assert 0.3 < takers / people < 0.5
    assert 0.6 < passed / takers < 0.95
    retries = Attempt.objects.filter(quiz=quiz).values("person").annotate(n=Count("id")).filter(n__gt=1).count()
    assert retries > 5
    assert Attempt.objects.filter(quiz=quiz, submitted_at__date__gt=TODAY).count() == 0
    employee = User.objects.get(email="employe@lumarelle.example")
    assert not Attempt.objects.filter(person=employee).exists()  # the persona meets the quiz for the first time
