"""The exactly-once publishing proof at a larger scale, with figures (PostgreSQL only).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pv_proof uv run python benchmarks/publishing_proof.py
    ... --posts 400 --window 60 --workers 4          # the defaults are 300 posts over 45 s, 3 workers

Creates a throwaway test database next to DATABASE_URL's (dropped at the end), starts a real
Mastodon API server (mastodon-mock) on a free loopback port, connects a channel by OAuth,
schedules the posts, and runs real `portevoix worker` processes that it SIGKILLs (preferably
while they hold a claim) and restarts, while it injects timeouts, server errors, rate limits
and read-back errors, and switches a crisis on and off. After the last post is due, kills and
faults stop and every post must settle (sent, or frozen by the crisis) within --settle seconds.
Then it reads every status back from the server and prints the counts (published once,
duplicates, lost, early, claimed during the crisis, unsettled), the lateness (p50, p99, max:
server creation time minus scheduled time) and the machine's load average, and writes them to
benchmarks/results/publishing-proof.md. The same harness runs, smaller, as a test (in CI, on
PostgreSQL): portevoix/channels/tests/test_exactly_once_proof.py.
"""

import argparse
import datetime
import os
import platform
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portevoix.channels.tests.proof import ProofPlan, ProofReport

RESULTS = Path(__file__).resolve().parent / "results" / "publishing-proof.md"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--window", type=float, default=45.0, help="seconds over which posts are due")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--settle", type=float, default=240.0, help="seconds allowed, after the chaos, for every post to settle"
    )
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--kill-every", type=float, nargs=2, default=(4.0, 7.0), metavar=("MIN", "MAX"))
    parser.add_argument("--no-write", action="store_true", help="print only, do not write the results file")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database: the proof runs several processes on it.")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portevoix.settings")
    os.environ.setdefault("PORTEVOIX_LOG_LEVEL", "WARNING")
    os.environ.setdefault("PORTEVOIX_CHANNELS_ALLOW_PRIVATE_SERVERS", "true")  # the Mastodon server runs on loopback
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        report, plan = _run(args)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
    lines = _markdown(report, plan)
    print("\n".join(lines))
    if not args.no_write:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text("\n".join(lines) + "\n")
    correct = (report.duplicates, report.lost, report.early, report.claimed_during_crisis) == (0, 0, 0, 0)
    return 0 if correct and not report.unsettled else 1


def _run(args: argparse.Namespace) -> "tuple[ProofReport, ProofPlan]":
    from mastodon_mock.testing.server import MockServer

    from conftest import make_personas
    from portevoix.channels.tests import proof
    from portevoix.channels.tests.conftest import MastodonServer

    server = MockServer(host="127.0.0.1")
    server.start()
    try:
        mastodon = MastodonServer(server)
        personas = make_personas()
        plan = proof.ProofPlan(
            posts=args.posts,
            window_seconds=args.window,
            workers=args.workers,
            crisis_at_seconds=args.window / 2,
            crisis_seconds=max(2.0, args.window / 10),
            settle_seconds=args.settle,
            kill_every_seconds=(args.kill_every[0], args.kill_every[1]),
            seed=args.seed,
        )
        with tempfile.TemporaryDirectory(prefix="portevoix-proof-") as logs:
            report = proof.run_with_personas(mastodon=mastodon, personas=personas, plan=plan, log_dir=Path(logs))
    finally:
        server.stop()
    return report, plan


def _markdown(report: "ProofReport", plan: "ProofPlan") -> list[str]:
    today = datetime.datetime.now(tz=datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return [
        "# Exactly-once publishing proof",
        "",
        f"Run {today} on {platform.machine()}, {os.cpu_count()} cores (shared), Python {sys.version.split()[0]}, "
        "PostgreSQL, mastodon-mock over HTTP on loopback.",
        f"Load average (1, 5, 15 min) at the start and at the end: {report.load}.",
        "",
        f"Plan: {plan}",
        "",
        "```",
        *report.lines(),
        "```",
        "",
        "Lateness is the server's creation time minus the scheduled time; it includes the lease of",
        "a worker SIGKILLed while it held a claim (8 s here) before another one checks the network,",
        "retries after injected faults and rate limits, and the polling interval of the workers.",
        "Posts frozen by the crisis and due during it are not published (a person would reschedule",
        "them); those due after it were rescheduled. `settled_after_chaos` is the time, once kills",
        "and faults stopped, until every post was sent or frozen.",
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project's conftest (personas)
    raise SystemExit(main())
