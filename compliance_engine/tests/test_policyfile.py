"""The policy file: canonical export, lossless import, and errors that say what is wrong and where."""

import dataclasses
import datetime
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance_engine.engine import Outcome
from compliance_engine.model import (
    DEFAULT_HIRING_PHRASES,
    DEFAULT_SHORTENERS,
    DISCLOSURE_WORDINGS,
    LANGUAGES,
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
)
from compliance_engine.normalize import fold_term
from compliance_engine.policyfile import ErrorCode, Location, PolicyFileError, dumps, loads
from compliance_engine.policyfile.errors import Section
from compliance_engine.testcases import run_test_cases
from compliance_engine.tests.policies import POLICY, TEXT_POLICY

EVERYONE = frozenset({Scope.EVERYONE})
CLAUSE = Clause(
    "3.1", {"fr": "Projets confidentiels", "en": "Confidential projects"}, RiskCategory.LEGAL_CONFIDENTIALITY
)


def rule(rule_id: str, settings: RuleSettings) -> Rule:
    return Rule(
        id=rule_id,
        severity=Severity.WARN,
        scope=EVERYONE,
        clause_id=CLAUSE.id,
        message={"fr": "Attention.", "en": "Careful."},
        suggestion={},
        settings=settings,
    )


@pytest.mark.parametrize("policy", [POLICY, TEXT_POLICY], ids=["terms and data", "per-text rules"])
def test_the_shared_policies_come_back_equal_and_their_text_is_a_fixed_point(policy: Policy) -> None:
    text = dumps(policy)

    assert loads(text) == policy
    assert dumps(loads(text)) == text


def test_a_policy_is_written_keys_in_order_one_term_per_line_and_defaults_left_out() -> None:
    policy = Policy(
        name="Charte 2026",
        clauses=(CLAUSE,),
        rules=(
            Rule(
                id="projets",
                severity=Severity.BLOCK,
                scope=frozenset({Scope.OFFICIAL, Scope.AMBASSADORS}),
                clause_id="3.1",
                message={"en": "Confidential.", "fr": "Confidentiel."},
                suggestion={"fr": "Retirez-le."},
                settings=TermListSettings(
                    (
                        TermEntry("Héron"),
                        TermEntry(
                            "Atlas",
                            context_words=("projet",),
                            qualifiers=frozenset({Qualifier.CAPITALISED, Qualifier.HASHTAG}),
                        ),
                        TermEntry("Mistral", clearing_words=("vent", "wind")),
                    )
                ),
            ),
            rule("liens", LinkSettings(own_domains=("lumarelle.com",))),
            rule("tickets", CustomPatternSettings((r"\bINC-\d{6}\b",))),
        ),
        tests=(
            TestCase(
                "Le projet Atlas avance",
                must_find=("projets",),
                outcome=Outcome.DO_NOT_PUBLISH,
                date=datetime.date(2026, 11, 27),
                scope=Scope.AMBASSADORS,
                note="Atlas with a context word.",
            ),
        ),
    )

    assert dumps(policy) == (
        "# A Porte-Voix policy. docs/policy-format.md explains every key.\n"
        'format = "porte-voix-policy/1"\n'
        'name = "Charte 2026"\n'
        "\n"
        "[[clause]]\n"
        'id = "3.1"\n'
        'category = "legal_confidentiality"\n'
        'title.fr = "Projets confidentiels"\n'
        'title.en = "Confidential projects"\n'
        "\n"
        "[[rule]]\n"
        'id = "projets"\n'
        'kind = "terms"\n'
        'clause = "3.1"\n'
        'severity = "block"\n'
        'scope = ["ambassadors", "official"]\n'
        'message.fr = "Confidentiel."\n'
        'message.en = "Confidential."\n'
        'suggestion.fr = "Retirez-le."\n'
        "terms = [\n"
        '    "Héron",\n'
        '    { term = "Atlas", context = ["projet"], qualifiers = ["hashtag", "capitalised"] },\n'
        '    { term = "Mistral", clear = ["vent", "wind"] },\n'
        "]\n"
        "\n"
        "[[rule]]\n"
        'id = "liens"\n'
        'kind = "links"\n'
        'clause = "3.1"\n'
        'severity = "warn"\n'
        'scope = ["everyone"]\n'
        'message.fr = "Attention."\n'
        'message.en = "Careful."\n'
        'own_domains = ["lumarelle.com"]\n'
        "\n"
        "[[rule]]\n"
        'id = "tickets"\n'
        'kind = "custom"\n'
        'clause = "3.1"\n'
        'severity = "warn"\n'
        'scope = ["everyone"]\n'
        'message.fr = "Attention."\n'
        'message.en = "Careful."\n'
        "patterns = ['\\bINC-\\d{6}\\b']\n"
        "\n"
        "[[test]]\n"
        'note = "Atlas with a context word."\n'
        'text = "Le projet Atlas avance"\n'
        "date = 2026-11-27\n"
        'scope = "ambassadors"\n'
        'must_find = ["projets"]\n'
        'outcome = "do_not_publish"\n'
    )
    assert loads(dumps(policy)) == policy


