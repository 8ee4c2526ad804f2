"""Benchmark of the policy engine against a naive baseline, for policies of 100 to 100,000 terms.

    uv run python benchmarks/engine.py            # every size; about two minutes
    uv run python benchmarks/engine.py --quick    # fewer runs, up to 10,000 terms; under a minute
    uv run python benchmarks/engine.py --sizes 10000 --no-baseline
    uv run python benchmarks/engine.py --findings-only  # only check that the findings are unchanged

For each policy size it reports compile time and memory, p50/p99 of `check` on 3,000-character
posts and on 400-character posts, posts and megabytes per second, and the same figures for the
baseline: one big case-insensitive `re` alternation of every term, with word boundaries, over the
casefolded text. The baseline only finds terms; the engine also runs every other detector.

The corpus is deterministic (`engine_corpus.py`), and the findings of every post are compared with
digests recorded before the engine was optimised (`engine-findings.json`): a speed-up that
changed a single finding fails the run. `--record-findings` records them anew, for a change that
means to change findings. Results go to benchmarks/results/engine.md (the default run) or to
stdout (any other run, unless `--write` is given).
"""

from __future__ import annotations

import argparse
import datetime
import gc
import hashlib
import json
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # run as a script: engine_corpus lives next to it

from engine_corpus import DATE, build_policy, policy_terms, posts
from engine_report import (
    LONG_CHARACTERS,
    SHORT_CHARACTERS,
    Figures,
    Timings,
    processor,
    size_table,
    targets_table,
)

from compliance_engine.engine import CompiledPolicy, Verdict, check, compile_policy, forget_texts
from compliance_engine.model import Policy, Scope

SIZES = (100, 1_000, 10_000, 100_000)
LONG_POSTS, SHORT_POSTS = 20, 5_000
RESULTS = Path(__file__).parent / "results" / "engine.md"
FINDINGS = Path(__file__).parent / "engine-findings.json"
# The baseline takes up to 0.1 s per short post at 100,000 terms: its runs stop after this many
# seconds per measure (at least `MINIMUM_RUNS` runs), so that the whole benchmark stays short.
BASELINE_SECONDS = 4.0
MINIMUM_RUNS = 5
# The engine's posts are timed in this many rounds: the fastest round of the 400-character posts is
# reported, and each 3,000-character check's fastest time (see the results' header).
ROUNDS = 3

type Run = Callable[[str, str], object]  # (language, text) -> anything


@dataclass(frozen=True)
class Options:
    """What to run: sizes, how many timed runs, and whether to time the baseline."""

    sizes: tuple[int, ...]
    long_runs: int
    short_runs: int
    has_baseline: bool
    record_findings: bool
    is_findings_only: bool
    write: bool


def measure_compile[T](kind: str, size: int, build: Callable[[], T]) -> tuple[T, float, float]:
    """Build once for time; the peak memory in MB comes from a build in a process of its own."""
    gc.collect()
    started = time.perf_counter()
    built = build()
    seconds = time.perf_counter() - started
    command = [sys.executable, __file__, "--compile-memory", kind, str(size)]
    measured = subprocess.run(command, capture_output=True, text=True, check=True)
    return built, seconds, float(measured.stdout)


