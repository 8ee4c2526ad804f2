import datetime

from django.test import Client
from django.utils import timezone

from conftest import Personas
from portevoix.jobs.models import WorkerHeartbeat


def _beat(*, seconds_ago: float, stopped: bool = False) -> WorkerHeartbeat:
    now = timezone.now()
    return WorkerHeartbeat.objects.create(
        worker_id="host-1-abc",
        hostname="host-1",
        pid=1234,
        threads=4,
        last_seen_at=now - datetime.timedelta(seconds=seconds_ago),
        stopped_at=now if stopped else None,
    )


def test_healthz_is_503_when_no_worker_ever_ran(client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["worker"] == {"ok": False, "last_heartbeat": None, "seconds_since_heartbeat": None}


def test_healthz_is_200_with_a_fresh_heartbeat(client: Client, db: None) -> None:
    _beat(seconds_ago=2)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_503_when_the_worker_went_silent(client: Client, db: None) -> None:
    _beat(seconds_ago=120)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"]["seconds_since_heartbeat"] >= 120


def test_healthz_is_503_when_the_worker_stopped_cleanly(client: Client, db: None) -> None:
    _beat(seconds_ago=1, stopped=True)
    assert client.get("/healthz").status_code == 503


def test_system_page_tells_the_administrator_that_no_worker_runs(client: Client, personas: Personas) -> None:
    _beat(seconds_ago=300)
    client.force_login(personas.admin)
    response = client.get("/system/")
    assert response.context["has_live_worker"] is False
    assert b'data-testid="worker-stopped"' in response.content
    assert [w.is_alive for w in response.context["workers"]] == [False]


def test_system_page_shows_a_running_worker_without_alarm(client: Client, personas: Personas) -> None:
    _beat(seconds_ago=1)
    client.force_login(personas.admin)
    response = client.get("/system/")
    assert b'data-testid="worker-stopped"' not in response.content
    assert [w.is_alive for w in response.context["workers"]] == [True]
