"""Requests to the communication team in the web pages: open from a check or a clause, answer in a thread, close.

Only the author and the communication team of the organisation see a request; everyone else gets a 404.
"""

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.asks import services
from portevoix.asks.models import Ask, AskMessage
from portevoix.asks.tests.factories import RISKY_DRAFT, open_ask
from portevoix.audit.labels import action_label
from portevoix.audit.models import AuditEntry
from portevoix.policies.models import CheckCount
from portevoix.policies.tests.check_policy import publish_policy


def test_check_page_offers_to_ask_the_team_with_the_draft_as_checked(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    client.force_login(personas.employee)

    data = {"text": "Heron\r\narrive", "scope": "everyone", "date": "2026-05-04"}

    response = client.post("/check/", data, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert '<form method="post" action="/asks/new/" class="check-ask">' in content
    assert '<input type="hidden" name="text" value="Heron\narrive">' in content
    assert '<input type="hidden" name="date" value="2026-05-04">' in content
    assert '<input type="hidden" name="scope" value="everyone">' in content


def test_the_ask_form_is_filled_from_the_check_without_sending_anything(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.employee, language="en")
    client.force_login(personas.employee)

    response = client.post(
        "/asks/new/", {"prefill": "1", "text": "Le Projet Heron", "scope": "everyone", "date": "2026-05-04"}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound
    assert (form.initial["text"], form.initial["date"], form.initial["scope"]) == (
        "Le Projet Heron",
        "2026-05-04",
        "everyone",
    )
    assert "stored with your request, because you chose to send it" in response.content.decode()
    assert not Ask.objects.exists()


def test_a_clause_link_fills_the_clause(client: Client, personas: Personas) -> None:
    client.force_login(personas.employee)

    response = client.get("/asks/new/?clause=3.1")

    assert response.context["form"].initial["clause"] == "3.1"
    assert 'name="clause" value="3.1"' in response.content.decode()


def test_employee_opens_a_request_that_keeps_the_draft_and_its_verdict_at_the_time(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    publish_policy(personas.acme, personas.compliance)
    client.force_login(personas.employee)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/asks/new/",
            {"question": "Puis-je en parler ?", "text": RISKY_DRAFT, "scope": "everyone", "date": "2026-05-04",
             "clause": "c-3-1"},
        )  # fmt: skip

    ask = Ask.objects.get()
    assert response["Location"] == f"/asks/{ask.pk}/"
    assert (ask.author, ask.status, ask.draft, ask.clause_id, ask.scope) == (
        personas.employee,
        Ask.Status.OPEN,
        RISKY_DRAFT,
        "c-3-1",
        "everyone",
    )
    assert ask.outcome == "do_not_publish"
    assert [item["rule_id"] for item in ask.check_report["findings"]] == ["confidential-projects", "personal-data"]
    assert list(ask.messages.values_list("body", "is_from_team")) == [("Puis-je en parler ?", False)]
    assert not CheckCount.objects.exists(), "the check page counted the draft already"
    entry = AuditEntry.objects.get(action="ask.opened")
    assert entry.data == {"has_draft": True, "outcome": "do_not_publish", "clause": "c-3-1"}
    assert entry.target_label == f"#{ask.pk}"
    team = {args[1] for args in DBTaskResult.objects.values_list("args_kwargs__args", flat=True)}
    assert team == {personas.director.pk, personas.community_manager.pk}


def test_a_request_without_a_draft_or_a_policy_has_no_verdict(personas: Personas) -> None:
    ask = open_ask(personas.employee, draft="")

    assert (ask.draft, ask.outcome, ask.check_report, ask.draft_date) == ("", "", {}, None)


def test_the_question_is_required(client: Client, personas: Personas) -> None:
    client.force_login(personas.employee)

    response = client.post("/asks/new/", {"question": "", "text": "x", "scope": "everyone", "date": "2026-05-04"})

    assert response.status_code == 200
    assert response.context["form"].errors["question"]
    assert not Ask.objects.exists()


def test_the_draft_is_highlighted_for_the_team_with_its_findings(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    ask = open_ask(personas.employee)
    client.force_login(personas.community_manager)

    response = client.get(f"/asks/{ask.pk}/")

    content = response.content.decode()
    assert '<mark class="severity-block">Projet Heron</mark>' in content
    assert '<mark class="severity-warn">06 12 34 56 78</mark>' in content
    assert response.context["outcome_label"] == "Ne pas publier"  # Camille reads French
    assert [item.finding.clause_id for item in response.context["findings"]] == ["c-3-1", "c-5-1"]


def test_team_answers_and_the_author_sees_it_as_unread_until_opened(client: Client, personas: Personas) -> None:
    ask = open_ask(personas.employee)
    client.force_login(personas.community_manager)
    assert client.get("/asks/unread/").context["unread"].team == 1
    client.get(f"/asks/{ask.pk}/")
    assert client.get("/asks/unread/").context["unread"].team == 0

    response = client.post(f"/asks/{ask.pk}/reply/", {"body": "Non : Heron est confidentiel.\nAttendez l'annonce."})

    assert response.status_code == 302
    ask.refresh_from_db()
    assert ask.status == Ask.Status.ANSWERED
    assert (ask.assignee, ask.is_unread_by_author) == (personas.community_manager, True)
    client.force_login(personas.employee)
    badge = client.get("/asks/unread/")
    assert badge.context["unread"].mine == 1
    assert '<span class="badge unread-badge" id="asks-unread">' in badge.content.decode()
    page = client.get(f"/asks/{ask.pk}/").content.decode()
    assert "Non : Heron est confidentiel.<br>Attendez l&#x27;annonce." in page
    assert client.get("/asks/unread/").context["unread"].mine == 0
    assert list(AuditEntry.objects.filter(action__startswith="ask.").values_list("action", flat=True)) == [
        "ask.opened",
        "ask.answered",
    ]


def test_messages_are_plain_text_escaped(client: Client, personas: Personas) -> None:
    ask = open_ask(personas.employee, question="<script>alert(1)</script>", draft="<b>bold</b>")
    client.force_login(personas.employee)

    content = client.get(f"/asks/{ask.pk}/").content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "&lt;b&gt;bold&lt;/b&gt;" in content


def test_a_thread_goes_back_and_forth_then_closes(client: Client, personas: Personas) -> None:
    ask = open_ask(personas.employee)
    services.reply(ask=ask, author=personas.community_manager, body="Retirez le nom du projet.")
    client.force_login(personas.employee)

    client.post(f"/asks/{ask.pk}/reply/", {"body": "Et sans le nom ?"})
    ask.refresh_from_db()
    assert (ask.status, ask.is_unread_by_team) == (Ask.Status.OPEN, True)
    services.reply(ask=ask, author=personas.director, body="C'est bon.")
    client.force_login(personas.community_manager)
    client.post(f"/asks/{ask.pk}/close/")

    ask.refresh_from_db()
    assert (ask.status, ask.assignee, ask.is_unread_by_author) == (
        Ask.Status.CLOSED,
        personas.community_manager,
        True,
    )
    assert ask.closed_at is not None
    bodies = list(ask.messages.order_by("created_at", "id").values_list("body", "is_from_team"))
    assert bodies == [
        ("Puis-je publier ceci ?", False),
        ("Retirez le nom du projet.", True),
        ("Et sans le nom ?", False),
        ("C'est bon.", True),
    ]
    set_interface_language(person=personas.employee, language="en")
    client.force_login(personas.employee)
    refused = client.post(f"/asks/{ask.pk}/reply/", {"body": "Encore une chose"}, follow=True)
    assert [str(message) for message in refused.context["messages"]][-1] == (
        "This request is closed: open a new one to ask again."
    )
    assert ask.messages.count() == 4
    actions = list(AuditEntry.objects.filter(action__startswith="ask.").values_list("action", flat=True))
    assert actions == ["ask.opened", "ask.answered", "ask.replied", "ask.answered", "ask.closed"]


def test_a_team_member_takes_a_request(client: Client, personas: Personas) -> None:
    ask = open_ask(personas.employee)
    client.force_login(personas.director)

    client.post(f"/asks/{ask.pk}/assign/")

    ask.refresh_from_db()
    assert ask.assignee == personas.director
    assert AuditEntry.objects.filter(action="ask.assigned", actor=personas.director).count() == 1


def test_the_queue_lists_a_status_oldest_first(
    client: Client, personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    first = open_ask(personas.employee, question="first")
    second = open_ask(personas.ambassador, question="second")
    answered = open_ask(personas.hr, question="third")
    services.reply(ask=answered, author=personas.community_manager, body="ok")
    client.force_login(personas.community_manager)
    client.get("/asks/queue/")
    for number in range(10):
        open_ask(personas.employee, question=f"more {number}")

    # session, person, roles, organisation, counts, page count, page rows
    with django_assert_num_queries(7):
        response = client.get("/asks/queue/")

    asks = [ask for ask, _label in response.context["rows"]]
    assert asks[:2] == [first, second]
    assert len(asks) == 12
    assert dict((value, count) for value, _label, count in response.context["statuses"]) == {
        "open": 12,
        "answered": 1,
        "closed": 0,
    }
    assert [ask for ask, _label in client.get("/asks/queue/?status=answered").context["rows"]] == [answered]


def test_an_employee_sees_only_their_own_requests(client: Client, personas: Personas) -> None:
    mine = open_ask(personas.employee)
    open_ask(personas.ambassador)
    client.force_login(personas.employee)

    response = client.get("/asks/")

    assert list(response.context["page"]) == [mine]


@pytest.mark.parametrize("path", ["", "reply/", "close/"])
def test_another_employee_gets_404_and_changes_nothing(client: Client, personas: Personas, path: str) -> None:
    ask = open_ask(personas.employee)
    client.force_login(personas.ambassador)

    response = client.post(f"/asks/{ask.pk}/{path}", {"body": "hello"}) if path else client.get(f"/asks/{ask.pk}/")

    assert response.status_code == 404
    ask.refresh_from_db()
    assert (ask.status, ask.is_unread_by_team) == (Ask.Status.OPEN, True)
    assert AskMessage.objects.count() == 1


@pytest.mark.parametrize("path", ["", "reply/", "close/", "assign/"])
def test_another_organisation_gets_404_and_changes_nothing(client: Client, personas: Personas, path: str) -> None:
    from portevoix.accounts.roles import Role
    from portevoix.accounts.services import create_person

    ask = open_ask(personas.employee)
    globex_manager = create_person(
        organization=personas.globex,
        email="gil@globex.test",
        full_name="Gil Globex",
        roles=frozenset({Role.COMMUNITY_MANAGER}),
    )
    client.force_login(globex_manager)

    response = client.post(f"/asks/{ask.pk}/{path}", {"body": "hello"}) if path else client.get(f"/asks/{ask.pk}/")

    assert response.status_code == 404
    ask.refresh_from_db()
    assert (ask.status, ask.assignee) == (Ask.Status.OPEN, None)
    assert AskMessage.objects.count() == 1
    assert list(client.get("/asks/queue/").context["rows"]) == []


@pytest.mark.parametrize("role", ["employee", "ambassador", "compliance_officer", "hr", "administrator"])
def test_people_outside_the_team_get_403_on_the_queue_and_on_assigning(
    client: Client, personas: Personas, role: str
) -> None:
    ask = open_ask(personas.director)
    client.force_login(personas.by_role()[role])

    assert client.get("/asks/queue/").status_code == 403
    assert client.post(f"/asks/{ask.pk}/assign/").status_code == 403
    ask.refresh_from_db()
    assert ask.assignee is None


def test_audit_entries_have_readable_labels() -> None:
    assert action_label("ask.opened") == "Request to the communication team opened"
    assert action_label("ask.answered") == "Request to the communication team answered"
    assert action_label("ask.closed") == "Request to the communication team closed"
