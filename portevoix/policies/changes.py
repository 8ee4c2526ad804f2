"""What changed between two versions of a policy, in sentences, above the line diff."""

import dataclasses
import datetime

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from compliance_engine.model import Policy, QuietPeriodSettings, Rule, RuleSettings, Scope, TermListSettings
from portevoix.policies.checking import SEVERITY_LABELS
from portevoix.policies.forms import DETECTOR_CHOICES, JURISDICTION_CHOICES, SCOPE_CHOICES, TONE_CHOICES

# How many added or removed terms a sentence names before it just counts them.
NAMED_TERMS = 12

# The settings of every kind but terms and quiet periods, whose entries and dates `_term_changes` describes.
SETTING_LABELS: dict[str, str | Promise] = {
    "jurisdiction": gettext_lazy("jurisdiction"),
    "company_names": gettext_lazy("company names"),
    "accepted_wordings": gettext_lazy("accepted wordings"),
    "product_names": gettext_lazy("product names"),
    "company_domains": gettext_lazy("company domains"),
    "hiring_phrases": gettext_lazy("calls to apply"),
    "own_domains": gettext_lazy("own domains"),
    "blocked_domains": gettext_lazy("blocked domains"),
    "allowed_domains": gettext_lazy("allowed domains"),
    "only_allowed": gettext_lazy("every domain not allowed flagged"),
    "shorteners": gettext_lazy("link shorteners"),
    "flag_lookalikes": gettext_lazy("lookalike domains flagged"),
    "detectors": gettext_lazy("detectors"),
    "categories": gettext_lazy("tone categories"),
    "patterns": gettext_lazy("patterns"),
}
# Settings whose values are codes, shown by the label the forms give them.
VALUE_LABELS: dict[str, dict[str, str | Promise]] = {
    "jurisdiction": dict(JURISDICTION_CHOICES),
    "detectors": dict(DETECTOR_CHOICES),
    "categories": dict(TONE_CHOICES),
}
DESCRIBED_BY_TERM_CHANGES = {"entries", "start", "end"}


def _names(terms: list[str]) -> str:
    shown = ", ".join(_("“%(value)s”") % {"value": term} for term in terms[:NAMED_TERMS])
    if len(terms) > NAMED_TERMS:
        shown += " " + _("and %(count)s more") % {"count": len(terms) - NAMED_TERMS}
    return shown


def _term_changes(rule_id: str, old: Rule, new: Rule) -> list[str]:
    old_settings, new_settings = old.settings, new.settings
    assert isinstance(old_settings, TermListSettings | QuietPeriodSettings)
    assert isinstance(new_settings, TermListSettings | QuietPeriodSettings)
    old_terms = {entry.text: entry for entry in old_settings.entries}
    new_terms = {entry.text: entry for entry in new_settings.entries}
    sentences = []
    if added := [term for term in new_terms if term not in old_terms]:
        sentences.append(_("Rule %(rule)s: %(terms)s added.") % {"rule": rule_id, "terms": _names(added)})
    if removed := [term for term in old_terms if term not in new_terms]:
        sentences.append(_("Rule %(rule)s: %(terms)s removed.") % {"rule": rule_id, "terms": _names(removed)})
    if changed := [term for term in new_terms if term in old_terms and new_terms[term] != old_terms[term]]:
        sentences.append(
            _("Rule %(rule)s: context of %(terms)s changed.") % {"rule": rule_id, "terms": _names(changed)}
        )
    if (
        isinstance(old_settings, QuietPeriodSettings)
        and isinstance(new_settings, QuietPeriodSettings)
        and (old_settings.start, old_settings.end) != (new_settings.start, new_settings.end)
    ):
        sentences.append(
            _("Rule %(rule)s: dates changed from %(old_start)s to %(old_end)s, to %(start)s to %(end)s.")
            % {
                "rule": rule_id,
                "old_start": _day(old_settings.start),
                "old_end": _day(old_settings.end),
                "start": _day(new_settings.start),
                "end": _day(new_settings.end),
            }
        )
    return sentences


