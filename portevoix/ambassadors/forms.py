"""Forms of the programme: they parse and validate; the services decide."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.models import Department, Entity, Organization, Population, User
from portevoix.ambassadors.invitations import MAX_MESSAGE_LENGTH
from portevoix.ambassadors.languages import LANGUAGE_NAMES
from portevoix.ambassadors.models import AMBASSADOR_NETWORKS, Audience, Topic, TopicTarget
from portevoix.ambassadors.population_rules import RuleConditions
from portevoix.ambassadors.services import NetworkDeclaration, TopicFields
from portevoix.lib.networks import Network

LANGUAGE_CHOICES = list(LANGUAGE_NAMES.items())
MAX_TARGET = 10_000


def _languages_field(label: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=LANGUAGE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )


class ProfileForm(forms.Form):
    """What a person declares: expertise, languages, interest, and one block per network."""

    expertise = forms.CharField(
        label=_("Your expertise"),
        max_length=500,
        required=False,
        help_text=_("Subjects you know well, separated by commas (e.g. hydrogen, wind power, recruiting)."),
    )
    posting_languages = _languages_field(_("Languages you post in"))
    is_interested = forms.BooleanField(
        label=_("I would like to hear about becoming an ambassador"),
        required=False,
        help_text=_("The communication team may then invite you. You can change your mind at any time."),
    )

    def __init__(self, *args: Any, topics: QuerySet[Topic] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if topics is not None:
            # Only ambassadors choose topics: the others are invited to one.
            self.fields["topics"] = forms.ModelMultipleChoiceField(
                label=_("The topics you speak about"),
                queryset=topics,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        for network in AMBASSADOR_NETWORKS:
            self.fields[f"{network}_present"] = forms.BooleanField(label=network.label, required=False)
            self.fields[f"{network}_handle"] = forms.CharField(
                label=_("Handle or profile address"), max_length=200, required=False
            )
            self.fields[f"{network}_audience"] = forms.ChoiceField(
                label=_("Audience"), choices=Audience.choices, initial=Audience.UNDER_500
            )
        self.fields["mastodon_instance"] = forms.CharField(
            label=_("Your Mastodon server"),
            max_length=253,
            required=False,
            help_text=_("For example mastodon.social: its share page is there."),
        )

    def network_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "network": network,
                "present": self[f"{network}_present"],
                "handle": self[f"{network}_handle"],
                "audience": self[f"{network}_audience"],
                "instance": self["mastodon_instance"] if network == Network.MASTODON else None,
            }
            for network in AMBASSADOR_NETWORKS
        ]

    def declarations(self) -> list[NetworkDeclaration]:
        data = self.cleaned_data
        return [
            NetworkDeclaration(
                network=network,
                handle=data[f"{network}_handle"],
                instance=data["mastodon_instance"] if network == Network.MASTODON else "",
                audience=Audience(data[f"{network}_audience"]),
            )
            for network in AMBASSADOR_NETWORKS
            if data[f"{network}_present"]
        ]


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you leaving? (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    deletes_profile = forms.BooleanField(
        label=_("Also delete what I declared (networks, audience, expertise, languages)"), required=False
    )


class AcceptForm(forms.Form):
    has_agreed = forms.BooleanField(
        label=_("I have read what joining means and which data is used, and I want to join."),
        error_messages={"required": _("Tick the box to say you agree, or decline the invitation.")},
    )


class TopicForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Key"), max_length=80, help_text=_("Short and stable, in letters, digits and hyphens: employer-brand.")
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5_000
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        max_length=500,
        required=False,
        help_text=_("Words that describe the topic, separated by commas; matched against declared expertise."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    populations = forms.ModelMultipleChoiceField(
        label=_("Populations that fit"),
        queryset=Population.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["populations"].queryset = Population.objects.filter(organization=organization)  # type: ignore[attr-defined]
        for code, name in LANGUAGE_CHOICES:
            self.fields[f"language_{code}"] = forms.IntegerField(
                label=str(name), min_value=0, max_value=MAX_TARGET, required=False
            )
        for network in AMBASSADOR_NETWORKS:
            self.fields[f"network_{network}"] = forms.IntegerField(
                label=network.label, min_value=0, max_value=MAX_TARGET, required=False
            )

    @classmethod
    def initial_for(cls, topic: Topic) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": topic.name,
            "slug": topic.slug,
            "description": topic.description,
            "keywords": topic.keywords,
            "is_active": topic.is_active,
            "populations": list(topic.populations.all()),
        }
        for target in topic.targets.all():
            initial[f"{target.dimension}_{target.value}"] = target.wanted
        return initial

    def language_fields(self) -> list[forms.BoundField]:
        return [self[f"language_{code}"] for code, _name in LANGUAGE_CHOICES]

    def network_fields(self) -> list[forms.BoundField]:
        return [self[f"network_{network}"] for network in AMBASSADOR_NETWORKS]

    def topic_fields(self) -> TopicFields:
        data = self.cleaned_data
        targets = {
            (TopicTarget.Dimension.LANGUAGE.value, code): data[f"language_{code}"] or 0 for code, _n in LANGUAGE_CHOICES
        }
        networks = AMBASSADOR_NETWORKS
        targets |= {(TopicTarget.Dimension.NETWORK.value, str(n)): data[f"network_{n}"] or 0 for n in networks}
        return TopicFields(
            slug=data["slug"],
            name=data["name"],
            description=data["description"],
            keywords=data["keywords"],
            is_active=data["is_active"],
            population_ids=frozenset(population.pk for population in data["populations"]),
            targets={key: wanted for key, wanted in targets.items() if wanted},
        )


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Campaign name"), max_length=200)
    message = forms.CharField(
        label=_("Your message"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Sent as you write it, inside an e-mail that gives the link to answer and says, in the invitee's "
            "language, that joining is voluntary."
        ),
    )
    people = forms.ModelMultipleChoiceField(
        label=_("People to invite"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person to invite.")},
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = User.objects.filter(organization=organization, is_active=True).order_by("full_name")
        self.fields["people"].queryset = people  # type: ignore[attr-defined]


class RuleForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label=_("Department is one of"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    entities = forms.ModelMultipleChoiceField(
        label=_("Entity is one of"), queryset=Entity.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    job_title_words = forms.CharField(
        label=_("Job title contains one of"),
        max_length=500,
        required=False,
        help_text=_("Words separated by commas: engineer, researcher."),
    )
    locations = forms.CharField(
        label=_("Location is one of"), max_length=500, required=False, help_text=_("Separated by commas: Lyon, Paris.")
    )
    languages = _languages_field(_("Speaks one of"))
    hired_within_months = forms.IntegerField(
        label=_("Hired less than … months ago"), min_value=1, max_value=600, required=False
    )
    hired_over_months = forms.IntegerField(
        label=_("Hired more than … months ago"), min_value=0, max_value=600, required=False
    )
    requires_interest = forms.BooleanField(label=_("Said they would like to hear about the programme"), required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.filter(organization=organization)  # type: ignore[attr-defined]
        self.fields["entities"].queryset = Entity.objects.filter(organization=organization)  # type: ignore[attr-defined]

    def conditions(self) -> RuleConditions:
        data = self.cleaned_data
        return RuleConditions(
            department_ids=frozenset(item.pk for item in data["departments"]),
            entity_ids=frozenset(item.pk for item in data["entities"]),
            job_title_words=tuple(part.strip() for part in data["job_title_words"].split(",") if part.strip()),
            locations=tuple(part.strip() for part in data["locations"].split(",") if part.strip()),
            languages=tuple(data["languages"]),
            hired_within_months=data["hired_within_months"],
            hired_over_months=data["hired_over_months"],
            requires_interest=data["requires_interest"],
        )


class PopulationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Key"), max_length=80, help_text=_("Short and stable: sales-experts."))


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail of the person"))

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        person = User.objects.filter(organization=self.organization, email__iexact=email, is_active=True).first()
        if person is None:
            raise ValidationError(
                _("Nobody in your organisation has the e-mail address “%(email)s”."), params={"email": email}
            )
        return person


class RemoveForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
