"""Crisis pages: the switch with its confirmation, the timeline, notes, the lift, the notice, the banner,
and who may do what (a wrong role gets 403, another organisation a 404, and nothing changes)."""

import re

import pytest
from django.test import Client

from conftest import Personas
from portevoix.accounts.models import User
from portevoix.accounts.roles import Role
from portevoix.accounts.services import create_person, set_interface_language
from portevoix.crisis.models import Crisis, TimelineEntry
from portevoix.crisis.selectors import active_crisis
from portevoix.crisis.tests.factories import STATEMENT_EN, start

NOT_TEAM = ["compliance_officer", "hr", "ambassador", "employee", "administrator"]


def texts(**overrides: str) -> dict[str, str]:
    values = {
        "fr-title": "Incident à Lyon",
        "fr-holding_statement": "Nous savons qu'un incident touche le site de Lyon.",
        "fr-do_not_comment": "Les causes de l'incident.",
        "en-title": "Incident in Lyon",
        "en-holding_statement": "We know an incident affects the Lyon site.",
        "en-do_not_comment": "The causes of the incident.",
    }
    return values | overrides


def globex_director() -> User:
    from portevoix.accounts.models import Organization

    return create_person(
        organization=Organization.objects.get(slug="globex"), email="gina@globex.test", full_name="Gina Globex",
        roles=frozenset({Role.COMMUNICATION_DIRECTOR}), language="en",
    )  # fmt: skip


def test_director_confirms_what_will_happen_before_anything_happens(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.director, language="en")
    client.force_login(personas.director)
    assert client.get("/crisis/").context["forms"][0].language == "fr"  # the organisation's language first

    response = client.post("/crisis/start/", texts())

    assert response.status_code == 200
    body = response.content.decode()
    assert "1 ambassador will be told by e-mail and in the app what not to comment on." in body
    assert "Ambassadors' feeds will be replaced by the holding statement, and their shares refused." in body
    assert '<input type="hidden" name="fr-holding_statement"' in body
    assert Crisis.objects.count() == 0


def test_director_switches_crisis_mode_on_after_confirming(client: Client, personas: Personas) -> None:
    client.force_login(personas.director)

    response = client.post("/crisis/start/", texts(confirmed="1"))

    crisis = Crisis.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/crisis/{crisis.pk}/"
    assert (crisis.title, crisis.started_by, crisis.language) == ("Incident à Lyon", personas.director, "fr")
    assert crisis.texts("en").holding_statement == "We know an incident affects the Lyon site."
    assert active_crisis(personas.acme) == crisis


def test_going_back_from_the_confirmation_keeps_the_texts(client: Client, personas: Personas) -> None:
    client.force_login(personas.director)

    response = client.post("/crisis/start/", texts(edit="1"))

    assert response.status_code == 200
    assert "Les causes de l&#x27;incident." in response.content.decode()
    assert Crisis.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"fr-holding_statement": ""}, "holding_statement", "This field is required."),
        ({"fr-title": ""}, "title", "This field is required."),
        (
            {"en-holding_statement": ""},
            "holding_statement",
            "Write the holding statement in this language too, or leave it empty.",
        ),
    ],
)
def test_missing_texts_are_named_and_nothing_is_switched(
    client: Client, personas: Personas, overrides: dict[str, str], field: str, message: str
) -> None:
    set_interface_language(person=personas.director, language="en")
    client.force_login(personas.director)

    response = client.post("/crisis/start/", texts(confirmed="1", **overrides))

    assert response.status_code == 400
    errors = {form.language: form.errors for form in response.context["forms"] if form.errors}
    language = next(iter(overrides))[:2]
    assert errors == {language: {field: [message]}}
    assert Crisis.objects.count() == 0


def test_an_english_holding_statement_may_be_left_out(client: Client, personas: Personas) -> None:
    client.force_login(personas.director)
    values = texts(confirmed="1", **{"en-title": "", "en-holding_statement": "", "en-do_not_comment": ""})

    client.post("/crisis/start/", values)

    crisis = Crisis.objects.get()
    assert crisis.translations == {}


def test_a_second_switch_while_one_is_on_is_refused_with_a_message(client: Client, personas: Personas) -> None:
    start(personas.director)
    set_interface_language(person=personas.director, language="en")
    client.force_login(personas.director)

    response = client.post("/crisis/start/", texts(confirmed="1"), follow=True)

    assert [str(message) for message in response.context["messages"]] == ["A crisis is already on."]
    assert Crisis.objects.count() == 1


def test_community_manager_reads_the_timeline_and_adds_notes_but_cannot_switch(
    client: Client, personas: Personas
) -> None:
    crisis = start(personas.director)
    client.force_login(personas.community_manager)

    assert client.get("/crisis/").status_code == 200
    assert b'action="/crisis/start/"' not in client.get("/crisis/").content
    page = client.get(f"/crisis/{crisis.pk}/")
    assert page.status_code == 200
    assert b"lift-form" not in page.content
    assert client.post(f"/crisis/{crisis.pk}/notes/", {"text": "Appel d'un journaliste"}).status_code == 302
    assert client.post("/crisis/start/", texts(confirmed="1")).status_code == 403
    assert client.post(f"/crisis/{crisis.pk}/lift/", {"reason": "Fini"}).status_code == 403
    crisis.refresh_from_db()
    assert crisis.is_active
    assert crisis.timeline.filter(kind=TimelineEntry.Kind.NOTE).get().actor == personas.community_manager


