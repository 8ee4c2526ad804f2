"""Quiz pages (G3): taking a quiz and reviewing one's attempts (everyone targeted), writing it (the
guidelines writers, on a draft), results per department and entity (the guidelines dashboard roles)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.permissions import authenticated_request, login_required, require_permission
from portevoix.accounts.roles import Permission
from portevoix.guidelines.models import GuidelinesVersion
from portevoix.quizzes import selectors, services
from portevoix.quizzes.forms import QuestionForm, QuizSettingsForm, TakeForm
from portevoix.quizzes.models import Quiz

PAGE_SIZE = 50


def _language() -> str:
    language = (translation.get_language() or "fr")[:2]
    return language if language in {"fr", "en"} else "fr"


def _taken_version(request: HttpRequest, number: int) -> GuidelinesVersion:
    """A published version aimed at the person; any other is a 404, as on the reading page."""
    user = authenticated_request(request).user
    version = selectors.get_version_for_user(user=user, number=number)
    if not selectors.is_taker(person=user, version=version):
        raise Http404
    return version


@login_required
def quiz_take(request: HttpRequest, number: int) -> HttpResponse:
    user = authenticated_request(request).user
    version = _taken_version(request, number)
    quiz = selectors.get_quiz(version)
    questions = selectors.questions_of(quiz)
    form = TakeForm(request.POST or None, questions=questions, language=_language())
    if request.method == "POST" and form.is_valid():
        try:
            attempt = services.submit_attempt(quiz=quiz, person=user, answers=form.answers())
        except services.QuizRefused as refused:
            messages.error(request, str(refused))
            return redirect("quizzes:quiz-take", number=number)
        return redirect("quizzes:attempt-detail", number=number, attempt_id=attempt.pk)
    attempts = selectors.attempts_of(quiz=quiz, person=user)
    context = {
        "nav": "guidelines",
        "version": version,
        "quiz": quiz,
        "form": form,
        "attempts": attempts,
        "attempts_left": selectors.attempts_left(quiz=quiz, used=len(attempts)),
        "has_passed": any(attempt.is_passed for attempt in attempts),
    }
    return render(request, "quizzes/quiz_take.html", context, status=400 if form.errors else 200)


@login_required
def attempt_detail(request: HttpRequest, number: int, attempt_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    version = selectors.get_version_for_user(user=user, number=number)
    quiz = selectors.get_quiz(version)
    attempt = selectors.get_attempt_for_user(user=user, quiz=quiz, attempt_id=attempt_id)
    used = len(selectors.attempts_of(quiz=quiz, person=user))
    questions = selectors.questions_of(quiz)
    context = {
        "nav": "guidelines",
        "version": version,
        "quiz": quiz,
        "attempt": attempt,
        "review": selectors.attempt_review(attempt=attempt, questions=questions, language=_language()),
        "attempts_left": selectors.attempts_left(quiz=quiz, used=used),
        "can_retry": selectors.is_taker(person=user, version=version),
    }
    return render(request, "quizzes/attempt_detail.html", context)


@require_permission(Permission.WRITE_GUIDELINES)
def quiz_edit(request: HttpRequest, number: int) -> HttpResponse:
    user = authenticated_request(request).user
    version = selectors.get_version_for_user(user=user, number=number)
    quiz = selectors.quiz_of(version)
    form = QuizSettingsForm(request.POST or None, quiz=quiz)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_quiz(version=version, actor=user, quiz_settings=form.quiz_settings())
        except services.QuizRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Quiz saved."))
        return redirect("quizzes:quiz-edit", number=number)
    source = version.based_on if version.is_draft and quiz is None else None
    questions = selectors.questions_of(quiz) if quiz is not None else []
    context = {
        "nav": "guidelines",
        "version": version,
        "quiz": quiz,
        "form": form,
        "questions": [(question, question.missing_languages(list(question.choices.all()))) for question in questions],
        "copy_from": source if source is not None and selectors.quiz_of(source) is not None else None,
    }
    return render(request, "quizzes/quiz_edit.html", context, status=400 if form.errors else 200)


def _draft_quiz(request: HttpRequest, number: int) -> tuple[GuidelinesVersion, Quiz]:
    """The quiz of a draft of the writer's organisation; questions of other versions are never edited (404)."""
    version = selectors.get_version_for_user(user=authenticated_request(request).user, number=number)
    if not version.is_draft:
        raise Http404
    return version, selectors.get_quiz(version)


