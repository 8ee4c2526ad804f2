import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.models import Organization, User
from portevoix.incidents.models import CATEGORY_CHOICES, Incident, Severity, Status
from portevoix.incidents.selectors import IncidentFilters, PublishedClause
from portevoix.incidents.services import TRANSITIONS, IncidentData

# A clause anchor as policies write them: "3.1", "2.1-b".
ANCHOR = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$")
_web_address = URLValidator(schemes=["http", "https"])


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _with_any(choices: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    return [("", _("Any")), *choices]


def person_by_email(organization: Organization, email: str) -> User:
    person = User.objects.filter(organization=organization, email__iexact=email.strip(), is_active=True).first()
    if person is None:
        raise ValidationError(
            _("Nobody in your organisation has the e-mail address “%(email)s”."), params={"email": email}
        )
    return person


def parse_anchors(text: str, published: list[PublishedClause] | None) -> tuple[str, ...]:
    """Anchors separated by commas, spaces or semicolons; checked against the published clauses if any."""
    anchors = tuple(dict.fromkeys(part for part in re.split(r"[\s,;]+", text) if part))
    malformed = [anchor for anchor in anchors if not ANCHOR.match(anchor)]
    if malformed:
        raise ValidationError(_("“%(anchor)s” is not a clause number, such as 3.1."), params={"anchor": malformed[0]})
    if published is not None:
        known = {clause.anchor for clause in published}
        unknown = [anchor for anchor in anchors if anchor not in known]
        if unknown:
            raise ValidationError(
                _("The published guidelines have no clause %(anchors)s. Their clauses are: %(known)s."),
                params={"anchors": ", ".join(unknown), "known": ", ".join(clause.anchor for clause in published)},
            )
    return anchors


def parse_links(text: str) -> tuple[str, ...]:
    """One web address per line; the error names the line."""
    links = []
    for number, line in enumerate(text.splitlines(), start=1):
        link = line.strip()
        if not link:
            continue
        try:
            _web_address(link)
        except ValidationError:
            raise ValidationError(
                _("Line %(line)s: “%(link)s” is not a web address starting with http:// or https://."),
                params={"line": number, "link": link},
            ) from None
        links.append(link)
    return tuple(dict.fromkeys(links))


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 5}))
    occurred_at = forms.DateTimeField(label=_("Occurred at"), widget=_datetime_input())
    detected_at = forms.DateTimeField(label=_("Detected at"), widget=_datetime_input())
    category = forms.ChoiceField(label=_("Risk category"), choices=CATEGORY_CHOICES)
    severity = forms.TypedChoiceField(label=_("Severity"), choices=Severity.choices, coerce=int)
    owner = forms.EmailField(label=_("Owner (e-mail)"), help_text=_("The person in charge of this incident."))
    clauses = forms.CharField(
        label=_("Clauses concerned"),
        required=False,
        max_length=500,
        help_text=_("Clause numbers separated by commas, e.g. 3.1, 2.1."),
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One web address per line: the post, a screenshot, a press article…"),
    )
    lessons_learned = forms.CharField(
        label=_("Lessons learned"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, data: Any = None, *, organization: Organization, published: list[PublishedClause] | None, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.organization = organization
        self.published = published

    def clean_owner(self) -> User:
        return person_by_email(self.organization, self.cleaned_data["owner"])

    def clean_clauses(self) -> tuple[str, ...]:
        return parse_anchors(self.cleaned_data["clauses"], self.published)

    def clean_links(self) -> tuple[str, ...]:
        return parse_links(self.cleaned_data["links"])

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        occurred, detected = cleaned.get("occurred_at"), cleaned.get("detected_at")
        if occurred is not None and occurred > timezone.now():
            self.add_error("occurred_at", _("This date is in the future."))
        if occurred is not None and detected is not None and detected < occurred:
            self.add_error("detected_at", _("An incident cannot be detected before it occurred."))
        return cleaned

    def incident_data(self) -> IncidentData:
        data = self.cleaned_data
        return IncidentData(
            title=data["title"].strip(),
            description=data["description"].strip(),
            occurred_at=data["occurred_at"],
            detected_at=data["detected_at"],
            category=data["category"],
            severity=data["severity"],
            owner=data["owner"],
            clauses=data["clauses"],
            links=data["links"],
            lessons_learned=data["lessons_learned"].strip(),
        )


def initial_for(incident: Incident, clauses: list[str]) -> dict[str, Any]:
    """The form's values for an existing incident, in the local time zone."""
    return {
        "title": incident.title,
        "description": incident.description,
        "occurred_at": timezone.localtime(incident.occurred_at),
        "detected_at": timezone.localtime(incident.detected_at),
        "category": incident.category,
        "severity": incident.severity,
        "owner": incident.owner.email,
        "clauses": ", ".join(clauses),
        "links": "\n".join(incident.links),
        "lessons_learned": incident.lessons_learned,
    }


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.EmailField(label=_("Owner (e-mail)"))
    due_on = forms.DateField(label=_("Due date"), widget=_date_input())
    notify_owner = forms.BooleanField(label=_("E-mail the owner"), required=False, initial=True)

    def __init__(self, data: Any = None, *, organization: Organization, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.organization = organization

    def clean_owner(self) -> User:
        return person_by_email(self.organization, self.cleaned_data["owner"])


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    closed_on = forms.DateField(
        label=_("Closed on"), required=False, widget=_date_input(), help_text=_("Today if left empty.")
    )
    lessons_learned = forms.CharField(
        label=_("Lessons learned"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to close: what the next version of the guidelines should learn from it."),
    )

    def __init__(self, data: Any = None, *, current_status: str, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        allowed = TRANSITIONS.get(current_status, frozenset())
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (status.value, status.label) for status in Status if status in allowed
        ]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        if cleaned.get("status") == Status.CLOSED and not cleaned.get("lessons_learned", "").strip():
            self.add_error("lessons_learned", _("Write the lessons learned before closing the incident."))
        return cleaned


class RegisterFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_with_any(list(Status.choices)))
    category = forms.ChoiceField(label=_("Risk category"), required=False, choices=_with_any(CATEGORY_CHOICES))
    severity = forms.TypedChoiceField(
        label=_("Severity"), required=False, coerce=int, empty_value=None, choices=_with_any(list(Severity.choices))
    )
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    clause = forms.ChoiceField(label=_("Clause"), required=False)

    def __init__(self, data: Any, *, owners: list[tuple[int, str]], clauses: list[str]) -> None:
        super().__init__(data)
        self.fields["owner"].choices = _with_any(owners)  # type: ignore[attr-defined]
        self.fields["clause"].choices = _with_any([(anchor, anchor) for anchor in clauses])  # type: ignore[attr-defined]

    def filters(self) -> IncidentFilters:
        """The valid filters; an invalid value (a stale link) is ignored rather than refused."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return IncidentFilters(
            status=data.get("status") or "",
            category=data.get("category") or "",
            severity=data.get("severity"),
            owner_id=data.get("owner"),
            clause=data.get("clause") or "",
        )
