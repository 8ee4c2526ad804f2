"""The exactly-once proof: real worker processes on PostgreSQL, SIGKILLed at random, against a real Mastodon server.

Used by `test_exactly_once_proof.py` (about a minute) and `benchmarks/publishing_proof.py`
(longer, with figures). A run has two phases. Chaos, while the posts fall due: workers are
SIGKILLed and restarted, timeouts, server errors, rate limits and read-back errors are injected,
a crisis starts and ends. Then settling: no more kills or faults, and the run waits (up to a
generous deadline, so a loaded machine is slow rather than wrong) until every post is sent or
frozen. Everything the outbox promises is then checked from the outside: statuses are read back
from the server, times from the database's own records.
"""

import contextlib
import datetime
import math
import os
import random
import select
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from portevoix.accounts.models import User
from portevoix.channels import services
from portevoix.channels.connectors.mastodon.client import plain_text
from portevoix.channels.models import Attempt, Channel, Dispatch
from portevoix.crisis.services import lift_crisis, start_crisis
from portevoix.jobs.models import WorkerHeartbeat

if TYPE_CHECKING:
    from conftest import Personas


@dataclass(frozen=True)
class ProofPlan:
    posts: int = 200
    window_seconds: float = 20.0  # posts are spread over this window
    lead_seconds: float = 2.0  # the first post is due this long after scheduling
    workers: int = 3
    kill_every_seconds: tuple[float, float] = (6.0, 10.0)
    crisis_at_seconds: float = 8.0  # from the first due time
    crisis_seconds: float = 3.0
    chaos_after_seconds: float = 4.0  # kills and faults go on this long after the last post is due
    settle_seconds: float = 180.0  # then every post must be sent or frozen within this deadline
    start_seconds: float = 120.0  # the deadline for the workers to start (Django set-up, once)
    seed: int = 6


@dataclass
class ProofReport:
    scheduled: int = 0
    on_server: int = 0
    duplicates: int = 0
    published_once: int = 0
    frozen: int = 0
    lost: int = 0
    early: int = 0
    claimed_during_crisis: int = 0
    kills: int = 0
    kills_holding_claims: int = 0  # workers SIGKILLed while they held a claim (mid-publish)
    faults: dict[str, int] = field(default_factory=dict)
    states: dict[str, int] = field(default_factory=dict)
    attempts: dict[str, int] = field(default_factory=dict)
    lateness_p50: float = 0.0
    lateness_p99: float = 0.0
    lateness_max: float = 0.0
    settled_after_chaos: float | None = None  # seconds from the end of the chaos to every post settled
    seconds: float = 0.0
    load: str = ""  # the machine's load average (1, 5, 15 min) at the start and at the end
    unsettled: list[str] = field(default_factory=list)
    unfinished_attempts: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"{name}: {value}" for name, value in vars(self).items()]


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def database_url() -> str:
    """The current database as a DATABASE_URL, so worker processes use the very same one (PostgreSQL only)."""
    db: dict[str, Any] = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("The proof runs on PostgreSQL.")
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


