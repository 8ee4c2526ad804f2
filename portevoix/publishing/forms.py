"""Forms of the editorial side. They parse and say what is wrong, field by field; services decide."""

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.roles import Role
from portevoix.channels.models import Channel
from portevoix.lib.networks import NETWORKS, text_length
from portevoix.publishing.images import MAX_ALT_TEXT, MAX_IMAGE_BYTES, NOT_AN_IMAGE, TOO_LARGE, sniff_image_type
from portevoix.publishing.models import ApprovalStep, Campaign, PostDecision, PostMedia
from portevoix.publishing.services import Composition, NewImage

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
STEP_ROLES = (Role.COMMUNITY_MANAGER, Role.COMMUNICATION_DIRECTOR, Role.COMPLIANCE_OFFICER, Role.HR)


def in_zone(value: datetime.datetime | None, zone: zoneinfo.ZoneInfo) -> datetime.datetime | None:
    """A time typed in a datetime-local field means the organisation's local time."""
    if value is None:
        return None
    return timezone.make_aware(timezone.make_naive(value) if timezone.is_aware(value) else value, zone)


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    colour = forms.ChoiceField(label=_("Colour"), choices=Campaign.Colour.choices)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class StepForm(forms.Form):
    name = forms.CharField(label=_("Name of the step"), max_length=80)
    role = forms.ChoiceField(label=_("Decided by"), choices=[(role.value, role.label) for role in STEP_ROLES])
    condition = forms.ChoiceField(label=_("Applies to"), choices=ApprovalStep.Condition.choices)


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(choices=PostDecision.Kind.choices)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class MoveForm(forms.Form):
    scheduled_at = forms.DateTimeField(label=_("Move to"), widget=DATETIME_INPUT)


@dataclass(frozen=True)
class VariantField:
    """One channel's text field in the composer, with what its network allows."""

    channel: Channel
    field: forms.BoundField
    network_name: str
    limit: int


