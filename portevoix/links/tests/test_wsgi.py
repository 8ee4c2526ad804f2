"""The fast path in front of Django, alone and inside the real web server (waitress)."""

import threading
from collections.abc import Iterable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Personas
from portevoix.demo.server import WebServer
from portevoix.links import cache, clicks, selectors, services
from portevoix.links.models import ReferrerCategory
from portevoix.links.tests.factories import make_link
from portevoix.links.tests.http import status_and_location
from portevoix.links.wsgi import TrackedLinkDispatcher

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


class Django:
    """Stands for Django behind the fast path: says whether a request reached it."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.paths.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"django"]


def _call(
    app: TrackedLinkDispatcher, path: str, *, method: str = "GET", host: str = "127.0.0.1"
) -> tuple[str, dict[str, str]]:
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        answer["status"], answer["headers"] = status, dict(headers)
        return None

    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "HTTP_HOST": host, "HTTP_USER_AGENT": BROWSER,
               "HTTP_REFERER": "https://bsky.app/profile/acme"}  # fmt: skip
    b"".join(app(environ, start_response))
    return answer["status"], answer["headers"]


@pytest.fixture
def stopped_flusher() -> Iterable[None]:
    yield
    clicks.stop_flusher()  # the dispatcher starts one at its first request


def test_a_link_this_process_knows_is_redirected_without_reaching_django(
    personas: Personas, stopped_flusher: None
) -> None:
    link = make_link(personas.acme)
    Client().get(link.short_path, headers={"user-agent": BROWSER})  # the first click looks it up
    django = Django()

    status, headers = _call(TrackedLinkDispatcher(django), link.short_path)

    assert (status, headers["Location"], headers["Cache-Control"]) == (
        "302 Found",
        link.target_url,
        "private, no-store",
    )
    assert django.paths == []
    assert clicks.buffer.pending == 2


@pytest.mark.parametrize(
    ("path", "method", "host"),
    [
        ("/l/zzzzzzzzzz", "GET", "127.0.0.1"),  # unknown to this process
        ("/accounts/login/", "GET", "127.0.0.1"),
        ("KNOWN", "POST", "127.0.0.1"),
        ("KNOWN", "GET", "evil.example"),  # a host Django refuses
    ],
)
def test_everything_else_goes_on_to_django(
    personas: Personas, stopped_flusher: None, path: str, method: str, host: str
) -> None:
    link = make_link(personas.acme)
    Client().get(link.short_path, headers={"user-agent": BROWSER})
    path = link.short_path if path == "KNOWN" else path
    django = Django()

    status, _headers = _call(TrackedLinkDispatcher(django), path, method=method, host=host)

    assert (status, django.paths) == ("200 OK", [path])
    assert clicks.buffer.pending == 1


def test_a_deactivated_or_expired_link_goes_on_to_django_for_its_page(
    personas: Personas, stopped_flusher: None
) -> None:
    deactivated, expiring = make_link(personas.acme), make_link(personas.acme)
    for link in (deactivated, expiring):
        Client().get(link.short_path, headers={"user-agent": BROWSER})
    services.deactivate_link(link=deactivated, actor=personas.director)
    cache.put(code=expiring.code, link_id=expiring.pk, location=expiring.target_url, is_active=True,
              expires_at=timezone.now())  # fmt: skip
    django = Django()

    for link in (deactivated, expiring):
        _call(TrackedLinkDispatcher(django), link.short_path)

    assert django.paths == [deactivated.short_path, expiring.short_path]


@pytest.mark.django_db(transaction=True)
def test_the_web_server_redirects_and_writes_the_clicks_when_it_stops(personas: Personas) -> None:
    link = make_link(personas.acme)
    server = WebServer(host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        answers = [status_and_location(f"http://127.0.0.1:{server.port}{link.short_path}") for _ in range(3)]
        missing = status_and_location(f"http://127.0.0.1:{server.port}/l/zzzzzzzzzz")
    finally:
        server.stop()
        thread.join(timeout=10)

    assert answers == [(302, link.target_url)] * 3
    assert missing == (404, "")
    assert selectors.clicks_by_referrer([link.pk]) == [(ReferrerCategory.LINKEDIN, 3)]
    assert clicks.buffer.pending == 0
