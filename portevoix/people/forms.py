from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.models import Population
from portevoix.accounts.roles import Role
from portevoix.people.selectors import DirectoryFilters, FilterChoices, Status

# The languages the filter offers; people may speak others, which the API filter accepts.
LANGUAGE_CHOICES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("it", _("Italian")),
    ("nl", _("Dutch")),
    ("pt", _("Portuguese")),
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("ja", _("Japanese")),
]
STATUS_CHOICES = [(Status.ACTIVE, _("Active")), (Status.LEFT, _("Left")), (Status.ALL, _("Everyone"))]


def _with_any(choices: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    return [("", _("Any")), *choices]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, e-mail, job title, number")}),
    )
    department = forms.TypedChoiceField(label=_("Department"), required=False, coerce=int, empty_value=None)
    entity = forms.TypedChoiceField(label=_("Entity"), required=False, coerce=int, empty_value=None)
    population = forms.TypedChoiceField(label=_("Population"), required=False, coerce=int, empty_value=None)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=_with_any(LANGUAGE_CHOICES))
    role = forms.ChoiceField(label=_("Role"), required=False, choices=_with_any(list(Role.choices)))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(self, data: Any, *, choices: FilterChoices) -> None:
        super().__init__(data)
        self.fields["department"].choices = _with_any(choices.departments)  # type: ignore[attr-defined]
        self.fields["entity"].choices = _with_any(choices.entities)  # type: ignore[attr-defined]
        self.fields["population"].choices = _with_any(choices.populations)  # type: ignore[attr-defined]

    def filters(self) -> DirectoryFilters:
        """The valid filters; an invalid value (a stale link) is ignored rather than refused."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return DirectoryFilters(
            search=(data.get("q") or "").strip(),
            department_id=data.get("department"),
            entity_id=data.get("entity"),
            population_id=data.get("population"),
            language=data.get("language") or "",
            role=data.get("role") or "",
            status=data.get("status") or Status.ACTIVE,
        )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("One person per line; the first line names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            limit = settings.IMPORT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(
                _("The file is larger than the limit of %(limit)s MB."), params={"limit": limit}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        choices=[(role.value, role.label) for role in Role if role != Role.EMPLOYEE],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Everyone is an employee."),
    )

    def selected_roles(self) -> frozenset[Role]:
        return frozenset(Role(value) for value in self.cleaned_data["roles"])


class PopulationsForm(forms.Form):
    populations = forms.ModelMultipleChoiceField(
        label=_("Populations"),
        required=False,
        queryset=Population.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data: Any = None, *, queryset: Any, initial: Any = None) -> None:
        super().__init__(data, initial=initial)
        self.fields["populations"].queryset = queryset  # type: ignore[attr-defined]

    def selected_populations(self) -> list[Population]:
        return list(self.cleaned_data["populations"])
