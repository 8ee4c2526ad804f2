"""Quality of the policy engine: precision and recall per rule kind on the labelled corpus.

Run with `uv run python benchmarks/quality.py`. It prints the table, writes
`benchmarks/results/quality.md`, and exits with status 1 if any kind is under 0.95 precision or
recall. The corpus and its labels live in `compliance_engine/tests/corpus/`; a finding matches a
label when it belongs to the same rule and its span overlaps the labelled text.
"""

from __future__ import annotations

import datetime
import platform
import sys
from collections import Counter
from pathlib import Path

from compliance_engine.tests.corpus.scoring import KindScore, Post, Report, describe_errors, load_corpus, score

MINIMUM = 0.95
COMMAND = "uv run python benchmarks/quality.py"
RESULTS = Path(__file__).parent / "results" / "quality.md"
_HEADER = ("kind", "labelled", "found", "TP", "FP", "FN", "precision", "recall")


def _row(kind_score: KindScore) -> tuple[str, ...]:
    return (
        kind_score.kind,
        str(kind_score.labelled),
        str(kind_score.found),
        str(kind_score.true_positives),
        str(kind_score.false_positives),
        str(kind_score.false_negatives),
        f"{kind_score.precision:.3f}",
        f"{kind_score.recall:.3f}",
    )


def _rows(report: Report) -> list[tuple[str, ...]]:
    return [_row(kind_score) for kind_score in report.scores.values()] + [_row(report.overall)]


def text_table(report: Report) -> str:
    """The scores as aligned columns for a terminal."""
    rows = [_HEADER, *_rows(report)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(_HEADER))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if column == 0 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    )


def markdown(report: Report, posts: list[Post], date: datetime.date) -> str:
    """The results file: command, date, corpus, table, and every miss and false alarm."""
    languages = Counter(post.language for post in posts)
    lines = [
        "# Policy engine quality",
        "",
        f"`{COMMAND}` — {date.isoformat()}, Python {platform.python_version()}.",
        "",
        f"Corpus: {len(posts)} posts ({languages['fr']} French, {languages['en']} English) in",
        "`compliance_engine/tests/corpus/`, labelled by hand from their meaning. A finding counts as a",
        "true positive when it belongs to the labelled rule and overlaps the labelled text.",
        f"Target: precision and recall of at least {MINIMUM} for every rule kind.",
        "",
        "| " + " | ".join(_HEADER) + " |",
        "| " + " | ".join("---" for _ in _HEADER) + " |",
        *("| " + " | ".join(row) + " |" for row in _rows(report)),
        "",
        f"Kinds under the target: {', '.join(_failing(report)) or 'none'}.",
        "",
        "## Misses and false alarms",
        "",
        *(f"- `{line}`" for line in describe_errors(report)),
    ]
    return "\n".join(lines) + "\n"


def _failing(report: Report) -> list[str]:
    return [
        kind_score.kind
        for kind_score in report.scores.values()
        if kind_score.precision < MINIMUM or kind_score.recall < MINIMUM
    ]


def main() -> int:
    """Score the corpus, print and write the results; 1 if any kind is under the target."""
    posts = load_corpus()
    report = score(posts)
    print(text_table(report))
    for line in describe_errors(report):
        print(line)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(markdown(report, posts, datetime.date.today()), encoding="utf-8")
    failing = _failing(report)
    if failing:
        print(f"Under {MINIMUM}: {', '.join(failing)}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
