"""Forms of the policy editor. Each one reads from and builds part of a `compliance_engine` policy.

The engine's dataclasses stay the model: a form starts from the latest version's policy, and its
`build` returns a changed copy, which `services.save_version` stores as a new version.
"""

import dataclasses
import datetime
import re
from abc import abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from compliance_engine import Outcome
from compliance_engine.custom import CustomChecker
from compliance_engine.model import (
    DISCLOSURE_WORDINGS,
    Clause,
    CustomPatternSettings,
    Detector,
    DisclosureSettings,
    LinkSettings,
    PersonalDataSettings,
    Policy,
    Qualifier,
    QuietPeriodSettings,
    RiskCategory,
    Rule,
    RuleKind,
    RuleSettings,
    Scope,
    Severity,
    TermEntry,
    TermListSettings,
    TestCase,
    ToneCategory,
    ToneSettings,
    localized,
)
from compliance_engine.normalize import fold_term
from portevoix.policies.checking import CATEGORY_LABELS, KIND_LABELS, OUTCOME_LABELS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SEVERITY_CHOICES = [
    (Severity.BLOCK.value, _("Block: do not publish")),
    (Severity.WARN.value, _("Warn: be careful")),
    (Severity.INFO.value, _("Information only")),
]
SCOPE_CHOICES = [
    (Scope.EVERYONE.value, _("Everyone")),
    (Scope.AMBASSADORS.value, _("Ambassadors")),
    (Scope.OFFICIAL.value, _("Official accounts")),
]
CATEGORY_CHOICES = [(category.value, label) for category, label in CATEGORY_LABELS.items()]
KIND_CHOICES = [(kind.value, label) for kind, label in KIND_LABELS.items()]
DETECTOR_CHOICES = [
    (Detector.EMAIL.value, _("E-mail addresses")),
    (Detector.PHONE.value, _("Phone numbers")),
    (Detector.IBAN.value, _("Bank account numbers (IBAN)")),
    (Detector.NIR.value, _("French social security numbers")),
    (Detector.CARD.value, _("Payment card numbers")),
]
TONE_CHOICES = [
    (ToneCategory.INSULT.value, _("Insults aimed at a person")),
    (ToneCategory.THREAT.value, _("Threats")),
    (ToneCategory.HARASSMENT.value, _("Harassment")),
]
JURISDICTION_CHOICES = [
    ("FR", _("France: law 2023-451 on commercial influence")),
    ("US-FTC", _("United States: FTC endorsement guides")),
    ("US-FINRA", _("United States: FINRA rule 2210 (financial firms)")),
]
_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
_OPTIONS = re.compile(r"^(?P<term>[^\[\]]+?)\s*(?:\[(?P<options>[^\[\]]*)\])?\s*$")
# The longest term the forms accept. Code names, products and clients are a few words; a longer
# line is a paragraph pasted by mistake, which would never match a post. docs/policy-format.md.
TERM_MAX_LENGTH = 200
# How much of a term or pattern a message quotes.
EXCERPT_LENGTH = 60


def _lines(value: str) -> tuple[str, ...]:
    """The non-empty lines of a text area, stripped, in order, without repeats."""
    seen: dict[str, None] = {}
    for line in value.splitlines():
        if stripped := line.strip():
            seen.setdefault(stripped, None)
    return tuple(seen)


def format_entry(entry: TermEntry) -> str:
    """One line of the term text area: the term, then its context options in brackets."""
    options = []
    if entry.context_words:
        options.append("context: " + ", ".join(entry.context_words))
    if entry.qualifiers:
        options.append("qualifiers: " + ", ".join(sorted(qualifier.value for qualifier in entry.qualifiers)))
    if entry.clearing_words:
        options.append("clear: " + ", ".join(entry.clearing_words))
    return f"{entry.text} [{'; '.join(options)}]" if options else entry.text


@dataclasses.dataclass(frozen=True)
class TermLine:
    """A term as read from one line of the term text area; `number` counts every line, blank ones too."""

    number: int
    line: str
    entry: TermEntry