def _status_megabytes(field: str) -> float:
    """A memory figure of this process from /proc/self/status, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def resident_growth(kind: str, size: int) -> float:
    """How much a build raises this new process's peak resident memory, in MB.

    Tracing Python's allocations would miss the automaton, which Rust allocates outside them.
    The policy is built first, so it is not counted; the peak is reset just before the build.
    """
    policy = build_policy(size)
    build = (lambda: compile_policy(policy)) if kind == "engine" else baseline_builder(policy)
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM, the peak resident memory
    before = _status_megabytes("VmRSS")
    built = build()
    growth = _status_megabytes("VmHWM") - before
    del built
    return growth


def measure_posts(run: Run, corpus: Sequence[tuple[str, str]], runs: int, budget: float) -> Timings:
    """Time `runs` calls cycling through the corpus, or as many as `budget` seconds allow."""
    values: list[float] = []
    size = 0
    deadline = time.perf_counter() + budget
    for index in range(runs):
        language, text = corpus[index % len(corpus)]
        started = time.perf_counter_ns()
        run(language, text)
        values.append((time.perf_counter_ns() - started) / 1e3)
        size += len(text.encode())
        if index + 1 >= MINIMUM_RUNS and time.perf_counter() > deadline:
            break
    return Timings(values, size / 1e6)


def fastest_round(rounds: Sequence[Timings]) -> Timings:
    """The fastest of several rounds of a measure: other work on a shared machine only slows rounds down."""
    return min(rounds, key=lambda timings: sum(timings.values))


def fastest_of_each(rounds: Sequence[Timings]) -> Timings:
    """Each timed check's fastest time over several rounds of the same checks.

    The machine pausing the process (another program, another virtual machine on the host) makes
    one check slow in one round; a check that is slow by itself, or a garbage collection at the
    same point, is slow in every round. The rounds should lie apart in time, a pause may last.
    """
    each = [min(values) for values in zip(*(timings.values for timings in rounds), strict=True)]
    return Timings(each, rounds[0].megabytes)


def digest(verdicts: Sequence[Verdict]) -> str:
    """A digest of every finding of every verdict: equal digests, equal findings."""
    hasher = hashlib.sha256()
    for verdict in verdicts:
        hasher.update(f"{verdict.outcome.value}\n".encode())
        for finding in verdict.findings:
            fields = (finding.rule_id, finding.kind.value, finding.severity.value, finding.category.value)
            place = (finding.clause_id, finding.start, finding.end, finding.matched)
            words = (finding.message, finding.suggestion, finding.detail)
            hasher.update(repr((fields, place, words)).encode())
    return hasher.hexdigest()


@dataclass(frozen=True)
class Corpus:
    """A policy of one size and the posts checked against it."""

    size: int  # terms in the policy
    policy: Policy
    long_posts: list[tuple[str, str]]
    short_posts: list[tuple[str, str]]

    @classmethod
    def of_size(cls, size: int) -> Corpus:
        """The policy of `size` terms and posts that mention some of them."""
        policy = build_policy(size)
        terms = policy_terms(policy)
        return cls(size, policy, posts(LONG_POSTS, LONG_CHARACTERS, terms), posts(SHORT_POSTS, SHORT_CHARACTERS, terms))


def _checker(compiled: CompiledPolicy) -> Callable[[str, str], Verdict]:
    def run(language: str, text: str) -> Verdict:
        return check(text, compiled, date=DATE, scope=Scope.EVERYONE, language=language)

    return run


def corpus_verdicts(corpus: Corpus) -> list[Verdict]:
    """The engine's verdict on every post of a corpus."""
    run = _checker(compile_policy(corpus.policy))
    return [run(language, text) for language, text in (*corpus.long_posts, *corpus.short_posts)]


def _findings(verdicts: Sequence[Verdict]) -> tuple[str, int]:
    return digest(verdicts), sum(len(verdict.findings) for verdict in verdicts)


def engine_figures(corpus: Corpus, options: Options) -> tuple[Figures, tuple[str, int]]:
    """The engine's figures on a corpus, and the digest and number of its findings."""
    compiled, seconds, megabytes = measure_compile("engine", corpus.size, lambda: compile_policy(corpus.policy))
    run = _checker(compiled)
    # Only the digest is kept: thousands of verdicts left in memory would slow the timed checks.
    findings = _findings([run(language, text) for language, text in (*corpus.long_posts, *corpus.short_posts)])

    def first_checks() -> Timings:
        forget_texts()
        return measure_posts(run, corpus.short_posts, options.short_runs, budget=float("inf"))

    def one_round() -> tuple[Timings, Timings, Timings]:
        """The long posts, the short ones as never seen, then the short ones again."""
        long = measure_posts(run, corpus.long_posts, options.long_runs, budget=float("inf"))
        return long, first_checks(), measure_posts(run, corpus.short_posts, options.short_runs, budget=float("inf"))

    # The measures take turns, so that a check's rounds lie a few seconds apart.
    long_rounds, first_rounds, again_rounds = zip(*(one_round() for _ in range(ROUNDS)), strict=True)
    figures = Figures(
        seconds,
        megabytes,
        fastest_of_each(long_rounds),
        fastest_round(first_rounds),
        fastest_round(again_rounds),
        fastest_round(long_rounds),
    )
    return figures, findings


