"""The guidelines quiz in the browser: an employee reads the published guidelines, takes the quiz,
fails once, reads the explanations, tries again and passes (in French, and in English)."""

import pytest
from playwright.sync_api import Page

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.quizzes.models import Attempt, Quiz
from portevoix.quizzes.tests.factories import published_quiz
from tests.e2e.conftest import Texts
from tests.e2e.pages import heading, sign_in

pytestmark = pytest.mark.e2e

QUIZ_HEADING = "Quiz on the guidelines, version %(number)s"
SUBMIT = ("Submit my answers", "Envoyer mes réponses")
NOT_PASSED = "Not passed: the pass mark is %(mark)s%%."
PASSED = ("Passed: well done.", "Réussi : bravo.")
TRY_AGAIN = ("Try again", "Réessayer")


def answer(page: Page, quiz: Quiz, *, right: bool) -> None:
    """Tick, for every question, its right answers or its wrong ones, then submit."""
    for question in quiz.questions.prefetch_related("choices"):
        for choice in question.choices.all():
            if choice.is_correct == right:
                page.locator(f"input[name=question_{question.pk}][value='{choice.pk}']").check()
                if not question.is_multiple:
                    break
    with page.expect_navigation():
        page.locator("form.quiz-form button[type=submit]").click()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_employee_fails_the_quiz_once_then_retries_and_passes(
    page: Page, personas: Personas, texts: Texts, language: str
) -> None:
    quiz = published_quiz(personas.director)
    number = str(quiz.version.number)
    set_interface_language(person=personas.employee, language=language)
    sign_in(page, personas.employee.email)

    page.goto(f"/guidelines/v/{number}/")
    assert page.locator("#clause-3\\.1").count() == 1
    page.goto(f"/quizzes/v/{number}/")
    texts.check_as_catalogued(heading(page), QUIZ_HEADING, number=number)
    legends = page.locator("form.quiz-form legend").all_inner_texts()
    if language == "fr":
        assert legends[0].strip() == "1. Puis-je citer le projet Boréal ?"
    else:
        assert legends[0].strip() == "1. May I name project Boréal?"
    texts.check(page.locator("form.quiz-form button[type=submit]").inner_text().strip(), *SUBMIT)

    answer(page, quiz, right=False)
    first = Attempt.objects.get(person=personas.employee)
    assert page.url.endswith(f"/quizzes/v/{number}/attempts/{first.pk}/")
    assert page.locator("#quiz-score").inner_text().strip() == "0%"
    texts.check_as_catalogued(page.locator(".quiz-verdict").inner_text().strip(), NOT_PASSED, mark="80")
    explanation = "Les noms de code restent internes." if language == "fr" else "Code names stay inside the company."
    assert explanation in page.locator(".quiz-explanation").all_inner_texts()
    assert page.locator(f"a[href='/guidelines/v/{number}/#clause-3.1']").count() == 1

    retry = page.locator(".quiz-score a.button")
    texts.check(retry.inner_text().strip(), *TRY_AGAIN)
    with page.expect_navigation():
        retry.click()
    answer(page, quiz, right=True)

    assert page.locator("#quiz-score").inner_text().strip() == "100%"
    texts.check(page.locator(".quiz-verdict").inner_text().strip(), *PASSED)
    attempts = list(Attempt.objects.filter(person=personas.employee).order_by("number"))
    assert [(a.number, a.score, a.is_passed) for a in attempts] == [(1, 0, False), (2, 100, True)]
    page.goto(f"/quizzes/v/{number}/")
    assert len(page.locator(".quiz-history tbody tr").all()) == 2
    texts.finish()
