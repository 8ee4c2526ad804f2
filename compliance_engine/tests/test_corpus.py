"""The labelled corpus: its size and coverage, and the engine's precision and recall on it per rule kind.

`uv run python benchmarks/quality.py` prints the same scores as a table.
"""

from collections import Counter
from pathlib import Path

import pytest

from compliance_engine.engine import CompiledPolicy
from compliance_engine.model import RuleKind
from compliance_engine.tests.corpus.policy import POLICIES, compiled_policies
from compliance_engine.tests.corpus.scoring import CorpusError, Post, Report, describe_errors, load_corpus, score

MINIMUM = 0.95
POSTS = load_corpus()
_KINDS = {rule.id: rule.kind for policy in POLICIES.values() for rule in policy.rules}

# Kinds that fall short because of the engine, not of the corpus: the labels stay honest and the
# test is expected to fail until the engine is fixed (strict, so a fix turns it red as a reminder
# to remove the entry).
KNOWN_SHORTFALLS: dict[RuleKind, str] = {}


@pytest.fixture(scope="module")
def compiled() -> dict[str, CompiledPolicy]:
    return compiled_policies()


@pytest.fixture(scope="module")
def report(compiled: dict[str, CompiledPolicy]) -> Report:
    return score(POSTS, compiled)


def _positives(kind: RuleKind, language: str) -> list[Post]:
    return [p for p in POSTS if p.language == language and any(_KINDS[label.rule_id] is kind for label in p.labels)]


def _negatives(kind: RuleKind, language: str) -> list[Post]:
    return [
        p
        for p in POSTS
        if p.language == language and kind in p.traps and all(_KINDS[label.rule_id] is not kind for label in p.labels)
    ]


def test_the_corpus_holds_at_least_200_posts_about_half_in_each_language() -> None:
    languages = Counter(post.language for post in POSTS)

    assert len(POSTS) >= 200
    assert set(languages) == {"fr", "en"}
    assert min(languages.values()) >= 0.4 * len(POSTS), languages


def test_posts_are_the_length_of_social_network_posts() -> None:
    assert [post.id for post in POSTS if not 50 <= len(post.text) <= 600] == []


@pytest.mark.parametrize("kind", list(RuleKind))
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_kind_has_positives_and_hard_negatives_in_both_languages(kind: RuleKind, language: str) -> None:
    assert len(_positives(kind, language)) >= 5
    assert len(_negatives(kind, language)) >= 4


def test_lawful_criticism_of_the_employer_is_a_large_part_of_the_negatives() -> None:
    criticism = [post for post in POSTS if post.id.startswith("criticism-")]

    assert len(criticism) >= 40
    assert all(post.labels == () for post in criticism)


def _kind_parameters() -> list[object]:
    return [
        pytest.param(kind, marks=pytest.mark.xfail(strict=True, reason=KNOWN_SHORTFALLS[kind]))
        if kind in KNOWN_SHORTFALLS
        else kind
        for kind in RuleKind
    ]


@pytest.mark.parametrize("kind", _kind_parameters())
def test_every_kind_reaches_the_minimum_precision_and_recall(kind: RuleKind, report: Report) -> None:
    kind_score = report.scores[kind]
    errors = "\n".join(describe_errors(report, kind))

    assert kind_score.precision >= MINIMUM, f"precision {kind_score.precision:.3f}\n{errors}"
    assert kind_score.recall >= MINIMUM, f"recall {kind_score.recall:.3f}\n{errors}"


# Posts that found gaps in the tone lexicon (tone_lexicon.py), judged exactly as labelled since.
@pytest.mark.parametrize(
    "post_id",
    [
        "tone-fr-10",  # "envoie-moi des photos de toi", hyphenated
        "tone-fr-neg-09",  # "je vais te retrouver ce doc" is not a threat
        "tone-en-11",  # "better watch your back, Dan" is one
        "tone-en-neg-04",  # "watch your back and bend your knees" is safety advice
    ],
)
def test_the_posts_that_found_gaps_in_the_tone_lexicon_are_judged_as_labelled(
    post_id: str, compiled: dict[str, CompiledPolicy]
) -> None:
    (post,) = [post for post in POSTS if post.id == post_id]

    post_report = score([post], compiled)

    assert describe_errors(post_report) == []


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ('id = "a"\nlanguage = "fr"\ntext = "Heron"\nexpect = [{ rule = "tone", text = "Atlas" }]', "is not in"),
        (
            'id = "a"\nlanguage = "fr"\ntext = "Heron"\nexpect = [{ rule = "no-such-rule", text = "Heron" }]',
            "bad label",
        ),
        ('id = "a"\nlanguage = "de"\ntext = "Heron"', "unknown policy"),
        ('id = "a"\nlanguage = "fr"\ntexte = "Heron"', "unknown keys"),
    ],
)
def test_a_badly_written_post_is_refused_with_its_id(body: str, error: str, tmp_path: Path) -> None:
    (tmp_path / "posts.toml").write_text(f"[[posts]]\n{body}\n", encoding="utf-8")

    with pytest.raises(CorpusError, match=f"Post a: .*{error}"):
        load_corpus(tmp_path)
