from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.models import Organization
from portevoix.crisis.models import CrisisTexts
from portevoix.crisis.services import MAX_NOTE_LENGTH


class CrisisTextsForm(forms.Form):
    """The texts of a crisis in one language; prefixed with the language code ("fr-title")."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    holding_statement = forms.CharField(
        label=_("Holding statement"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("The company's only public position while the crisis is on; ambassadors' feeds show it."),
    )
    do_not_comment = forms.CharField(
        label=_("What not to comment on"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Sent to ambassadors: the subjects, names or facts they must not comment on."),
    )

    def __init__(self, data: Any = None, *, language: str, language_name: str, is_main: bool) -> None:
        super().__init__(data, prefix=language)
        self.language, self.language_name, self.is_main = language, language_name, is_main
        if is_main:
            self.fields["title"].required = True
            self.fields["holding_statement"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_text = any(str(data.get(name) or "").strip() for name in ("title", "do_not_comment"))
        if not self.is_main and has_text and not str(data.get("holding_statement") or "").strip():
            self.add_error(
                "holding_statement", _("Write the holding statement in this language too, or leave it empty.")
            )
        return data

    def texts(self) -> CrisisTexts:
        data = self.cleaned_data
        return CrisisTexts(self.language, data["title"], data["holding_statement"], data["do_not_comment"])


def crisis_forms(organization: Organization, data: Any = None) -> list[CrisisTextsForm]:
    """One form per language of the organisation, its default language first and required."""
    main = organization.default_language
    languages = sorted(settings.LANGUAGES, key=lambda item: item[0] != main)
    return [
        CrisisTextsForm(data, language=code, language_name=str(name), is_main=code == main) for code, name in languages
    ]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=MAX_NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), strip=True
    )


class LiftForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the crisis lifted?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the timeline and the audit log."),
    )
