"""The policy engine benchmark's own logic: how rounds are kept, what the tables say, a tiny real run."""

import importlib

# Imported by name at run time: mypy checks benchmarks/ as scripts, not as a package.
bench = importlib.import_module("benchmarks.engine")
report = importlib.import_module("benchmarks.engine_report")


def test_a_pause_in_one_round_is_dropped_and_a_check_slow_in_every_round_is_kept() -> None:
    rounds = [
        report.Timings([100.0, 900.0, 100.0, 400.0], 1.0),  # the machine paused on the second check
        report.Timings([950.0, 100.0, 100.0, 410.0], 1.0),  # and on the first
        report.Timings([100.0, 110.0, 100.0, 405.0], 1.0),  # the fourth check is slow in every round
    ]

    each = bench.fastest_of_each(rounds)

    assert each.values == [100.0, 100.0, 100.0, 400.0]
    assert each.megabytes == 1.0
    assert bench.fastest_round(rounds) is rounds[2]


def _figures(long: list[float], long_round: list[float]) -> object:
    short = report.Timings([50.0] * 10, 0.004)
    return report.Figures(0.5, 20.0, report.Timings(long, 0.3), short, short, report.Timings(long_round, 0.3))


def test_the_tables_give_the_p99_of_the_fastest_checks_and_of_one_round_as_it_came() -> None:
    figures = _figures([300.0] * 99 + [450.0], [300.0] * 98 + [450.0, 1_500.0])

    table = report.size_table(10_000, figures, None, "findings")
    targets = report.targets_table({10_000: figures})

    assert "| 3,000-character post, p99 (µs) | 450 |" in table
    assert "| 3,000-character post, p99 of one round, pauses of the machine included (µs) | 1,500 |" in table
    fastest, one_round = (line for line in targets.splitlines() if line.startswith("| p99"))
    assert fastest == "| p99, 3,000-character post, each check's fastest round | 10,000 | under 500 µs | 450 µs | yes |"
    assert one_round.endswith("pauses of the machine included | 10,000 | under 500 µs | 1,500 µs | no |")
    assert "| posts per second, 400 characters | 10,000 | over 20,000 | 20,000 | no |" in targets


def test_a_tiny_run_times_every_round_and_finds_what_the_reference_recorded() -> None:
    options = bench.Options(
        sizes=(100,),
        long_runs=4,
        short_runs=12,
        has_baseline=False,
        record_findings=False,
        is_findings_only=False,
        write=False,
    )

    figures, (hexdigest, count) = bench.engine_figures(bench.Corpus.of_size(100), options)

    assert len(figures.long.values) == len(figures.long_round.values) == 4
    pairs = zip(figures.long.values, figures.long_round.values, strict=True)
    assert all(fastest <= in_one_round for fastest, in_one_round in pairs)
    assert len(figures.short.values) == len(figures.short_again.values) == 12
    assert figures.compile_megabytes > 0
    assert bench.check_findings({100: (hexdigest, count)}, options) == []