def test_a_hand_written_file_is_exported_in_canonical_form() -> None:
    hand_written = """
        format = "porte-voix-policy/1"

        [[rule]]
        scope = ["official", "everyone"]
        message = { en = "Careful.", fr = "Attention." }
        severity = "warn"
        clause = "3.1"
        kind = "links"
        id = "liens"
        shorteners = ["bit.ly", "t.co", "tinyurl.com", "ow.ly", "goo.gl", "is.gd", "buff.ly", "lnkd.in", "rb.gy",
          "cutt.ly", "shorturl.at", "tiny.cc", "t.ly", "rebrand.ly", "bl.ink", "s.id", "v.gd", "dlvr.it", "trib.al",
          "fb.me"]
        flag_lookalikes = true

        [[clause]]
        title = { en = "Confidential projects", fr = "Projets confidentiels" }
        category = "legal_confidentiality"
        id = "3.1"
    """
    links = dataclasses.replace(rule("liens", LinkSettings()), scope=frozenset({Scope.EVERYONE, Scope.OFFICIAL}))
    canonical = dumps(Policy(clauses=(CLAUSE,), rules=(links,)))

    assert dumps(loads(hand_written)) == canonical


def test_defaults_left_out_of_the_file_are_restored_on_reading() -> None:
    disclosure = DisclosureSettings(
        jurisdiction="FR", company_names=("Lumarelle",), accepted_wordings=DISCLOSURE_WORDINGS["FR"]
    )
    policy = Policy(clauses=(CLAUSE,), rules=(rule("liens", LinkSettings()), rule("transparence", disclosure)))

    text = dumps(policy)

    for key in ("shorteners", "flag_lookalikes", "only_allowed", "accepted_wordings", "hiring_phrases"):
        assert key not in text
    read = loads(text)
    assert read == policy
    assert read.rules[0].settings == LinkSettings(shorteners=DEFAULT_SHORTENERS, flag_lookalikes=True)
    assert read.rules[1].settings == DisclosureSettings(
        jurisdiction="FR",
        company_names=("Lumarelle",),
        accepted_wordings=DISCLOSURE_WORDINGS["FR"],
        hiring_phrases=DEFAULT_HIRING_PHRASES,
    )


def test_settings_that_differ_from_the_defaults_are_written() -> None:
    links = LinkSettings(shorteners=(), flag_lookalikes=False, only_allowed=True)
    tone = ToneSettings(frozenset({ToneCategory.THREAT}))
    policy = Policy(clauses=(CLAUSE,), rules=(rule("liens", links), rule("ton", tone)))

    text = dumps(policy)

    assert "only_allowed = true\nshorteners = []\nflag_lookalikes = false\n" in text
    assert 'categories = ["threat"]\n' in text
    assert loads(text) == policy


def test_a_tone_rule_lists_its_categories_even_when_it_has_them_all() -> None:
    text = dumps(Policy(clauses=(CLAUSE,), rules=(rule("ton", ToneSettings()),)))

    assert 'categories = ["insult", "threat", "harassment"]\n' in text


