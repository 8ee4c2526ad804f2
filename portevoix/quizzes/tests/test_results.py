"""Quiz results (G3): per department and entity, aggregated by the database, for the dashboard roles only."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from conftest import Personas
from portevoix.accounts.models import Department, Entity
from portevoix.accounts.roles import Role
from portevoix.accounts.services import create_person
from portevoix.quizzes import selectors, services
from portevoix.quizzes.models import Quiz
from portevoix.quizzes.selectors import GroupResult
from portevoix.quizzes.tests.factories import published_quiz

pytestmark = pytest.mark.django_db

VIEWERS = ["communication_director", "compliance_officer", "hr"]
OTHERS = ["community_manager", "ambassador", "employee", "administrator"]


def right(quiz: Quiz) -> dict[int, frozenset[int]]:
    return {
        question.pk: frozenset(choice.pk for choice in question.choices.all() if choice.is_correct)
        for question in quiz.questions.prefetch_related("choices")
    }


def half_right(quiz: Quiz) -> dict[int, frozenset[int]]:
    answers = right(quiz)
    answers.pop(max(answers))
    return answers


def take(quiz: Quiz, personas: Personas) -> None:
    """Engineering: Alice passes at her second attempt (50 then 100), Bob fails once (50).
    Marketing: Claire passes (100). Nobody else tries."""
    services.submit_attempt(quiz=quiz, person=personas.ambassador, answers=half_right(quiz))
    services.submit_attempt(quiz=quiz, person=personas.ambassador, answers=right(quiz))
    services.submit_attempt(quiz=quiz, person=personas.employee, answers=half_right(quiz))
    services.submit_attempt(quiz=quiz, person=personas.director, answers=right(quiz))


def test_results_per_department_use_each_persons_best_attempt(
    personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    quiz = published_quiz(personas.director)
    take(quiz, personas)

    with django_assert_num_queries(5):  # audience, overall, department and entity names, two GROUP BYs
        figures = selectors.results(quiz=quiz, version=quiz.version, overall_name="Everyone", unnamed="Not set")

    assert figures.overall == GroupResult("Everyone", targeted=7, attempted=3, passed=2, average_score=83)
    assert figures.by_department == [
        GroupResult("Engineering", targeted=2, attempted=2, passed=1, average_score=75),
        GroupResult("Marketing", targeted=2, attempted=1, passed=1, average_score=100),
        GroupResult("Not set", targeted=3, attempted=0, passed=0, average_score=None),
    ]
    assert [group.pass_rate for group in figures.by_department] == [50, 100, None]
    assert figures.by_entity == [GroupResult("Not set", targeted=7, attempted=3, passed=2, average_score=83)]


def test_results_per_entity(personas: Personas) -> None:
    lyon = Entity.objects.create(organization=personas.acme, name="Lyon")
    for person in (personas.ambassador, personas.employee):
        person.entity = lyon
        person.save(update_fields=["entity"])
    quiz = published_quiz(personas.director)
    take(quiz, personas)

    figures = selectors.results(quiz=quiz, version=quiz.version, overall_name="Everyone", unnamed="Not set")

    assert figures.by_entity[0] == GroupResult("Lyon", targeted=2, attempted=2, passed=1, average_score=75)


@pytest.mark.parametrize("role", VIEWERS)
def test_dashboard_roles_see_the_results(client: Client, personas: Personas, role: str) -> None:
    quiz = published_quiz(personas.director)
    take(quiz, personas)
    client.force_login(personas.by_role()[role])

    response = client.get(f"/quizzes/v/{quiz.version.number}/results/")

    assert response.status_code == 200
    rows = [(p.full_name, p.attempt_count, p.best_score, p.has_passed) for p in response.context["page"]]
    assert rows == [
        ("Alice Ambassador", 2, 100, True),
        ("Bob Employee", 1, 50, False),
        ("Claire Director", 1, 100, True),
    ]
    assert response.context["figures"].overall.pass_rate == 67


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_get_403_and_no_result(client: Client, personas: Personas, role: str) -> None:
    quiz = published_quiz(personas.director)
    take(quiz, personas)
    viewer = personas.by_role()[role]
    client.force_login(viewer)

    response = client.get(f"/quizzes/v/{quiz.version.number}/results/")

    assert response.status_code == 403
    # The refusal page shows the viewer's own name in its header, and no one who took the quiz.
    takers = [person.full_name for person in (personas.ambassador, personas.employee, personas.director)]
    assert [name for name in takers if name != viewer.full_name and name.encode() in response.content] == []


def test_another_organisations_results_are_a_404(client: Client, personas: Personas) -> None:
    quiz = published_quiz(personas.director)
    globex_hr = create_person(organization=personas.globex, email="hank@globex.test", full_name="Hank",
                              roles=frozenset({Role.HR}))  # fmt: skip
    client.force_login(globex_hr)

    assert client.get(f"/quizzes/v/{quiz.version.number}/results/").status_code == 404


def test_the_results_page_makes_the_same_queries_whatever_the_number_of_people(
    client: Client, personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    quiz = published_quiz(personas.director)
    take(quiz, personas)
    client.force_login(personas.hr)
    client.get(f"/quizzes/v/{quiz.version.number}/results/")  # warm the session and the crisis banner
    with CaptureQueriesContext(connection) as few:
        client.get(f"/quizzes/v/{quiz.version.number}/results/")
    engineering = Department.objects.get(organization=personas.acme, name="Engineering")
    for index in range(5):
        person = create_person(organization=personas.acme, email=f"p{index}@acme.test", full_name=f"P{index}",
                               department=engineering)  # fmt: skip
        services.submit_attempt(quiz=quiz, person=person, answers=right(quiz))

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(f"/quizzes/v/{quiz.version.number}/results/")

    assert response.context["figures"].by_department[0].attempted == 7
