# ruff: noqa: RUF001  -- the generated posts use typographic apostrophes and look-alike letters on purpose
"""Benchmark of the policy engine: `check` on a 3,000-character post against 10,000 terms.

Run with `uv run python benchmarks/engine.py`; it writes `benchmarks/results/engine.md`.
Everything is generated from a fixed seed, so every run measures the same work. Timings are of
one process on one core; PRODUCT.md's target is under 1 ms per 3,000-character post.
"""

from __future__ import annotations

import datetime
import platform
import random
import statistics
import time
from pathlib import Path

from compliance_engine.engine import CompiledPolicy, check, compile_policy
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
    RuleSettings,
    Scope,
    Severity,
    TermEntry,
    TermListSettings,
    ToneSettings,
)

SEED = 20261127
TERMS = 10_000
POST_CHARACTERS = 3_000
RUNS = 2_000
BULK_POSTS = 5_000
BULK_POST_CHARACTERS = 400
DATE = datetime.date(2026, 3, 10)
RESULTS = Path(__file__).parent / "results" / "engine.md"

# Ordinary French and English prose; names and personal data are mixed in by `_post`.
_SENTENCES = (
    "Très fière de l'équipe qui a livré la nouvelle version de notre application cette semaine.",
    "Nous recrutons des ingénieurs à Lyon et à Nantes, venez nous rencontrer au salon.",
    "Cette décision de la direction est absurde, parlons-en entre collègues jeudi.",
    "Our management is wrong about remote work, and I said so at the town hall.",
    "Great discussion today with customers about accessibility and open standards!",
    "Le mistral souffle fort sur Marseille ce matin, prudence sur la route.",
    "I looked at the atlas of European rail lines during the long flight home.",
    "Merci à tous pour vos retours sur le webinaire d'hier, la rediffusion arrive.",
    "Happy to share that our team won the regional innovation award this year.",
)
_EXTRAS = (
    "Contactez-moi : alice.martin@example.fr ou 06 12 34 56 78.",
    "Ma commande 4111111111111111 est arrivée.",
    "Le projet Heron avance bien, #ProjetHeron.",
    "Call me on +44 20 7946 0958 about the l’Ατlas launch.",
    "IBAN FR76 3000 6000 0112 3456 7890 189 pour le remboursement.",
    "Tout est sur https://www.lumarelle.com/offres et bit.ly/3xYz, pas sur lumare11e.com.",
    "Découvrez la SolarBox, t'es un abruti si tu rates ça (JIRA-4242).",
)


def _word(rng: random.Random) -> str:
    consonants, vowels = "bcdfghjklmnprstvz", "aeiou"
    return "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))


def _entry(rng: random.Random, index: int) -> TermEntry:
    text = _word(rng) if index % 3 else f"{_word(rng)} {_word(rng)}"
    if index % 50 == 0:
        return TermEntry(text, context_words=("projet", "project"), qualifiers=frozenset({Qualifier.HASHTAG}))
    if index % 70 == 0:
        return TermEntry(text, clearing_words=("vent", "wind"))
    return TermEntry(text)


def build_policy(rng: random.Random) -> Policy:
    """TERMS terms in four lists, a quiet period, every personal data detector, one rule of each other kind."""
    clause = Clause(
        "confidentiality", {"fr": "Confidentialité", "en": "Confidentiality"}, RiskCategory.LEGAL_CONFIDENTIALITY
    )
    entries = [_entry(rng, index) for index in range(TERMS - 100)]
    entries += [TermEntry("Heron"), TermEntry("Atlas", context_words=("projet", "project"))]
    message, suggestion = (
        {"fr": "Terme confidentiel", "en": "Confidential term"},
        {"fr": "Retirez-le", "en": "Remove it"},
    )
    rules = [
        Rule(
            f"terms-{part}",
            Severity.BLOCK,
            frozenset({Scope.EVERYONE}),
            clause.id,
            message,
            suggestion,
            TermListSettings(tuple(entries[part::4])),
        )
        for part in range(4)
    ]
    quiet_terms = (*(TermEntry(_word(rng)) for _ in range(98)), TermEntry("résultats"), TermEntry("results"))
    quiet = QuietPeriodSettings(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), quiet_terms)
    rules.append(Rule("quiet", Severity.WARN, frozenset({Scope.EVERYONE}), clause.id, message, suggestion, quiet))
    data = PersonalDataSettings(frozenset(Detector))
    rules.append(
        Rule("personal-data", Severity.WARN, frozenset({Scope.EVERYONE}), clause.id, message, suggestion, data)
    )
    rules.extend(
        Rule(rule_id, Severity.WARN, frozenset({Scope.EVERYONE}), clause.id, message, suggestion, settings)
        for rule_id, settings in _text_rule_settings()
    )
    return Policy((clause,), tuple(rules))


