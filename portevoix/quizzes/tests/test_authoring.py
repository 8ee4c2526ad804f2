"""Writing a quiz (G3): on a draft only, by the guidelines writers, with clear errors."""

from dataclasses import replace

import pytest
from django.test import Client
from django.utils import translation

from conftest import Personas
from portevoix.accounts.roles import Role
from portevoix.accounts.services import create_person, set_interface_language
from portevoix.audit.labels import action_label
from portevoix.audit.models import AuditEntry
from portevoix.guidelines import services as guidelines
from portevoix.guidelines.services import Publication
from portevoix.guidelines.tests.factories import FIRST, write_draft
from portevoix.quizzes import services
from portevoix.quizzes.models import Choice, Question, Quiz
from portevoix.quizzes.services import QuizSettings
from portevoix.quizzes.tests.factories import MULTIPLE, SINGLE, choice, draft_with_quiz, published_quiz

pytestmark = pytest.mark.django_db

WRITERS = ["communication_director", "compliance_officer"]
NOT_WRITERS = ["hr", "community_manager", "ambassador", "employee", "administrator"]


def question_form(**overrides: str) -> dict[str, str]:
    values = {
        "position": "1",
        "kind": "single",
        "text_fr": "Puis-je citer un client sous NDA ?",
        "text_en": "May I name a client under NDA?",
        "explanation_fr": "Non, jamais.",
        "explanation_en": "No, never.",
        "clause_anchor": "3.1",
        "choice_1_fr": "Non",
        "choice_1_en": "No",
        "choice_1_correct": "on",
        "choice_2_fr": "Oui",
        "choice_2_en": "Yes",
    }
    return values | overrides


@pytest.mark.parametrize("role", WRITERS)
def test_writers_add_a_quiz_and_a_question_to_a_draft(client: Client, personas: Personas, role: str) -> None:
    draft = write_draft(personas.director, *FIRST)
    client.force_login(personas.by_role()[role])

    response = client.post(f"/quizzes/v/{draft.number}/edit/", {"pass_mark": "75", "max_attempts": "2"})
    assert response.status_code == 302
    response = client.post(f"/quizzes/v/{draft.number}/questions/new/", question_form())

    assert response["Location"] == f"/quizzes/v/{draft.number}/edit/"
    quiz = Quiz.objects.get(version=draft)
    assert (quiz.pass_mark, quiz.max_attempts, quiz.shows_answers, quiz.organization) == (75, 2, False, personas.acme)
    question = quiz.questions.get()
    assert (question.kind, question.text_en, question.clause_anchor) == (
        "single",
        "May I name a client under NDA?",
        "3.1",
    )
    assert list(question.choices.values_list("text_fr", "text_en", "is_correct")) == [
        ("Non", "No", True),
        ("Oui", "Yes", False),
    ]
    actions = list(
        AuditEntry.objects.filter(action__startswith="quiz.").order_by("sequence").values_list("action", flat=True)
    )
    assert actions == ["quiz.created", "quiz.question_saved"]
    assert action_label("quiz.question_saved") != "quiz.question_saved"


def test_a_single_choice_question_with_two_correct_answers_is_refused_with_the_reason(
    client: Client, personas: Personas
) -> None:
    draft, quiz = draft_with_quiz(personas.director)
    set_interface_language(person=personas.director, language="en")
    client.force_login(personas.director)

    response = client.post(f"/quizzes/v/{draft.number}/questions/new/", question_form(choice_2_correct="on"))

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "A single-choice question needs exactly one correct answer; 2 are marked."
    ]
    assert quiz.questions.count() == 2


def test_a_question_with_one_answer_and_none_correct_is_refused(client: Client, personas: Personas) -> None:
    draft, quiz = draft_with_quiz(personas.director)
    set_interface_language(person=personas.director, language="en")
    client.force_login(personas.director)
    form = question_form(kind="multiple", choice_1_correct="", choice_2_fr="", choice_2_en="")
    form.pop("choice_1_correct")

    response = client.post(f"/quizzes/v/{draft.number}/questions/new/", form)

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Give at least two answers to choose from.",
        "A multiple-choice question needs at least one correct answer.",
    ]
    assert quiz.questions.count() == 2
    assert AuditEntry.objects.filter(action="quiz.question_saved").count() == 2  # the two of the factory


