"""Who sees and does what on the editorial side: every page against every role, and another organisation.

Refused people get a 403 (wrong role) or a 404 (another organisation's post), and nothing changes.
"""

import pytest
from django.test import Client

from conftest import Personas
from portevoix.accounts.models import User
from portevoix.accounts.roles import Permission, Role, permissions_for
from portevoix.accounts.services import create_person
from portevoix.audit.models import AuditEntry
from portevoix.publishing import services
from portevoix.publishing.models import ApprovalStep, Campaign, Post, PostDecision
from portevoix.publishing.tests.factories import campaign, channel, compose


@pytest.fixture
def globex_director(personas: Personas) -> User:
    return create_person(
        organization=personas.globex,
        email="gina@globex.test",
        full_name="Gina Globex",
        password="x",
        roles=frozenset({Role.COMMUNICATION_DIRECTOR}),
    )


PAGES: list[tuple[str, Permission]] = [
    ("/official/", Permission.VIEW_OFFICIAL_CHANNELS),
    ("/official/calendar/", Permission.VIEW_OFFICIAL_CHANNELS),
    ("/official/calendar/feed/", Permission.VIEW_OFFICIAL_CHANNELS),
    ("/official/posts/new/", Permission.COMPOSE_OFFICIAL_POSTS),
    ("/official/posts/{post}/", Permission.REVIEW_OFFICIAL_POSTS),
    ("/official/posts/{post}/edit/", Permission.COMPOSE_OFFICIAL_POSTS),
    ("/official/approvals/", Permission.REVIEW_OFFICIAL_POSTS),
    ("/official/campaigns/", Permission.COMPOSE_OFFICIAL_POSTS),
    ("/official/steps/", Permission.REVIEW_OFFICIAL_POSTS),
]


@pytest.mark.parametrize(("url", "permission"), PAGES)
def test_each_role_gets_exactly_what_its_permissions_allow(
    client: Client, personas: Personas, url: str, permission: Permission
) -> None:
    post = compose(personas.community_manager, [channel(personas.community_manager)])
    for role_name, person in personas.by_role().items():
        client.force_login(person)
        response = client.get(url.format(post=post.pk))
        allowed = permission in permissions_for(frozenset({Role(role_name)}))
        assert response.status_code == (200 if allowed else 403), f"{role_name} on {url}"
        if not allowed:
            assert b"Annonce VivaTech" not in response.content


def test_only_the_communication_team_and_compliance_review_and_only_the_team_composes(personas: Personas) -> None:
    reviewers = {role for role in Role if Permission.REVIEW_OFFICIAL_POSTS in permissions_for(frozenset({role}))}
    composers = {role for role in Role if Permission.COMPOSE_OFFICIAL_POSTS in permissions_for(frozenset({role}))}
    step_managers = {role for role in Role if Permission.MANAGE_APPROVAL_STEPS in permissions_for(frozenset({role}))}

    assert reviewers == {Role.COMMUNITY_MANAGER, Role.COMMUNICATION_DIRECTOR, Role.COMPLIANCE_OFFICER}
    assert composers == {Role.COMMUNITY_MANAGER, Role.COMMUNICATION_DIRECTOR}
    assert step_managers == {Role.COMMUNICATION_DIRECTOR}


@pytest.mark.parametrize(
    "url",
    [
        "/official/posts/{post}/",
        "/official/posts/{post}/edit/",
        "/official/campaigns/{campaign}/",
    ],
)
def test_another_organisation_gets_404_for_every_object(
    client: Client, personas: Personas, globex_director: User, url: str
) -> None:
    post = compose(personas.community_manager, [channel(personas.community_manager)])
    vivatech = campaign(personas.community_manager)
    client.force_login(globex_director)

    response = client.get(url.format(post=post.pk, campaign=vivatech.pk))

    assert response.status_code == 404


def test_another_organisation_cannot_decide_move_or_submit_a_post(
    client: Client, personas: Personas, globex_director: User
) -> None:
    post = compose(personas.community_manager, [channel(personas.community_manager)])
    services.submit_post(actor=personas.community_manager, post=post)
    entries = AuditEntry.objects.count()
    client.force_login(globex_director)

    decide = client.post(f"/official/posts/{post.pk}/decide/", {"kind": "approved", "revision": "1"})
    move = client.post(f"/official/posts/{post.pk}/move/", {"scheduled_at": "2030-01-01T09:00"})
    submit = client.post(f"/official/posts/{post.pk}/submit/")
    archive = client.post(f"/official/campaigns/{campaign(personas.community_manager).pk}/archive/")

    assert (decide.status_code, move.status_code, submit.status_code, archive.status_code) == (404, 404, 404, 404)
    post.refresh_from_db()
    assert post.status == Post.Status.IN_REVIEW
    assert not PostDecision.objects.filter(kind="approved").exists()
    assert not Campaign.objects.filter(is_archived=True).exists()
    assert AuditEntry.objects.count() == entries + 1  # the campaign made for the test, nothing else


def test_an_employee_cannot_post_to_any_editorial_action(client: Client, personas: Personas) -> None:
    post = compose(personas.community_manager, [channel(personas.community_manager)])
    client.force_login(personas.employee)

    responses = [
        client.post("/official/posts/new/", {"title": "x", "message": "x"}),
        client.post(f"/official/posts/{post.pk}/submit/"),
        client.post(f"/official/posts/{post.pk}/decide/", {"kind": "comment", "comment": "x", "revision": "1"}),
        client.post(f"/official/posts/{post.pk}/move/", {"scheduled_at": "2030-01-01T09:00"}),
        client.post("/official/steps/", {"name": "x", "role": "hr", "condition": "always"}),
    ]

    assert [response.status_code for response in responses] == [403] * 5
    post.refresh_from_db()
    assert (post.status, Post.objects.count(), PostDecision.objects.count()) == (Post.Status.DRAFT, 1, 0)


def test_compliance_sees_the_steps_but_only_the_director_changes_them(client: Client, personas: Personas) -> None:
    client.force_login(personas.compliance)
    refused = client.post("/official/steps/", {"name": "Finance", "role": "hr", "condition": "always"})
    client.force_login(personas.director)
    added = client.post("/official/steps/", {"name": "Finance", "role": "hr", "condition": "sensitive"})

    assert (refused.status_code, added.status_code) == (403, 302)
    assert list(ApprovalStep.objects.values_list("name", "position")) == [
        ("Communication", 1),
        ("Juridique", 2),
        ("Finance", 3),
    ]