def _read_term_line(number: int, line: str) -> TermEntry:
    match = _OPTIONS.match(line)
    if match is None:
        raise ValidationError(
            _("Line %(number)s: brackets are for options only, at the end of the line."), params={"number": number}
        )
    options: dict[str, tuple[str, ...]] = {}
    for part in (match["options"] or "").split(";"):
        if not part.strip():
            continue
        name, separator, words = part.partition(":")
        name = name.strip().lower()
        if not separator or name not in {"context", "qualifiers", "clear"}:
            raise ValidationError(
                _("Line %(number)s: unknown option “%(option)s”; use context, qualifiers or clear."),
                params={"number": number, "option": part.strip()},
            )
        options[name] = tuple(word.strip() for word in words.split(",") if word.strip())
    qualifiers = set()
    for word in options.get("qualifiers", ()):
        try:
            qualifiers.add(Qualifier(word.lower()))
        except ValueError:
            raise ValidationError(
                _("Line %(number)s: unknown qualifier “%(word)s”; use hashtag or capitalised."),
                params={"number": number, "word": word},
            ) from None
    return TermEntry(
        text=match["term"].strip(),
        context_words=options.get("context", ()),
        qualifiers=frozenset(qualifiers),
        clearing_words=options.get("clear", ()),
    )


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


def parse_term_lines(value: str) -> tuple[TermLine, ...]:
    """Read the term text area: one term per line, with options such as `Atlas [context: projet; clear: carte]`.

    Every line is read, repeats included (`merge_repeats` finds them); a term longer than
    `TERM_MAX_LENGTH` is refused, naming each such line.
    """
    lines = tuple(
        TermLine(number, line.strip(), _read_term_line(number, line.strip()))
        for number, line in enumerate(value.splitlines(), start=1)
        if line.strip()
    )
    too_long = [
        ValidationError(
            _("Line %(number)s “%(term)s” is %(length)s characters long: a term has at most %(limit)s."),
            params={
                "number": line.number,
                "term": _excerpt(line.entry.text),
                "length": len(line.entry.text),
                "limit": TERM_MAX_LENGTH,
            },
        )
        for line in lines
        if len(line.entry.text) > TERM_MAX_LENGTH
    ]
    if too_long:
        raise ValidationError(too_long)
    return lines


def merge_repeats(lines: tuple[TermLine, ...]) -> tuple[tuple[TermLine, ...], list[ValidationError]]:
    """The lines without repeats, and a message for each repeat taken out.

    Two terms are the same when matching treats them so (`fold_term`: case, accents, spaces); the
    first line is kept with its context, qualifiers and clearing words, as it was there first.
    """
    first_lines: dict[str, TermLine] = {}
    notes = []
    for line in lines:
        first = first_lines.setdefault(fold_term(line.entry.text), line)
        if first is line:
            continue
        params = {
            "number": line.number,
            "term": _excerpt(line.entry.text),
            "first_number": first.number,
            "first_term": _excerpt(first.entry.text),
        }
        if dataclasses.replace(line.entry, text=first.entry.text) == first.entry:
            message = _("Line %(number)s “%(term)s” repeats line %(first_number)s “%(first_term)s”: kept once.")
        else:
            message = _(
                "Line %(number)s “%(term)s” repeats line %(first_number)s “%(first_term)s” with other settings: "
                "kept once, with the context, qualifiers and clearing words of line %(first_number)s."
            )
        notes.append(ValidationError(message, params=params))
    return tuple(first_lines.values()), notes


