"""`loads`: a policy file read, checked key by key, then compiled as the engine will compile it."""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from compliance_engine.engine import Outcome, PolicyError, compile_policy
from compliance_engine.model import LANGUAGES, Clause, Policy, RiskCategory, Rule, RuleKind, Scope, Severity, TestCase
from compliance_engine.policyfile.kinds import read_settings, settings_keys
from compliance_engine.policyfile.table import FORMAT, PolicyFileError, Table, one_of, type_name, unknown, where

_TOP_KEYS = ("format", "name", "clause", "rule", "test")
_CLAUSE_KEYS = ("id", "category", "title")
_RULE_KEYS = ("id", "kind", "clause", "severity", "scope", "message", "suggestion")
_TEST_KEYS = ("note", "text", "date", "scope", "language", "must_find", "must_not_find", "outcome")


def loads(text: str) -> Policy:
    """Read a policy file; raise `PolicyFileError` saying what is wrong and where."""
    top = Table(_parse(text), "At the top of the file")
    _check_format(top)
    top.check_keys(_TOP_KEYS)
    name = top.text("name") if "name" in top.data else ""
    clauses = _read_clauses(top, text)
    rules, rule_tables = _read_rules(top, text, {clause.id for clause in clauses})
    tests = tuple(_read_test(table, rules) for _, table in _tables(top, "test", text, "Test"))
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
        return PolicyFileError(f"The file is not valid TOML: {message}.")
    what = found.group(1)
    what = what[:1].lower() + what[1:]
    if found.group(2) is None:
        return PolicyFileError(f"The file is not valid TOML at its end: {what}.")
    line, column = int(found.group(2)), int(found.group(3))
    return PolicyFileError(
        f"Line {line}, column {column}: the file is not valid TOML: {what}.", line=line, column=column
    )


def _check_format(top: Table) -> None:
    # Before the keys: a file of a later format may well have keys this version does not know.
    if "format" not in top.data:
        top.fail(f"the key 'format' is missing; a policy file starts with format = \"{FORMAT}\"")
    written = top.text("format")
    if written != FORMAT:
        top.fail(f"the format {written!r} is not one this version of Porte-Voix reads; it reads {FORMAT!r}")


def _header_lines(text: str, name: str, count: int) -> list[int | None]:
    """The line of each `[[name]]` header, when they can be told apart from other lines; else no lines."""
    header = re.compile(rf"^[ \t]*\[\[[ \t]*{name}[ \t]*\]\]", re.MULTILINE)
    lines: list[int | None] = [text.count("\n", 0, found.start()) + 1 for found in header.finditer(text)]
    return lines if len(lines) == count else [None] * count


def _tables(top: Table, key: str, text: str, label: str) -> Iterator[tuple[int, Table]]:
    """The `[[key]]` tables of the file as (number, table), numbered from 1 as people count."""
    if key not in top.data:
        return
    items = top.value(key, list, f"a list of tables, written [[{key}]]")
    for number, (item, line) in enumerate(zip(items, _header_lines(text, key, len(items)), strict=True), 1):
        if type(item) is not dict:
            top.fail(f"{where(label, number, line)} must be a table, written [[{key}]], not {type_name(item)}")
        yield number, Table(item, where(label, number, line), line)


def _read_clauses(top: Table, text: str) -> tuple[Clause, ...]:
    clauses: list[Clause] = []
    numbers: dict[str, int] = {}
    for number, table in _tables(top, "clause", text, "Clause"):
        clause_id = table.text("id")
        clause = table.named(where("Clause", number, table.line, clause_id))
        clause.check_keys(_CLAUSE_KEYS)
        if clause_id in numbers:
            clause.fail(f"the id {clause_id!r} is already the id of clause {numbers[clause_id]}")
        numbers[clause_id] = number
        category = clause.choice("category", RiskCategory, "category")
        clauses.append(Clause(id=clause_id, title=clause.localized("title"), category=category))
    return tuple(clauses)


def _read_rules(top: Table, text: str, clause_ids: Collection[str]) -> tuple[tuple[Rule, ...], list[Table]]:
    """The rules, and their tables to name them in errors that compiling them may raise."""
    rules: list[Rule] = []
    tables: list[Table] = []
    numbers: dict[str, int] = {}
    for number, table in _tables(top, "rule", text, "Rule"):
        rule_id = table.text("id")
        kind = table.named(where("Rule", number, table.line, rule_id)).choice("kind", RuleKind, "kind")
        rule = table.named(where("Rule", number, table.line, rule_id, kind.value))
        if rule_id in numbers:
            rule.fail(f"the id {rule_id!r} is already the id of rule {numbers[rule_id]}")
        numbers[rule_id] = number
        rules.append(_read_rule(rule, rule_id, kind, clause_ids))
        tables.append(rule)
    return tuple(rules), tables


def _read_rule(table: Table, rule_id: str, kind: RuleKind, clause_ids: Collection[str]) -> Rule:
    table.check_keys(_RULE_KEYS + settings_keys(kind))
    clause_id = table.text("clause")
    if clause_id not in clause_ids:
        table.fail(f"it cites the clause {clause_id!r}, which the policy does not have{_close(clause_id, clause_ids)}")
    severity = table.choice("severity", Severity, "severity")
    scope = table.choices("scope", Scope, "scope")
    if not scope:
        table.fail(f"'scope' is empty; say whom the rule applies to: {one_of([member.value for member in Scope])}")
    return Rule(
        id=rule_id,
        severity=severity,
        scope=scope,
        clause_id=clause_id,
        message=table.localized("message"),
        suggestion=table.localized("suggestion"),
        settings=read_settings(table, kind),
    )


def _close(value: str, choices: Collection[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _read_test(table: Table, rules: Sequence[Rule]) -> TestCase:
    table.check_keys(_TEST_KEYS)
    must_find = _rule_ids(table, "must_find", rules)
    must_not_find = _rule_ids(table, "must_not_find", rules)
    for rule_id in must_find:
        if rule_id in must_not_find:
            table.fail(f"the rule {rule_id!r} is in both 'must_find' and 'must_not_find'")
    outcome = table.choice("outcome", Outcome, "outcome") if "outcome" in table.data else None
    if not (must_find or must_not_find or outcome):
        table.fail("it checks nothing; give 'must_find', 'must_not_find' or 'outcome'")
    language = table.text("language") if "language" in table.data else "fr"
    if language not in LANGUAGES:
        table.fail(unknown("language", language, LANGUAGES))
    return TestCase(
        text=table.text("text"),
        must_find=must_find,
        must_not_find=must_not_find,
        outcome=outcome,
        date=table.date("date") if "date" in table.data else None,
        scope=table.choice("scope", Scope, "scope") if "scope" in table.data else Scope.EVERYONE,
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
            table.fail(f"{key!r} names the rule {value!r}, which the policy does not have{_close(value, rule_ids)}")
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
                table.fail(str(rule_error).removeprefix(f"Rule {rule.id!r}: ").rstrip("."))
        raise PolicyFileError(f"The policy does not compile: {error}") from error