def _text_rule_settings() -> list[tuple[str, RuleSettings]]:
    """One rule of each per-text kind: links, disclosure, tone and custom patterns."""
    return [
        ("links", LinkSettings(own_domains=("lumarelle.com",), blocked_domains=("piratebay.org",))),
        (
            "disclosure",
            DisclosureSettings(
                "FR", ("Lumarelle",), DISCLOSURE_WORDINGS["FR"], ("SolarBox",), company_domains=("lumarelle.com",)
            ),
        ),
        ("tone", ToneSettings()),
        ("custom", CustomPatternSettings((r"\bjira-\d{3,}\b", r"\bref(?:erence)? interne\b"))),
    ]


def _post(rng: random.Random, characters: int) -> str:
    parts: list[str] = []
    while sum(len(part) + 1 for part in parts) < characters:
        parts.append(rng.choice(_EXTRAS) if rng.random() < 0.1 else rng.choice(_SENTENCES))
    return " ".join(parts)[:characters]


def _percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def measure_post(compiled: CompiledPolicy, post: str) -> tuple[float, float, int]:
    """p50 and p99 of `check` on one post, in milliseconds, and its number of findings."""
    findings = len(check(post, compiled, date=DATE, scope=Scope.EVERYONE).findings)
    timings: list[float] = []
    for _ in range(RUNS):
        started = time.perf_counter_ns()
        check(post, compiled, date=DATE, scope=Scope.EVERYONE)
        timings.append((time.perf_counter_ns() - started) / 1e6)
    timings.sort()
    return statistics.median(timings), _percentile(timings, 0.99), findings


def measure_bulk(compiled: CompiledPolicy, posts: list[str]) -> tuple[float, float]:
    """Posts per second and MB per second (UTF-8) when checking a stream of posts."""
    started = time.perf_counter()
    for post in posts:
        check(post, compiled, date=DATE, scope=Scope.EVERYONE)
    elapsed = time.perf_counter() - started
    size = sum(len(post.encode()) for post in posts)
    return len(posts) / elapsed, size / elapsed / 1e6


def main() -> None:
    """Run the benchmark and write the results file."""
    rng = random.Random(SEED)
    policy = build_policy(rng)
    started = time.perf_counter()
    compiled = compile_policy(policy)
    compile_seconds = time.perf_counter() - started
    p50, p99, findings = measure_post(compiled, _post(rng, POST_CHARACTERS))
    posts_per_second, megabytes_per_second = measure_bulk(
        compiled, [_post(rng, BULK_POST_CHARACTERS) for _ in range(BULK_POSTS)]
    )
    report = f"""# Policy engine benchmark

`uv run python benchmarks/engine.py` — Python {platform.python_version()}, {platform.machine()}, one core.

Policy: {TERMS:,} terms (four term lists and a quiet period, some terms with context rules),
every personal data detector, and one rule each of links, disclosure, tone and custom patterns.
Target (PRODUCT.md, Fast): under 1 ms per 3,000-character post.

| measure | value |
| --- | --- |
| compile the policy | {compile_seconds:.2f} s |
| `check`, {POST_CHARACTERS:,}-character post, p50 over {RUNS:,} runs | {p50:.3f} ms |
| `check`, {POST_CHARACTERS:,}-character post, p99 over {RUNS:,} runs | {p99:.3f} ms |
| findings in that post | {findings} |
| bulk, {BULK_POSTS:,} posts of {BULK_POST_CHARACTERS} characters | {posts_per_second:,.0f} posts/s |
| bulk throughput | {megabytes_per_second:.1f} MB/s |
"""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
