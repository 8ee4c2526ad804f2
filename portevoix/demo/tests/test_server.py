import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from portevoix.demo.loaders import demo_logins
from portevoix.demo.server import WebServer, allowed_hosts_advice, browser_url

PROJECT_DIR = Path(__file__).resolve().parents[3]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_web_server_serves_the_login_page_and_stops_when_asked(db: None) -> None:
    server = WebServer(host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()

    try:
        status, body = _get(f"http://127.0.0.1:{server.port}/accounts/login/")
    finally:
        server.stop()
        thread.join(timeout=10)

    assert status == 200
    assert b"<form" in body
    assert not thread.is_alive()


def test_loopback_hosts_need_no_allowed_hosts_advice() -> None:
    assert allowed_hosts_advice(host="127.0.0.1", port=8000) is None
    assert allowed_hosts_advice(host="localhost", port=8000) is None


def test_other_hosts_are_told_to_set_allowed_hosts() -> None:
    advice = allowed_hosts_advice(host="10.1.2.3", port=8000)

    assert advice is not None
    assert "PORTEVOIX_ALLOWED_HOSTS=10.1.2.3" in advice
    assert "PORTEVOIX_ALLOWED_HOSTS" in (allowed_hosts_advice(host="0.0.0.0", port=8000) or "")  # noqa: S104


def test_a_wildcard_bind_is_opened_on_the_loopback() -> None:
    assert browser_url(host="0.0.0.0", port=8123) == "http://127.0.0.1:8123/"  # noqa: S104
    assert browser_url(host="::1", port=8123) == "http://[::1]:8123/"


def _wait_for_address(printed: Path, process: subprocess.Popen[bytes], *, seconds: float) -> str:
    """The address the command says it serves on, once it has said so."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = re.search(r"Open (http://127\.0\.0\.1:[1-9][0-9]*/) in your browser", printed.read_text())
        if found:
            return found.group(1)
        assert process.poll() is None, "portevoix demo exited before serving"
        time.sleep(0.25)
    raise AssertionError(f"portevoix demo printed no address within {seconds} s")


def _wait_for_health(url: str, process: subprocess.Popen[bytes], *, seconds: float) -> tuple[int, dict[str, Any]]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "portevoix demo exited before serving"
        try:
            status, body = _get(url)
        except OSError:
            time.sleep(0.25)
            continue
        health: dict[str, Any] = json.loads(body)
        if status == 200:
            return status, health
        time.sleep(0.25)  # 503 until the in-process worker's first heartbeat
    return status, health


@pytest.mark.slow
def test_demo_command_serves_the_demo_with_its_worker_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment["PORTEVOIX_DATA_DIR"] = str(tmp_path)  # a fresh SQLite database
    output, errors = (tmp_path / "stdout.txt").open("wb"), (tmp_path / "stderr.txt").open("wb")
    process = subprocess.Popen(
        # Port 0: the system picks a free port while binding it, so no other process can take it
        # between a choice and the bind (CI runs two test suites at once).
        [sys.executable, "-m", "portevoix", "demo", "--port", "0"],
        cwd=PROJECT_DIR,
        env=environment,
        stdout=output,
        stderr=errors,
    )
    try:
        # Migrating a new database and loading the demo take 10 s on a quiet machine; CI's other
        # test run shares the cores, and a busy machine is slow, not wrong.
        address = _wait_for_address(tmp_path / "stdout.txt", process, seconds=180)
        status, health = _wait_for_health(f"{address}healthz", process, seconds=60)
        login_status, _ = _get(f"{address}accounts/login/")
        process.send_signal(signal.SIGTERM)
        return_code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        output.close()
        errors.close()

    printed = (tmp_path / "stdout.txt").read_text()
    assert health.keys() == {"status", "database", "worker"}
    assert health["database"] == {"ok": True, "vendor": "sqlite"}
    # The in-process WorkerPool beats before the server starts, so the demo is healthy at once.
    assert (status, health["status"], health["worker"]["ok"]) == (200, "ok", True)
    assert login_status == 200
    assert return_code == 0, (tmp_path / "stderr.txt").read_text()[-2000:]
    for login in demo_logins():
        assert login.email in printed
    assert "password for all: porte-voix-demo" in printed
    assert printed.rstrip().endswith("Stopped.")