@require_permission(Permission.WRITE_GUIDELINES)
def question_edit(request: HttpRequest, number: int, question_id: int | None = None) -> HttpResponse:
    user = authenticated_request(request).user
    version, quiz = _draft_quiz(request, number)
    question = selectors.get_question(quiz=quiz, question_id=question_id) if question_id is not None else None
    choices = selectors.choices_of(question) if question is not None else []
    clauses = [(clause.anchor, f"{clause.number} {clause.title_fr or clause.title_en}")
               for clause in version.clauses.order_by("position", "id")]  # fmt: skip
    form = QuestionForm(request.POST or None, clauses=clauses, question=question, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_question(quiz=quiz, actor=user, data=form.question_data(), question=question)
        except services.QuizRefused as refused:
            for problem in refused.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, _("Question saved."))
            return redirect("quizzes:quiz-edit", number=number)
    missing = question.missing_languages(choices) if question is not None else []
    context = {"nav": "guidelines", "version": version, "question": question, "form": form, "missing": missing}
    return render(request, "quizzes/question_form.html", context, status=400 if form.errors else 200)


@require_POST
@require_permission(Permission.WRITE_GUIDELINES)
def question_delete(request: HttpRequest, number: int, question_id: int) -> HttpResponse:
    _version, quiz = _draft_quiz(request, number)
    question = selectors.get_question(quiz=quiz, question_id=question_id)
    services.delete_question(question=question, actor=authenticated_request(request).user)
    messages.success(request, _("Question removed."))
    return redirect("quizzes:quiz-edit", number=number)


@require_POST
@require_permission(Permission.WRITE_GUIDELINES)
def quiz_copy(request: HttpRequest, number: int) -> HttpResponse:
    user = authenticated_request(request).user
    version = selectors.get_version_for_user(user=user, number=number)
    try:
        services.copy_quiz(version=version, actor=user)
    except services.QuizRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Quiz copied from version %(number)s.") % {"number": version.based_on.number})  # type: ignore[union-attr]
    return redirect("quizzes:quiz-edit", number=number)


@require_permission(Permission.VIEW_GUIDELINES_ADMIN)
def quiz_results(request: HttpRequest, number: int) -> HttpResponse:
    user = authenticated_request(request).user
    version = selectors.get_version_for_user(user=user, number=number)
    quiz = selectors.get_quiz(version)
    figures = selectors.results(quiz=quiz, version=version, overall_name=_("Everyone"), unnamed=_("Not set"))
    page = Paginator(selectors.people_results(quiz=quiz), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"nav": "guidelines", "version": version, "quiz": quiz, "figures": figures, "page": page}
    return render(request, "quizzes/quiz_results.html", context)


app_name = "quizzes"
urlpatterns = [
    path("v/<int:number>/", quiz_take, name="quiz-take"),
    path("v/<int:number>/attempts/<int:attempt_id>/", attempt_detail, name="attempt-detail"),
    path("v/<int:number>/edit/", quiz_edit, name="quiz-edit"),
    path("v/<int:number>/copy/", quiz_copy, name="quiz-copy"),
    path("v/<int:number>/questions/new/", question_edit, name="question-create"),
    path("v/<int:number>/questions/<int:question_id>/", question_edit, name="question-edit"),
    path("v/<int:number>/questions/<int:question_id>/delete/", question_delete, name="question-delete"),
    path("v/<int:number>/results/", quiz_results, name="quiz-results"),
]
