"""What changed between two versions of a policy, in sentences, above the line diff."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance_engine.model import Policy, QuietPeriodSettings, Rule, Scope, TermListSettings
from portevoix.policies.checking import SEVERITY_LABELS
from portevoix.policies.forms import SCOPE_CHOICES

# How many added or removed terms a sentence names before it just counts them.
NAMED_TERMS = 12


def _names(terms: list[str]) -> str:
    shown = ", ".join(f"“{term}”" for term in terms[:NAMED_TERMS])
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
                "old_start": old_settings.start,
                "old_end": old_settings.end,
                "start": new_settings.start,
                "end": new_settings.end,
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
    elif old.settings != new.settings:
        sentences.append(_("Rule %(rule)s: settings changed.") % {"rule": new.id})
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
