"""The proof, on PostgreSQL with real processes: workers SIGKILLed at random, timeouts, errors and rate limits
injected, a crisis window; every post published exactly once, none early, none lost, none claimed in the crisis,
and every one settled (sent, or frozen by the crisis) within a generous deadline.

`benchmarks/publishing_proof.py` runs the same with more posts and records the figures.

About a minute on a quiet machine. It runs where PORTEVOIX_PUBLISHING_PROOF=1 (CI's PostgreSQL
stage sets it); SQLite cannot run it, since several processes claim the same rows at once.
The figures (counts, lateness p50/p99, load average) are printed even without `-s`.
"""

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

from conftest import Personas
from portevoix.channels.tests import proof
from portevoix.channels.tests.conftest import MastodonServer

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PLAN = proof.ProofPlan(posts=80, window_seconds=24, kill_every_seconds=(4.0, 6.0), settle_seconds=180)


def test_every_post_goes_out_exactly_once_on_time_through_kills_faults_and_a_crisis(
    mastodon: MastodonServer,
    personas: Personas,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    record_testsuite_property: Callable[[str, object], None],
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the proof needs PostgreSQL: several worker processes claim the same rows at once")
    if os.environ.get("PORTEVOIX_PUBLISHING_PROOF") != "1":
        pytest.skip("set PORTEVOIX_PUBLISHING_PROOF=1 to run the exactly-once proof (about a minute, real processes)")

    report = proof.run_with_personas(mastodon=mastodon, personas=personas, plan=PLAN, log_dir=tmp_path)

    with capsys.disabled():
        print("\nexactly-once proof:\n  " + "\n  ".join(report.lines()))  # noqa: T201 (the figures, for CI logs)
    for name in ("published_once", "frozen", "duplicates", "lost", "lateness_p50", "lateness_p99", "load"):
        record_testsuite_property(f"proof_{name}", getattr(report, name))
    assert report.unsettled == [], f"not settled {PLAN.settle_seconds} s after the chaos (logs in {tmp_path})"
    assert report.kills >= 2
    assert (report.duplicates, report.lost, report.early, report.claimed_during_crisis) == (0, 0, 0, 0)
    assert report.published_once + report.frozen == report.scheduled == PLAN.posts
    assert report.frozen > 0, "the crisis window froze the posts due during it"
    assert report.on_server == report.published_once
    assert set(report.states) <= {"sent", "frozen"}
