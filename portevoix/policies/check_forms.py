import re
from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from compliance_engine.model import Scope
from portevoix.policies.checking import MAX_TEXT_LENGTH, SCOPE_LABELS, null_character_message, null_character_position

_DRAFT_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")


class CheckForm(forms.Form):
    """A draft to check, with the hat its author wears and the day it would be published."""

    # No max_length here: the browser would cut a pasted text silently; the limit is checked below.
    text = forms.CharField(
        label=_("Your post"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 9, "spellcheck": "true", "autocomplete": "off"}),
    )
    scope = forms.TypedChoiceField(
        label=_("You write"),
        coerce=Scope,
        initial=Scope.EVERYONE,
        error_messages={"invalid_choice": _("You cannot check a text in this role: choose one of the list.")},
    )
    date = forms.DateField(
        label=_("Publication date"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Quiet periods depend on the date: change it to check a scheduled post."),
    )
    draft_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, scopes: list[Scope], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = self.fields["scope"]
        assert isinstance(scope, forms.TypedChoiceField)
        scope.choices = [(value.value, SCOPE_LABELS[value]) for value in scopes]
        if len(scopes) == 1:
            scope.widget = forms.HiddenInput()
        text = self.fields["text"]
        text.widget.attrs["aria-describedby"] = "check-text-help"
        # Django's own refusal says neither where the invisible character is nor that the API refuses
        # it too; clean_text says both, in the words the API uses.
        text.validators = [
            validator for validator in text.validators if not isinstance(validator, ProhibitNullCharactersValidator)
        ]

    def clean_text(self) -> str:
        # Browsers send line breaks as CRLF; the textarea itself holds LF, and offsets must match it.
        text: str = self.cleaned_data["text"].replace("\r\n", "\n")
        if len(text) > MAX_TEXT_LENGTH:
            raise forms.ValidationError(
                _("Your text has %(length)s characters; a check takes at most %(limit)s. Shorten it and try again."),
                params={"length": len(text), "limit": MAX_TEXT_LENGTH},
                code="too_long",
            )
        position = null_character_position(text)
        if position is not None:
            raise forms.ValidationError(null_character_message(*position), code="null_character")
        return text

    def clean_draft_key(self) -> str:
        # A key the page did not make counts the draft as a new one, nothing worse.
        key: str = self.cleaned_data["draft_key"]
        return key if _DRAFT_KEY.fullmatch(key) else ""