def test_invisible_characters_are_escaped_and_multi_line_texts_kept_as_they_are() -> None:
    case = TestCase("Projet He\u200bron\u00a0!\nDeuxième ligne « citée »", must_find=("tickets",))
    policy = Policy(
        clauses=(CLAUSE,), rules=(rule("tickets", CustomPatternSettings(("heron", "it's \\d"))),), tests=(case,)
    )

    text = dumps(policy)

    assert 'text = """\nProjet He\\u200Bron\\u00A0!\nDeuxième ligne « citée »"""\n' in text
    assert 'patterns = [\n    "heron",\n    "it\'s \\\\d",\n]\n' in text  # a quote: no literal string
    assert loads(text) == policy


# Generated policies: every kind of rule, every key, texts of any characters.

_WORDS = st.text(max_size=12)
_TERM_TEXTS = st.text(min_size=1, max_size=12).filter(lambda text: bool(fold_term(text)))
_DOMAINS = st.text(alphabet=string.ascii_lowercase + string.digits + ".-", min_size=1, max_size=12)
_PATTERNS = st.sampled_from([r"\bINC-\d{6}\b", r"\bc3 ?- ?confidentiel\b", "it's", r"a\'b", "résultat", "x{2}y"])


def _tuples[T](elements: st.SearchStrategy[T], *, min_size: int = 0) -> st.SearchStrategy[tuple[T, ...]]:
    return st.lists(elements, min_size=min_size, max_size=4).map(tuple)


_LOCALIZED = st.dictionaries(st.sampled_from(LANGUAGES), st.text(max_size=30))
_ENTRIES = _tuples(
    st.builds(
        TermEntry,
        text=_TERM_TEXTS,
        context_words=_tuples(_WORDS),
        qualifiers=st.frozensets(st.sampled_from(Qualifier)),
        clearing_words=_tuples(_WORDS),
    )
)


@st.composite
def _quiet_periods(draw: st.DrawFn) -> QuietPeriodSettings:
    start, end = sorted([draw(st.dates()), draw(st.dates())])
    return QuietPeriodSettings(start=start, end=end, entries=draw(_ENTRIES))


_SETTINGS: st.SearchStrategy[RuleSettings] = st.one_of(
    st.builds(TermListSettings, entries=_ENTRIES),
    _quiet_periods(),
    st.builds(PersonalDataSettings, detectors=st.frozensets(st.sampled_from(Detector))),
    st.builds(
        LinkSettings,
        own_domains=_tuples(_DOMAINS),
        blocked_domains=_tuples(_DOMAINS),
        allowed_domains=_tuples(_DOMAINS),
        only_allowed=st.booleans(),
        shorteners=st.one_of(st.just(DEFAULT_SHORTENERS), _tuples(_DOMAINS)),
        flag_lookalikes=st.booleans(),
    ),
    st.builds(
        DisclosureSettings,
        jurisdiction=st.sampled_from(["FR", "US-FTC", "US-FINRA", "UK"]),
        company_names=_tuples(_TERM_TEXTS, min_size=1),
        accepted_wordings=st.one_of(
            st.sampled_from(list(DISCLOSURE_WORDINGS.values())), _tuples(_TERM_TEXTS, min_size=1)
        ),
        product_names=_tuples(_WORDS),
        company_domains=_tuples(_DOMAINS),
        hiring_phrases=st.one_of(st.just(DEFAULT_HIRING_PHRASES), _tuples(_WORDS)),
    ),
    st.builds(ToneSettings, categories=st.frozensets(st.sampled_from(ToneCategory))),
    st.builds(CustomPatternSettings, patterns=_tuples(_PATTERNS, min_size=1)),
)