class ComposeForm(forms.Form):
    """One message, then a text per chosen channel (empty: the message as it is)."""

    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("For the team and the calendar; not published.")
    )
    message = forms.CharField(label=_("Message"), max_length=65_000, widget=forms.Textarea(attrs={"rows": 6}))
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)
    channels = forms.MultipleChoiceField(label=_("Channels"), widget=forms.CheckboxSelectMultiple)
    is_sensitive = forms.BooleanField(
        label=_("Sensitive topic"),
        required=False,
        help_text=_("A sensitive post goes through the steps set for sensitive topics, such as legal."),
    )
    scheduled_at = forms.DateTimeField(label=_("Publication time"), required=False, widget=DATETIME_INPUT)
    image = forms.FileField(label=_("Add an image"), required=False)
    image_alt = forms.CharField(
        label=_("Alternative text of the image"),
        required=False,
        max_length=MAX_ALT_TEXT,
        help_text=_("What the image shows, for people who cannot see it. Required with an image."),
    )

    def __init__(
        self,
        *args: Any,
        channels: QuerySet[Channel],
        campaigns: QuerySet[Campaign],
        media: list[PostMedia],
        zone: zoneinfo.ZoneInfo,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.channel_list = list(channels)
        self.images = media
        self.zone = zone
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]
        channel_choices = [
            (str(channel.pk), f"{channel.name} ({channel.network_enum.label})") for channel in self.channel_list
        ]
        self.fields["channels"].choices = channel_choices  # type: ignore[attr-defined]
        for channel in self.channel_list:
            self.fields[f"variant_{channel.pk}"] = forms.CharField(
                label=_("Text for %(channel)s") % {"channel": channel.name},
                required=False,
                max_length=65_000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        for item in media:
            self.fields[f"alt_{item.pk}"] = forms.CharField(
                label=_("Alternative text"), max_length=MAX_ALT_TEXT, initial=item.alt_text
            )
            self.fields[f"remove_{item.pk}"] = forms.BooleanField(label=_("Remove this image"), required=False)

    def variant_fields(self) -> list[VariantField]:
        return [
            VariantField(
                channel,
                self[f"variant_{channel.pk}"],
                NETWORKS[channel.network_enum].name,
                NETWORKS[channel.network_enum].text_limit,
            )
            for channel in self.channel_list
        ]

    def media_fields(self) -> list[tuple[PostMedia, forms.BoundField, forms.BoundField]]:
        return [(item, self[f"alt_{item.pk}"], self[f"remove_{item.pk}"]) for item in self.images]

    def chosen_channels(self) -> list[Channel]:
        if not self.is_bound:
            chosen = set(self.initial.get("channels") or [])
        elif "channels" in getattr(self, "cleaned_data", {}):
            chosen = set(self.cleaned_data["channels"])
        else:
            chosen = set(self.data.getlist("channels")) if isinstance(self.data, QueryDict) else set()
        return [channel for channel in self.channel_list if str(channel.pk) in chosen]

    def text_for(self, channel: Channel) -> str:
        """The text that goes to a channel: its own, or the message."""
        own = self._value(f"variant_{channel.pk}")
        return own or self._value("message")

    def _value(self, name: str) -> str:
        # A field with an error is not in cleaned_data, but its preview still shows what was typed.
        if not self.is_bound:
            return str(self.initial.get(name) or "").strip()
        value = getattr(self, "cleaned_data", {}).get(name)
        if value is None:
            value = self.data.get(name, "")
        return str(value or "").strip()

    def clean_scheduled_at(self) -> datetime.datetime | None:
        return in_zone(self.cleaned_data.get("scheduled_at"), self.zone)

    def clean_image(self) -> UploadedFile[Any] | None:
        image: UploadedFile[Any] | None = self.cleaned_data.get("image")
        if image is None:
            return None
        if image.size is not None and image.size > MAX_IMAGE_BYTES:
            raise forms.ValidationError(TOO_LARGE, code="too_large")
        head = image.read(12)
        image.seek(0)
        if sniff_image_type(head) is None:
            raise forms.ValidationError(NOT_AN_IMAGE, code="not_an_image")
        return image

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("image") is not None and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the image: its alternative text is required."))
        scheduled_at = cleaned.get("scheduled_at")
        if scheduled_at is not None and scheduled_at <= timezone.now():
            self.add_error("scheduled_at", _("This time has passed: choose a later one."))
        if "message" in cleaned:
            for channel in self.chosen_channels():
                self._check_length(channel)
        return cleaned

    def _check_length(self, channel: Channel) -> None:
        info = NETWORKS[channel.network_enum]
        length = text_length(channel.network, self.text_for(channel))
        if length > info.text_limit:
            self.add_error(
                f"variant_{channel.pk}",
                _("%(length)s characters as %(network)s counts them, over its limit of %(limit)s: shorten this text.")
                % {"length": length, "network": info.name, "limit": info.text_limit},
            )

    def composition(self) -> Composition:
        image: UploadedFile[Any] | None = self.cleaned_data.get("image")
        new_images: tuple[NewImage, ...] = ()
        if image is not None:
            content = image.read()
            new_images = (NewImage(content, sniff_image_type(content[:12]) or "", self.cleaned_data["image_alt"]),)
        removed = frozenset(item.pk for item in self.images if self.cleaned_data.get(f"remove_{item.pk}"))
        return Composition(
            title=self.cleaned_data["title"],
            message=self.cleaned_data["message"],
            variants={channel: self.text_for(channel) for channel in self.chosen_channels()},
            campaign=self.cleaned_data.get("campaign"),
            is_sensitive=self.cleaned_data["is_sensitive"],
            scheduled_at=self.cleaned_data.get("scheduled_at"),
            alt_texts={item.pk: self.cleaned_data[f"alt_{item.pk}"] for item in self.images if item.pk not in removed},
            removed_images=removed,
            new_images=new_images,
        )
