"""Each persona signs in through the real login form, in French and in English, and sees the
landing page and navigation of their role; language choice and login lockout as a person meets them."""

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from conftest import Personas
from portevoix.accounts.models import User
from portevoix.accounts.services import set_interface_language
from tests.e2e.conftest import Texts
from tests.e2e.pages import LOGIN, heading, navigation_links, page_language, sign_in, sign_out, sign_out_button

pytestmark = pytest.mark.e2e

# The French texts the translator is expected to use (msgid → French).
MAP_HEADING = ("How the company speaks", "Comment l’entreprise s’exprime")  # noqa: RUF001
HOME_HEADING = ("Hello %(name)s", "Bonjour %(name)s")
NAV_LABELS = {
    "/map/": ("Map", "Carte"),
    "/guidelines/": ("Guidelines", "Charte"),
    "/check/": ("Check my post", "Vérifier ma publication"),
    "/ambassadors/": ("Ambassadors", "Ambassadeurs"),
    "/share/": ("Share", "Partager"),
    "/share/library/": ("Content library", "Bibliothèque de contenus"),
    "/official/": ("Official voice", "Voix officielle"),
    "/incidents/": ("Incidents", "Incidents"),
    "/people/": ("People", "Personnes"),
    "/audit/": ("Audit log", "Journal d’audit"),  # noqa: RUF001
    "/system/": ("System", "Système"),
}
SIGN_OUT = ("Sign out", "Déconnexion")
LOGIN_HEADING = ("Sign in to Porte-Voix", "Se connecter à Porte-Voix")
LOGIN_BUTTON = ("Sign in", "Se connecter")


@dataclass(frozen=True)
class Landing:
    path: str
    heading: tuple[str, str]
    navigation: tuple[str, ...]


# Written out by hand rather than computed from roles.py, so that a change to the permissions
# shows up here as a failing test.
LANDINGS = {
    "communication_director": Landing(
        "/map/",
        MAP_HEADING,
        (
            "/map/",
            "/guidelines/",
            "/check/",
            "/ambassadors/",
            "/share/library/",
            "/official/",
            "/incidents/",
            "/people/",
        ),
    ),
    "community_manager": Landing(
        "/map/",
        MAP_HEADING,
        (
            "/map/",
            "/guidelines/",
            "/check/",
            "/ambassadors/",
            "/share/library/",
            "/official/",
            "/people/",
        ),
    ),
    "compliance_officer": Landing(
        "/map/", MAP_HEADING, ("/map/", "/guidelines/", "/check/", "/ambassadors/", "/incidents/", "/audit/")
    ),
    "hr": Landing(
        "/map/", MAP_HEADING, ("/map/", "/guidelines/", "/check/", "/ambassadors/", "/incidents/", "/people/")
    ),
    "ambassador": Landing("/", HOME_HEADING, ("/guidelines/", "/check/", "/ambassadors/", "/share/")),
    "employee": Landing("/", HOME_HEADING, ("/guidelines/", "/check/", "/ambassadors/")),
    "administrator": Landing(
        "/", HOME_HEADING, ("/guidelines/", "/check/", "/ambassadors/", "/people/", "/audit/", "/system/")
    ),
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("role", list(LANDINGS))
def test_persona_signs_in_sees_their_navigation_and_signs_out(
    page: Page, personas: Personas, texts: Texts, role: str, language: str
) -> None:
    person = personas.by_role()[role]
    set_interface_language(person=person, language=language)
    landing = LANDINGS[role]

    page.goto(LOGIN)
    assert page_language(page) == language
    texts.check(heading(page), *LOGIN_HEADING)
    texts.check(page.locator("#main form button[type=submit]").inner_text().strip(), *LOGIN_BUTTON)
    response = sign_in(page, person.email)

    assert response is not None
    assert response.status == 200
    assert urlsplit(page.url).path == landing.path
    assert page_language(page) == language
    texts.check(heading(page), *landing.heading, name=person.full_name)
    links = navigation_links(page)
    assert [href for href, _label in links] == list(landing.navigation)
    for href, label in links:
        texts.check(label, *NAV_LABELS[href])
    texts.check(sign_out_button(page), *SIGN_OUT)
    for href in landing.navigation:  # with the page's cookies, without rendering each page
        assert page.request.get(href, max_redirects=0).status == 200, href

    sign_out(page)
    assert navigation_links(page) == []
    page.goto(landing.path)
    assert page.url.endswith(f"{LOGIN}?next={landing.path}")
    texts.finish()


def test_language_chosen_in_the_switcher_is_remembered_after_signing_in_again(
    page: Page, personas: Personas, texts: Texts
) -> None:
    alice = personas.ambassador  # English
    sign_in(page, alice.email)
    assert page_language(page) == "en"

    with page.expect_navigation():
        page.get_by_role("button", name="Français").click()

    assert page_language(page) == "fr"
    assert page.url.endswith("/")
    assert User.objects.get(pk=alice.pk).language == "fr"
    assert page.get_by_role("button", name="English").is_visible()
    french = Texts("fr")
    french.check(heading(page), *HOME_HEADING, name=alice.full_name)

    sign_out(page)
    page.context.clear_cookies()  # a new browser: only the account can remember the choice
    sign_in(page, alice.email)

    assert page_language(page) == "fr"
    french.check(heading(page), *HOME_HEADING, name=alice.full_name)
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page_language(page) == "en"
    assert User.objects.get(pk=alice.pk).language == "en"
    texts.check(heading(page), *HOME_HEADING, name=alice.full_name)
    french.finish()


def test_wrong_password_shows_an_error_and_keeps_the_person_out(page: Page, personas: Personas) -> None:
    response = sign_in(page, personas.director.email, password="not-the-password")

    assert response is not None
    assert response.status == 200
    assert page.url.endswith(LOGIN)
    assert page.get_by_role("alert").inner_text().strip() == (
        "Please enter a correct e-mail and password. Note that both fields may be case-sensitive."
    )
    assert navigation_links(page) == []


def test_five_wrong_passwords_lock_the_login_even_for_the_right_password(page: Page, personas: Personas) -> None:
    email = personas.director.email
    for _attempt in range(4):
        response = sign_in(page, email, password="not-the-password")
        assert response is not None
        assert response.status == 200

    response = sign_in(page, email, password="not-the-password")

    assert response is not None
    assert response.status == 429
    assert heading(page) == "Too many failed sign-in attempts"
    page.goto(LOGIN)
    response = sign_in(page, email)
    assert response is not None
    assert response.status == 429
    assert heading(page) == "Too many failed sign-in attempts"
    assert navigation_links(page) == []


def test_pages_load_their_stylesheet_and_scripts(page: Page) -> None:
    static_responses = []
    page.on("response", lambda response: static_responses.append(response) if "/static/" in response.url else None)

    page.goto(LOGIN)

    assert sorted((urlsplit(response.url).path, response.status) for response in static_responses) == [
        ("/static/django_htmx/htmx-2.min.js", 200),
        ("/static/portevoix/app.css", 200),
    ]