class Workers:
    """Real `portevoix worker` processes, forked from a warm launcher, SIGKILLed and restarted.

    See `worker_launcher.py`: Django starts once, so a restart takes milliseconds even on a busy
    machine, and the proof tests the outbox rather than the machine's start-up time.
    """

    def __init__(self, log_dir: Path, *, url: str, threads: int = 2) -> None:
        self.log_dir = log_dir
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "portevoix.settings",
            "PORTEVOIX_TOKEN_KEYS": ",".join(settings.CHANNEL_TOKEN_KEYS),
            "PORTEVOIX_WORKER_HEARTBEAT_SECONDS": "1",
            "PORTEVOIX_WORKER_STALE_SECONDS": "3",
            "PORTEVOIX_CHANNELS_LEASE_SECONDS": "8",
            "PORTEVOIX_CHANNELS_SWEEP_SECONDS": "2",
            "PORTEVOIX_CHANNELS_HTTP_TIMEOUT_SECONDS": "3",
            "PORTEVOIX_CHANNELS_RETRY_BASE_SECONDS": "1",
            "PORTEVOIX_CHANNELS_MAX_ATTEMPTS": "30",
            "PORTEVOIX_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        command = [sys.executable, "-m", "portevoix.channels.tests.worker_launcher", "--threads", str(threads)]
        command += ["--interval", "0.5"]
        self.launcher = subprocess.Popen(
            command,
            cwd=settings.PROJECT_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=(log_dir / "launcher.log").open("wb"),
            text=True,
        )
        self.running: list[int] = []
        self.started = 0
        self.kills = 0
        self.kills_holding_claims = 0

    def _answer(self, timeout: float) -> str:
        assert self.launcher.stdout is not None
        ready, _, _ = select.select([self.launcher.stdout], [], [], timeout)
        line = self.launcher.stdout.readline() if ready else ""
        if not line:
            raise RuntimeError(f"the worker launcher did not answer in {timeout} s: see {self.log_dir}/launcher.log")
        return line.strip()

    def wait_until_ready(self, *, timeout: float) -> None:
        if (answer := self._answer(timeout)) != "ready":
            raise RuntimeError(f"the worker launcher said {answer!r}")

    def start(self) -> None:
        assert self.launcher.stdin is not None
        self.started += 1
        self.launcher.stdin.write(f"spawn {self.log_dir / f'worker-{self.started}.log'}\n")
        self.launcher.stdin.flush()
        self.running.append(int(self._answer(30)))

    def alive(self) -> set[int]:
        """The workers that beat: up, and possibly holding claims."""
        return set(WorkerHeartbeat.objects.filter(pid__in=self.running).values_list("pid", flat=True))

    def wait_until_alive(self, *, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while len(self.alive()) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"fewer than {count} workers started in {timeout} s: see {self.log_dir}")
            time.sleep(0.1)

    def kill_one(self, rng: random.Random) -> None:
        """SIGKILL a live worker, one holding a claim if there is one, and start another."""
        alive = self.alive()
        holding = [pid for pid in self.running if pid in alive and pid in _pids_holding_claims()]
        candidates = holding or [pid for pid in self.running if pid in alive]
        if not candidates:
            return
        victim = candidates[rng.randrange(len(candidates))]
        self.running.remove(victim)
        os.kill(victim, signal.SIGKILL)
        _wait_gone([victim], timeout=10)
        self.kills += 1
        self.kills_holding_claims += bool(holding)
        self.start()

    def stop(self) -> None:
        for pid in self.running:
            _signal(pid, signal.SIGTERM)
        # A worker finishes its current jobs (HTTP timeouts are 3 s) before it stops.
        for pid in _wait_gone(self.running, timeout=30):
            _signal(pid, signal.SIGKILL)
        _wait_gone(self.running, timeout=10)
        self.running = []
        if self.launcher.stdin is not None:
            self.launcher.stdin.close()
        try:
            self.launcher.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.launcher.kill()
            self.launcher.wait(timeout=10)


def _pids_holding_claims() -> set[int]:
    # A claim's token is "<host>-<pid>-<thread>:<random>" (see channels.tasks).
    tokens = Dispatch.objects.filter(state=Dispatch.State.SENDING).values_list("claimed_by", flat=True)
    return {int(token.split(":")[0].rsplit("-", 2)[1]) for token in tokens if token}


