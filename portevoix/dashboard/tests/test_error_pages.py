"""Error pages: in the reader's language, with a way back, and for 403 and 404 the site's navigation."""

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views import defaults

from conftest import Personas
from portevoix.accounts.services import set_interface_language

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "back", "navigation"),
    [
        ("fr", "Vous n\u2019avez pas accès à cette page", "Retour à l\u2019accueil", "Navigation principale"),
        ("en", "You do not have access to this page", "Back to the home page", "Main navigation"),
    ],
)
def test_a_refused_page_says_so_in_the_readers_language_with_the_navigation(
    client: Client, personas: Personas, language: str, heading: str, back: str, navigation: str
) -> None:
    set_interface_language(person=personas.employee, language=language)
    client.force_login(personas.employee)

    response = client.get("/policy/")

    assert response.status_code == 403
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert heading in page
    assert back in page
    assert f'aria-label="{navigation}"' in page


@pytest.mark.parametrize(("language", "heading"), [("fr", "Page introuvable"), ("en", "Page not found")])
def test_a_missing_page_says_so_in_the_readers_language(
    client: Client, personas: Personas, language: str, heading: str
) -> None:
    set_interface_language(person=personas.compliance, language=language)
    client.force_login(personas.compliance)

    response = client.get("/policy/v/999/")

    assert response.status_code == 404
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_a_missing_page_for_someone_signed_out_follows_the_browsers_language(client: Client) -> None:
    response = client.get("/no-such-page/", headers={"Accept-Language": "fr"})

    assert response.status_code == 404
    assert "<h1>Page introuvable</h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "heading"),
    [("fr", "Une erreur s\u2019est produite de notre côté"), ("en", "Something went wrong on our side")],
)
def test_the_server_error_page_needs_neither_the_request_nor_the_database(language: str, heading: str) -> None:
    request = RequestFactory().get("/")
    with translation.override(language), pytest.MonkeyPatch.context() as patch:
        # What failed may be the database: the page must not read it.
        patch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.cursor", _no_database)
        response = defaults.server_error(request)

    assert response.status_code == 500
    assert f"<h1>{heading}</h1>" in response.content.decode()


def _no_database(*_: object) -> None:
    raise AssertionError("the error page read the database")


@pytest.mark.parametrize(("language", "heading"), [("fr", "Ce formulaire a expiré"), ("en", "This form has expired")])
def test_a_form_sent_without_its_security_token_is_refused_with_an_explanation(
    personas: Personas, language: str, heading: str
) -> None:
    set_interface_language(person=personas.employee, language=language)
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.employee)

    response = client.post("/check/", {"text": "Bonjour"})

    assert response.status_code == 403
    assert f"<h1>{heading}</h1>" in response.content.decode()