@st.composite
def _test_cases(draw: st.DrawFn, rule_ids: list[str]) -> TestCase:
    must_find = draw(st.lists(st.sampled_from(rule_ids), max_size=2, unique=True)) if rule_ids else []
    others = [rule_id for rule_id in rule_ids if rule_id not in must_find]
    must_not_find = draw(st.lists(st.sampled_from(others), max_size=2, unique=True)) if others else []
    outcome = draw(st.one_of(st.none(), st.sampled_from(Outcome)))
    if not (must_find or must_not_find):
        outcome = outcome or Outcome.FINE
    return TestCase(
        text=draw(st.text(max_size=40)),
        must_find=tuple(must_find),
        must_not_find=tuple(must_not_find),
        outcome=outcome,
        date=draw(st.one_of(st.none(), st.dates())),
        scope=draw(st.sampled_from(Scope)),
        language=draw(st.sampled_from(LANGUAGES)),
        note=draw(_WORDS),
    )


@st.composite
def _policies(draw: st.DrawFn) -> Policy:
    clause_ids = draw(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=3, unique=True))
    clauses = tuple(
        Clause(clause_id, draw(_LOCALIZED), draw(st.sampled_from(RiskCategory))) for clause_id in clause_ids
    )
    rule_ids = draw(st.lists(st.text(min_size=1, max_size=8), max_size=4, unique=True))
    rules = tuple(
        Rule(
            id=rule_id,
            severity=draw(st.sampled_from(Severity)),
            scope=draw(st.frozensets(st.sampled_from(Scope), min_size=1)),
            clause_id=draw(st.sampled_from(clause_ids)),
            message=draw(_LOCALIZED),
            suggestion=draw(_LOCALIZED),
            settings=draw(_SETTINGS),
        )
        for rule_id in rule_ids
    )
    tests = tuple(draw(st.lists(_test_cases(rule_ids), max_size=3)))
    return Policy(clauses=clauses, rules=rules, tests=tests, name=draw(_WORDS))


@settings(max_examples=300, deadline=None)
@given(_policies())
def test_any_policy_survives_export_and_import(policy: Policy) -> None:
    text = dumps(policy)

    assert loads(text) == policy
    assert dumps(loads(text)) == text


# Errors: each says what is wrong and where.

VALID = """format = "porte-voix-policy/1"

[[clause]]
id = "3.1"
category = "legal_confidentiality"
title.fr = "Projets confidentiels"

[[rule]]
id = "projets"
kind = "terms"
clause = "3.1"
severity = "block"
scope = ["everyone"]
terms = ["Heron"]

[[test]]
text = "Projet Heron"
must_find = ["projets"]
"""
RULE_SETTINGS = 'kind = "terms"\nclause = "3.1"\nseverity = "block"\nscope = ["everyone"]\nterms = ["Heron"]'
RULE_1 = "Rule 1 'projets' (kind terms, line 8): "


def test_the_valid_file_of_the_error_cases_loads() -> None:
    assert loads(VALID).rules[0].id == "projets"


