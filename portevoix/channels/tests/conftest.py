"""A real Mastodon API server (mastodon-mock over HTTP on a free loopback port) for the channels tests."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from mastodon_mock.testing.server import MockServer


@dataclass
class MastodonServer:
    """The running server, with the mock's own control plane: tokens, faults, what was posted."""

    server: MockServer

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def token(self, username: str = "alice") -> str:
        response = httpx.post(f"{self.base_url}/api/v1/_mock/login", json={"username": username}, timeout=5)
        response.raise_for_status()
        return str(response.json()["access_token"])

    def add_fault(
        self,
        *,
        effect: str,
        path: str = "/api/v1/statuses",
        method: str = "POST",
        count: int | None = 1,
        status: int | None = None,
        delay_ms: int = 0,
        headers: dict[str, str] | None = None,
    ) -> None:
        spec: dict[str, Any] = {"type": effect, "delay_ms": delay_ms, "headers": headers or {}}
        if status is not None:
            spec["status"] = status
        body = {"match": {"methods": [method], "path": path}, "effect": spec, "count": count}
        httpx.post(f"{self.base_url}/api/v1/_mock/faults", json=body, timeout=5).raise_for_status()

    def clear_faults(self) -> None:
        httpx.delete(f"{self.base_url}/api/v1/_mock/faults", timeout=5).raise_for_status()

    def statuses(self, username: str = "alice") -> list[dict[str, Any]]:
        """Every status of the account, newest first, read back from the server."""
        headers = {"Authorization": f"Bearer {self.token(username)}"}
        with httpx.Client(base_url=self.base_url, headers=headers, timeout=10) as client:
            account = client.get("/api/v1/accounts/verify_credentials").json()
            found: list[dict[str, Any]] = []
            params: dict[str, Any] = {"limit": 40}
            while True:
                page = client.get(f"/api/v1/accounts/{account['id']}/statuses", params=params).json()
                if not page:
                    return found
                found.extend(page)
                params["max_id"] = page[-1]["id"]


@pytest.fixture(scope="session")
def _mastodon_process_server() -> Iterator[MockServer]:
    server = MockServer(host="127.0.0.1")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mastodon(_mastodon_process_server: MockServer) -> Iterator[MastodonServer]:
    """The Mastodon server, reset to its seed accounts (alice, bob, carol) for each test."""
    _mastodon_process_server.reset()
    server = MastodonServer(_mastodon_process_server)
    yield server
    server.clear_faults()
