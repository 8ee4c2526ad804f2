"""Load the labelled corpus, run the engine on it, and score each rule kind.

A post's labels are (rule id, text): the text, or its `occurrence`-th copy in the post, must
overlap the span of a finding of that rule. Each label matches at most one finding and each
finding at most one label; an unmatched label is a miss (false negative), an unmatched finding a
false alarm (false positive). Scores are counted per rule kind, the kind of the rule the label
or finding belongs to.
"""

from __future__ import annotations

import datetime
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance_engine.engine import CompiledPolicy, Finding, check
from compliance_engine.model import RuleKind, Scope
from compliance_engine.tests.corpus.policy import DEFAULT_DATE, POLICIES, compiled_policies

CORPUS = Path(__file__).parent
_POST_KEYS = frozenset({"id", "language", "text", "expect", "date", "scope", "policy", "traps", "note"})
_LABEL_KEYS = frozenset({"rule", "text", "occurrence"})


class CorpusError(ValueError):
    """A corpus file that does not follow the format; the message names the post."""


@dataclass(frozen=True, slots=True)
class Label:
    """An expected finding: its rule and the span of the text it must overlap."""

    rule_id: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Post:
    """A labelled post: what is written, by whom, when, and what the engine should find in it.

    `traps` are the rule kinds the post was written to fool (an order number for personal data,
    the mistral wind for terms): a post is a negative example for each trap it has no label of.
    """

    id: str
    language: str
    text: str
    labels: tuple[Label, ...]
    date: datetime.date = DEFAULT_DATE
    scope: Scope = Scope.EVERYONE
    policy: str = "fr"
    traps: frozenset[RuleKind] = frozenset()


@dataclass(slots=True)
class KindScore:
    """Counts for one rule kind over the corpus."""

    kind: str
    labelled: int = 0
    found: int = 0
    true_positives: int = 0

    @property
    def false_positives(self) -> int:
        """Findings that match no label."""
        return self.found - self.true_positives

    @property
    def false_negatives(self) -> int:
        """Labels that match no finding."""
        return self.labelled - self.true_positives

    @property
    def precision(self) -> float:
        """The share of findings that were expected; 1 when nothing was found."""
        return self.true_positives / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        """The share of expected findings that were found; 1 when nothing was expected."""
        return self.true_positives / self.labelled if self.labelled else 1.0


@dataclass(frozen=True, slots=True)
class Miss:
    """An expected finding the engine did not report."""

    post_id: str
    kind: RuleKind
    rule_id: str
    text: str


@dataclass(frozen=True, slots=True)
class FalseAlarm:
    """A finding no label expected."""

    post_id: str
    kind: RuleKind
    rule_id: str
    matched: str
    detail: str


@dataclass(slots=True)
class Report:
    """Scores per kind, overall, and every miss and false alarm."""

    scores: dict[RuleKind, KindScore]
    misses: list[Miss] = field(default_factory=list)
    false_alarms: list[FalseAlarm] = field(default_factory=list)

    @property
    def overall(self) -> KindScore:
        """The counts of every kind added up."""
        total = KindScore("overall")
        for score in self.scores.values():
            total.labelled += score.labelled
            total.found += score.found
            total.true_positives += score.true_positives
        return total


def load_corpus(folder: Path = CORPUS) -> list[Post]:
    """Every post of every `*.toml` file of the folder, in file order; raise `CorpusError` on a bad post."""
    posts: list[Post] = []
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as file:
            data = tomllib.load(file)
        posts.extend(_post(raw, path.name) for raw in data.get("posts", []))
    ids = [post.id for post in posts]
    duplicates = sorted({post_id for post_id in ids if ids.count(post_id) > 1})
    if duplicates:
        raise CorpusError(f"Duplicate post ids: {', '.join(duplicates)}.")
    return posts


