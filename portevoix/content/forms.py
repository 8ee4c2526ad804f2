from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.models import Organization, Population
from portevoix.ambassadors.models import Topic
from portevoix.content import selectors
from portevoix.content.models import (
    SHARE_NETWORK_CHOICES,
    SHARE_NETWORKS,
    ContentItem,
    Language,
    Level,
    MessageHouseVersion,
    MessageItem,
)
from portevoix.content.services import ContentData, HouseFields, ItemData, VariantData
from portevoix.lib.networks import Network

MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class HouseForm(forms.ModelForm[MessageHouseVersion]):
    class Meta:
        model = MessageHouseVersion
        fields = ["core_message", "say", "avoid", "hashtags", "summary"]
        widgets = {
            "core_message": forms.Textarea(attrs={"rows": 2}),
            "say": forms.Textarea(attrs={"rows": 4}),
            "avoid": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"hashtags": _("Separated by spaces, e.g. #innovation #solaire.")}

    def fields_data(self) -> HouseFields:
        return HouseFields(**{name: self.cleaned_data[name] for name in self.Meta.fields})


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MessageItem.Kind.choices)
    level = forms.ChoiceField(label=_("Level of discourse"), choices=Level.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    # Not required: the empty items offered for adding more are skipped (see `items_of`).
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=3000)
    source = forms.CharField(label=_("Source"), required=False, max_length=500)
    answer = forms.CharField(label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("text", "").strip():
            return data
        if data.get("kind") == MessageItem.Kind.PROOF_POINT and not data.get("source", "").strip():
            self.add_error("source", _("A proof point needs its source: a link or a reference."))
        if data.get("kind") == MessageItem.Kind.HARD_QUESTION and not data.get("answer", "").strip():
            self.add_error("answer", _("A hard question needs the answer to give."))
        return data

    def item_data(self) -> ItemData:
        return ItemData(**{name: self.cleaned_data[name] for name in ItemForm.base_fields})


ItemFormSet = forms.formset_factory(ItemForm, extra=2, can_delete=True)


def items_of(formset: Any) -> list[ItemData]:
    return [
        form.item_data()
        for form in formset.forms
        if form.cleaned_data and form.cleaned_data.get("text", "").strip() and not form.cleaned_data.get("DELETE")
    ]


class ContentForm(forms.Form):
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none())
    message = forms.ModelChoiceField(label=_("Key message"), queryset=MessageItem.objects.none(), required=False)
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("For the library and the feed; never posted.")
    )
    link = forms.URLField(label=_("Link"), required=False, max_length=1000, assume_scheme="https")
    image = forms.ImageField(label=_("Image"), required=False, help_text=_("JPEG, PNG, GIF or WebP, 5 MB at most."))
    remove_image = forms.BooleanField(label=_("Remove the image"), required=False)
    image_alt = forms.CharField(
        label=_("Alternative text"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the image shows, for people who cannot see it. Required with an image."),
    )
    hashtags = forms.CharField(label=_("Hashtags"), required=False, max_length=500)
    networks = forms.MultipleChoiceField(
        label=_("Networks"), choices=SHARE_NETWORK_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    populations = forms.ModelMultipleChoiceField(
        label=_("Populations"),
        queryset=Population.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every ambassador."),
    )
    is_for_topic_followers_only = forms.BooleanField(
        label=_("Only for ambassadors who follow the topic"), required=False
    )
    visible_from = forms.DateTimeField(label=_("Embargo: not visible before"), required=False, widget=_datetime_input())
    visible_until = forms.DateTimeField(label=_("Expiry: hidden after"), required=False, widget=_datetime_input())

    def __init__(self, *args: Any, organization: Organization, has_image: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_image = has_image
        self.fields["topic"].queryset = selectors.topics_of(organization)  # type: ignore[attr-defined]
        self.fields["message"].queryset = selectors.key_messages(organization=organization)  # type: ignore[attr-defined]
        self.fields["message"].label_from_instance = lambda item: f"{item.version.house.topic} — {item.text[:90]}"  # type: ignore[attr-defined]
        self.fields["populations"].queryset = Population.objects.filter(organization=organization)  # type: ignore[attr-defined]

    def clean_image(self) -> UploadedFile[bytes] | None:
        image: UploadedFile[bytes] | None = self.cleaned_data.get("image")
        if image is None:
            return None
        if (image.size or 0) > MAX_IMAGE_BYTES:
            raise ValidationError(_("The image is larger than 5 MB: send a smaller one."))
        image_format = getattr(getattr(image, "image", None), "format", "")
        if image_format not in IMAGE_FORMATS:
            raise ValidationError(_("The image must be a JPEG, PNG, GIF or WebP file."))
        return image

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_image = data.get("image") is not None or (self.has_image and not data.get("remove_image"))
        if has_image and not data.get("image_alt", "").strip():
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        start, end = data.get("visible_from"), data.get("visible_until")
        if start and end and end <= start:
            self.add_error("visible_until", _("The expiry must come after the embargo."))
        return data

    def content_data(self, variants: list[VariantData]) -> ContentData:
        data = self.cleaned_data
        return ContentData(
            topic=data["topic"],
            title=data["title"],
            networks=[Network(code) for code in data["networks"]],
            variants=variants,
            message=data["message"],
            link=data["link"],
            image=data["image"],
            remove_image=data["remove_image"],
            image_alt=data["image_alt"],
            hashtags=data["hashtags"],
            populations=list(data["populations"]),
            is_for_topic_followers_only=data["is_for_topic_followers_only"],
            visible_from=data["visible_from"],
            visible_until=data["visible_until"],
        )


def content_initial(item: ContentItem) -> dict[str, Any]:
    return {
        "topic": item.topic_id,
        "message": item.message_id,
        "title": item.title,
        "link": item.link,
        "image_alt": item.image_alt,
        "hashtags": item.hashtags,
        "networks": [network.value for network in item.network_list],
        "populations": list(item.populations.all()),
        "is_for_topic_followers_only": item.is_for_topic_followers_only,
        "visible_from": item.visible_from,
        "visible_until": item.visible_until,
    }


class VariantForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    level = forms.ChoiceField(label=_("Level of discourse"), choices=Level.choices)
    # Not required: the empty variant offered for adding one is skipped (see `variants_of`).
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for network in SHARE_NETWORKS:
            self.fields[f"text_{network.value}"] = forms.CharField(
                label=_("Text for %(network)s") % {"network": network.label},
                required=False,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Leave empty to use the text above."),
            )

    def variant_data(self) -> VariantData:
        data = self.cleaned_data
        own = {network.value: data.get(f"text_{network.value}", "") for network in SHARE_NETWORKS}
        return VariantData(data["language"], data["level"], data["text"], own)


VariantFormSet = forms.formset_factory(VariantForm, extra=1, can_delete=True)


def variants_of(formset: Any) -> list[VariantData]:
    return [
        form.variant_data()
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("text", "").strip()
    ]


def variant_initial(item: ContentItem) -> list[dict[str, Any]]:
    return [
        {"language": v.language, "level": v.level, "text": v.text}
        | {f"text_{key}": value for key, value in v.network_texts.items()}
        for v in item.variants.all()
    ]


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ThresholdForm(forms.Form):
    threshold = forms.IntegerField(
        label=_("Similarity threshold (%)"),
        min_value=10,
        max_value=100,
        help_text=_(
            "Above this similarity with the suggestion or another ambassador's post, "
            "ambassadors are asked to personalise."
        ),
    )


class ShareForm(forms.Form):
    variant = forms.ChoiceField(label=_("Version"))
    network = forms.ChoiceField(label=_("Network"), widget=forms.RadioSelect)
    text = forms.CharField(label=_("Your post"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20_000)
    override_reason = forms.CharField(
        label=_("Why share it despite the warnings?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with your share, for the communication team."),
    )
    mastodon_instance = forms.CharField(
        label=_("Your Mastodon server"), required=False, max_length=253, help_text=_("For example mastodon.social.")
    )
    draft_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def clean_text(self) -> str:
        # Browsers send line breaks as CRLF; networks and the similarity measure expect LF.
        text: str = self.cleaned_data["text"]
        return text.replace("\r\n", "\n")

    def __init__(self, *args: Any, variants: list[tuple[str, str]], networks: list[Network], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["variant"].choices = variants  # type: ignore[attr-defined]
        self.fields["network"].choices = [(network.value, network.label) for network in networks]  # type: ignore[attr-defined]