def test_a_missing_language_shows_a_warning_without_refusing(client: Client, personas: Personas) -> None:
    draft, quiz = draft_with_quiz(personas.director)
    client.force_login(personas.director)

    response = client.post(f"/quizzes/v/{draft.number}/questions/new/", question_form(choice_2_en="", position="3"))
    assert response.status_code == 302
    question = quiz.questions.get(position=3)
    page = client.get(f"/quizzes/v/{draft.number}/edit/")

    assert question.missing_languages(list(question.choices.all())) == ["en"]
    assert dict((q.pk, missing) for q, missing in page.context["questions"])[question.pk] == ["en"]
    assert b"badge-warn" in page.content


def test_editing_a_question_replaces_its_answers(client: Client, personas: Personas) -> None:
    draft, quiz = draft_with_quiz(personas.director)
    question = quiz.questions.get(position=1)
    client.force_login(personas.director)

    page = client.get(f"/quizzes/v/{draft.number}/questions/{question.pk}/")
    assert page.context["form"].initial["choice_1_en"] == "No"
    response = client.post(
        f"/quizzes/v/{draft.number}/questions/{question.pk}/",
        question_form(choice_3_fr="Peut-être", choice_3_en="Maybe"),
    )

    assert response.status_code == 302
    assert list(question.choices.values_list("text_en", flat=True)) == ["No", "Yes", "Maybe"]
    assert Choice.objects.filter(question__quiz=quiz).count() == 6


def test_questions_of_a_published_version_cannot_be_changed(client: Client, personas: Personas) -> None:
    quiz = published_quiz(personas.director)
    question = quiz.questions.get(position=1)
    number = quiz.version.number
    client.force_login(personas.director)

    assert client.get(f"/quizzes/v/{number}/edit/").status_code == 200
    assert client.post(f"/quizzes/v/{number}/questions/new/", question_form()).status_code == 404
    assert client.post(f"/quizzes/v/{number}/questions/{question.pk}/", question_form()).status_code == 404
    assert client.post(f"/quizzes/v/{number}/questions/{question.pk}/delete/").status_code == 404
    client.post(f"/quizzes/v/{number}/edit/", {"pass_mark": "10", "max_attempts": "0"})

    quiz.refresh_from_db()
    assert (quiz.pass_mark, quiz.max_attempts, quiz.questions.count()) == (80, 3, 2)
    assert question.text_en == Question.objects.get(pk=question.pk).text_en


def test_a_new_draft_offers_to_copy_the_quiz_of_the_version_it_comes_from(client: Client, personas: Personas) -> None:
    quiz = published_quiz(personas.director)
    draft = guidelines.create_draft(organization=personas.acme, actor=personas.director)
    client.force_login(personas.director)

    page = client.get(f"/quizzes/v/{draft.number}/edit/")
    assert page.context["copy_from"] == quiz.version
    response = client.post(f"/quizzes/v/{draft.number}/copy/")

    assert response.status_code == 302
    copy = Quiz.objects.get(version=draft)
    assert (copy.pass_mark, copy.max_attempts) == (quiz.pass_mark, quiz.max_attempts)
    assert list(copy.questions.values_list("text_en", "clause_anchor")) == list(
        quiz.questions.values_list("text_en", "clause_anchor")
    )
    assert Choice.objects.filter(question__quiz=copy).count() == 5
    assert client.get(f"/quizzes/v/{draft.number}/edit/").context["copy_from"] is None
    assert AuditEntry.objects.get(action="quiz.copied").data == {"version": draft.number, "from": quiz.version.number}


