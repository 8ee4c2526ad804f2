"""The pictures the README shows, taken from the running product.

PORTEVOIX_SCREENSHOTS=1 uv run pytest tests/e2e/test_screenshots.py
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

from portevoix.accounts.models import User
from portevoix.accounts.services import set_interface_language
from portevoix.demo.loaders import load_demo
from tests.e2e.pages import heading, sign_in

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(os.environ.get("PORTEVOIX_SCREENSHOTS") != "1", reason="set PORTEVOIX_SCREENSHOTS=1 to retake"),
]


def test_map_as_the_communication_director(page: Page, transactional_db: None) -> None:
    outcome = load_demo()
    director = User.objects.get(email=outcome.logins[0].email)
    set_interface_language(person=director, language="en")
    sign_in(page, director.email, password=outcome.password)
    assert heading(page) == "How the company speaks"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "map.png", full_page=True)

    assert (SCREENSHOTS / "map.png").stat().st_size > 10_000