def _day(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _value(setting: str, value: object) -> str:
    if isinstance(value, bool):
        return _("on") if value else _("off")
    return str(VALUE_LABELS.get(setting, {}).get(str(value), value))


def _collection_changes(rule_id: str, setting: str, old: tuple[str, ...], new: tuple[str, ...]) -> list[str]:
    """Added and removed values of one list setting, or that its order changed (the first wording is suggested)."""
    names = {"rule": rule_id, "setting": SETTING_LABELS.get(setting, setting)}
    added = [_value(setting, value) for value in new if value not in old]
    removed = [_value(setting, value) for value in old if value not in new]
    sentences = []
    if added:
        sentences.append(_("Rule %(rule)s, %(setting)s: %(values)s added.") % {**names, "values": _names(added)})
    if removed:
        sentences.append(_("Rule %(rule)s, %(setting)s: %(values)s removed.") % {**names, "values": _names(removed)})
    if not added and not removed:
        sentences.append(_("Rule %(rule)s, %(setting)s: reordered.") % names)
    return sentences


def _ordered(values: tuple[str, ...] | frozenset[str]) -> tuple[str, ...]:
    # Sets (detectors, categories) have no order of their own: sorted, their sentences are stable.
    return tuple(sorted(values)) if isinstance(values, frozenset) else values


def _settings_changes(rule_id: str, old: RuleSettings, new: RuleSettings) -> list[str]:
    """Which settings of a rule changed, and how: values added and removed, or the old and new value."""
    sentences = []
    for field in dataclasses.fields(new):
        before, after = getattr(old, field.name), getattr(new, field.name)
        if field.name in DESCRIBED_BY_TERM_CHANGES or before == after:
            continue
        if isinstance(after, tuple | frozenset):
            sentences += _collection_changes(rule_id, field.name, _ordered(before), _ordered(after))
        else:
            sentences.append(
                _("Rule %(rule)s, %(setting)s: %(old)s → %(new)s.")
                % {
                    "rule": rule_id,
                    "setting": SETTING_LABELS.get(field.name, field.name),
                    "old": _value(field.name, before),
                    "new": _value(field.name, after),
                }
            )
    return sentences


def _rule_changes(old: Rule, new: Rule) -> list[str]:
    sentences = []
    if old.kind is not new.kind:
        return [_("Rule %(rule)s: now of another kind.") % {"rule": new.id}]
    if old.severity is not new.severity:
        sentences.append(
            _("Rule %(rule)s: severity %(old)s → %(new)s.")
            % {"rule": new.id, "old": SEVERITY_LABELS[old.severity], "new": SEVERITY_LABELS[new.severity]}
        )
    if old.clause_id != new.clause_id:
        sentences.append(
            _("Rule %(rule)s: now cites clause %(clause)s instead of %(old)s.")
            % {"rule": new.id, "clause": new.clause_id, "old": old.clause_id}
        )
    if old.scope != new.scope:
        sentences.append(
            _("Rule %(rule)s: now applies to %(scope)s.")
            % {
                "rule": new.id,
                "scope": ", ".join(str(label) for value, label in SCOPE_CHOICES if Scope(value) in new.scope),
            }
        )
    if old.message != new.message or old.suggestion != new.suggestion:
        sentences.append(_("Rule %(rule)s: message or suggested fix reworded.") % {"rule": new.id})
    if isinstance(new.settings, TermListSettings | QuietPeriodSettings):
        sentences += _term_changes(new.id, old, new)
    sentences += _settings_changes(new.id, old.settings, new.settings)
    return sentences


def describe_changes(old: Policy, new: Policy) -> list[str]:
    """Sentences saying what changed from `old` to `new`: clauses, rules, terms, test cases."""
    sentences: list[str] = []
    old_clauses = {clause.id: clause for clause in old.clauses}
    new_clauses = {clause.id: clause for clause in new.clauses}
    sentences += [_("Clause %(clause)s added.") % {"clause": key} for key in new_clauses if key not in old_clauses]
    sentences += [_("Clause %(clause)s removed.") % {"clause": key} for key in old_clauses if key not in new_clauses]
    sentences += [
        _("Clause %(clause)s changed.") % {"clause": key}
        for key in new_clauses
        if key in old_clauses and old_clauses[key] != new_clauses[key]
    ]
    old_rules = {rule.id: rule for rule in old.rules}
    new_rules = {rule.id: rule for rule in new.rules}
    for key, rule in new_rules.items():
        if key not in old_rules:
            sentences.append(_("Rule %(rule)s added.") % {"rule": key})
        elif old_rules[key] != rule:
            sentences += _rule_changes(old_rules[key], rule)
    sentences += [_("Rule %(rule)s removed.") % {"rule": key} for key in old_rules if key not in new_rules]
    old_tests, new_tests = set(old.tests), set(new.tests)
    if added := sum(1 for case in new.tests if case not in old_tests):
        sentences.append(
            ngettext("%(count)s test case added.", "%(count)s test cases added.", added) % {"count": added}
        )
    if removed := sum(1 for case in old.tests if case not in new_tests):
        sentences.append(
            ngettext("%(count)s test case removed.", "%(count)s test cases removed.", removed) % {"count": removed}
        )
    if [rule.id for rule in old.rules if rule.id in new_rules] != [
        rule.id for rule in new.rules if rule.id in old_rules
    ]:
        sentences.append(_("Rules reordered."))
    if old.name != new.name:
        sentences.append(_("Policy renamed to “%(name)s”.") % {"name": new.name})
    return sentences
