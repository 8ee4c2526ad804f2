from collections.abc import Mapping

from django import template
from django.utils.translation import get_language

from compliance_engine.model import localized
from portevoix.policies.checking import CATEGORY_LABELS, KIND_LABELS, OUTCOME_LABELS, SEVERITY_LABELS

register = template.Library()


@register.filter
def in_language(texts: Mapping[str, str]) -> str:
    """A policy text ({"fr": …, "en": …}) in the active language, else in the other one."""
    return localized(texts, (get_language() or "fr")[:2])


@register.filter
def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))  # type: ignore[call-overload]


@register.filter
def severity_label(severity: str) -> str:
    return str(SEVERITY_LABELS.get(severity, severity))  # type: ignore[call-overload]


@register.filter
def category_label(category: str) -> str:
    return str(CATEGORY_LABELS.get(category, category))  # type: ignore[call-overload]


@register.filter
def outcome_label(outcome: str | None) -> str:
    return str(OUTCOME_LABELS.get(outcome, outcome)) if outcome else ""  # type: ignore[call-overload]
