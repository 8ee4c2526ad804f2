"""Check my post in the REST API: POST /api/v1/checks, the same engine and answer as the page."""

import datetime
import re
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.throttling import SimpleRateThrottle
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from compliance_engine import Outcome
from compliance_engine.model import RiskCategory, RuleKind, Scope, Severity
from portevoix.accounts.models import User
from portevoix.accounts.permissions import authenticated_request
from portevoix.policies import checking, services

# Per person, apart from the API's general limit: a check is cheap, but a script looping on it
# would still count thousands of drafts in the statistics.
CHECK_RATE = "120/m"
# A day as the API documents it; pydantic alone would also take a number (read as a Unix time) or
# a datetime at midnight.
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

router = Router(tags=["checks"])


class CheckRateThrottle(SimpleRateThrottle):
    """Checks per person (by id, so that two people with the same name never share a limit)."""

    scope = "checks"

    def get_cache_key(self, request: HttpRequest) -> str:
        person = getattr(request, "auth", None)
        ident = f"person-{person.pk}" if isinstance(person, User) else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class CheckIn(Schema):
    text: str = Field(
        ...,
        min_length=1,
        max_length=checking.MAX_TEXT_LENGTH,
        description="The post to check, as it would be published: 1 to 20,000 characters, not only spaces and "
        "line breaks, without a null character (U+0000).",
    )
    date: datetime.date | None = Field(
        None,
        description="The day the post would be published, as a text YYYY-MM-DD, for quiet periods. Today if absent.",
    )
    scope: Scope = Field(
        Scope.EVERYONE,
        description="Who writes: `everyone` (as oneself), `ambassadors` (as an ambassador, for ambassadors only) or "
        "`official` (for an official account, for community managers and communication directors only).",
    )
    language: Literal["fr", "en"] | None = Field(
        None, description="Language of messages, suggestions and labels. The person's interface language if absent."
    )
    draft_key: str | None = Field(
        None,
        pattern=r"^[A-Za-z0-9_-]{8,64}$",
        description="Optional id of the draft being written: repeated checks with the same key count as one draft "
        "in the statistics.",
    )

    @field_validator("text")
    @classmethod
    def _text_can_be_checked(cls, text: str) -> str:
        # The same refusals as the page: a blank text is not checked (nor counted), and a null
        # character is refused with its place (see checking.null_character_position).
        if not text.strip():
            raise PydanticCustomError("text_blank", "the text holds only spaces and line breaks")
        position = checking.null_character_position(text)
        if position is not None:
            line, column = position
            raise PydanticCustomError(
                "null_character",
                "null character at line {line}, column {column}",
                {"line": line, "column": column},
            )
        return text

    @field_validator("date", mode="before")
    @classmethod
    def _date_is_a_day(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and _DAY.fullmatch(value)):
            return value
        raise PydanticCustomError("date_format", "date must be a text in the form YYYY-MM-DD")


class FindingOut(Schema):
    number: int = Field(description="Position in the list, from 1")
    rule_id: str
    kind: RuleKind
    kind_label: str
    category: RiskCategory
    category_label: str
    severity: Severity = Field(description="`block` stops the post; `warn` asks for care; `info` only tells")
    severity_label: str
    clause_id: str = Field(description="The clause of the guidelines the rule cites")
    clause_title: str
    start: int = Field(description="Start of the flagged span in the text, in characters from 0")
    end: int = Field(description="End of the span (excluded)")
    line: int = Field(description="Line of the start, from 1")
    column: int = Field(description="Column of the start, in characters from 1")
    matched: str = Field(description="The flagged text, as written")
    message: str = Field(description="Why it is flagged")
    suggestion: str = Field(description="How to fix it")
    detail: str = Field(description="The term, detector, link problem, wording or pattern behind the finding")


class CheckOut(Schema):
    outcome: Outcome
    outcome_label: str
    blocks: bool = Field(description="Whether a finding of severity `block` forbids publishing the post")
    policy_version: int | None = Field(description="The policy version the text was checked against")
    language: str
    scope: Scope
    date: datetime.date
    findings: list[FindingOut] = Field(description="Sorted by position in the text")


class CheckErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    type: str = Field(description="What is wrong, for programs: `missing`, `text_blank`, `date_format`…")
    loc: list[str | int] = Field(description='Where, for programs: `["body", "payload", <field>]`')
    field: str = Field(description="The field at fault")
    msg: str = Field(description="What is wrong and what is expected, in the language of the check")


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


@router.post(
    "",
    response={200: CheckOut, 401: CheckErrorOut, 403: CheckErrorOut, 409: CheckErrorOut, 422: ValidationErrorOut},
    summary="Check a post against the policy",
    description=(
        "Checks a draft against the organisation's published policy, as the “Check my post” page does, and returns "
        "the verdict (`fine`, `careful`, `do_not_publish`, `ask_communication_team`) with every finding: its span, "
        "rule, risk category, severity, clause and suggestion, with labels in the requested language.\n\n"
        "The text is not stored unless the organisation archives checked drafts; each check is counted in the "
        "statistics (once per `draft_key`).\n\n"
        "Errors: **401** without a valid token or session; **422** for an invalid body (an empty or blank text, "
        "more than 20,000 characters, a null character, a date not written YYYY-MM-DD, a bad scope), with one "
        "entry per field at fault and messages in the language of the check (`language`, else the person's); "
        "**403** for a scope the person does not hold, or a session request without its CSRF token; **409** when "
        "the organisation has not published a policy yet; **429** beyond 120 checks a minute per person. "
        "A refused check is not counted in the statistics."
    ),
    throttle=[CheckRateThrottle(CHECK_RATE)],
)
def check_post(request: HttpRequest, payload: CheckIn) -> dict[str, object]:
    user = authenticated_request(request).user
    language = payload.language or user.language
    with translation.override(language):
        scopes = services.scopes_for(user)
        if payload.scope not in scopes:
            raise HttpError(
                403,
                _("You cannot check a text with the scope “%(scope)s”; yours: %(scopes)s.")
                % {"scope": payload.scope.value, "scopes": ", ".join(scope.value for scope in scopes)},
            )
        date = payload.date or timezone.localdate()
        checked = services.check_text(
            user=user,
            text=payload.text,
            date=date,
            scope=payload.scope,
            language=language,
            channel="api",
            draft_key=payload.draft_key or "",
        )
        if checked is None:
            raise HttpError(
                409, _("Your organisation has not published a policy yet: there is nothing to check against.")
            )
    verdict, version = checked
    report = checking.report(
        verdict,
        services.policy_of(version),
        text=payload.text,
        language=language,
        scope=payload.scope,
        date=date,
        policy_version=version.number,
    )
    return checking.report_data(report)