# (old, new, message): the valid file with `old` replaced by `new` gives this error.
ERROR_CASES = [
    pytest.param(
        'format = "porte-voix-policy/1"',
        'format = "porte-voix-policy/2"\nnew_key = 1',
        "At the top of the file: the format 'porte-voix-policy/2' is not one this version of Porte-Voix reads; "
        "it reads 'porte-voix-policy/1'.",
        id="a later format",
    ),
    pytest.param(
        'format = "porte-voix-policy/1"',
        "",
        "At the top of the file: the key 'format' is missing; a policy file starts with "
        'format = "porte-voix-policy/1".',
        id="no format",
    ),
    pytest.param(
        'format = "porte-voix-policy/1"',
        'format = "porte-voix-policy/1"\nnme = "Charte"',
        "At the top of the file: unknown key 'nme' (did you mean 'name'?); "
        "expected format, name, clause, rule or test.",
        id="unknown top-level key",
    ),
    pytest.param(
        'severity = "block"',
        'severity = "blok"',
        RULE_1 + "unknown severity 'blok' (did you mean 'block'?); expected block, warn or info.",
        id="unknown severity",
    ),
    pytest.param(
        'severity = "block"',
        'sevrity = "block"',
        RULE_1 + "unknown key 'sevrity' (did you mean 'severity'?); "
        "expected id, kind, clause, severity, scope, message, suggestion or terms.",
        id="misspelt key",
    ),
    pytest.param(
        'terms = ["Heron"]',
        'terms = ["Heron"]\nstart = 2026-01-01',
        RULE_1 + "unknown key 'start'; expected id, kind, clause, severity, scope, message, suggestion or terms.",
        id="key of another kind",
    ),
    pytest.param(
        'kind = "terms"',
        'kind = "term"',
        "Rule 1 'projets' (line 8): unknown kind 'term' (did you mean 'terms'?); "
        "expected terms, quiet_period, personal_data, links, disclosure, tone or custom.",
        id="unknown kind",
    ),
    pytest.param(
        'severity = "block"',
        "severity = 3",
        RULE_1 + "'severity' must be a text, not a number (3).",
        id="wrong type",
    ),
    pytest.param(
        'scope = ["everyone"]',
        'scope = ["everyone", true]',
        RULE_1 + "item 2 of 'scope' must be a text, not true or false (True).",
        id="wrong type in a list",
    ),
    pytest.param(
        'scope = ["everyone"]',
        'scope = ["evryone"]',
        RULE_1 + "in 'scope', unknown scope 'evryone' (did you mean 'everyone'?); "
        "expected everyone, ambassadors or official.",
        id="unknown scope",
    ),
    pytest.param(
        'scope = ["everyone"]',
        "scope = []",
        RULE_1 + "'scope' is empty; say whom the rule applies to: everyone, ambassadors or official.",
        id="empty scope",
    ),
    pytest.param(
        'clause = "3.1"\nseverity',
        'clause = "3.2"\nseverity',
        RULE_1 + "it cites the clause '3.2', which the policy does not have; did you mean '3.1'?",
        id="unknown clause",
    ),
    pytest.param(
        "[[test]]",
        '[[rule]]\nid = "projets"\nkind = "tone"\nclause = "3.1"\nseverity = "warn"\nscope = ["everyone"]\n\n[[test]]',
        "Rule 2 'projets' (kind tone, line 16): the id 'projets' is already the id of rule 1.",
        id="duplicate rule id",
    ),
    pytest.param(
        "[[test]]",
        '[[clause]]\nid = "3.1"\ncategory = "security"\n\n[[test]]',
        "Clause 2 '3.1' (line 16): the id '3.1' is already the id of clause 1.",
        id="duplicate clause id",
    ),
    pytest.param(
        '[[clause]]\nid = "3.1"\n',
        "[[clause]]\n",
        "Clause 1 (line 3): the key 'id' is missing.",
        id="missing key",
    ),
    pytest.param(
        'category = "legal_confidentiality"',
        'category = "legal"',
        "Clause 1 '3.1' (line 3): unknown category 'legal'; "
        "expected reputation, competition, legal_confidentiality, security or productivity.",
        id="unknown category",
    ),
    pytest.param(
        "title.fr",
        "title.de",
        "Clause 1 '3.1' (line 3), 'title': unknown language 'de'; expected fr or en.",
        id="unknown language",
    ),
    pytest.param(
        'title.fr = "Projets confidentiels"',
        'title = "Projets confidentiels"',
        "Clause 1 '3.1' (line 3): 'title' must be a text per language (title.fr = ...), "
        "not a text ('Projets confidentiels').",
        id="title without language",
    ),
    pytest.param(
        'terms = ["Heron"]',
        'terms = ["Heron", { term = "Atlas", contxt = ["projet"] }]',
        "Rule 1 'projets' (kind terms, line 8), item 2 of 'terms': unknown key 'contxt' (did you mean 'context'?); "
        "expected term, context, qualifiers or clear.",
        id="unknown key of a term",
    ),
    pytest.param(
        'terms = ["Heron"]',
        'terms = ["Heron", { term = "Atlas", qualifiers = ["hashtags"] }]',
        "Rule 1 'projets' (kind terms, line 8), item 2 of 'terms': in 'qualifiers', unknown qualifier 'hashtags' "
        "(did you mean 'hashtag'?); expected hashtag or capitalised.",
        id="unknown qualifier",
    ),
    pytest.param(
        'terms = ["Heron"]',
        'terms = ["Heron", " "]',
        RULE_1 + "item 2 of 'terms' is an empty term.",
        id="empty term",
    ),
    pytest.param(
        'terms = ["Heron"]',
        'terms = ["Heron", 3]',
        RULE_1 + "item 2 of 'terms' must be a text or { term = \"...\" }, not a number (3).",
        id="term of the wrong type",
    ),
    pytest.param(
        'kind = "terms"',
        'kind = "quiet_period"\nstart = 2026-03-31\nend = 2026-03-01',
        "Rule 1 'projets' (kind quiet_period, line 8): the quiet period ends on 2026-03-01 before it starts on "
        "2026-03-31.",
        id="end before start",
    ),
    pytest.param(
        'kind = "terms"',
        'kind = "quiet_period"\nstart = "2026-03-01"\nend = 2026-03-31',
        "Rule 1 'projets' (kind quiet_period, line 8): 'start' must be a date written without quotes, "
        "like start = 2026-11-15.",
        id="date in quotes",
    ),
    pytest.param(
        'kind = "terms"',
        'kind = "quiet_period"\nstart = 2026-03-01T09:00:00\nend = 2026-03-31',
        "Rule 1 'projets' (kind quiet_period, line 8): 'start' must be a date, like 2026-11-15, "
        "not a date and time (datetime.datetime(2026, 3, 1, 9, 0)).",
        id="date and time",
    ),
    pytest.param(
        RULE_SETTINGS,
        'kind = "custom"\nclause = "3.1"\nseverity = "block"\nscope = ["everyone"]\npatterns = [\'INC-(\\d+\']',
        "Rule 1 'projets' (kind custom, line 8): the pattern 'INC-(\\\\d+' is not a valid regular expression: "
        "missing ), unterminated subpattern at position 4.",
        id="invalid regular expression",
    ),
    pytest.param(
        RULE_SETTINGS,
        'kind = "custom"\nclause = "3.1"\nseverity = "block"\nscope = ["everyone"]\npatterns = [\'x*\']',
        "Rule 1 'projets' (kind custom, line 8): the pattern 'x*' can match an empty string.",
        id="pattern matching nothing",
    ),
    pytest.param(
        RULE_SETTINGS,
        'kind = "disclosure"\nclause = "3.1"\nseverity = "block"\nscope = ["everyone"]\njurisdiction = "UK"\n'
        'company_names = ["Lumarelle"]',
        "Rule 1 'projets' (kind disclosure, line 8): the key 'accepted_wordings' is missing; "
        "only US-FTC, FR, US-FINRA have default wordings.",
        id="no default wordings",
    ),
    pytest.param(
        RULE_SETTINGS,
        'kind = "disclosure"\nclause = "3.1"\nseverity = "block"\nscope = ["everyone"]\njurisdiction = "FR"\n'
        'company_names = [" "]',
        "Rule 1 'projets' (kind disclosure, line 8): a disclosure rule needs the company's name.",
        id="disclosure without a name",
    ),
    pytest.param(
        'must_find = ["projets"]',
        'must_find = ["projet"]',
        "Test 1 (line 16): 'must_find' names the rule 'projet', which the policy does not have; "
        "did you mean 'projets'?",
        id="test naming an unknown rule",
    ),
    pytest.param(
        'must_find = ["projets"]',
        'must_find = ["projets"]\nmust_not_find = ["projets"]',
        "Test 1 (line 16): the rule 'projets' is in both 'must_find' and 'must_not_find'.",
        id="test contradicting itself",
    ),
    pytest.param(
        'must_find = ["projets"]',
        "",
        "Test 1 (line 16): it checks nothing; give 'must_find', 'must_not_find' or 'outcome'.",
        id="test checking nothing",
    ),
    pytest.param(
        'must_find = ["projets"]',
        'outcome = "blocked"',
        "Test 1 (line 16): unknown outcome 'blocked'; expected fine, careful, do_not_publish or "
        "ask_communication_team.",
        id="unknown outcome",
    ),
    pytest.param(
        'must_find = ["projets"]',
        'must_find = ["projets"]\nlanguage = "de"',
        "Test 1 (line 16): unknown language 'de'; expected fr or en.",
        id="test in an unknown language",
    ),
    pytest.param(
        RULE_SETTINGS,
        'kind = "personal_data"\nclause = "3.1"\nseverity = "block"\nscope = ["everyone"]\ndetectors = ["mail"]',
        "Rule 1 'projets' (kind personal_data, line 8): in 'detectors', unknown detector 'mail' "
        "(did you mean 'email'?); expected email, phone, iban, nir or card.",
        id="unknown detector",
    ),
    pytest.param(
        RULE_SETTINGS,
        'kind = "tone"\nclause = "3.1"\nseverity = "block"\nscope = ["everyone"]\ncategories = ["insults"]',
        "Rule 1 'projets' (kind tone, line 8): in 'categories', unknown tone category 'insults' "
        "(did you mean 'insult'?); expected insult, threat or harassment.",
        id="unknown tone category",
    ),
    pytest.param(
        RULE_SETTINGS,
        'kind = "links"\nclause = "3.1"\nseverity = "block"\nscope = ["everyone"]\nonly_allowed = "yes"',
        "Rule 1 'projets' (kind links, line 8): 'only_allowed' must be true or false, not a text ('yes').",
        id="not a boolean",
    ),
    pytest.param(
        RULE_SETTINGS,
        'kind = "custom"\nclause = "3.1"\nseverity = "block"\nscope = ["everyone"]\npatterns = []',
        "Rule 1 'projets' (kind custom, line 8): a custom pattern rule needs at least one pattern.",
        id="no pattern",
    ),
    pytest.param(
        RULE_SETTINGS,
        'kind = "disclosure"\nclause = "3.1"\nseverity = "block"\nscope = ["everyone"]\njurisdiction = "UK"\n'
        'company_names = ["Lumarelle"]\naccepted_wordings = [" "]',
        "Rule 1 'projets' (kind disclosure, line 8): the disclosure rule for 'UK' accepts no wording.",
        id="disclosure without a wording",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), ERROR_CASES)