class ClauseForm(forms.Form):
    clause_id = forms.CharField(label=_("Number"), max_length=40, help_text=_("As in the guidelines, e.g. 3.2."))
    category = forms.ChoiceField(label=_("Risk category"), choices=CATEGORY_CHOICES)
    title_fr = forms.CharField(label=_("Title in French"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200)

    def __init__(self, *args: Any, policy: Policy, clause: Clause | None = None, **kwargs: Any) -> None:
        if clause is not None:
            kwargs.setdefault(
                "initial",
                {
                    "clause_id": clause.id,
                    "category": clause.category.value,
                    "title_fr": clause.title.get("fr", ""),
                    "title_en": clause.title.get("en", ""),
                },
            )
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.clause = clause

    def clean_clause_id(self) -> str:
        clause_id: str = self.cleaned_data["clause_id"].strip()
        taken = {clause.id for clause in self.policy.clauses} - ({self.clause.id} if self.clause else set())
        if clause_id in taken:
            raise ValidationError(_("Another clause already has this number."))
        return clause_id

    def build(self) -> Policy:
        data = self.cleaned_data
        new = Clause(
            id=data["clause_id"],
            title={"fr": data["title_fr"], "en": data["title_en"]},
            category=RiskCategory(data["category"]),
        )
        if self.clause is None:
            return dataclasses.replace(self.policy, clauses=(*self.policy.clauses, new))
        clauses = tuple(new if clause.id == self.clause.id else clause for clause in self.policy.clauses)
        rules = tuple(
            dataclasses.replace(rule, clause_id=new.id) if rule.clause_id == self.clause.id else rule
            for rule in self.policy.rules
        )
        return dataclasses.replace(self.policy, clauses=clauses, rules=rules)


class RuleForm(forms.Form):
    """The fields every rule has; subclasses add their kind's settings."""

    kind: RuleKind
    rule_id = forms.CharField(
        label=_("Identifier"),
        max_length=100,
        help_text=_("Lowercase letters, digits, dots and dashes; findings and test cases name the rule by it."),
    )
    clause = forms.ChoiceField(label=_("Clause it cites"))
    severity = forms.ChoiceField(label=_("Severity"), choices=SEVERITY_CHOICES)
    scope = forms.MultipleChoiceField(
        label=_("Applies to posts written by"), choices=SCOPE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    message_fr = forms.CharField(label=_("Message in French"), max_length=500)
    message_en = forms.CharField(label=_("Message in English"), max_length=500)
    suggestion_fr = forms.CharField(label=_("Suggested fix in French"), max_length=500, required=False)
    suggestion_en = forms.CharField(label=_("Suggested fix in English"), max_length=500, required=False)

    def __init__(self, *args: Any, policy: Policy, rule: Rule | None = None, **kwargs: Any) -> None:
        if rule is not None:
            initial = {
                "rule_id": rule.id,
                "clause": rule.clause_id,
                "severity": rule.severity.value,
                "scope": sorted(scope.value for scope in rule.scope),
                "message_fr": rule.message.get("fr", ""),
                "message_en": rule.message.get("en", ""),
                "suggestion_fr": rule.suggestion.get("fr", ""),
                "suggestion_en": rule.suggestion.get("en", ""),
            }
            initial.update(self.settings_initial(rule.settings))
            kwargs.setdefault("initial", initial)
        else:
            kwargs.setdefault("initial", {"scope": [Scope.EVERYONE.value], "severity": Severity.WARN.value})
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.rule = rule
        language = (get_language() or "fr")[:2]
        self.fields["clause"].choices = [  # type: ignore[attr-defined]
            (clause.id, f"{clause.id} · {localized(clause.title, language)}") for clause in policy.clauses
        ]

    def _show_instead(self, name: str, value: str) -> None:
        """Show `value` in the field `name` when the form is shown again, instead of what was sent."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data[self.add_prefix(name)] = value
        self.data = data

    # Each rule kind's form defines these two; RULE_FORMS lists only such subclasses. (Django's
    # form metaclass does not combine with ABCMeta, so mypy alone enforces the contract.)
    @abstractmethod
    def settings_initial(self, settings: Any) -> dict[str, Any]:
        """The form's initial values for the kind's settings."""

    @abstractmethod
    def build_settings(self) -> RuleSettings:
        """The kind's settings from the cleaned data."""

    def clean_rule_id(self) -> str:
        rule_id: str = self.cleaned_data["rule_id"].strip()
        if not _RULE_ID.match(rule_id):
            raise ValidationError(_("Use lowercase letters, digits, dots and dashes, starting with a letter or digit."))
        taken = {rule.id for rule in self.policy.rules} - ({self.rule.id} if self.rule else set())
        if rule_id in taken:
            raise ValidationError(_("Another rule already has this identifier."))
        return rule_id

    def build(self) -> Policy:
        data = self.cleaned_data
        new = Rule(
            id=data["rule_id"],
            severity=Severity(data["severity"]),
            scope=frozenset(Scope(value) for value in data["scope"]),
            clause_id=data["clause"],
            message={"fr": data["message_fr"], "en": data["message_en"]},
            suggestion={
                language: text
                for language, text in (("fr", data["suggestion_fr"]), ("en", data["suggestion_en"]))
                if text
            },
            settings=self.build_settings(),
        )
        if self.rule is None:
            return dataclasses.replace(self.policy, rules=(*self.policy.rules, new))
        rules = tuple(new if rule.id == self.rule.id else rule for rule in self.policy.rules)
        return dataclasses.replace(self.policy, rules=rules)


_TERMS_HELP = _(
    "One term per line; paste a whole list at once. A common word that is also a code name can require "
    "context: “Atlas [context: projet, project; qualifiers: hashtag, capitalised]” counts only near one of the "
    "context words, as a hashtag or capitalised mid-sentence; “Mistral [clear: vent, wind]” never counts next "
    "to a clearing word."
)


class TermsForm(RuleForm):
    kind = RuleKind.TERMS
    terms = forms.CharField(label=_("Terms"), widget=forms.Textarea(attrs={"rows": 14}), help_text=_TERMS_HELP)

    def settings_initial(self, settings: TermListSettings) -> dict[str, Any]:
        return {"terms": "\n".join(format_entry(entry) for entry in settings.entries)}

    def clean_terms(self) -> tuple[TermEntry, ...]:
        kept, repeats = merge_repeats(parse_term_lines(self.cleaned_data["terms"]))
        if not kept:
            raise ValidationError(_("Give at least one term."))
        if repeats:
            # Shown before saving rather than after: the person sees which line won before a new
            # version exists, and saves the list as it now stands with one more click.
            self._show_instead("terms", "\n".join(line.line for line in kept))
            check_again = _("The repeated lines are now out of the list below: check it and save again.")
            raise ValidationError([*repeats, ValidationError(check_again)])
        return tuple(line.entry for line in kept)

    def build_settings(self) -> RuleSettings:
        return TermListSettings(entries=self.cleaned_data["terms"])


class QuietPeriodForm(TermsForm):
    kind = RuleKind.QUIET_PERIOD
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))

    # Every rule's own fields first, as on the other kinds' forms, then the period and its terms.
    field_order = [*RuleForm.base_fields, "start", "end", "terms"]

    def settings_initial(self, settings: QuietPeriodSettings) -> dict[str, Any]:  # type: ignore[override]
        return {
            "start": settings.start,
            "end": settings.end,
            "terms": "\n".join(format_entry(entry) for entry in settings.entries),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: datetime.date | None = data.get("start")
        end: datetime.date | None = data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day is before the first day."))
        return data

    def build_settings(self) -> RuleSettings:
        data = self.cleaned_data
        return QuietPeriodSettings(start=data["start"], end=data["end"], entries=data["terms"])


def _checkboxes(
    label: "StrOrPromise", choices: Sequence[tuple[str, "StrOrPromise"]], *, none_ticked: "StrOrPromise"
) -> forms.MultipleChoiceField:
    """Boxes to tick, at least one: `none_ticked` says so, and how to do without the rule."""
    return forms.MultipleChoiceField(
        label=label, choices=choices, widget=forms.CheckboxSelectMultiple, error_messages={"required": none_ticked}
    )


class PersonalDataForm(RuleForm):
    kind = RuleKind.PERSONAL_DATA
    detectors = _checkboxes(
        _("Detectors that are on"),
        DETECTOR_CHOICES,
        none_ticked=_(
            "Choose at least one detector. To stop checking personal data, remove this rule on the policy page."
        ),
    )

    def settings_initial(self, settings: PersonalDataSettings) -> dict[str, Any]:
        return {"detectors": sorted(detector.value for detector in settings.detectors)}

    def build_settings(self) -> RuleSettings:
        return PersonalDataSettings(detectors=frozenset(Detector(value) for value in self.cleaned_data["detectors"]))


def _domain_lines(value: str) -> tuple[str, ...]:
    domains = tuple(line.lower().removeprefix("www.") for line in _lines(value))
    for domain in domains:
        if "/" in domain or " " in domain or "." not in domain:
            raise ValidationError(
                _("“%(domain)s” is not a domain name such as example.com."), params={"domain": domain}
            )
    return domains


class LinksForm(RuleForm):
    kind = RuleKind.LINKS
    own_domains = forms.CharField(
        label=_("The organisation's own domains"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line. Always allowed; look-alikes of them are flagged."),
    )
    blocked_domains = forms.CharField(
        label=_("Blocked domains"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    allowed_domains = forms.CharField(
        label=_("Allowed domains"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    only_allowed = forms.BooleanField(label=_("Flag every domain that is not allowed"), required=False)
    flag_lookalikes = forms.BooleanField(label=_("Flag domains that imitate our own"), required=False)
    shorteners = forms.CharField(
        label=_("Link shorteners to flag"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def settings_initial(self, settings: LinkSettings) -> dict[str, Any]:
        return {
            "own_domains": "\n".join(settings.own_domains),
            "blocked_domains": "\n".join(settings.blocked_domains),
            "allowed_domains": "\n".join(settings.allowed_domains),
            "only_allowed": settings.only_allowed,
            "flag_lookalikes": settings.flag_lookalikes,
            "shorteners": "\n".join(settings.shorteners),
        }

    def clean_own_domains(self) -> tuple[str, ...]:
        return _domain_lines(self.cleaned_data["own_domains"])

    def clean_blocked_domains(self) -> tuple[str, ...]:
        return _domain_lines(self.cleaned_data["blocked_domains"])

    def clean_allowed_domains(self) -> tuple[str, ...]:
        return _domain_lines(self.cleaned_data["allowed_domains"])

    def clean_shorteners(self) -> tuple[str, ...]:
        return _domain_lines(self.cleaned_data["shorteners"])

    def build_settings(self) -> RuleSettings:
        data = self.cleaned_data
        return LinkSettings(
            own_domains=data["own_domains"],
            blocked_domains=data["blocked_domains"],
            allowed_domains=data["allowed_domains"],
            only_allowed=data["only_allowed"],
            shorteners=data["shorteners"],
            flag_lookalikes=data["flag_lookalikes"],
        )


def _quoted(wordings: Sequence[str]) -> str:
    return ", ".join(_("“%(wording)s”") % {"wording": wording} for wording in wordings)


def _wordings_help() -> str:
    """What the wordings box is for, with the built-in wordings of each jurisdiction."""
    built_in = format_html_join(
        "",
        "<li>{}</li>",
        (
            (
                _("%(jurisdiction)s: %(wordings)s")
                % {"jurisdiction": label, "wordings": _quoted(DISCLOSURE_WORDINGS[value])},
            )
            for value, label in JURISDICTION_CHOICES
        ),
    )
    return format_html(
        "{}<ul>{}</ul>",
        _(
            "One per line; {company} stands for each name of the company. The first one is suggested. Leave empty "
            "to use the built-in wordings of the jurisdiction chosen above:"
        ),
        built_in,
    )


class DisclosureForm(RuleForm):
    kind = RuleKind.DISCLOSURE
    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"), choices=JURISDICTION_CHOICES)
    company_names = forms.CharField(
        label=_("Names of the company"), widget=forms.Textarea(attrs={"rows": 2}), help_text=_("One per line.")
    )
    accepted_wordings = forms.CharField(
        label=_("Accepted disclosure wordings of your own"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    product_names = forms.CharField(
        label=_("Products and offers"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    company_domains = forms.CharField(
        label=_("Company domains"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    hiring_phrases = forms.CharField(
        label=_("Calls to apply for a job"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One per line. Leave empty to use the built-in French and English list."),
    )

    def __init__(self, *args: Any, policy: Policy, rule: Rule | None = None, **kwargs: Any) -> None:
        super().__init__(*args, policy=policy, rule=rule, **kwargs)
        jurisdiction = rule.settings.jurisdiction if rule and isinstance(rule.settings, DisclosureSettings) else None
        if jurisdiction is not None and jurisdiction not in DISCLOSURE_WORDINGS:
            # A name of one's own, written in the policy file: offered, so that saving keeps it.
            self.fields["jurisdiction"].choices = [  # type: ignore[attr-defined]
                *JURISDICTION_CHOICES,
                (jurisdiction, _("%(name)s (a jurisdiction of your own)") % {"name": jurisdiction}),
            ]
        self.fields["accepted_wordings"].help_text = _wordings_help()

    def settings_initial(self, settings: DisclosureSettings) -> dict[str, Any]:
        uses_built_in = settings.accepted_wordings == DISCLOSURE_WORDINGS.get(settings.jurisdiction)
        return {
            "jurisdiction": settings.jurisdiction,
            "company_names": "\n".join(settings.company_names),
            # Empty when they are the jurisdiction's own, so that choosing another jurisdiction
            # brings its wordings instead of keeping these as if they were the rule's.
            "accepted_wordings": "" if uses_built_in else "\n".join(settings.accepted_wordings),
            "product_names": "\n".join(settings.product_names),
            "company_domains": "\n".join(settings.company_domains),
            "hiring_phrases": "\n".join(settings.hiring_phrases),
        }

    def clean_company_domains(self) -> tuple[str, ...]:
        return _domain_lines(self.cleaned_data["company_domains"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        jurisdiction = data.get("jurisdiction")
        if jurisdiction and jurisdiction not in DISCLOSURE_WORDINGS and not _lines(data.get("accepted_wordings", "")):
            self.add_error(
                "accepted_wordings",
                _("%(jurisdiction)s has no built-in wordings: give at least one.") % {"jurisdiction": jurisdiction},
            )
        return data

    def build_settings(self) -> RuleSettings:
        data = self.cleaned_data
        settings = DisclosureSettings(
            jurisdiction=data["jurisdiction"],
            company_names=_lines(data["company_names"]),
            accepted_wordings=_lines(data["accepted_wordings"]) or DISCLOSURE_WORDINGS[data["jurisdiction"]],
            product_names=_lines(data["product_names"]),
            company_domains=data["company_domains"],
        )
        if hiring := _lines(data["hiring_phrases"]):
            settings = dataclasses.replace(settings, hiring_phrases=hiring)
        return settings


class ToneForm(RuleForm):
    kind = RuleKind.TONE
    categories = _checkboxes(
        _("Flag"),
        TONE_CHOICES,
        none_ticked=_(
            "Choose at least one kind of words to flag. To stop checking tone, remove this rule on the policy page."
        ),
    )

    def settings_initial(self, settings: ToneSettings) -> dict[str, Any]:
        return {"categories": sorted(category.value for category in settings.categories)}

    def build_settings(self) -> RuleSettings:
        return ToneSettings(categories=frozenset(ToneCategory(value) for value in self.cleaned_data["categories"]))


def _pattern_error(number: int, pattern: str) -> ValidationError | None:
    """Why the engine would refuse a pattern, in the reader's language; None if it takes it.

    The engine says it in English, about a line of the policy file: here the person typed the
    pattern, so the message names it. Python's own description of a syntax error is English too;
    only its position is kept, the same position the file import gives.
    """
    try:
        re.compile(pattern)
        CustomChecker(CustomPatternSettings(patterns=(pattern,)))
    except re.error as error:
        return _invalid_pattern(number, pattern, error)
    except ValueError as error:
        if isinstance(error.__cause__, re.error):  # only its folded form fails to compile
            return _invalid_pattern(number, pattern, error.__cause__)
        return ValidationError(
            _(
                "Pattern %(number)s “%(pattern)s” can match an empty text, so it would flag every post. Make it "
                "require at least one character: “a+” instead of “a*”, for example."
            ),
            params={"number": number, "pattern": _excerpt(pattern)},
        )
    return None


def _invalid_pattern(number: int, pattern: str, error: re.error) -> ValidationError:
    position = min(error.pos or 0, len(pattern) - 1)
    return ValidationError(
        _(
            "Pattern %(number)s “%(pattern)s” is not a valid regular expression: the problem is at position "
            "%(position)s, at “%(rest)s”. Check its brackets, parentheses and backslashes."
        ),
        params={
            "number": number,
            "pattern": _excerpt(pattern),
            "position": error.pos or 0,
            "rest": _excerpt(pattern[position:]),
        },
    )


class CustomForm(RuleForm):
    kind = RuleKind.CUSTOM
    patterns = forms.CharField(
        label=_("Patterns"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One regular expression per line, matched ignoring case and accents, e.g. INC-\\d{6}."),
    )

    def settings_initial(self, settings: CustomPatternSettings) -> dict[str, Any]:
        return {"patterns": "\n".join(settings.patterns)}

    def clean_patterns(self) -> tuple[str, ...]:
        patterns = _lines(self.cleaned_data["patterns"])
        if not patterns:
            raise ValidationError(_("Give at least one pattern."))
        errors = [_pattern_error(number, pattern) for number, pattern in enumerate(patterns, start=1)]
        if refused := [error for error in errors if error is not None]:
            raise ValidationError(refused)
        return patterns

    def build_settings(self) -> RuleSettings:
        return CustomPatternSettings(patterns=self.cleaned_data["patterns"])


RULE_FORMS: dict[RuleKind, type[RuleForm]] = {
    form.kind: form
    for form in (TermsForm, QuietPeriodForm, PersonalDataForm, LinksForm, DisclosureForm, ToneForm, CustomForm)
}


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("What changed"), max_length=300, required=False, help_text=_("Shown in the version history.")
    )


class SourceForm(forms.Form):
    """The whole policy file, uploaded or edited as text."""

    file = forms.FileField(
        label=_("Policy file"), required=False, help_text=_("A .toml file exported from Porte-Voix or written by hand.")
    )
    source = forms.CharField(
        label=_("Policy file text"), widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"}), required=False
    )
    summary = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            try:
                data["source"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError(_("The file is not UTF-8 text.")) from None
        if not (data.get("source") or "").strip():
            raise ValidationError(_("Choose a file or paste the policy text."))
        return data


class ArchivingForm(forms.Form):
    archive_drafts = forms.BooleanField(label=_("Archive checked drafts"), required=False)


OUTCOME_CHOICES = [("", _("Any verdict")), *((outcome.value, label) for outcome, label in OUTCOME_LABELS.items())]
LANGUAGE_CHOICES = [("fr", _("French")), ("en", _("English"))]


class TestCaseForm(forms.Form):
    """A text the policy must judge a given way; it runs on every save from now on."""

    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000)
    must_find = forms.MultipleChoiceField(
        label=_("Rules that must find something"), required=False, widget=forms.CheckboxSelectMultiple
    )
    must_not_find = forms.MultipleChoiceField(
        label=_("Rules that must find nothing"), required=False, widget=forms.CheckboxSelectMultiple
    )
    outcome = forms.ChoiceField(label=_("Expected verdict"), choices=OUTCOME_CHOICES, required=False)
    date = forms.DateField(
        label=_("Date of the post"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a day outside every quiet period."),
    )
    scope = forms.ChoiceField(label=_("Written by"), choices=SCOPE_CHOICES)
    language = forms.ChoiceField(label=_("Language of the messages"), choices=LANGUAGE_CHOICES)
    note = forms.CharField(label=_("Why this case"), max_length=300, required=False)

    def __init__(self, *args: Any, policy: Policy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        rule_choices = [(rule.id, rule.id) for rule in policy.rules]
        self.fields["must_find"].choices = rule_choices  # type: ignore[attr-defined]
        self.fields["must_not_find"].choices = rule_choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        both = set(data.get("must_find", ())) & set(data.get("must_not_find", ()))
        if both:
            raise ValidationError(
                _("A rule cannot both find and not find: %(rules)s."), params={"rules": ", ".join(sorted(both))}
            )
        if not (data.get("must_find") or data.get("must_not_find") or data.get("outcome")):
            raise ValidationError(_("Say what the policy must do with this text: rules, verdict, or both."))
        return data

    def build(self) -> Policy:
        data = self.cleaned_data
        case = TestCase(
            text=data["text"],
            must_find=tuple(data["must_find"]),
            must_not_find=tuple(data["must_not_find"]),
            outcome=Outcome(data["outcome"]) if data["outcome"] else None,
            date=data["date"],
            scope=Scope(data["scope"]),
            language=data["language"],
            note=data["note"],
        )
        return dataclasses.replace(self.policy, tests=(*self.policy.tests, case))