@pytest.mark.parametrize("role", NOT_TEAM)
def test_other_roles_get_403_and_change_nothing(client: Client, personas: Personas, role: str) -> None:
    crisis = start(personas.director, title="Secret crisis")
    client.force_login(personas.by_role()[role])

    for url in ("/crisis/", f"/crisis/{crisis.pk}/"):
        response = client.get(url)
        assert response.status_code == 403, url
        # Every member sees the crisis's title in the banner of every page, refusals included; the
        # refusal shows nothing more of it.
        outside_banner = re.sub(r'<div class="crisis-banner".*?</div>', "", response.content.decode(), flags=re.DOTALL)
        assert "Secret crisis" not in outside_banner
    assert client.post("/crisis/start/", texts(confirmed="1")).status_code == 403
    assert client.post(f"/crisis/{crisis.pk}/notes/", {"text": "x"}).status_code == 403
    assert client.post(f"/crisis/{crisis.pk}/lift/", {"reason": "x"}).status_code == 403
    crisis.refresh_from_db()
    assert crisis.is_active
    assert list(crisis.timeline.values_list("kind", flat=True)) == ["started", "notified"]


def test_another_organisations_crisis_is_a_404_and_unchanged(client: Client, personas: Personas) -> None:
    crisis = start(personas.director, title="Secret crisis")
    client.force_login(globex_director())

    assert client.get(f"/crisis/{crisis.pk}/").status_code == 404
    assert client.post(f"/crisis/{crisis.pk}/notes/", {"text": "x"}).status_code == 404
    assert client.post(f"/crisis/{crisis.pk}/lift/", {"reason": "x"}).status_code == 404
    index = client.get("/crisis/")
    assert index.context["crisis"] is None
    assert b"Secret crisis" not in index.content
    assert b"Secret crisis" not in client.get("/crisis/notice/").content
    crisis.refresh_from_db()
    assert crisis.is_active


def test_anonymous_visitor_is_sent_to_sign_in(client: Client, personas: Personas) -> None:
    for url in ("/crisis/", "/crisis/notice/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_lifting_needs_a_reason_and_says_frozen_posts_stay_frozen(client: Client, personas: Personas) -> None:
    crisis = start(personas.director)
    set_interface_language(person=personas.director, language="en")
    client.force_login(personas.director)

    refused = client.post(f"/crisis/{crisis.pk}/lift/", {"reason": "  "})
    assert refused.status_code == 400
    assert refused.context["lift_form"].errors == {"reason": ["This field is required."]}
    assert active_crisis(personas.acme) == crisis

    response = client.post(f"/crisis/{crisis.pk}/lift/", {"reason": "Site sécurisé"}, follow=True)

    assert [str(message) for message in response.context["messages"]] == [
        "Crisis mode is lifted. Frozen posts stay frozen until someone reschedules them."
    ]
    assert active_crisis(personas.acme) is None
    assert [entry.kind for entry in response.context["timeline"]] == ["started", "notified", "lifted"]
    assert client.post(f"/crisis/{crisis.pk}/lift/", {"reason": "Again"}).status_code == 400
    history = client.get("/crisis/")
    assert list(history.context["past"]) == [crisis]
    assert "Site sécurisé" in history.content.decode()


def test_a_note_added_with_htmx_returns_the_timeline_only(client: Client, personas: Personas) -> None:
    crisis = start(personas.director)
    client.force_login(personas.director)
    htmx = {"HX-Request": "true"}

    empty = client.post(f"/crisis/{crisis.pk}/notes/", {"text": ""}, headers=htmx)
    response = client.post(f"/crisis/{crisis.pk}/notes/", {"text": "Communiqué envoyé à l'AFP"}, headers=htmx)

    assert empty.status_code == 400
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.count('<li class="entry-') == 3
    assert "Communiqué envoyé à l&#x27;AFP" in body


def test_the_banner_shows_on_every_page_for_everyone_of_the_organisation_only(
    client: Client, personas: Personas
) -> None:
    start(personas.director)

    for person in (personas.employee, personas.ambassador, personas.hr):
        client.force_login(person)
        assert b'class="crisis-banner"' in client.get("/guidelines/").content, person
    client.force_login(personas.ambassador)  # reads English
    assert "Incident in Lyon" in client.get("/check/").content.decode()
    client.force_login(personas.outsider)
    assert b"crisis-banner" not in client.get("/").content


def test_the_banner_goes_when_the_crisis_is_lifted(client: Client, personas: Personas) -> None:
    from portevoix.crisis.services import lift_crisis

    crisis = start(personas.director)
    client.force_login(personas.employee)
    assert b"crisis-banner" in client.get("/").content

    lift_crisis(crisis=crisis, actor=personas.director, reason="Résolu")

    assert b"crisis-banner" not in client.get("/").content


def test_an_ambassador_reads_the_notice_in_their_language_and_the_reading_counts(
    client: Client, personas: Personas
) -> None:
    crisis = start(personas.director)
    client.force_login(personas.ambassador)

    body = client.get("/crisis/notice/").content.decode()

    assert STATEMENT_EN in body
    assert "The causes of the incident, the injured." in body
    assert crisis.notices.get().read_at is not None
    client.force_login(personas.director)
    counts = client.get(f"/crisis/{crisis.pk}/").context["counts"]
    assert (counts.recipients, counts.emailed, counts.read) == (1, 0, 1)


def test_the_notice_without_a_crisis_says_so(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.employee, language="en")
    client.force_login(personas.employee)

    response = client.get("/crisis/notice/")

    assert response.status_code == 200
    assert "No crisis is on." in response.content.decode()
