import re

import pytest
from django.test import Client

from conftest import PASSWORD, Mailbox, Personas
from portevoix.accounts.models import User


def test_person_signs_in_with_email_and_password_and_lands_home(client: Client, personas: Personas) -> None:
    response = client.post("/accounts/login/", {"username": "BOB@acme.test", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").context["user"] == personas.employee


def test_wrong_password_is_refused_with_a_message(client: Client, personas: Personas) -> None:
    response = client.post("/accounts/login/", {"username": "bob@acme.test", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_login_is_locked_after_five_failures_even_with_the_right_password(client: Client, personas: Personas) -> None:
    for _attempt in range(5):
        client.post("/accounts/login/", {"username": "bob@acme.test", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "bob@acme.test", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_of_one_person_does_not_lock_another(client: Client, personas: Personas) -> None:
    for _attempt in range(5):
        client.post("/accounts/login/", {"username": "bob@acme.test", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "alice@acme.test", "password": PASSWORD})
    assert response.status_code == 302


def test_left_person_cannot_sign_in(client: Client, personas: Personas) -> None:
    personas.employee.is_active = False
    personas.employee.save(update_fields=["is_active"])
    response = client.post("/accounts/login/", {"username": "bob@acme.test", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post_and_ends_the_session(client: Client, personas: Personas) -> None:
    client.force_login(personas.employee)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_anonymous_visitor_is_sent_to_login_from_every_page(client: Client, personas: Personas) -> None:
    for url in [
        "/",
        "/map/",
        "/audit/",
        "/system/",
        "/guidelines/",
        "/ambassadors/",
        "/official/",
        "/people/",
        "/accounts/profile/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_password_reset_mails_a_link_through_smtp_that_sets_a_new_password(
    client: Client, personas: Personas, mailbox: Mailbox
) -> None:
    response = client.post("/accounts/password-reset/", {"email": "bob@acme.test"})
    assert response.status_code == 302
    assert len(mailbox.messages) == 1
    message = mailbox.messages[0]
    assert message["To"] == "bob@acme.test"
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert form_page.context["validlink"] is True
    final = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase-42", "new_password2": "a-new-long-passphrase-42"},
    )
    assert final.status_code == 302
    assert User.objects.get(pk=personas.employee.pk).check_password("a-new-long-passphrase-42")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    client: Client, personas: Personas, mailbox: Mailbox
) -> None:
    response = client.post("/accounts/password-reset/", {"email": "nobody@acme.test"})
    assert response.status_code == 302
    assert mailbox.messages == []


def test_password_reset_mail_is_in_the_persons_language(client: Client, personas: Personas, mailbox: Mailbox) -> None:
    client.post("/accounts/password-reset/", {"email": "bob@acme.test"}, HTTP_ACCEPT_LANGUAGE="en")
    client.post("/accounts/password-reset/", {"email": "alice@acme.test"}, HTTP_ACCEPT_LANGUAGE="fr")
    subjects = {message["To"]: str(message["Subject"]) for message in mailbox.messages}
    assert subjects == {
        "bob@acme.test": "Réinitialisez votre mot de passe Porte-Voix",
        "alice@acme.test": "Reset your Porte-Voix password",
    }


@pytest.mark.parametrize("language", ["fr", "en"])
def test_language_choice_is_remembered_on_the_person(client: Client, personas: Personas, language: str) -> None:
    client.force_login(personas.employee)
    response = client.post("/accounts/language/", {"language": language, "next": "/guidelines/"})
    assert response.status_code == 302
    assert response["Location"] == "/guidelines/"
    personas.employee.refresh_from_db()
    assert personas.employee.language == language
    page = client.get("/guidelines/", HTTP_ACCEPT_LANGUAGE="fr" if language == "en" else "en")
    assert page["Content-Language"] == language


def test_language_switch_refuses_an_outside_redirect(client: Client, personas: Personas) -> None:
    client.force_login(personas.employee)
    response = client.post("/accounts/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
