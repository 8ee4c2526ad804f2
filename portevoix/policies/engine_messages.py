"""The policy engine's messages in the reader's language: test-case problems and policy file errors.

`compliance_engine` stays free of Django and says each problem in English (`str()`), for the
command line and its own tests; it also gives each one a stable code and plain parameters. This
module says them in the active language, from the code and the parameters, with gettext and
named placeholders. The English msgids read like the engine's own sentences, and words inside
them (outcomes, scopes, kinds of value) are translated too. A code without a message here fails
`portevoix/policies/tests/test_engine_messages.py`, so that a new message can never silently stay English.
Only what other libraries say stays as they say it: Python's reason for a regular expression
that does not compile, and the few TOML syntax errors that quote the file (`TOML_REASONS` has
the others).

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
from compliance_engine.policyfile import ErrorCode, Location, PolicyFileError
from compliance_engine.policyfile.errors import ErrorParam, Expected, Section, ValueType
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


# Policy file errors. Values from the file are quoted as the engine quotes them, 'like this' in English.

FILE_ERRORS: Mapping[ErrorCode, Promise] = {
    ErrorCode.INVALID_TOML: _("the file is not valid TOML: %(reason)s"),
    ErrorCode.INVALID_TOML_AT_END: _("the file is not valid TOML at its end: %(reason)s"),
    ErrorCode.FORMAT_MISSING: _("the key 'format' is missing; a policy file starts with format = \"%(format)s\""),
    ErrorCode.FORMAT_UNKNOWN: _(
        "the format '%(value)s' is not one this version of Porte-Voix reads; it reads '%(format)s'"
    ),
    ErrorCode.UNKNOWN_KEY: _("%(in_list)sunknown key '%(value)s'%(did_you_mean)s; expected %(choices)s"),
    ErrorCode.UNKNOWN_SEVERITY: _("%(in_list)sunknown severity '%(value)s'%(did_you_mean)s; expected %(choices)s"),
    ErrorCode.UNKNOWN_KIND: _("%(in_list)sunknown kind '%(value)s'%(did_you_mean)s; expected %(choices)s"),
    ErrorCode.UNKNOWN_SCOPE: _("%(in_list)sunknown scope '%(value)s'%(did_you_mean)s; expected %(choices)s"),
    ErrorCode.UNKNOWN_CATEGORY: _("%(in_list)sunknown category '%(value)s'%(did_you_mean)s; expected %(choices)s"),
    ErrorCode.UNKNOWN_LANGUAGE: _("%(in_list)sunknown language '%(value)s'%(did_you_mean)s; expected %(choices)s"),
    ErrorCode.UNKNOWN_QUALIFIER: _("%(in_list)sunknown qualifier '%(value)s'%(did_you_mean)s; expected %(choices)s"),
    ErrorCode.UNKNOWN_DETECTOR: _("%(in_list)sunknown detector '%(value)s'%(did_you_mean)s; expected %(choices)s"),
    ErrorCode.UNKNOWN_TONE_CATEGORY: _(
        "%(in_list)sunknown tone category '%(value)s'%(did_you_mean)s; expected %(choices)s"
    ),
    ErrorCode.UNKNOWN_OUTCOME: _("%(in_list)sunknown outcome '%(value)s'%(did_you_mean)s; expected %(choices)s"),
    ErrorCode.MISSING_KEY: _("the key '%(key)s' is missing"),
    ErrorCode.MISSING_WORDINGS: _("the key '%(key)s' is missing; only %(jurisdictions)s have default wordings"),
    ErrorCode.WRONG_TYPE: _("'%(key)s' must be %(expected)s, not %(found)s (%(value)s)"),
    ErrorCode.WRONG_ITEM_TYPE: _("item %(item)s of '%(key)s' must be a text, not %(found)s (%(value)s)"),
    ErrorCode.WRONG_TERM_TYPE: _(
        "item %(item)s of '%(key)s' must be a text or { term = \"...\" }, not %(found)s (%(value)s)"
    ),
    ErrorCode.DATE_IN_QUOTES: _("'%(key)s' must be a date written without quotes, like %(key)s = 2026-11-15"),
    ErrorCode.NOT_A_TABLE: _("%(table)s must be a table, written [[%(key)s]], not %(found)s"),
    ErrorCode.DUPLICATE_CLAUSE_ID: _("the id '%(id)s' is already the id of clause %(number)s"),
    ErrorCode.DUPLICATE_RULE_ID: _("the id '%(id)s' is already the id of rule %(number)s"),
    ErrorCode.UNKNOWN_CLAUSE: _(
        "it cites the clause '%(clause)s', which the policy does not have%(then_did_you_mean)s"
    ),
    ErrorCode.EMPTY_SCOPE: _("'scope' is empty; say whom the rule applies to: %(choices)s"),
    ErrorCode.UNKNOWN_RULE: _(
        "'%(key)s' names the rule '%(rule)s', which the policy does not have%(then_did_you_mean)s"
    ),
    ErrorCode.RULE_IN_BOTH_LISTS: _("the rule '%(rule)s' is in both 'must_find' and 'must_not_find'"),
    ErrorCode.CHECKS_NOTHING: _("it checks nothing; give 'must_find', 'must_not_find' or 'outcome'"),
    ErrorCode.EMPTY_TERM: _("item %(item)s of '%(key)s' is an empty term"),
    ErrorCode.QUIET_PERIOD_ENDS_BEFORE_START: _("the quiet period ends on %(end)s before it starts on %(start)s"),
    ErrorCode.INVALID_PATTERN: _(
        "the pattern '%(pattern)s' is not a valid regular expression: %(reason)s%(at_position)s"
    ),
    ErrorCode.PATTERN_MATCHES_EMPTY: _("the pattern '%(pattern)s' can match an empty string"),
    ErrorCode.NO_PATTERN: _("a custom pattern rule needs at least one pattern"),
    ErrorCode.NO_COMPANY_NAME: _("a disclosure rule needs the company's name"),
    ErrorCode.NO_WORDING: _("the disclosure rule for '%(jurisdiction)s' accepts no wording"),
    ErrorCode.RULE_DOES_NOT_COMPILE: _("the rule does not compile: %(reason)s"),
    ErrorCode.POLICY_DOES_NOT_COMPILE: _("the policy does not compile: %(reason)s"),
    ErrorCode.UNWRITABLE_LANGUAGE: _("a text is in '%(language)s'; a policy file holds texts in %(languages)s"),
}
VALUE_TYPES: Mapping[ValueType, Promise] = {
    ValueType.BOOLEAN: pgettext_lazy("a TOML value", "true or false"),
    ValueType.NUMBER: pgettext_lazy("a TOML value", "a number"),
    ValueType.DATETIME: pgettext_lazy("a TOML value", "a date and time"),
    ValueType.DATE: pgettext_lazy("a TOML value", "a date"),
    ValueType.TIME: pgettext_lazy("a TOML value", "a time"),
    ValueType.TEXT: pgettext_lazy("a TOML value", "a text"),
    ValueType.LIST: pgettext_lazy("a TOML value", "a list"),
    ValueType.TABLE: pgettext_lazy("a TOML value", "a table"),
}
EXPECTED_VALUES: Mapping[Expected, Promise] = {
    Expected.TEXT: pgettext_lazy("a TOML value", "a text"),
    Expected.TEXTS: pgettext_lazy("a TOML value", "a list of texts"),
    Expected.DATE: pgettext_lazy("a TOML value", "a date, like 2026-11-15"),
    Expected.BOOLEAN: pgettext_lazy("a TOML value", "true or false"),
    Expected.LOCALIZED: pgettext_lazy("a TOML value", "a text per language (%(key)s.fr = ...)"),
    Expected.TABLES: pgettext_lazy("a TOML value", "a list of tables, written [[%(key)s]]"),
    Expected.TERMS: pgettext_lazy("a TOML value", 'a list of terms ("Heron" or { term = "Atlas", context = [...] })'),
}
SECTIONS: Mapping[Section, Promise] = {
    Section.TOP: pgettext_lazy("policy file location", "At the top of the file"),
    Section.CLAUSE: pgettext_lazy("policy file location", "Clause %(number)s"),
    Section.RULE: pgettext_lazy("policy file location", "Rule %(number)s"),
    Section.TEST: pgettext_lazy("policy file location", "Test %(number)s"),
}
# tomllib's reasons for the syntax errors that need no value of the file, first letter lowered as the engine does.
TOML_REASONS: Mapping[str, Promise] = {
    "cannot overwrite a value": pgettext_lazy("TOML error", "cannot overwrite a value"),
    "escaped character is not a Unicode scalar value": pgettext_lazy(
        "TOML error", "escaped character is not a Unicode scalar value"
    ),
    "expected '=' after a key in a key/value pair": pgettext_lazy(
        "TOML error", "expected '=' after a key in a key/value pair"
    ),
    "expected ']' at the end of a table declaration": pgettext_lazy(
        "TOML error", "expected ']' at the end of a table declaration"
    ),
    "expected ']]' at the end of an array declaration": pgettext_lazy(
        "TOML error", "expected ']]' at the end of an array declaration"
    ),
    "invalid date or datetime": pgettext_lazy("TOML error", "invalid date or datetime"),
    "invalid hex value": pgettext_lazy("TOML error", "invalid hex value"),
    "invalid initial character for a key part": pgettext_lazy("TOML error", "invalid initial character for a key part"),
    "invalid statement": pgettext_lazy("TOML error", "invalid statement"),
    "invalid value": pgettext_lazy("TOML error", "invalid value"),
    "unclosed array": pgettext_lazy("TOML error", "unclosed array"),
    "unclosed inline table": pgettext_lazy("TOML error", "unclosed inline table"),
    "unescaped '\\' in a string": pgettext_lazy("TOML error", "unescaped '\\' in a string"),
    "unterminated string": pgettext_lazy("TOML error", "unterminated string"),
}
_ILLEGAL_CHARACTER = "illegal character "


def file_error_message(error: PolicyFileError) -> str:
    """A policy file error in the active language: where, then what, as one sentence."""
    message = str(FILE_ERRORS[error.code]) % _file_error_words(error.code, error.params)
    if not message.endswith(("?", ".")):
        message += "."
    where = location_text(error.location)
    if not where:
        return message[:1].upper() + message[1:]
    return pgettext("a policy file error", "%(where)s: %(what)s") % {"where": where, "what": message}


def location_text(location: Location) -> str:
    """Where an error is, in the active language: "Rule 3 'projets' (kind terms, line 42), item 2 of 'terms'"."""
    if location.section is None:
        if location.line is None:
            return ""
        where = pgettext("policy file location", "Line %(line)s, column %(column)s")
        return where % {"line": location.line, "column": location.column}
    if location.section is Section.TOP:
        return str(SECTIONS[Section.TOP])
    where = table_text(location.section, location.number, location.line, location.identifier, location.kind)
    if location.key is None:
        return where
    if location.item is not None:
        part = pgettext("policy file location", "item %(item)s of '%(key)s'")
    else:
        part = pgettext("policy file location", "'%(key)s'")
    return f"{where}, {part % {'item': location.item, 'key': location.key}}"


def table_text(section: Section, number: int | None, line: int | None, identifier: str | None, kind: str) -> str:
    """How an error names a table of the file, in the active language: "Rule 3 'projets' (kind terms, line 42)"."""
    name = str(SECTIONS[section]) % {"number": number}
    if identifier is not None:
        name = pgettext("policy file location", "%(table)s '%(identifier)s'") % {
            "table": name,
            "identifier": identifier,
        }
    details = []
    if kind:
        details.append(pgettext("policy file location", "kind %(kind)s") % {"kind": kind})
    if line:
        details.append(pgettext("policy file location", "line %(line)s") % {"line": line})
    return f"{name} ({', '.join(details)})" if details else name


def _file_error_words(code: ErrorCode, params: Mapping[str, ErrorParam]) -> dict[str, object]:
    """The parameters of an error, and the words made from them that its message uses, in the active language."""
    words: dict[str, object] = {**params, **_optional_words(params)}
    for key, value in params.items():
        if isinstance(value, tuple):
            words[key] = ", ".join(value) if key == "jurisdictions" else or_list(value)
    if isinstance(found := params.get("found"), str) and found in ValueType:
        words["found"] = str(VALUE_TYPES[ValueType(found)])
    if isinstance(expected := params.get("expected"), str):
        words["expected"] = str(EXPECTED_VALUES[Expected(expected)]) % {"key": params.get("key")}
    if isinstance(section := params.get("section"), str):
        number, line = params.get("number"), params.get("line")
        words["table"] = table_text(Section(section), _int(number), _int(line), None, "")
    if code in (ErrorCode.INVALID_TOML, ErrorCode.INVALID_TOML_AT_END):
        words["reason"] = _toml_reason(str(params.get("reason")))
    return words


def _optional_words(params: Mapping[str, ErrorParam]) -> dict[str, str]:
    """The parts of a message that are there only with their parameter: a suggestion, a list, a position."""
    suggestion, list_key, position = params.get("suggestion"), params.get("list_key"), params.get("position")
    words = {"did_you_mean": "", "then_did_you_mean": "", "in_list": "", "at_position": ""}
    if suggestion:
        values = {"suggestion": suggestion}
        words["did_you_mean"] = pgettext("policy file error", " (did you mean '%(suggestion)s'?)") % values
        words["then_did_you_mean"] = pgettext("policy file error", "; did you mean '%(suggestion)s'?") % values
    if list_key:
        words["in_list"] = pgettext("policy file error", "in '%(key)s', ") % {"key": list_key}
    if position is not None:
        words["at_position"] = pgettext("policy file error", " at position %(position)s") % {"position": position}
    return words


def _toml_reason(reason: str) -> str:
    if reason in TOML_REASONS:
        return str(TOML_REASONS[reason])
    if reason.startswith(_ILLEGAL_CHARACTER):
        character = reason.removeprefix(_ILLEGAL_CHARACTER)
        return pgettext("TOML error", "illegal character %(character)s") % {"character": character}
    return reason


def _int(value: ErrorParam) -> int | None:
    return value if isinstance(value, int) else None
