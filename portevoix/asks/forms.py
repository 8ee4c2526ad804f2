import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portevoix.asks.services import MAX_MESSAGE_LENGTH
from portevoix.policies.check_forms import CheckForm

_CLAUSE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class AskForm(CheckForm):
    """A question to the communication team, with the draft it is about (optional), as checked."""

    question = forms.CharField(
        label=_("Your question"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What would you like the communication team to tell you?"),
    )
    clause = forms.CharField(label=_("Clause of the guidelines"), required=False, max_length=64)

    field_order = ["question", "text", "scope", "date", "clause"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        text = self.fields["text"]
        text.label = _("Your draft (optional)")
        text.help_text = _(
            "If you add your draft, it is stored with your request, because you chose to send it, and only you and "
            "the communication team can read it. Leave it empty to ask without it."
        )
        text.widget.attrs["aria-describedby"] = "id_text_helptext"

    def clean_clause(self) -> str:
        clause: str = self.cleaned_data["clause"].strip()
        if clause and not _CLAUSE.fullmatch(clause):
            raise forms.ValidationError(_("This is not a clause number, e.g. 3.1."), code="invalid_clause")
        return clause


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=MAX_MESSAGE_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