def baseline_builder(policy: Policy) -> Callable[[], re.Pattern[str]]:
    """What builds the baseline's one big regular expression for a policy."""
    terms = sorted({term.casefold() for term in policy_terms(policy)}, key=len, reverse=True)
    source = r"\b(?:" + "|".join(re.escape(term) for term in terms) + r")\b"

    def build() -> re.Pattern[str]:
        re.purge()  # else a second compilation would come from re's cache
        return re.compile(source, re.IGNORECASE)

    return build


def baseline_figures(corpus: Corpus, options: Options) -> Figures:
    """The naive baseline's figures on a corpus, its runs capped by time."""
    pattern, seconds, megabytes = measure_compile("baseline", corpus.size, baseline_builder(corpus.policy))

    def run(_language: str, text: str) -> list[str]:
        return pattern.findall(text.casefold())

    return Figures(
        seconds,
        megabytes,
        measure_posts(run, corpus.long_posts, options.long_runs, BASELINE_SECONDS),
        measure_posts(run, corpus.short_posts, options.short_runs, BASELINE_SECONDS),
    )


def _pin_to_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    core = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"pinned to core {core}"


def header(options: Options, pinned: str) -> str:
    """What was run, where and when."""
    command = "uv run python benchmarks/engine.py" + "".join(f" {argument}" for argument in sys.argv[1:])
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"""# Policy engine benchmark

- Command: `{command}`
- Date: {datetime.date.today().isoformat()}; Python {platform.python_version()} ({platform.python_implementation()})
- Machine: {processor()}, {platform.system()} {platform.machine()}; one process, {pinned}
- Load average when the run started (other work on the machine adds noise to p99): {load}

Each policy holds that many made-up terms in four term lists and a quiet period (a hundredth of
them, some with context or clearing words), with every personal data detector and one rule each
of links, disclosure, tone and custom patterns. Short made-up terms start many ordinary words
("vene" in "venez"): at 10,000 terms the automaton reports about twenty candidates per thousand
characters, a harder case than most real term lists. Posts are French and English prose with, one
sentence in ten, personal data, links, hostile words, disclosure cues and policy terms, plain or
disguised (`benchmarks/engine_corpus.py`): {LONG_POSTS} posts of {LONG_CHARACTERS:,} characters timed in turn,
{SHORT_POSTS:,} posts of {SHORT_CHARACTERS} characters timed once each. Posts per second and MB per second are
the {SHORT_CHARACTERS}-character posts' count and UTF-8 size over their total time. The engine's posts are
timed in {ROUNDS} rounds, as `timeit` does: other programs on the machine only ever slow a check down.
The {SHORT_CHARACTERS}-character posts' figures come from the fastest round. The {LONG_CHARACTERS:,}-character posts'
p50 and p99 take each check's fastest time of the {ROUNDS} rounds, which take turns with the other
measures so that they lie seconds apart: this machine is a virtual one, and a pause of its host
lands on a check in one round, while a check slow by itself (a post with more to find, a garbage
collection) is slow in every round. The p99 of their fastest round, pauses included, is given on
a line of its own.

The engine remembers what it worked out about pieces of a text (a number's checksums, where the
number patterns match around it) for the next check of the same post, as on every keystroke.
The {SHORT_CHARACTERS}-character posts are timed as posts never seen: what the engine remembered is
forgotten before each round (`forget_texts`); only the sentences the corpus repeats from post to
post find something remembered, as recurring numbers would in real posts. A last line gives the
same posts checked again, as they are while someone types. The {LONG_CHARACTERS:,}-character posts, whose p99
is the time to answer a keystroke, come back a hundred times each.

The baseline is one big case-insensitive `re` alternation of every term, longest first, between
`\\b` word boundaries, run with `findall` on the casefolded text: it finds terms only, without
spellings, leetspeak, context or any other detector. Its runs stop after {BASELINE_SECONDS:.0f} seconds per
measure (at least {MINIMUM_RUNS} runs), in one round, so its figures at large sizes rest on fewer runs (see
"timed runs"). Compile memory is how much a compilation raises the peak resident memory of a
process that does nothing else (after building the policy, which is not counted): tracing
Python's allocations would miss the automaton's tables, which Rust allocates.
"""


