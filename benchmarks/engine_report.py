"""The tables of the engine benchmark (benchmarks/engine.py): figures per policy size, targets."""

from __future__ import annotations

import platform
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

LONG_CHARACTERS, SHORT_CHARACTERS = 3_000, 400


@dataclass(frozen=True)
class Timings:
    """Per-post timings in microseconds, and the UTF-8 size of the posts they were taken on."""

    values: list[float]
    megabytes: float

    def percentile(self, fraction: float) -> float:
        """The value below which `fraction` of the timings lie."""
        ordered = sorted(self.values)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    @property
    def per_second(self) -> float:
        """Posts per second, from the total time of the timed runs."""
        return len(self.values) / (sum(self.values) / 1e6)

    @property
    def megabytes_per_second(self) -> float:
        """UTF-8 megabytes per second."""
        return self.megabytes / (sum(self.values) / 1e6)


@dataclass(frozen=True)
class Figures:
    """Everything measured for one matcher (engine or baseline) at one policy size."""

    compile_seconds: float
    compile_megabytes: float
    long: Timings
    short: Timings  # each post checked for the first time
    short_again: Timings | None = None  # the same posts checked again, if the matcher remembers anything
    long_round: Timings | None = None  # the long posts' fastest round as it came, if `long` is of several rounds


def _ratio(engine: float, baseline: float, *, is_time: bool) -> str:
    """How much better the engine does: for a time or a size, baseline over engine; for a rate, the reverse."""
    if engine <= 0 or baseline <= 0:
        return "-"
    better = baseline / engine if is_time else engine / baseline
    return f"{better:,.1f}x better" if better >= 1 else f"{1 / better:,.1f}x worse"


def _rows(engine: Figures, baseline: Figures | None) -> list[tuple[str, float, float | None, str, bool]]:
    """(measure, engine value, baseline value, format, whether lower is better)."""

    def pick(getter: Callable[[Figures], float]) -> tuple[float, float | None]:
        return getter(engine), None if baseline is None else getter(baseline)

    long_name, short_name = f"{LONG_CHARACTERS:,}-character post", f"{SHORT_CHARACTERS}-character posts"
    return [
        ("compile time (s)", *pick(lambda f: f.compile_seconds), ".3f", True),
        ("compile memory, peak resident growth (MB)", *pick(lambda f: f.compile_megabytes), ".1f", True),
        (f"{long_name}, p50 (µs)", *pick(lambda f: f.long.percentile(0.5)), ",.0f", True),
        (f"{long_name}, p99 (µs)", *pick(lambda f: f.long.percentile(0.99)), ",.0f", True),
        (
            f"{long_name}, p99 of one round, pauses of the machine included (µs)",
            *pick(lambda f: (f.long_round or f.long).percentile(0.99)),
            ",.0f",
            True,
        ),
        (f"{short_name}, p50 (µs)", *pick(lambda f: f.short.percentile(0.5)), ",.1f", True),
        (f"{short_name}, p99 (µs)", *pick(lambda f: f.short.percentile(0.99)), ",.1f", True),
        (f"posts per second ({short_name})", *pick(lambda f: f.short.per_second), ",.0f", False),
        (f"MB per second ({short_name})", *pick(lambda f: f.short.megabytes_per_second), ",.2f", False),
        (
            f"posts per second ({short_name}, each checked again)",
            *pick(lambda f: (f.short_again or f.short).per_second),
            ",.0f",
            False,
        ),
    ]


def size_table(size: int, engine: Figures, baseline: Figures | None, findings: str) -> str:
    """The Markdown table of one policy size."""
    lines = [
        f"## {size:,} terms",
        "",
        "| measure | engine | baseline | engine vs baseline |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, value, other, spec, is_time in _rows(engine, baseline):
        other_text = "-" if other is None else format(other, spec)
        ratio = "-" if other is None else _ratio(value, other, is_time=is_time)
        lines.append(f"| {name} | {format(value, spec)} | {other_text} | {ratio} |")
    runs = f"{len(engine.long.values):,} / {len(engine.short.values):,}"
    baseline_runs = "-" if baseline is None else f"{len(baseline.long.values):,} / {len(baseline.short.values):,}"
    lines.append(f"| timed runs ({LONG_CHARACTERS:,} / {SHORT_CHARACTERS} characters) | {runs} | {baseline_runs} | |")
    lines += ["", f"Findings on the corpus: {findings}.", ""]
    return "\n".join(lines)


# The targets, on one core: (measure, policy size, figure of the engine, limit, unit, lower is better).
type Target = tuple[str, int, Callable[[Figures], float], float, str, bool]
TARGETS: tuple[Target, ...] = (
    (
        f"p99, {LONG_CHARACTERS:,}-character post, each check's fastest round",
        10_000,
        lambda f: f.long.percentile(0.99),
        500,
        "µs",
        True,
    ),
    (
        f"p99, {LONG_CHARACTERS:,}-character post, one round, pauses of the machine included",
        10_000,
        lambda f: (f.long_round or f.long).percentile(0.99),
        500,
        "µs",
        True,
    ),
    (f"posts per second, {SHORT_CHARACTERS} characters", 10_000, lambda f: f.short.per_second, 20_000, "", False),
    ("compile time", 100_000, lambda f: f.compile_seconds, 3, "s", True),
    ("compile memory", 100_000, lambda f: f.compile_megabytes, 150, "MB", True),
)


def targets_table(engines: dict[int, Figures]) -> str:
    """The issue's targets against the figures of this run, for the sizes it measured."""
    lines = ["## Targets", "", "| target | terms | limit | this run | met |", "| --- | ---: | ---: | ---: | --- |"]
    for name, size, measure, limit, unit, is_lower_better in TARGETS:
        if size not in engines:
            continue
        value = measure(engines[size])
        is_met = value < limit if is_lower_better else value > limit
        bound = f"{'under' if is_lower_better else 'over'} {limit:,} {unit}".strip()
        figure = f"{value:,.0f} {unit}" if value >= 100 else f"{value:,.2f} {unit}"
        lines.append(f"| {name} | {size:,} | {bound} | {figure.strip()} | {'yes' if is_met else 'no'} |")
    return "\n".join([*lines, ""])


def processor() -> str:
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or platform.machine()
    names = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    return f"{names[0]} ({len(names)} logical cores)" if names else platform.machine()