def test_an_error_says_what_is_wrong_and_where(old: str, new: str, message: str) -> None:
    assert old in VALID

    with pytest.raises(PolicyFileError) as raised:
        loads(VALID.replace(old, new, 1))

    assert str(raised.value) == message


def error_of(old: str, new: str) -> PolicyFileError:
    with pytest.raises(PolicyFileError) as raised:
        loads(VALID.replace(old, new, 1))
    return raised.value


def test_an_error_carries_its_code_its_parameters_and_where_it_is() -> None:
    error = error_of('severity = "block"', 'severity = "blok"')

    assert error.code is ErrorCode.UNKNOWN_SEVERITY
    assert error.params == {
        "value": "blok",
        "suggestion": "block",
        "choices": ("block", "warn", "info"),
        "list_key": None,
    }
    assert error.location == Location(Section.RULE, 1, "projets", "terms", line=8)


def test_an_error_inside_an_item_of_a_list_says_which_item() -> None:
    error = error_of('terms = ["Heron"]', 'terms = ["Heron", { term = "Atlas", contxt = ["projet"] }]')

    assert (error.code, error.params["value"], error.params["suggestion"]) == (
        ErrorCode.UNKNOWN_KEY,
        "contxt",
        "context",
    )
    assert error.location == Location(Section.RULE, 1, "projets", "terms", line=8, key="terms", item=2)


