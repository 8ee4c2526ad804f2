"""Quizzes built through the services, on guidelines built through theirs."""

from portevoix.accounts.models import User
from portevoix.guidelines import services as guidelines
from portevoix.guidelines.models import GuidelinesVersion
from portevoix.guidelines.services import Publication
from portevoix.guidelines.tests.factories import FIRST, write_draft
from portevoix.quizzes import services
from portevoix.quizzes.models import Question, Quiz
from portevoix.quizzes.scoring import ChoiceData
from portevoix.quizzes.services import QuestionData, QuizSettings


def choice(text: str, *, is_correct: bool = False, fr: str = "") -> ChoiceData:
    return ChoiceData(text_fr=fr or f"{text} (fr)", text_en=text, is_correct=is_correct)


SINGLE = QuestionData(
    position=1,
    kind=Question.Kind.SINGLE,
    text_fr="Puis-je citer le projet Boréal ?",
    text_en="May I name project Boréal?",
    explanation_fr="Les noms de code restent internes.",
    explanation_en="Code names stay inside the company.",
    clause_anchor="3.1",
    choices=[choice("No", is_correct=True, fr="Non"), choice("Yes", fr="Oui")],
)
MULTIPLE = QuestionData(
    position=2,
    kind=Question.Kind.MULTIPLE,
    text_fr="Quelles mentions disent que je travaille chez Acme ?",
    text_en="Which wordings say that I work at Acme?",
    explanation_fr="Dans le message lui-même.",
    explanation_en="In the post itself.",
    choices=[choice("#employee", is_correct=True), choice("I work at Acme", is_correct=True), choice("#ad")],
)


def draft_with_quiz(
    author: User, *questions: QuestionData, quiz_settings: QuizSettings | None = None
) -> tuple[GuidelinesVersion, Quiz]:
    draft = write_draft(author, *FIRST)
    quiz = services.save_quiz(version=draft, actor=author, quiz_settings=quiz_settings or QuizSettings())
    for data in questions or (SINGLE, MULTIPLE):
        services.save_question(quiz=quiz, actor=author, data=data)
    return draft, quiz


def published_quiz(
    author: User, *questions: QuestionData, quiz_settings: QuizSettings | None = None,
    publication: Publication | None = None,
) -> Quiz:  # fmt: skip
    draft, quiz = draft_with_quiz(author, *questions, quiz_settings=quiz_settings)
    guidelines.publish(version=draft, actor=author, publication=publication or Publication())
    quiz.version.refresh_from_db()
    return quiz


def form_answers(quiz: Quiz, *, right: bool) -> dict[str, str | list[str]]:
    """POST data answering every question, all right or all wrong."""
    data: dict[str, str | list[str]] = {}
    for question in quiz.questions.prefetch_related("choices"):
        chosen = [str(c.pk) for c in question.choices.all() if c.is_correct == right]
        data[f"question_{question.pk}"] = chosen if question.is_multiple else chosen[0]
    return data
