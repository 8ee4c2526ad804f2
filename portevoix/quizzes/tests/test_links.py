"""The guidelines pages and the home page lead to the quiz, the requests and the incidents."""

import pytest
from django.test import Client

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.guidelines.tests.factories import FIRST, published, write_draft
from portevoix.incidents.tests.factories import make_incident
from portevoix.quizzes.tests.factories import form_answers, published_quiz

pytestmark = pytest.mark.django_db


def test_reading_page_offers_the_quiz_only_when_the_version_has_one(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.employee, language="en")
    client.force_login(personas.employee)
    without = published(personas.director, *FIRST)
    page = client.get(f"/guidelines/v/{without.number}/").content.decode()
    assert "Take the quiz" not in page

    quiz = published_quiz(personas.director)
    page = client.get(f"/guidelines/v/{quiz.version.number}/").content.decode()
    assert f'href="/quizzes/v/{quiz.version.number}/"' in page
    assert "Take the quiz" in page


def test_every_clause_of_the_reading_page_links_to_a_request_about_it(client: Client, personas: Personas) -> None:
    version = published(personas.director, *FIRST)
    client.force_login(personas.employee)
    page = client.get(f"/guidelines/v/{version.number}/").content.decode()
    anchors = [clause.anchor for clause in version.clauses.all()]
    assert anchors
    for anchor in anchors:
        assert f'href="/asks/new/?clause={anchor}"' in page


def test_completion_page_links_to_the_quiz_results_for_the_dashboard_roles(client: Client, personas: Personas) -> None:
    quiz = published_quiz(personas.director)
    client.force_login(personas.hr)
    page = client.get(f"/guidelines/v/{quiz.version.number}/completion/").content.decode()
    assert f'href="/quizzes/v/{quiz.version.number}/results/"' in page


def test_home_card_shows_the_quiz_then_its_result(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.employee, language="en")
    quiz = published_quiz(personas.director)
    client.force_login(personas.employee)
    assert "Take the quiz on the guidelines" in client.get("/").content.decode()

    client.post(f"/quizzes/v/{quiz.version.number}/", form_answers(quiz, right=True))
    assert "Quiz passed (100%)." in client.get("/").content.decode()


def test_guidelines_editor_shows_the_incidents_of_each_clause(client: Client, personas: Personas) -> None:
    draft = write_draft(personas.compliance, *FIRST)
    anchor = draft.clauses.order_by("position").first().anchor  # type: ignore[union-attr]
    incident = make_incident(personas.acme, personas.compliance, title="Leak on the Heron site", clauses=(anchor,))
    make_incident(personas.globex, personas.outsider, title="Globex leak", clauses=(anchor,))
    client.force_login(personas.compliance)
    page = client.get(f"/guidelines/v/{draft.number}/edit/").content.decode()
    assert f'href="/incidents/{incident.pk}/"' in page
    assert "Leak on the Heron site" in page
    assert "Globex leak" not in page