def test_a_pattern_the_engine_refuses_gives_the_pattern_and_pythons_reason() -> None:
    new = (
        'kind = "custom"\nclause = "3.1"\nseverity = "block"\nscope = ["everyone"]\npatterns = [\'ok\', \'INC-(\\d+\']'
    )

    error = error_of(RULE_SETTINGS, new)

    assert error.code is ErrorCode.INVALID_PATTERN
    assert error.params == {"pattern": "INC-(\\d+", "reason": "missing ), unterminated subpattern", "position": 4}


def test_the_error_cases_cover_every_code_the_engine_can_give() -> None:
    codes = {error_of(str(case.values[0]), str(case.values[1])).code for case in ERROR_CASES}
    elsewhere = {
        ErrorCode.INVALID_TOML,  # test_a_syntax_error_gives_its_line_and_column
        ErrorCode.INVALID_TOML_AT_END,  # test_a_syntax_error_at_the_very_end_says_so
        ErrorCode.NOT_A_TABLE,  # test_tables_that_are_not_tables_are_refused
        ErrorCode.UNWRITABLE_LANGUAGE,  # test_a_policy_with_a_text_in_another_language_cannot_be_written
        # Reading refuses before compiling whatever the engine refuses: these say what no case foresaw.
        ErrorCode.RULE_DOES_NOT_COMPILE,
        ErrorCode.POLICY_DOES_NOT_COMPILE,
    }

    assert codes | elsewhere == set(ErrorCode)
    assert not codes & elsewhere


