"""The exactly-once proof: real worker processes on PostgreSQL, SIGKILLed at random, against a real Mastodon server.

Used by `test_exactly_once_proof.py` (about 40 s) and `benchmarks/publishing_proof.py` (longer,
with figures). Everything the outbox promises is checked from the outside: statuses are read
back from the server, times from the database's own records.
"""

import datetime
import os
import random
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

from django.conf import settings
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
    timeout_seconds: float = 70.0
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
    faults: dict[str, int] = field(default_factory=dict)
    states: dict[str, int] = field(default_factory=dict)
    attempts: dict[str, int] = field(default_factory=dict)
    lateness_p50: float = 0.0
    lateness_p99: float = 0.0
    lateness_max: float = 0.0
    seconds: float = 0.0
    unsettled: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"{name}: {value}" for name, value in vars(self).items()]


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
    """Real `portevoix worker` processes, started, SIGKILLed and restarted."""

    def __init__(self, log_dir: Path, *, url: str) -> None:
        self.log_dir = log_dir
        self.env = {
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
        self.running: list[subprocess.Popen[bytes]] = []
        self.started = 0
        self.kills = 0

    def start(self) -> None:
        self.started += 1
        log = (self.log_dir / f"worker-{self.started}.log").open("wb")
        command = [sys.executable, "-m", "portevoix", "worker", "--threads", "2", "--interval", "0.5"]
        self.running.append(
            subprocess.Popen(command, cwd=settings.PROJECT_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        )

    def wait_until_alive(self, *, count: int, timeout: float) -> None:
        """Wait until `count` workers beat (starting Django takes seconds on a busy machine)."""
        deadline = time.monotonic() + timeout
        while WorkerHeartbeat.objects.filter(pid__in=[p.pid for p in self.running]).count() < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"fewer than {count} workers started in {timeout} s")
            time.sleep(0.2)

    def kill_one(self, rng: random.Random) -> None:
        # Only a worker that is up (has beaten) is worth killing: it may hold claims.
        alive = set(WorkerHeartbeat.objects.filter(pid__in=[p.pid for p in self.running]).values_list("pid", flat=True))
        candidates = [process for process in self.running if process.pid in alive]
        if not candidates:
            return
        victim = candidates[rng.randrange(len(candidates))]
        self.running.remove(victim)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)
        self.kills += 1
        self.start()

    def stop(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        self.running = []


def schedule_posts(channel: Channel, actor: User, plan: ProofPlan) -> tuple[datetime.datetime, list[Dispatch]]:
    first = timezone.now() + datetime.timedelta(seconds=plan.lead_seconds)
    step = plan.window_seconds / max(1, plan.posts - 1)
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


def inject_fault(mastodon: Any, rng: random.Random, counts: Counter[str]) -> None:
    name, effect = FAULTS[rng.randrange(len(FAULTS))]
    method, path = ("GET", "/api/v1/accounts/*") if name == "read_back_error" else ("POST", "/api/v1/statuses")
    body = {"match": {"methods": [method], "path": path}, "effect": effect, "count": rng.randint(1, 3)}
    import httpx

    httpx.post(f"{mastodon.base_url}/api/v1/_mock/faults", json=body, timeout=5).raise_for_status()
    counts[name] += 1


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
    """Schedule, run the workers through kills, faults and a crisis, then check everything from the outside."""
    rng = random.Random(plan.seed)
    started = time.monotonic()
    workers = Workers(log_dir, url=database_url())
    for _ in range(plan.workers):
        workers.start()
    workers.wait_until_alive(count=plan.workers, timeout=60)
    first_due, dispatches = schedule_posts(channel, actor, plan)
    faults: Counter[str] = Counter()
    crisis_window = _drive(mastodon, workers, rng, faults, plan, first_due=first_due, director=director)
    mastodon.clear_faults()
    report = check(mastodon, [d.pk for d in dispatches], crisis_window)
    report.kills, report.faults, report.seconds = workers.kills, dict(faults), round(time.monotonic() - started, 1)
    return report


def _drive(
    mastodon: Any,
    workers: Workers,
    rng: random.Random,
    faults: Counter[str],
    plan: ProofPlan,
    *,
    first_due: datetime.datetime,
    director: User,
) -> tuple[datetime.datetime, datetime.datetime]:
    deadline = time.monotonic() + plan.timeout_seconds
    crisis_start = first_due + datetime.timedelta(seconds=plan.crisis_at_seconds)
    crisis, window = None, (crisis_start, crisis_start)
    switched_at = crisis_start
    next_kill = time.monotonic() + rng.uniform(*plan.kill_every_seconds)
    try:
        while time.monotonic() < deadline:
            now = timezone.now()
            if crisis is None and now >= crisis_start and window[0] == window[1]:
                crisis = start_crisis(actor=director, title="Preuve", holding_statement="Nous vérifions.")
                # Claims that committed before the switch did are legitimate; from here on none may.
                switched_at = timezone.now()
            elif crisis is not None and now >= crisis.started_at + datetime.timedelta(seconds=plan.crisis_seconds):
                lifted = lift_crisis(crisis=crisis, actor=director, reason="Fin de la fenêtre de crise")
                window, crisis = (switched_at, lifted.ended_at or now), None
                _reschedule_after(window[1], director)
            if time.monotonic() >= next_kill:
                workers.kill_one(rng)
                inject_fault(mastodon, rng, faults)
                next_kill = time.monotonic() + rng.uniform(*plan.kill_every_seconds)
            if window[0] != window[1] and _all_settled():
                break
            time.sleep(0.2)
    finally:
        workers.stop()
    return window


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
    log = list(dispatch.attempt_log.values_list("kind", "outcome", "detail"))
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