@pytest.mark.parametrize("role", NOT_WRITERS)
def test_other_roles_cannot_write_a_quiz(client: Client, personas: Personas, role: str) -> None:
    draft, quiz = draft_with_quiz(personas.director)
    question = quiz.questions.get(position=1)
    client.force_login(personas.by_role()[role])

    assert client.get(f"/quizzes/v/{draft.number}/edit/").status_code == 403
    assert client.post(f"/quizzes/v/{draft.number}/edit/", {"pass_mark": "1", "max_attempts": "0"}).status_code == 403
    assert client.post(f"/quizzes/v/{draft.number}/questions/new/", question_form()).status_code == 403
    assert client.post(f"/quizzes/v/{draft.number}/questions/{question.pk}/delete/").status_code == 403
    quiz.refresh_from_db()
    assert (quiz.pass_mark, quiz.questions.count()) == (80, 2)


def test_another_organisations_quiz_is_a_404(client: Client, personas: Personas) -> None:
    draft, quiz = draft_with_quiz(personas.director)
    question = quiz.questions.get(position=1)
    globex_director = create_person(organization=personas.globex, email="gina@globex.test", full_name="Gina",
                                    roles=frozenset({Role.COMMUNICATION_DIRECTOR}))  # fmt: skip
    client.force_login(globex_director)

    assert client.get(f"/quizzes/v/{draft.number}/edit/").status_code == 404
    assert client.post(f"/quizzes/v/{draft.number}/questions/{question.pk}/", question_form()).status_code == 404
    assert client.post(f"/quizzes/v/{draft.number}/questions/{question.pk}/delete/").status_code == 404
    assert client.post(f"/quizzes/v/{draft.number}/copy/").status_code == 404
    assert quiz.questions.count() == 2


def test_removing_a_question_is_audited(client: Client, personas: Personas) -> None:
    draft, quiz = draft_with_quiz(personas.director)
    question = quiz.questions.get(position=2)
    client.force_login(personas.director)

    response = client.post(f"/quizzes/v/{draft.number}/questions/{question.pk}/delete/")

    assert response.status_code == 302
    assert list(quiz.questions.values_list("position", flat=True)) == [1]
    assert AuditEntry.objects.get(action="quiz.question_removed").data == {
        "version": draft.number,
        "question": question.pk,
    }


def test_publishing_the_guidelines_freezes_the_quiz_with_them(personas: Personas) -> None:
    draft, quiz = draft_with_quiz(personas.director)
    guidelines.publish(version=draft, actor=personas.director, publication=Publication())

    assert Quiz.objects.get(pk=quiz.pk).version.is_published


def test_a_quiz_is_imported_into_a_published_version_only_while_it_has_none(personas: Personas) -> None:
    version = published_quiz(personas.director).version
    draft = guidelines.create_draft(organization=personas.acme, actor=personas.director)
    guidelines.publish(version=draft, actor=personas.director, publication=Publication())
    draft.refresh_from_db()

    quiz = services.import_quiz(version=draft, actor=None, quiz_settings=QuizSettings(), questions=[SINGLE, MULTIPLE])

    assert (quiz.version, quiz.questions.count(), Choice.objects.filter(question__quiz=quiz).count()) == (draft, 2, 5)
    assert AuditEntry.objects.get(action="quiz.imported").data["questions"] == 2
    with pytest.raises(services.QuizRefused):
        services.import_quiz(version=draft, actor=None, quiz_settings=QuizSettings(), questions=[SINGLE])
    version.refresh_from_db()
    with pytest.raises(services.QuizRefused):  # archived
        services.import_quiz(version=version, actor=None, quiz_settings=QuizSettings(), questions=[SINGLE])


def test_an_imported_quiz_is_validated_like_the_editor(personas: Personas) -> None:
    draft = write_draft(personas.director, *FIRST)
    invalid = replace(SINGLE, choices=[choice("Only one", is_correct=True)])

    with pytest.raises(services.QuizRefused) as refused, translation.override("en"):
        services.import_quiz(version=draft, actor=None, quiz_settings=QuizSettings(), questions=[invalid])

    assert refused.value.problems == ["Give at least two answers to choose from."]
    assert not Quiz.objects.exists()