def test_an_error_in_a_table_carries_the_line_of_its_header() -> None:
    with pytest.raises(PolicyFileError) as raised:
        loads(VALID.replace('severity = "block"', 'severity = "blok"'))

    assert (raised.value.line, raised.value.column) == (8, None)


SYNTAX = "the file is not valid TOML"


# (old, new, message, line, column)
SYNTAX_CASES = [
    ('severity = "block"', 'severity = "block', f"Line 12, column 18: {SYNTAX}: illegal character '\\n'.", 12, 18),
    ("must_find", "must_find = [", f"Line 18, column 15: {SYNTAX}: invalid value.", 18, 15),
    ("must_find", "date = 2026-02-30\nmust_find", f"Line 18, column 8: {SYNTAX}: invalid date or datetime.", 18, 8),
    ("scope", 'severity = "warn"\nscope', f"Line 13, column 18: {SYNTAX}: cannot overwrite a value.", 13, 18),
]


@pytest.mark.parametrize(("old", "new", "message", "line", "column"), SYNTAX_CASES)
def test_a_syntax_error_gives_its_line_and_column(old: str, new: str, message: str, line: int, column: int) -> None:
    with pytest.raises(PolicyFileError) as raised:
        loads(VALID.replace(old, new, 1))

    assert (str(raised.value), raised.value.line, raised.value.column) == (message, line, column)
    assert (raised.value.code, raised.value.location) == (ErrorCode.INVALID_TOML, Location(line=line, column=column))


def test_a_syntax_error_at_the_very_end_says_so() -> None:
    with pytest.raises(PolicyFileError, match=r"^The file is not valid TOML at its end: unterminated string\.$"):
        loads(VALID + 'note = "')


def test_tables_that_are_not_tables_are_refused() -> None:
    with pytest.raises(PolicyFileError) as raised:
        loads('format = "porte-voix-policy/1"\nrule = [3]\n')

    assert str(raised.value) == "At the top of the file: Rule 1 must be a table, written [[rule]], not a number."


def test_a_policy_with_a_text_in_another_language_cannot_be_written() -> None:
    policy = Policy(clauses=(Clause("1", {"de": "Vertraulich"}, RiskCategory.SECURITY),))

    with pytest.raises(PolicyFileError, match=r"^A text is in 'de'; a policy file holds texts in fr or en\.$"):
        dumps(policy)


def test_the_example_of_the_documentation_is_canonical_and_its_test_cases_pass() -> None:
    documentation = (Path(__file__).resolve().parents[2] / "docs" / "policy-format.md").read_text(encoding="utf-8")
    example = documentation.split("```toml\n", 1)[1].split("```", 1)[0]

    policy = loads(example)

    assert dumps(policy) == example
    assert [result.summary for result in run_test_cases(policy) if not result.passed] == []
    assert {rule.kind for rule in policy.rules} == set(RuleKind)
