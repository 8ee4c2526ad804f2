"""Taking a quiz (G3): the people a published version targets, in their language, within the attempts allowed."""

import pytest
from django.test import Client

from conftest import Personas
from portevoix.accounts.models import Department
from portevoix.accounts.services import set_interface_language
from portevoix.audit.models import AuditEntry
from portevoix.guidelines.selectors import Audience
from portevoix.guidelines.services import Publication
from portevoix.quizzes import services
from portevoix.quizzes.models import Attempt
from portevoix.quizzes.services import QuizRefused, QuizSettings
from portevoix.quizzes.tests.factories import draft_with_quiz, form_answers, published_quiz

pytestmark = pytest.mark.django_db


def test_employee_fails_then_retries_and_passes(client: Client, personas: Personas) -> None:
    quiz = published_quiz(personas.director)
    number = quiz.version.number
    client.force_login(personas.employee)

    assert client.get(f"/quizzes/v/{number}/").status_code == 200
    failed = client.post(f"/quizzes/v/{number}/", form_answers(quiz, right=False))
    first = Attempt.objects.get(person=personas.employee)
    assert failed["Location"] == f"/quizzes/v/{number}/attempts/{first.pk}/"
    passed = client.post(f"/quizzes/v/{number}/", form_answers(quiz, right=True))

    second = Attempt.objects.get(person=personas.employee, number=2)
    assert passed["Location"] == f"/quizzes/v/{number}/attempts/{second.pk}/"
    assert (first.score, first.is_passed, first.correct_count, first.question_count) == (0, False, 0, 2)
    assert (second.score, second.is_passed, second.version) == (100, True, quiz.version)
    assert set(second.answers) == {str(pk) for pk in quiz.questions.values_list("pk", flat=True)}
    entries = AuditEntry.objects.filter(action__startswith="quiz.attempt").order_by("sequence")
    assert [(e.action, e.actor, e.data["score"]) for e in entries] == [
        ("quiz.attempt_failed", personas.employee, 0),
        ("quiz.attempt_passed", personas.employee, 100),
    ]


def test_a_multiple_choice_question_counts_only_when_every_right_answer_is_chosen(personas: Personas) -> None:
    quiz = published_quiz(personas.director, quiz_settings=QuizSettings(pass_mark=50))
    single, multiple = quiz.questions.prefetch_related("choices").order_by("position")
    right = next(c.pk for c in single.choices.all() if c.is_correct)
    one_of_two = next(c.pk for c in multiple.choices.all() if c.is_correct)

    attempt = services.submit_attempt(
        quiz=quiz,
        person=personas.employee,
        answers={single.pk: frozenset({right}), multiple.pk: frozenset({one_of_two})},
    )

    assert (attempt.correct_count, attempt.score, attempt.is_passed) == (1, 50, True)


def test_no_attempt_is_stored_beyond_the_limit(client: Client, personas: Personas) -> None:
    quiz = published_quiz(personas.director, quiz_settings=QuizSettings(max_attempts=1))
    number = quiz.version.number
    client.force_login(personas.employee)
    client.post(f"/quizzes/v/{number}/", form_answers(quiz, right=False))

    page = client.get(f"/quizzes/v/{number}/")
    response = client.post(f"/quizzes/v/{number}/", form_answers(quiz, right=True))

    assert page.context["attempts_left"] == 0
    assert b"quiz-form" not in page.content
    assert response.status_code == 302
    assert list(Attempt.objects.values_list("number", "is_passed")) == [(1, False)]
    with pytest.raises(QuizRefused):
        services.submit_attempt(quiz=quiz, person=personas.employee, answers={})


def test_unlimited_attempts_are_said_so(client: Client, personas: Personas) -> None:
    quiz = published_quiz(personas.director, quiz_settings=QuizSettings(max_attempts=0))
    for _ in range(4):
        services.submit_attempt(quiz=quiz, person=personas.employee, answers={})
    client.force_login(personas.employee)

    page = client.get(f"/quizzes/v/{quiz.version.number}/")

    assert page.context["attempts_left"] is None
    assert Attempt.objects.count() == 4


