"""A click on a tracked link in Chromium lands on the target with its UTM tags and is counted;
the community manager then sees it on the link's page. A deactivated link shows its notice."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.links import clicks, services
from portevoix.links.tests.factories import make_link
from tests.e2e.conftest import Texts
from tests.e2e.pages import heading, sign_in

pytestmark = pytest.mark.e2e


class TargetPage(BaseHTTPRequestHandler):
    """The company's page the link leads to; remembers the addresses it was asked for."""

    paths: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        TargetPage.paths.append(self.path)
        body = b"<!DOCTYPE html><html lang='en'><title>Solar news</title><h1>Solar news</h1></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def target_site() -> Iterator[str]:
    TargetPage.paths = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), TargetPage)  # a free port chosen by the system
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _empty_click_buffer() -> Iterator[None]:
    clicks.buffer.clear()
    yield
    clicks.buffer.clear()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_click_on_a_tracked_link_lands_on_the_target_and_is_counted(
    page: Page, personas: Personas, texts: Texts, language: str, target_site: str, live_server: LiveServer
) -> None:
    link = make_link(personas.acme, owner=personas.ambassador, target_url=f"{target_site}/news/solar?ref=home")
    camille = personas.community_manager
    set_interface_language(person=camille, language=language)

    page.goto(f"{live_server.url}{link.short_path}", referer="https://www.linkedin.com/feed/")

    expect(page.locator("h1")).to_have_text("Solar news")
    tags = "utm_source=linkedin&utm_medium=ambassador&utm_campaign=solar-2026&utm_content=share-1"
    assert page.url == f"{target_site}/news/solar?ref=home&{tags}"
    assert [path for path in TargetPage.paths if path != "/favicon.ico"] == [f"/news/solar?ref=home&{tags}"]

    assert clicks.buffer.flush() == 1  # what the web server's flusher does every two seconds
    sign_in(page, camille.email)
    page.goto(f"/l/manage/{link.code}/")

    expect(page.locator("#click-total")).to_have_text("1")
    sources = page.locator("table.link-sources tbody tr")
    expect(sources).to_have_count(1)
    texts.check(sources.locator("th").inner_text(), "LinkedIn", "LinkedIn")
    texts.check(page.locator("h3").first.inner_text(), "Where the clicks came from", "D\u2019où viennent les clics")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_deactivated_link_shows_its_notice_in_the_visitors_language(
    page: Page, personas: Personas, texts: Texts, language: str, target_site: str, live_server: LiveServer
) -> None:
    link = make_link(personas.acme, target_url=f"{target_site}/news/solar")
    services.deactivate_link(link=link, actor=personas.director)

    response = page.goto(f"{live_server.url}{link.short_path}")

    assert response is not None
    assert response.status == 410
    texts.check(heading(page), "This link is no longer active", "Ce lien n\u2019est plus actif")
    assert [path for path in TargetPage.paths if path != "/favicon.ico"] == []
    assert clicks.buffer.pending == 0
