"""The demo quiz: five bilingual questions on Lumarelle's published guidelines (version 2), and the
attempts of about 40% of the people, most of whom pass, some at their second or third try."""

import datetime
import random
from typing import TYPE_CHECKING

from django.utils import timezone

from portevoix.guidelines.models import Acknowledgement
from portevoix.guidelines.selectors import published_version
from portevoix.quizzes import services
from portevoix.quizzes.models import Question, Quiz
from portevoix.quizzes.scoring import ChoiceData
from portevoix.quizzes.services import QuestionData, QuizSettings

if TYPE_CHECKING:
    from portevoix.demo.loaders import DemoContext

SINGLE, MULTIPLE = Question.Kind.SINGLE, Question.Kind.MULTIPLE
# Of the people who acknowledged version 2 (about 60% of the company), these take the quiz: ~40% of everyone.
TAKER_SHARE = 0.65
RETRY_SHARE = 0.7


def _choices(*answers: tuple[str, str, bool]) -> list[ChoiceData]:
    return [ChoiceData(text_fr=fr, text_en=en, is_correct=is_correct) for fr, en, is_correct in answers]


QUESTIONS = [
    QuestionData(
        position=1, kind=SINGLE, clause_anchor="1.1",
        text_fr="Sur votre compte personnel, au nom de qui parlez-vous ?",
        text_en="On your personal account, on whose behalf do you speak?",
        explanation_fr="Vous parlez en votre nom ; seule l'équipe communication parle au nom de Lumarelle.",
        explanation_en="You speak for yourself; only the communication team speaks on behalf of Lumarelle.",
        choices=_choices(("En mon nom", "For myself", True), ("Au nom de Lumarelle", "On behalf of Lumarelle", False),
                         ("Au nom de mon équipe", "On behalf of my team", False)),
    ),
    QuestionData(
        position=2, kind=MULTIPLE, clause_anchor="2.1",
        text_fr="Vous recommandez une offre Lumarelle. Quelles mentions dans le message suffisent ?",
        text_en="You recommend a Lumarelle offer. Which wordings in the post are enough?",
        explanation_fr="La mention doit figurer dans le message lui-même ; le profil ne suffit pas.",
        explanation_en="The disclosure must be in the post itself; your profile is not enough.",
        choices=_choices(("« #collaborateur »", "\"#employee\"", True),
                         ("« Je travaille chez Lumarelle »", "\"I work at Lumarelle\"", True),
                         ("Rien : mon profil le dit déjà", "Nothing: my profile already says so", False)),
    ),
    QuestionData(
        position=3, kind=SINGLE, clause_anchor="3.1",
        text_fr="Pouvez-vous évoquer le nom de code d'un projet interne, même par allusion ?",
        text_en="May you mention the code name of an internal project, even as a hint?",
        explanation_fr="Les noms de code des projets internes ne sortent pas de l'entreprise.",
        explanation_en="Code names of internal projects never leave the company.",
        choices=_choices(("Non, jamais", "No, never", True), ("Oui, par allusion", "Yes, as a hint", False),
                         ("Oui, après six mois", "Yes, after six months", False)),
    ),
    QuestionData(
        position=4, kind=SINGLE, clause_anchor="3.5",
        text_fr="Combien de temps avant la publication des résultats dure la période de silence ?",
        text_en="How long before the results are published does the quiet period last?",
        explanation_fr="Six semaines depuis la version 2 : ne commentez ni l'activité ni les chiffres.",
        explanation_en="Six weeks since version 2: comment neither on the business nor on the figures.",
        choices=_choices(("Deux semaines", "Two weeks", False), ("Six semaines", "Six weeks", True),
                         ("Trois mois", "Three months", False)),
    ),
    QuestionData(
        position=5, kind=MULTIPLE, clause_anchor="5.1",
        text_fr="Que ne publiez-vous jamais ?",
        text_en="What do you never post?",
        explanation_fr="Ni données personnelles, ni photos où l'on reconnaît des collègues sans leur accord.",
        explanation_en="Neither personal data nor photos in which colleagues can be recognised without consent.",
        choices=_choices(("Un numéro de téléphone de client", "A customer's phone number", True),
                         ("Une photo de collègues reconnaissables sans leur accord",
                          "A photo of recognisable colleagues without their consent", True),
                         ("Un article du site officiel de Lumarelle", "An article from Lumarelle's official site",
                          False)),
    ),
]  # fmt: skip


def _answers(quiz_questions: list[Question], rng: random.Random, skill: float) -> dict[int, frozenset[int]]:
    """Each question answered right with probability `skill`, else with one wrong answer."""
    answers = {}
    for question in quiz_questions:
        right = frozenset(choice.pk for choice in question.choices.all() if choice.is_correct)
        wrong = [choice.pk for choice in question.choices.all() if not choice.is_correct]
        answers[question.pk] = right if rng.random() < skill else frozenset({rng.choice(wrong)})
    return answers


def _take(
    quiz: Quiz, questions: list[Question], acknowledgement: Acknowledgement, rng: random.Random, *,
    latest: datetime.datetime,
) -> None:  # fmt: skip
    at = acknowledgement.acknowledged_at + datetime.timedelta(minutes=rng.randint(2, 40))
    skill = rng.uniform(0.45, 0.98)
    for _attempt in range(quiz.max_attempts):
        attempt = services.submit_attempt(
            quiz=quiz, person=acknowledgement.person, answers=_answers(questions, rng, skill), at=min(at, latest)
        )
        if attempt.is_passed or rng.random() > RETRY_SHARE:
            return
        at += datetime.timedelta(hours=rng.uniform(0.2, 72))
        skill = min(skill + 0.2, 1.0)  # the explanations were read


def load_quizzes(context: "DemoContext") -> None:
    """A five-question quiz on the published guidelines, and attempts by about 40% of the people."""
    version = published_version(context.organization)
    if version is None:
        return
    rng = context.rng("load_quizzes")
    # Nine in the morning of the demo's day, like the guidelines step's latest acknowledgements.
    latest = datetime.datetime.combine(context.today, datetime.time(9), tzinfo=timezone.get_current_timezone())
    quiz = services.import_quiz(
        version=version,
        actor=context.personas["communication_director"],
        quiz_settings=QuizSettings(pass_mark=80, max_attempts=3, shows_answers=True),
        questions=QUESTIONS,
    )
    questions = list(quiz.questions.prefetch_related("choices").order_by("position"))
    acknowledgements = (
        Acknowledgement.objects.filter(version=version, person__is_active=True)
        .select_related("person", "person__organization")
        .order_by("acknowledged_at", "id")
    )
    for acknowledgement in acknowledgements:
        if rng.random() < TAKER_SHARE:
            _take(quiz, questions, acknowledgement, rng, latest=latest)
