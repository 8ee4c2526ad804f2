"""Forms of the guidelines editor, publication and dashboard. They parse and validate; services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portevoix.guidelines.models import CATEGORY_CHOICES, CLAUSE_TEXT_FIELDS, GuidelinesClause, anchor_validator
from portevoix.guidelines.selectors import Audience, PendingFilters
from portevoix.guidelines.services import ClauseData, Publication

_MARKDOWN_HELP = _("Markdown: **bold**, *italic*, lists with “-”, links as [text](https://…).")


class VersionTextsForm(forms.Form):
    title_fr = forms.CharField(label=_("Title in French"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    intro_fr = forms.CharField(
        label=_("Introduction in French"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_MARKDOWN_HELP,
    )
    intro_en = forms.CharField(
        label=_("Introduction in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_MARKDOWN_HELP,
    )


def _text(label: Any, rows: int) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), help_text=_MARKDOWN_HELP
    )


class ClauseForm(forms.Form):
    anchor = forms.CharField(
        label=_("Anchor"),
        max_length=40,
        validators=[anchor_validator],
        help_text=_(
            "A short key that never changes, so that policy rules and incidents can cite the clause (e.g. 3.1)."
        ),
    )
    number = forms.CharField(label=_("Number"), max_length=16, help_text=_("As readers see it, e.g. 3.2."))
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)
    category = forms.ChoiceField(label=_("Risk category"), choices=CATEGORY_CHOICES)
    title_fr = forms.CharField(label=_("Title in French"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    body_fr = _text(_("Text in French"), 6)
    body_en = _text(_("Text in English"), 6)
    do_examples_fr = _text(_("Do, in French"), 3)
    do_examples_en = _text(_("Do, in English"), 3)
    dont_examples_fr = _text(_("Don't, in French"), 3)
    dont_examples_en = _text(_("Don't, in English"), 3)

    def __init__(self, *args: Any, clause: GuidelinesClause | None = None, **kwargs: Any) -> None:
        if clause is not None:
            names = ["anchor", "number", "position", "category"]
            names += [f"{name}_{language}" for name in CLAUSE_TEXT_FIELDS for language in ("fr", "en")]
            kwargs.setdefault("initial", {name: getattr(clause, name) for name in names})
        super().__init__(*args, **kwargs)
        if clause is not None:
            self.fields["anchor"].disabled = True

    def pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """French and English fields side by side."""
        return [(self[f"{name}_fr"], self[f"{name}_en"]) for name in CLAUSE_TEXT_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("title_fr") and not cleaned.get("title_en"):
            self.add_error("title_fr", _("Give the clause a title in at least one language."))
        return cleaned

    def data_for_service(self) -> ClauseData:
        cleaned = self.cleaned_data
        texts = {
            f"{name}_{language}": cleaned[f"{name}_{language}"]
            for name in CLAUSE_TEXT_FIELDS
            for language in ("fr", "en")
        }
        return ClauseData(
            anchor=cleaned["anchor"],
            number=cleaned["number"],
            position=cleaned["position"],
            category=cleaned["category"],
            texts=texts,
        )


class PublishForm(forms.Form):
    EVERYONE = "everyone"
    GROUPS = "groups"

    audience = forms.ChoiceField(
        label=_("Audience"),
        choices=[(EVERYONE, _("Everyone")), (GROUPS, _("Some departments or entities"))],
        widget=forms.RadioSelect,
        initial=EVERYONE,
    )
    departments = forms.TypedMultipleChoiceField(
        label=_("Departments"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    entities = forms.TypedMultipleChoiceField(
        label=_("Entities"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    hired_after = forms.DateField(
        label=_("Only people hired after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for everyone, whatever their hire date."),
    )
    asks_again = forms.BooleanField(
        label=_("Ask everyone to acknowledge again"),
        required=False,
        initial=True,
        help_text=_(
            "Untick when nothing changed materially: acknowledgements of the previous version then carry over."
        ),
    )
    material_anchors = forms.MultipleChoiceField(
        label=_("Clauses that changed materially"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Readers who acknowledged before see these clauses first."),
    )
    reminder_every_days = forms.IntegerField(label=_("Remind every (days)"), min_value=1, max_value=90, initial=7)
    reminder_max_count = forms.IntegerField(
        label=_("Reminders at most"), min_value=0, max_value=10, initial=3, help_text=_("0 sends no reminder.")
    )

    def __init__(
        self,
        *args: Any,
        departments: list[tuple[int, str]],
        entities: list[tuple[int, str]],
        changed_clauses: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = departments  # type: ignore[attr-defined]
        self.fields["entities"].choices = entities  # type: ignore[attr-defined]
        self.fields["material_anchors"].choices = changed_clauses  # type: ignore[attr-defined]
        self.fields["material_anchors"].initial = [anchor for anchor, _label in changed_clauses]
        if not changed_clauses:
            del self.fields["material_anchors"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        is_grouped = cleaned.get("audience") == self.GROUPS
        if is_grouped and not cleaned.get("departments") and not cleaned.get("entities"):
            self.add_error("departments", _("Choose at least one department or entity, or publish to everyone."))
        return cleaned

    def publication(self) -> Publication:
        cleaned = self.cleaned_data
        is_grouped = cleaned["audience"] == self.GROUPS
        audience = Audience(
            department_ids=tuple(cleaned["departments"]) if is_grouped else (),
            entity_ids=tuple(cleaned["entities"]) if is_grouped else (),
            hired_after=cleaned["hired_after"],
        )
        return Publication(
            audience=audience,
            asks_acknowledgement_again=cleaned["asks_again"],
            material_anchors=frozenset(cleaned.get("material_anchors", [])),
            reminder_every_days=cleaned["reminder_every_days"],
            reminder_max_count=cleaned["reminder_max_count"],
        )


class PendingFilterForm(forms.Form):
    department = forms.TypedChoiceField(label=_("Department"), coerce=int, required=False, empty_value=None)
    entity = forms.TypedChoiceField(label=_("Entity"), coerce=int, required=False, empty_value=None)

    def __init__(
        self, *args: Any, departments: list[tuple[int, str]], entities: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["department"].choices = everyone + departments  # type: ignore[attr-defined]
        self.fields["entity"].choices = everyone + entities  # type: ignore[attr-defined]

    def filters(self) -> PendingFilters:
        if not self.is_valid():
            return PendingFilters()
        return PendingFilters(department_id=self.cleaned_data["department"], entity_id=self.cleaned_data["entity"])