def _signal(pid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def _wait_gone(pids: list[int], *, timeout: float) -> list[int]:
    """Wait until these processes are gone (the launcher's kernel reaps them); returns those still there."""
    deadline = time.monotonic() + timeout
    left = list(pids)
    while left and time.monotonic() < deadline:
        left = [pid for pid in left if _exists(pid)]
        if left:
            time.sleep(0.05)
    return left


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def schedule_posts(channel: Channel, actor: User, plan: ProofPlan) -> tuple[datetime.datetime, list[Dispatch]]:
    first = timezone.now() + datetime.timedelta(seconds=plan.lead_seconds)
    step = plan.window_seconds / max(1, plan.posts - 1)
    # One transaction: one commit instead of one per post, so that a busy machine does not eat
    # the lead time before the first post falls due.
    with transaction.atomic():
        dispatches = [
            services.schedule_dispatch(
                channel=channel,
                source_key=f"proof:{number}",
                text=f"Preuve de publication n° {number} ({plan.seed})",
                scheduled_at=first + datetime.timedelta(seconds=step * number),
                actor=actor,
            )
            for number in range(plan.posts)
        ]
    return first, dispatches


FAULTS: list[tuple[str, dict[str, Any]]] = [
    ("timeout", {"type": "latency", "delay_ms": 4000}),  # answered after the worker gave up
    ("server_error", {"type": "status", "status": 502}),
    ("rate_limit", {"type": "ratelimit", "headers": {"Retry-After": "1"}}),
    ("read_back_error", {"type": "status", "status": 503}),
]


class Faults:
    """Faults injected on the Mastodon server, every kind in turn (in an order drawn from the seed)."""

    def __init__(self, mastodon: Any, rng: random.Random) -> None:
        self.mastodon, self.rng = mastodon, rng
        self.order = rng.sample(FAULTS, len(FAULTS))
        self.counts: Counter[str] = Counter()

    def inject(self) -> None:
        name, effect = self.order[sum(self.counts.values()) % len(self.order)]
        method, path = ("GET", "/api/v1/accounts/*") if name == "read_back_error" else ("POST", "/api/v1/statuses")
        body = {"match": {"methods": [method], "path": path}, "effect": effect, "count": self.rng.randint(1, 3)}
        httpx.post(f"{self.mastodon.base_url}/api/v1/_mock/faults", json=body, timeout=5).raise_for_status()
        self.counts[name] += 1


def run_with_personas(*, mastodon: Any, personas: "Personas", plan: ProofPlan, log_dir: Path) -> ProofReport:
    """Connect the community manager's channel to the server by OAuth, then `run`."""
    from portevoix.channels.tests.factories import connect_mastodon

    channel = connect_mastodon(mastodon.base_url, personas.community_manager)
    return run(
        mastodon=mastodon,
        channel=channel,
        actor=personas.community_manager,
        director=personas.director,
        plan=plan,
        log_dir=log_dir,
    )


def run(*, mastodon: Any, channel: Channel, actor: User, director: User, plan: ProofPlan, log_dir: Path) -> ProofReport:
    """Schedule, run the workers through kills, faults and a crisis, let them settle, then check from the outside."""
    rng = random.Random(plan.seed)
    started, load_before = time.monotonic(), load_average()
    workers = Workers(log_dir, url=database_url())
    try:
        workers.wait_until_ready(timeout=plan.start_seconds)
        for _ in range(plan.workers):
            workers.start()
        workers.wait_until_alive(count=plan.workers, timeout=plan.start_seconds)
        first_due, dispatches = schedule_posts(channel, actor, plan)
        faults = Faults(mastodon, rng)
        crisis_window, settled_after = _drive(mastodon, workers, faults, plan, first_due=first_due, director=director)
    finally:
        workers.stop()
        mastodon.clear_faults()
    report = check(mastodon, [d.pk for d in dispatches], crisis_window)
    report.kills, report.kills_holding_claims = workers.kills, workers.kills_holding_claims
    report.faults, report.settled_after_chaos = dict(faults.counts), settled_after
    report.seconds, report.load = round(time.monotonic() - started, 1), f"{load_before} -> {load_average()}"
    return report


def _drive(
    mastodon: Any,
    workers: Workers,
    faults: Faults,
    plan: ProofPlan,
    *,
    first_due: datetime.datetime,
    director: User,
) -> tuple[tuple[datetime.datetime, datetime.datetime], float | None]:
    """Chaos until the last post is due (and a little after), then wait for every post to settle.

    Returns the crisis window (from its switch to its end) and how long settling took after the
    chaos (None if the deadline passed first).
    """
    crisis_start = first_due + datetime.timedelta(seconds=plan.crisis_at_seconds)
    chaos_until = first_due + datetime.timedelta(seconds=plan.window_seconds + plan.chaos_after_seconds)
    crisis, window = None, (crisis_start, crisis_start)
    switched_at = crisis_start
    # Every few seconds a fault is injected, and a worker is SIGKILLed a moment later, when a
    # delayed or failing publish may hold its claim.
    rng = faults.rng
    next_fault, next_kill = time.monotonic() + rng.uniform(*plan.kill_every_seconds), math.inf
    calm_since: float | None = None
    while True:
        now = timezone.now()
        if crisis is None and now >= crisis_start and window[0] == window[1]:
            crisis = start_crisis(actor=director, title="Preuve", holding_statement="Nous vérifions.")
            # Claims that committed before the switch did are legitimate; from here on none may.
            switched_at = timezone.now()
        elif crisis is not None and now >= crisis.started_at + datetime.timedelta(seconds=plan.crisis_seconds):
            lifted = lift_crisis(crisis=crisis, actor=director, reason="Fin de la fenêtre de crise")
            window, crisis = (switched_at, lifted.ended_at or now), None
            _reschedule_after(window[1], director)
        if calm_since is None and now >= chaos_until and crisis is None and window[0] != window[1]:
            # Settling: no more kills or faults; whatever is pending now only has to run its course.
            mastodon.clear_faults()
            calm_since = time.monotonic()
        if calm_since is None and time.monotonic() >= next_fault:
            faults.inject()
            next_fault = time.monotonic() + rng.uniform(*plan.kill_every_seconds)
            next_kill = time.monotonic() + rng.uniform(0.3, 1.5)
        if calm_since is None and time.monotonic() >= next_kill:
            workers.kill_one(rng)
            next_kill = math.inf
        if calm_since is not None:
            if _all_settled():
                return window, round(time.monotonic() - calm_since, 1)
            if time.monotonic() - calm_since > plan.settle_seconds:
                return window, None
        time.sleep(0.2)


def _reschedule_after(lifted_at: datetime.datetime, person: User) -> None:
    # A person puts back the frozen posts meant for after the crisis, at their own times; those
    # that were due during it stay frozen.
    for dispatch in Dispatch.objects.filter(state=Dispatch.State.FROZEN, scheduled_at__gt=lifted_at):
        services.reschedule_dispatch(dispatch=dispatch, scheduled_at=dispatch.scheduled_at, actor=person)


def _all_settled() -> bool:
    return not Dispatch.objects.filter(
        source_key__startswith="proof:", state__in=[Dispatch.State.SCHEDULED, Dispatch.State.SENDING]
    ).exists()


def _describe(dispatch: Dispatch) -> str:
    from django_tasks_db.models import DBTaskResult

    jobs = Counter(
        DBTaskResult.objects.filter(
            task_path__endswith="publish_dispatch_task", args_kwargs__args=[dispatch.pk]
        ).values_list("status", flat=True)
    )
    log = [
        f"{kind}/{outcome} at {started:%H:%M:%S.%f} by {worker or '-'}: {detail}"
        for kind, outcome, started, worker, detail in dispatch.attempt_log.values_list(
            "kind", "outcome", "started_at", "worker", "detail"
        )
    ]
    return (
        f"#{dispatch.pk} {dispatch.state} due={dispatch.scheduled_at.isoformat()} "
        f"next={dispatch.next_attempt_at.isoformat()} "
        f"rung={dispatch.rung_at} check={dispatch.needs_check} attempts={dispatch.attempts} "
        f"lease={dispatch.lease_expires_at} error={dispatch.last_error!r} jobs={dict(jobs)} log={log} "
        f"now={timezone.now().isoformat()}"
    )


def check(
    mastodon: Any, dispatch_ids: list[int], crisis_window: tuple[datetime.datetime, datetime.datetime]
) -> ProofReport:
    statuses = mastodon.statuses()
    by_text = Counter(plain_text(status["content"]) for status in statuses)
    created = {plain_text(s["content"]): parse_datetime(s["created_at"]) for s in statuses}
    dispatches = list(Dispatch.objects.filter(pk__in=dispatch_ids))
    report = ProofReport(scheduled=len(dispatches), on_server=len(statuses))
    report.states = dict(Counter(d.state for d in dispatches))
    report.duplicates = sum(count - 1 for count in by_text.values() if count > 1)
    report.published_once = sum(1 for d in dispatches if by_text[d.text] == 1)
    # Frozen and not on the network. A frozen post may also be on the network: one whose outcome
    # was unknown when the crisis froze it; it counts as published, and is checked on the network
    # before anything is sent if a person reschedules it.
    report.frozen = sum(1 for d in dispatches if d.state == Dispatch.State.FROZEN and by_text[d.text] == 0)
    report.lost = sum(1 for d in dispatches if by_text[d.text] == 0 and d.state != Dispatch.State.FROZEN)
    report.early = sum(1 for d in dispatches if (when := created.get(d.text)) is not None and when < d.scheduled_at)
    attempts = Attempt.objects.filter(dispatch_id__in=dispatch_ids).exclude(kind=Attempt.Kind.DECISION)
    report.attempts = dict(Counter(attempts.values_list("outcome", flat=True)))
    report.unsettled = [
        _describe(d) for d in dispatches if d.state in {Dispatch.State.SCHEDULED, Dispatch.State.SENDING}
    ]
    unfinished = set(attempts.filter(outcome=Attempt.Outcome.RUNNING).values_list("dispatch_id", flat=True))
    report.unfinished_attempts = [_describe(d) for d in dispatches if d.pk in unfinished]
    report.claimed_during_crisis = attempts.filter(
        started_at__gt=crisis_window[0], started_at__lt=crisis_window[1]
    ).count()
    lateness = sorted(
        (when - d.scheduled_at).total_seconds() for d in dispatches if (when := created.get(d.text)) is not None
    )
    if lateness:
        report.lateness_p50 = round(statistics.median(lateness), 3)
        report.lateness_p99 = round(lateness[min(len(lateness) - 1, int(len(lateness) * 0.99))], 3)
        report.lateness_max = round(lateness[-1], 3)
    return report
