"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

One browser for the whole session (starting Chromium costs about a second), one context per test
so that no cookie or session leaks from one test into the next.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API keeps an asyncio event loop running in the test thread, and Django then
# refuses every ORM call made from it (SynchronousOnlyOperation) although nothing here is async.
# Django documents this variable for such cases. It is set at import, not in a fixture, because
# the loop outlives the first browser test and later tests in the same run use the ORM too.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
# --no-sandbox: CI runs as root. The rest stop Chromium from calling home: the network here is
# closed, and its background requests fail slowly, many at a time.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package (never `playwright install`)."
        if _running_in_ci():
            pytest.fail(message)  # CI must not pass by skipping every browser test.
        pytest.skip(message)
    with sync_playwright() as playwright:
        # Playwright gives each launch a new, empty user-data directory and removes it on close.
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def language() -> str:
    """The browser's language (Accept-Language); tests parametrise it."""
    return "en"


@pytest.fixture
def context(browser: Browser, live_server: LiveServer, language: str) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_server.url, locale=language, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


class Texts:
    """Checks what a person reads, in the language of the page.

    English is checked exactly. French is checked exactly too, except that while a string has no
    French translation in the catalogues yet, the page must show its English fallback instead and
    the test ends as an expected failure naming the missing strings. Once translated, the French
    text is required: this only waits for the translator, it never accepts another text.
    """

    def __init__(self, language: str) -> None:
        self.language = language
        self.pending: list[str] = []

    def check(self, actual: str | None, msgid: str, french: str, **params: str) -> None:
        english = msgid % params if params else msgid
        if self.language == "en":
            assert actual == english
            return
        expected = french % params if params else french
        if actual == expected:
            return
        with translation.override("fr"):
            is_translated = translation.gettext(msgid) != msgid
        assert not is_translated, f"French page shows {actual!r} for {msgid!r}; expected {expected!r}"
        assert actual == english, f"neither French {expected!r} nor English fallback {english!r}: {actual!r}"
        self.pending.append(f"{msgid!r} → {french!r}")

    def check_plural(
        self, actual: str | None, msgids: tuple[str, str], french: tuple[str, str], count: int, **params: str
    ) -> None:
        """`check` for a `{% blocktranslate count %}` text: (singular, plural) in English and in French."""
        values = {"count": str(count), **params}
        english = (msgids[0] if count == 1 else msgids[1]) % values
        if self.language == "en":
            assert actual == english
            return
        expected = (french[0] if count <= 1 else french[1]) % values  # French: 0 and 1 are singular
        if actual == expected:
            return
        with translation.override("fr"):
            is_translated = translation.ngettext(*msgids, count) != (msgids[0] if count == 1 else msgids[1])
        assert not is_translated, f"French page shows {actual!r} for {msgids[1]!r}; expected {expected!r}"
        assert actual == english, f"neither French {expected!r} nor English fallback {english!r}: {actual!r}"
        self.pending.append(f"{msgids[1]!r} → {french[1]!r}")

    def check_as_catalogued(self, actual: str | None, msgid: str, **params: str) -> None:
        """For long sentences whose exact French wording the test does not dictate: the page must
        show the catalogue's translation for its language, or, while there is none, the English text."""
        english = msgid % params if params else msgid
        if self.language == "en":
            assert actual == english
            return
        with translation.override(self.language):
            translated = translation.gettext(msgid)
        if translated == msgid:
            assert actual == english, f"untranslated {msgid!r} should fall back to English: {actual!r}"
            self.pending.append(repr(msgid))
        else:
            assert actual == (translated % params if params else translated)

    def finish(self) -> None:
        if self.pending:
            pytest.xfail("French catalogue not translated yet: " + "; ".join(dict.fromkeys(self.pending)))


@pytest.fixture
def texts(language: str) -> Texts:
    return Texts(language)