def _post(raw: Mapping[str, Any], file_name: str) -> Post:
    post_id = str(raw.get("id", f"? in {file_name}"))
    unknown = set(raw) - _POST_KEYS
    if unknown or not {"id", "language", "text"} <= set(raw):
        raise CorpusError(f"Post {post_id}: unknown keys {sorted(unknown)} or missing id, language or text.")
    text = str(raw["text"])
    policy = str(raw.get("policy", "fr"))
    if policy not in POLICIES or raw["language"] not in ("fr", "en"):
        raise CorpusError(f"Post {post_id}: unknown policy {policy!r} or language {raw['language']!r}.")
    rule_ids = {rule.id for rule in POLICIES[policy].rules}
    return Post(
        id=post_id,
        language=str(raw["language"]),
        text=text,
        labels=tuple(_label(label, text, post_id, rule_ids) for label in raw.get("expect", [])),
        date=raw.get("date", DEFAULT_DATE),
        scope=Scope(raw.get("scope", Scope.EVERYONE.value)),
        policy=policy,
        traps=frozenset(RuleKind(kind) for kind in raw.get("traps", [])),
    )


def _label(raw: Mapping[str, Any], text: str, post_id: str, rule_ids: set[str]) -> Label:
    if set(raw) - _LABEL_KEYS or raw.get("rule") not in rule_ids:
        raise CorpusError(f"Post {post_id}: bad label {dict(raw)!r} (unknown key or rule).")
    wanted = str(raw["text"])
    start = -1
    for _ in range(int(raw.get("occurrence", 1))):
        start = text.find(wanted, start + 1)
        if start == -1:
            raise CorpusError(f"Post {post_id}: the label text {wanted!r} is not in the post (often enough).")
    return Label(str(raw["rule"]), wanted, start, start + len(wanted))


def findings_of(post: Post, compiled: Mapping[str, CompiledPolicy]) -> tuple[Finding, ...]:
    """What the engine finds in a post, checked as its author, on its date, against its policy."""
    return check(post.text, compiled[post.policy], date=post.date, scope=post.scope, language=post.language).findings


def _pairs(labels: Sequence[Label], findings: Sequence[Finding]) -> list[tuple[Label, Finding]]:
    """Match labels to findings of the same rule whose spans overlap, each used once."""
    used: set[int] = set()
    pairs: list[tuple[Label, Finding]] = []
    for label in labels:
        for index, finding in enumerate(findings):
            if index in used or finding.rule_id != label.rule_id:
                continue
            if finding.start < label.end and label.start < finding.end:
                used.add(index)
                pairs.append((label, finding))
                break
    return pairs


def score(posts: Iterable[Post], compiled: Mapping[str, CompiledPolicy] | None = None) -> Report:
    """Run the engine on every post and count, per rule kind, the labels found and the false alarms."""
    compiled = compiled if compiled is not None else compiled_policies()
    report = Report(scores={kind: KindScore(kind.value) for kind in RuleKind})
    for post in posts:
        _score_post(post, findings_of(post, compiled), _kinds(compiled[post.policy]), report)
    return report


def _kinds(compiled: CompiledPolicy) -> dict[str, RuleKind]:
    return {rule.id: rule.kind for rule in compiled.policy.rules}


def _score_post(post: Post, findings: tuple[Finding, ...], kinds: dict[str, RuleKind], report: Report) -> None:
    pairs = _pairs(post.labels, findings)
    matched_labels = {id(label) for label, _ in pairs}
    matched_findings = {id(finding) for _, finding in pairs}
    for label in post.labels:
        kind = kinds[label.rule_id]
        report.scores[kind].labelled += 1
        if id(label) in matched_labels:
            report.scores[kind].true_positives += 1
        else:
            report.misses.append(Miss(post.id, kind, label.rule_id, label.text))
    for finding in findings:
        report.scores[finding.kind].found += 1
        if id(finding) not in matched_findings:
            report.false_alarms.append(
                FalseAlarm(post.id, finding.kind, finding.rule_id, finding.matched, finding.detail)
            )


def describe_errors(report: Report, kind: RuleKind | None = None) -> list[str]:
    """One line per miss and false alarm (of one kind, or all), for people to read."""
    lines = [
        f"miss         {miss.post_id}: {miss.rule_id} should find {miss.text!r}"
        for miss in report.misses
        if kind is None or miss.kind is kind
    ]
    lines.extend(
        f"false alarm  {alarm.post_id}: {alarm.rule_id} found {alarm.matched!r} ({alarm.detail})"
        for alarm in report.false_alarms
        if kind is None or alarm.kind is kind
    )
    return lines