def check_findings(results: dict[int, tuple[str, int]], options: Options) -> list[str]:
    """Compare digests with the recorded ones (or record them); return the sizes that differ."""
    recorded: dict[str, dict[str, str | int]] = json.loads(FINDINGS.read_text()) if FINDINGS.exists() else {}
    if options.record_findings:
        for size, (hexdigest, count) in results.items():
            recorded[str(size)] = {"digest": hexdigest, "findings": count}
        FINDINGS.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return []
    return [
        f"{size:,} terms: digest {hexdigest[:12]} ({count} findings), recorded {recorded[str(size)]}"
        for size, (hexdigest, count) in results.items()
        if str(size) in recorded and recorded[str(size)]["digest"] != hexdigest
    ]


def _findings_note(size: int, hexdigest: str, count: int) -> str:
    recorded: dict[str, dict[str, str | int]] = json.loads(FINDINGS.read_text()) if FINDINGS.exists() else {}
    reference = recorded.get(str(size))
    if reference is None:
        return f"{count:,} findings, digest {hexdigest[:12]} (no reference recorded for this size)"
    same = "identical to" if reference["digest"] == hexdigest else "DIFFERENT FROM"
    return f"{count:,} findings, digest {hexdigest[:12]}, {same} the reference in `benchmarks/engine-findings.json`"


def parse_options(arguments: Sequence[str]) -> Options:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs, sizes up to 10,000 terms")
    parser.add_argument("--sizes", type=int, nargs="+", help="policy sizes in terms (default: all)")
    parser.add_argument("--no-baseline", action="store_true", help="time the engine only")
    parser.add_argument("--record-findings", action="store_true", help="record the findings' digests anew")
    parser.add_argument("--findings-only", action="store_true", help="check (or record) the findings, time nothing")
    parser.add_argument("--write", action="store_true", help="write the results file even for a partial run")
    parsed = parser.parse_args(arguments)
    sizes = tuple(parsed.sizes or (SIZES[:-1] if parsed.quick else SIZES))
    is_full = not (parsed.quick or parsed.sizes or parsed.no_baseline or parsed.findings_only)
    return Options(
        sizes=sizes,
        long_runs=300 if parsed.quick else 2_000,
        short_runs=1_000 if parsed.quick else SHORT_POSTS,
        has_baseline=not parsed.no_baseline,
        record_findings=parsed.record_findings,
        is_findings_only=parsed.findings_only,
        write=is_full or parsed.write,
    )


def main() -> None:
    """Run the benchmark, check the findings and write the results."""
    if sys.argv[1:2] == ["--compile-memory"]:  # the measure of one build's memory, in a process of its own
        print(resident_growth(sys.argv[2], int(sys.argv[3])))
        return
    options = parse_options(sys.argv[1:])
    pinned = _pin_to_one_core()
    started = time.perf_counter()
    sections = [header(options, pinned)]
    results: dict[int, tuple[str, int]] = {}
    engines: dict[int, Figures] = {}
    for size in options.sizes:
        corpus = Corpus.of_size(size)
        if options.is_findings_only:
            results[size] = _findings(corpus_verdicts(corpus))
            print(f"{size:,} terms: {_findings_note(size, *results[size])}", flush=True)
            continue
        engine, findings = engine_figures(corpus, options)
        baseline = baseline_figures(corpus, options) if options.has_baseline else None
        results[size], engines[size] = findings, engine
        sections.append(size_table(size, engine, baseline, _findings_note(size, *results[size])))
        print(sections[-1], flush=True)
    different = check_findings(results, options)
    if engines:
        sections.insert(1, targets_table(engines))
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    sections.append(f"Whole run: {time.perf_counter() - started:.0f} s; load average at the end: {load}.\n")
    if different:
        sys.exit("The findings changed:\n" + "\n".join(different))
    if options.write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text("\n".join(sections), encoding="utf-8")
        print(f"Written to {RESULTS}")


if __name__ == "__main__":
    main()
