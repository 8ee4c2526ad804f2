"""The proof, on PostgreSQL with real processes: workers SIGKILLed at random, timeouts, errors and rate limits
injected, a crisis window; every post published exactly once, none early, none lost, none claimed in the crisis.

`benchmarks/publishing_proof.py` runs the same with more posts and records the figures.

Opt-in (PORTEVOIX_PUBLISHING_PROOF=1): on a machine shared by many test runs, restarting Django
in killed workers takes 10-20 s each, and the run takes minutes instead of one; the suite stays
fast and deterministic without it.
"""

import os
from pathlib import Path

import pytest
from django.db import connection

from conftest import Personas
from portevoix.channels.tests import proof
from portevoix.channels.tests.conftest import MastodonServer

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_every_post_goes_out_exactly_once_on_time_through_kills_faults_and_a_crisis(
    mastodon: MastodonServer, personas: Personas, tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the proof needs PostgreSQL: several processes claim the same rows at once")
    if os.environ.get("PORTEVOIX_PUBLISHING_PROOF") != "1":
        pytest.skip("set PORTEVOIX_PUBLISHING_PROOF=1 to run the exactly-once proof (minutes, real processes)")
    plan = proof.ProofPlan(posts=80, window_seconds=24, kill_every_seconds=(7.0, 10.0), timeout_seconds=240)

    report = proof.run_with_personas(mastodon=mastodon, personas=personas, plan=plan, log_dir=tmp_path)

    print("\n".join(report.lines()))  # noqa: T201 (the figures, with -s)
    assert report.kills >= 2
    assert (report.duplicates, report.lost, report.early, report.claimed_during_crisis) == (0, 0, 0, 0)
    assert report.published_once + report.frozen == report.scheduled == 80
    assert report.frozen > 0, "the crisis window froze the posts due during it"
    assert report.on_server == report.published_once
    assert set(report.states) <= {"sent", "frozen"}
