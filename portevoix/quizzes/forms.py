"""Forms of the quiz editor and of the quiz itself. They parse; services validate and decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portevoix.quizzes.models import Choice, Question, Quiz
from portevoix.quizzes.scoring import ChoiceData
from portevoix.quizzes.services import QuestionData, QuizSettings

CHOICE_ROWS = 6


class QuizSettingsForm(forms.Form):
    pass_mark = forms.IntegerField(label=_("Pass mark (%)"), min_value=1, max_value=100, initial=80)
    max_attempts = forms.IntegerField(
        label=_("Attempts allowed"), min_value=0, max_value=100, initial=3,
        help_text=_("0 allows as many attempts as a person wants."),
    )  # fmt: skip
    shows_answers = forms.BooleanField(
        label=_("After each attempt, show the right answers and their explanations"), required=False, initial=True
    )

    def __init__(self, *args: Any, quiz: Quiz | None = None, **kwargs: Any) -> None:
        if quiz is not None:
            kwargs.setdefault(
                "initial",
                {"pass_mark": quiz.pass_mark, "max_attempts": quiz.max_attempts, "shows_answers": quiz.shows_answers},
            )
        super().__init__(*args, **kwargs)

    def quiz_settings(self) -> QuizSettings:
        data = self.cleaned_data
        return QuizSettings(
            pass_mark=data["pass_mark"], max_attempts=data["max_attempts"], shows_answers=data["shows_answers"]
        )


def _area(label: Any, rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}))


class QuestionForm(forms.Form):
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=1)
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices, initial=Question.Kind.SINGLE)
    text_fr = _area(_("Question in French"))
    text_en = _area(_("Question in English"))
    explanation_fr = _area(_("Explanation in French, shown after an attempt"))
    explanation_en = _area(_("Explanation in English, shown after an attempt"))
    clause_anchor = forms.ChoiceField(label=_("Clause it tests"), required=False)

    def __init__(
        self, *args: Any, clauses: list[tuple[str, str]], question: Question | None = None,
        choices: list[Choice] | None = None, **kwargs: Any,
    ) -> None:  # fmt: skip
        if question is not None:
            names = ["position", "kind", "text_fr", "text_en", "explanation_fr", "explanation_en", "clause_anchor"]
            initial = {name: getattr(question, name) for name in names}
            for index, choice in enumerate(choices or [], start=1):
                initial |= {f"choice_{index}_fr": choice.text_fr, f"choice_{index}_en": choice.text_en,
                            f"choice_{index}_correct": choice.is_correct}  # fmt: skip
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["clause_anchor"].choices = [("", _("None")), *clauses]  # type: ignore[attr-defined]
        for index in range(1, CHOICE_ROWS + 1):
            self.fields[f"choice_{index}_fr"] = forms.CharField(
                label=_("Answer %(index)s in French") % {"index": index}, max_length=300, required=False
            )
            self.fields[f"choice_{index}_en"] = forms.CharField(
                label=_("Answer %(index)s in English") % {"index": index}, max_length=300, required=False
            )
            self.fields[f"choice_{index}_correct"] = forms.BooleanField(
                label=_("Answer %(index)s is correct") % {"index": index}, required=False
            )

    def choice_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (index, self[f"choice_{index}_fr"], self[f"choice_{index}_en"], self[f"choice_{index}_correct"])
            for index in range(1, CHOICE_ROWS + 1)
        ]

    def question_data(self) -> QuestionData:
        data = self.cleaned_data
        choices = [
            ChoiceData(
                text_fr=data[f"choice_{index}_fr"].strip(),
                text_en=data[f"choice_{index}_en"].strip(),
                is_correct=data[f"choice_{index}_correct"],
            )
            for index in range(1, CHOICE_ROWS + 1)
        ]
        return QuestionData(
            position=data["position"], kind=data["kind"], text_fr=data["text_fr"].strip(),
            text_en=data["text_en"].strip(), explanation_fr=data["explanation_fr"].strip(),
            explanation_en=data["explanation_en"].strip(), clause_anchor=data["clause_anchor"], choices=choices,
        )  # fmt: skip


class TakeForm(forms.Form):
    """One field per question, in the reader's language: radio buttons or check boxes."""

    def __init__(self, *args: Any, questions: list[Question], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            options = [(str(choice.pk), choice.text(language)) for choice in question.choices.all()]
            field: forms.Field
            if question.is_multiple:
                field = forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple)
            else:
                field = forms.ChoiceField(choices=options, widget=forms.RadioSelect)
            field.label = question.text(language)
            field.error_messages["required"] = _("Choose an answer to this question.")
            self.fields[f"question_{question.pk}"] = field

    def answers(self) -> dict[int, frozenset[int]]:
        answers: dict[int, frozenset[int]] = {}
        for name, value in self.cleaned_data.items():
            chosen = value if isinstance(value, list) else [value]
            answers[int(name.removeprefix("question_"))] = frozenset(int(choice) for choice in chosen)
        return answers
