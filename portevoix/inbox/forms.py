from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portevoix.inbox.models import Message


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("Open")), ("all", _("All")), *Message.Status.choices],
    )
    channel = forms.TypedChoiceField(label=_("Channel"), required=False, coerce=int, empty_value=None)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    risk = forms.ChoiceField(label=_("Triage"), required=False, choices=[("", _("Any")), *Message.Risk.choices])
    tag = forms.CharField(label=_("Tag"), required=False, max_length=60)
    q = forms.CharField(label=_("Search"), required=False, max_length=200)

    def __init__(
        self, *args: object, channels: list[tuple[int, str]], team: list[tuple[int, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        channel_field: forms.TypedChoiceField = self.fields["channel"]  # type: ignore[assignment]
        channel_field.choices = [("", _("All channels")), *channels]
        assignee_field: forms.ChoiceField = self.fields["assignee"]  # type: ignore[assignment]
        assignee_field.choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("nobody", _("Nobody")),
            *[(str(pk), name) for pk, name in team],
        ]


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Assigned to"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: object, team: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field: forms.TypedChoiceField = self.fields["assignee"]  # type: ignore[assignment]
        field.choices = [("", _("Nobody")), *team]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Message.Status.choices)


class TagsForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas, for example: billing, outage."),
    )

    def names(self) -> list[str]:
        return [name for name in self.cleaned_data["tags"].split(",") if name.strip()]


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    override_reason = forms.CharField(
        label=_("Why it should go out despite the warnings"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SavedReplyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class TargetsForm(forms.Form):
    response_target_hours = forms.IntegerField(label=_("First answer within (hours)"), min_value=1, max_value=336)
    hostile_target_hours = forms.IntegerField(
        label=_("For hostile or risky messages, within (hours)"), min_value=1, max_value=336
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        normal, hostile = cleaned.get("response_target_hours"), cleaned.get("hostile_target_hours")
        if isinstance(normal, int) and isinstance(hostile, int) and hostile > normal:
            self.add_error("hostile_target_hours", _("No longer than the target for other messages."))
        return cleaned
