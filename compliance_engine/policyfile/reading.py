"""`loads`: a policy file read, checked key by key, then compiled as the engine will compile it."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from compliance_engine.custom import CustomChecker
from compliance_engine.engine import Outcome, PolicyError, compile_policy
from compliance_engine.model import (
    LANGUAGES,
    Clause,
    CustomPatternSettings,
    DisclosureSettings,
    Policy,
    RiskCategory,
    Rule,
    RuleKind,
    Scope,
    Severity,
    TestCase,
)
from compliance_engine.normalize import fold_term
from compliance_engine.policyfile.errors import (
    ErrorCode,
    ErrorParam,
    Expected,
    Location,
    PolicyFileError,
    Section,
    value_type,
)
from compliance_engine.policyfile.kinds import read_settings, settings_keys
from compliance_engine.policyfile.table import FORMAT, Table, closest

_TOP_KEYS = ("format", "name", "clause", "rule", "test")
_CLAUSE_KEYS = ("id", "category", "title")
_RULE_KEYS = ("id", "kind", "clause", "severity", "scope", "message", "suggestion")
_TEST_KEYS = ("note", "text", "date", "scope", "language", "must_find", "must_not_find", "outcome")


def loads(text: str) -> Policy:
    """Read a policy file; raise `PolicyFileError` saying what is wrong and where."""
    top = Table(_parse(text), Location(Section.TOP))
    _check_format(top)
    top.check_keys(_TOP_KEYS)
    name = top.text("name") if "name" in top.data else ""
    clauses = _read_clauses(top, text)
    rules, rule_tables = _read_rules(top, text, {clause.id for clause in clauses})
    tests = tuple(_read_test(table, rules) for _, table in _tables(top, Section.TEST, text))
    policy = Policy(clauses=clauses, rules=rules, tests=tests, name=name)
    _compile(policy, rule_tables)
    return policy


def _parse(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(str(error)) from error


def _syntax_error(message: str) -> PolicyFileError:
    """Reword tomllib's "Invalid value (at line 3, column 9)" so that it says where first."""
    found = re.fullmatch(r"(?s)(.*?) \(at (?:line (\d+), column (\d+)|end of document)\)", message)
    if found is None:
        return PolicyFileError(ErrorCode.INVALID_TOML, {"reason": message})
    what = found.group(1)
    what = what[:1].lower() + what[1:]
    if found.group(2) is None:
        return PolicyFileError(ErrorCode.INVALID_TOML_AT_END, {"reason": what})
    location = Location(line=int(found.group(2)), column=int(found.group(3)))
    return PolicyFileError(ErrorCode.INVALID_TOML, {"reason": what}, location=location)


def _check_format(top: Table) -> None:
    # Before the keys: a file of a later format may well have keys this version does not know.
    if "format" not in top.data:
        top.fail(ErrorCode.FORMAT_MISSING, format=FORMAT)
    written = top.text("format")
    if written != FORMAT:
        top.fail(ErrorCode.FORMAT_UNKNOWN, value=written, format=FORMAT)


def _header_lines(text: str, name: str, count: int) -> list[int | None]:
    """The line of each `[[name]]` header, when they can be told apart from other lines; else no lines."""
    header = re.compile(rf"^[ \t]*\[\[[ \t]*{name}[ \t]*\]\]", re.MULTILINE)
    lines: list[int | None] = [text.count("\n", 0, found.start()) + 1 for found in header.finditer(text)]
    return lines if len(lines) == count else [None] * count


def _tables(top: Table, section: Section, text: str) -> Iterator[tuple[int, Table]]:
    """The `[[section]]` tables of the file as (number, table), numbered from 1 as people count."""
    key = section.value
    if key not in top.data:
        return
    items = top.value(key, list, Expected.TABLES)
    for number, (item, line) in enumerate(zip(items, _header_lines(text, key, len(items)), strict=True), 1):
        if type(item) is not dict:
            top.fail(ErrorCode.NOT_A_TABLE, section=key, number=number, line=line, key=key, found=value_type(item))
        yield number, Table(item, Location(section, number, line=line))


def _read_clauses(top: Table, text: str) -> tuple[Clause, ...]:
    clauses: list[Clause] = []
    numbers: dict[str, int] = {}
    for number, table in _tables(top, Section.CLAUSE, text):
        clause_id = table.text("id")
        clause = table.named(clause_id)
        clause.check_keys(_CLAUSE_KEYS)
        if clause_id in numbers:
            clause.fail(ErrorCode.DUPLICATE_CLAUSE_ID, id=clause_id, number=numbers[clause_id])
        numbers[clause_id] = number
        category = clause.choice("category", RiskCategory, ErrorCode.UNKNOWN_CATEGORY)
        clauses.append(Clause(id=clause_id, title=clause.localized("title"), category=category))
    return tuple(clauses)