def test_an_unanswered_question_is_asked_again_and_nothing_is_stored(client: Client, personas: Personas) -> None:
    quiz = published_quiz(personas.director)
    client.force_login(personas.employee)
    answers = form_answers(quiz, right=True)
    answers.pop(next(iter(answers)))

    response = client.post(f"/quizzes/v/{quiz.version.number}/", answers)

    assert response.status_code == 400
    assert Attempt.objects.count() == 0


def test_the_quiz_is_shown_in_the_readers_language(client: Client, personas: Personas) -> None:
    quiz = published_quiz(personas.director)
    first = quiz.questions.get(position=1).pk
    client.force_login(personas.employee)  # Bob reads French
    french = client.get(f"/quizzes/v/{quiz.version.number}/")
    set_interface_language(person=personas.employee, language="en")
    english = client.get(f"/quizzes/v/{quiz.version.number}/")

    assert french.context["form"]["question_" + str(first)].label == "Puis-je citer le projet Boréal ?"
    assert english.context["form"]["question_" + str(first)].label == "May I name project Boréal?"
    assert "Non" in french.content.decode()


def test_explanations_and_clause_links_follow_the_quiz_setting(client: Client, personas: Personas) -> None:
    quiz = published_quiz(personas.director)
    set_interface_language(person=personas.employee, language="en")
    attempt = services.submit_attempt(quiz=quiz, person=personas.employee, answers={})
    client.force_login(personas.employee)
    url = f"/quizzes/v/{quiz.version.number}/attempts/{attempt.pk}/"

    shown = client.get(url).content.decode()
    quiz.shows_answers = False
    quiz.save(update_fields=["shows_answers"])
    hidden = client.get(url).content.decode()

    assert "Code names stay inside the company." in shown
    assert f'href="/guidelines/v/{quiz.version.number}/#clause-3.1"' in shown
    assert "Code names stay inside the company." not in hidden
    assert "#clause-3.1" not in hidden
    assert "Try again" in hidden


def test_a_person_outside_the_audience_cannot_take_the_quiz(client: Client, personas: Personas) -> None:
    marketing = Department.objects.get(organization=personas.acme, name="Marketing")
    publication = Publication(audience=Audience(department_ids=(marketing.pk,)))
    quiz = published_quiz(personas.director, publication=publication)
    client.force_login(personas.employee)  # Engineering

    assert client.get(f"/quizzes/v/{quiz.version.number}/").status_code == 404
    assert client.post(f"/quizzes/v/{quiz.version.number}/", form_answers(quiz, right=True)).status_code == 404
    with pytest.raises(QuizRefused):
        services.submit_attempt(quiz=quiz, person=personas.employee, answers={})
    assert Attempt.objects.count() == 0


def test_the_quiz_of_a_draft_cannot_be_taken(client: Client, personas: Personas) -> None:
    draft, quiz = draft_with_quiz(personas.director)
    client.force_login(personas.director)

    assert client.get(f"/quizzes/v/{draft.number}/").status_code == 404
    with pytest.raises(QuizRefused):
        services.submit_attempt(quiz=quiz, person=personas.director, answers={})


def test_a_persons_attempt_is_visible_to_nobody_else(client: Client, personas: Personas) -> None:
    quiz = published_quiz(personas.director)
    attempt = services.submit_attempt(quiz=quiz, person=personas.employee, answers={})
    url = f"/quizzes/v/{quiz.version.number}/attempts/{attempt.pk}/"

    for person in (personas.ambassador, personas.director, personas.hr):
        client.force_login(person)
        assert client.get(url).status_code == 404, person.email
        assert client.get(f"/quizzes/v/{quiz.version.number}/").context["attempts"] == [], person.email
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
    client.force_login(personas.employee)
    assert client.get(url).status_code == 200


def test_another_organisation_cannot_take_the_quiz(client: Client, personas: Personas) -> None:
    quiz = published_quiz(personas.director)
    client.force_login(personas.outsider)

    assert client.get(f"/quizzes/v/{quiz.version.number}/").status_code == 404
    assert client.post(f"/quizzes/v/{quiz.version.number}/", form_answers(quiz, right=True)).status_code == 404
    assert Attempt.objects.count() == 0
