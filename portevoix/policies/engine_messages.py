"""The policy engine's messages in the reader's language: test-case problems and policy file errors.

`compliance_engine` stays free of Django and says each problem in English (`str()`), for the
command line and its own tests; it also gives each one a stable code and plain parameters. This
module says them in the active language, from the code and the parameters, with gettext and
named placeholders. The English msgids read like the engine's own sentences, and words inside
them (outcomes, scopes, kinds of value) are translated too. A code without a message here fails
`tests/test_engine_messages.py`, so that a new message can never silently stay English.

Test reports are stored with each problem as `{"code", "params"}`; reports stored before that
hold English sentences, shown as they are.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from compliance_engine.engine import Outcome
from compliance_engine.model import Scope
from compliance_engine.testcases import Problem, ProblemCode

TEST_PROBLEMS: Mapping[ProblemCode, Promise] = {
    ProblemCode.NOT_FOUND: _('"%(rule)s" was not found.'),
    ProblemCode.NOT_FOUND_OUT_OF_SCOPE: _(
        '"%(rule)s" was not found: it applies to %(rule_scopes)s, and the test is written as %(test_scope)s.'
    ),
    ProblemCode.NOT_FOUND_OUTSIDE_QUIET_PERIOD: _(
        '"%(rule)s" was not found: the test\'s date, %(date)s, is outside its quiet period (%(start)s to %(end)s).'
    ),
    ProblemCode.NOT_FOUND_UNDATED_OUTSIDE_QUIET_PERIOD: _(
        '"%(rule)s" was not found: the test has no date and is checked on %(date)s, '
        "outside its quiet period (%(start)s to %(end)s)."
    ),
    ProblemCode.FOUND: _('"%(rule)s" was found in %(matches)s.'),
    ProblemCode.WRONG_OUTCOME: _('The outcome is "%(outcome)s", not "%(expected_outcome)s".'),
}
# Lower case: they are said inside a sentence, as the engine says them.
OUTCOME_WORDS: Mapping[Outcome, Promise] = {
    Outcome.FINE: pgettext_lazy("test case outcome", "fine"),
    Outcome.CAREFUL: pgettext_lazy("test case outcome", "careful"),
    Outcome.DO_NOT_PUBLISH: pgettext_lazy("test case outcome", "do not publish"),
    Outcome.ASK_COMMUNICATION_TEAM: pgettext_lazy("test case outcome", "ask the communication team"),
}
# Two sets, because other languages say differently whom a rule applies to and whom a test is written as.
RULE_SCOPE_WORDS: Mapping[Scope, Promise] = {
    Scope.EVERYONE: pgettext_lazy("a rule applies to", "everyone"),
    Scope.AMBASSADORS: pgettext_lazy("a rule applies to", "ambassadors"),
    Scope.OFFICIAL: pgettext_lazy("a rule applies to", "official"),
}
TEST_SCOPE_WORDS: Mapping[Scope, Promise] = {
    Scope.EVERYONE: pgettext_lazy("a test is written as", "everyone"),
    Scope.AMBASSADORS: pgettext_lazy("a test is written as", "ambassadors"),
    Scope.OFFICIAL: pgettext_lazy("a test is written as", "official"),
}


def stored_problem(problem: Problem) -> dict[str, Any]:
    """A test-case problem as stored in a version's test report: its code and its parameters, as JSON."""
    params = {key: list(value) if isinstance(value, tuple) else value for key, value in problem.params.items()}
    return {"code": problem.code.value, "params": params}


def test_problem_message(stored: object) -> str:
    """A stored test-case problem in the active language; an older report's English sentence as it is."""
    if not isinstance(stored, Mapping):
        return str(stored)
    code, params = ProblemCode(stored["code"]), stored["params"]
    words: dict[str, str] = {}
    for key, value in params.items():
        if key in ("outcome", "expected_outcome"):
            words[key] = str(OUTCOME_WORDS[Outcome(value)])
        elif key == "test_scope":
            words[key] = str(TEST_SCOPE_WORDS[Scope(value)])
        elif key == "rule_scopes":
            words[key] = and_list([str(RULE_SCOPE_WORDS[Scope(scope)]) for scope in value])
        elif key == "matches":
            words[key] = and_list([quoted(match) for match in value])
        else:
            words[key] = str(value)
    return str(TEST_PROBLEMS[code]) % words


def quoted(text: str) -> str:
    """A text quoted as the language quotes: "Atlas" in English, « Atlas » in French."""
    return pgettext("a quoted text", '"%(text)s"') % {"text": text}


def and_list(items: Sequence[str]) -> str:
    """ "a, b and c" in the active language."""
    if len(items) < 2:
        return "".join(items)
    return pgettext("the end of a list", "%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def or_list(items: Sequence[str]) -> str:
    """ "a, b or c" in the active language."""
    if len(items) < 2:
        return "".join(items)
    return pgettext("the end of a list", "%(items)s or %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def failed_cases(test_report: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The failed cases of a stored test report, each problem said in the active language."""
    return [
        {**case, "problems": [test_problem_message(problem) for problem in case["problems"]]}
        for case in test_report
        if not case["passed"]
    ]