def _read_rules(top: Table, text: str, clause_ids: Collection[str]) -> tuple[tuple[Rule, ...], list[Table]]:
    """The rules, and their tables to name them in errors that compiling them may raise."""
    rules: list[Rule] = []
    tables: list[Table] = []
    numbers: dict[str, int] = {}
    for number, table in _tables(top, Section.RULE, text):
        rule_id = table.text("id")
        kind = table.named(rule_id).choice("kind", RuleKind, ErrorCode.UNKNOWN_KIND)
        rule = table.named(rule_id, kind.value)
        if rule_id in numbers:
            rule.fail(ErrorCode.DUPLICATE_RULE_ID, id=rule_id, number=numbers[rule_id])
        numbers[rule_id] = number
        rules.append(_read_rule(rule, rule_id, kind, clause_ids))
        tables.append(rule)
    return tuple(rules), tables


def _read_rule(table: Table, rule_id: str, kind: RuleKind, clause_ids: Collection[str]) -> Rule:
    table.check_keys(_RULE_KEYS + settings_keys(kind))
    clause_id = table.text("clause")
    if clause_id not in clause_ids:
        table.fail(ErrorCode.UNKNOWN_CLAUSE, clause=clause_id, suggestion=closest(clause_id, list(clause_ids)))
    severity = table.choice("severity", Severity, ErrorCode.UNKNOWN_SEVERITY)
    scope = table.choices("scope", Scope, ErrorCode.UNKNOWN_SCOPE)
    if not scope:
        table.fail(ErrorCode.EMPTY_SCOPE, choices=tuple(member.value for member in Scope))
    return Rule(
        id=rule_id,
        severity=severity,
        scope=scope,
        clause_id=clause_id,
        message=table.localized("message"),
        suggestion=table.localized("suggestion"),
        settings=read_settings(table, kind),
    )


def _read_test(table: Table, rules: Sequence[Rule]) -> TestCase:
    table.check_keys(_TEST_KEYS)
    must_find = _rule_ids(table, "must_find", rules)
    must_not_find = _rule_ids(table, "must_not_find", rules)
    for rule_id in must_find:
        if rule_id in must_not_find:
            table.fail(ErrorCode.RULE_IN_BOTH_LISTS, rule=rule_id)
    outcome = table.choice("outcome", Outcome, ErrorCode.UNKNOWN_OUTCOME) if "outcome" in table.data else None
    if not (must_find or must_not_find or outcome):
        table.fail(ErrorCode.CHECKS_NOTHING)
    language = table.text("language") if "language" in table.data else "fr"
    if language not in LANGUAGES:
        table.unknown(ErrorCode.UNKNOWN_LANGUAGE, language, LANGUAGES)
    return TestCase(
        text=table.text("text"),
        must_find=must_find,
        must_not_find=must_not_find,
        outcome=outcome,
        date=table.date("date") if "date" in table.data else None,
        scope=table.choice("scope", Scope, ErrorCode.UNKNOWN_SCOPE) if "scope" in table.data else Scope.EVERYONE,
        language=language,
        note=table.text("note") if "note" in table.data else "",
    )


def _rule_ids(table: Table, key: str, rules: Sequence[Rule]) -> tuple[str, ...]:
    if key not in table.data:
        return ()
    rule_ids = [rule.id for rule in rules]
    values = table.texts(key)
    for value in values:
        if value not in rule_ids:
            table.fail(ErrorCode.UNKNOWN_RULE, key=key, rule=value, suggestion=closest(value, rule_ids))
    return values


def _compile(policy: Policy, rule_tables: Sequence[Table]) -> None:
    """Compile the policy as the engine will; an error names the rule at fault, found by compiling each alone."""
    try:
        compile_policy(policy)
    except PolicyError as error:
        for rule, table in zip(policy.rules, rule_tables, strict=True):
            try:
                compile_policy(Policy(clauses=policy.clauses, rules=(rule,)))
            except PolicyError as rule_error:
                code, params = _why_not_compiled(rule, rule_error)
                table.fail(code, **params)
        raise PolicyFileError(ErrorCode.POLICY_DOES_NOT_COMPILE, {"reason": str(error)}) from error


def _why_not_compiled(rule: Rule, error: PolicyError) -> tuple[ErrorCode, dict[str, ErrorParam]]:
    """Why the engine refuses a rule that reads well, as a code: the engine's own errors are English only.

    Reading checks everything else, so only the settings of custom and disclosure rules are left
    to the engine; each case below is one `ValueError` of their compilers.
    """
    settings = rule.settings
    if isinstance(settings, CustomPatternSettings):
        if not settings.patterns:
            return ErrorCode.NO_PATTERN, {}
        for pattern in settings.patterns:
            try:
                CustomChecker(CustomPatternSettings(patterns=(pattern,)))
            except ValueError as pattern_error:
                if isinstance(cause := pattern_error.__cause__, re.error):
                    return ErrorCode.INVALID_PATTERN, {"pattern": pattern, "reason": cause.msg, "position": cause.pos}
                return ErrorCode.PATTERN_MATCHES_EMPTY, {"pattern": pattern}
    if isinstance(settings, DisclosureSettings):
        if not any(fold_term(name) for name in settings.company_names):
            return ErrorCode.NO_COMPANY_NAME, {}
        return ErrorCode.NO_WORDING, {"jurisdiction": settings.jurisdiction}
    return ErrorCode.RULE_DOES_NOT_COMPILE, {"reason": str(error).removeprefix(f"Rule {rule.id!r}: ").rstrip(".")}
