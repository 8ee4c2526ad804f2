"""Invitations by e-mail, the answer page with consent, leaving, removal: nobody enrolled without a yes."""

from collections.abc import Callable

import pytest
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from conftest import Mailbox, Personas
from portevoix.accounts.roles import Role
from portevoix.accounts.services import create_person, set_interface_language
from portevoix.ambassadors import invitations, selectors
from portevoix.ambassadors.models import AmbassadorProfile, ConsentRecord, Invitation
from portevoix.ambassadors.services import ProgrammeRefused
from portevoix.ambassadors.tests.factories import invitation_of, invite, make_topic
from portevoix.audit.models import AuditEntry


def test_director_sends_a_campaign_and_each_invitee_gets_an_email_in_their_language(
    client: Client,
    personas: Personas,
    mailbox: Mailbox,
    run_jobs: Callable[[], int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    topic = make_topic(personas.acme, personas.director)
    client.force_login(personas.director)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/ambassadors/campaigns/new/",
            {
                "topic": topic.pk,
                "send": "1",
                "name": "Innovation spring",
                "message": "Dear colleague,\nJoin us!",
                "people": [personas.employee.pk, personas.hr.pk],
            },
        )

    invitations_sent = list(Invitation.objects.order_by("person__full_name"))
    assert response.status_code == 302
    assert response["Location"] == f"/ambassadors/campaigns/{invitations_sent[0].campaign_id}/"
    assert [(i.person, i.status) for i in invitations_sent] == [
        (personas.employee, "pending"),
        (personas.hr, "pending"),
    ]
    assert run_jobs() == 2
    mails = {str(message["To"]): message for message in mailbox.messages}
    assert str(mails["bob@acme.test"]["Subject"]) == "Invitation : devenir ambassadeur sur « Innovation »"
    assert str(mails["helene@acme.test"]["Subject"]) == "Invitation: become an ambassador on “Innovation”"
    body = mails["bob@acme.test"].get_content().replace("\r\n", "\n")
    assert "Dear colleague,\nJoin us!" in body
    token = invitation_of(invitations_sent[0].campaign, personas.employee).token
    assert f"http://127.0.0.1:8000/ambassadors/invitations/{token}/" in body
    assert all(item.emailed_at is not None for item in Invitation.objects.all())
    assert AuditEntry.objects.filter(action="ambassador.invited").count() == 2
    assert AuditEntry.objects.get(action="ambassador.campaign_sent").data == {"topic": "innovation", "invited": 2}
    assert not personas.employee.has_role(Role.AMBASSADOR)


def test_an_invitation_is_emailed_once_however_often_the_job_runs(personas: Personas, mailbox: Mailbox) -> None:
    topic = make_topic(personas.acme, personas.director)
    campaign = invite(topic, personas.director, [personas.employee])
    invitation = invitation_of(campaign, personas.employee)

    assert invitations.send_invitation_email(invitation_id=invitation.pk) is True
    assert invitations.send_invitation_email(invitation_id=invitation.pk) is False
    assert len(mailbox.messages) == 1


def test_people_already_invited_to_the_topic_are_not_invited_twice(personas: Personas) -> None:
    topic = make_topic(personas.acme, personas.director)
    invite(topic, personas.director, [personas.employee])

    with pytest.raises(ProgrammeRefused, match="not already invited"):
        invite(topic, personas.director, [personas.employee])

    assert Invitation.objects.count() == 1


def test_people_of_another_organisation_cannot_be_invited(personas: Personas) -> None:
    topic = make_topic(personas.acme, personas.director)

    with pytest.raises(ProgrammeRefused, match="Only active people of your organisation"):
        invite(topic, personas.director, [personas.employee, personas.outsider])

    assert not Invitation.objects.exists()


def test_the_invitee_reads_what_joining_means_before_answering(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.employee, language="en")
    campaign = invite(make_topic(personas.acme, personas.director), personas.director, [personas.employee])
    client.force_login(personas.employee)

    response = client.get(f"/ambassadors/invitations/{invitation_of(campaign, personas.employee).token}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "You are invited to speak about Innovation on social networks." in content
    assert "Would you speak about our work?" in content
    assert "Porte-Voix never reads or monitors your personal accounts." in content
    assert "You can leave at any time from your profile" in content


def test_accepting_needs_the_box_ticked_and_changes_nothing_without_it(client: Client, personas: Personas) -> None:
    campaign = invite(make_topic(personas.acme, personas.director), personas.director, [personas.employee])
    invitation = invitation_of(campaign, personas.employee)
    client.force_login(personas.employee)

    response = client.post(f"/ambassadors/invitations/{invitation.token}/", {"answer": "accept"})

    assert response.status_code == 400
    assert response.context["form"].errors["has_agreed"]
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert not ConsentRecord.objects.exists()
    assert not personas.employee.roles.filter(role=Role.AMBASSADOR).exists()


def test_accepting_makes_the_person_an_ambassador_on_the_topic_with_the_date_and_the_text_shown(
    client: Client, personas: Personas
) -> None:
    topic = make_topic(personas.acme, personas.director)
    invitation = invitation_of(invite(topic, personas.director, [personas.employee]), personas.employee)
    client.force_login(personas.employee)

    response = client.post(f"/ambassadors/invitations/{invitation.token}/", {"answer": "accept", "has_agreed": "on"})

    assert response["Location"] == "/ambassadors/me/"
    invitation.refresh_from_db()
    assert (invitation.status, invitation.answered_at is not None) == ("accepted", True)
    assert personas.employee.roles.filter(role=Role.AMBASSADOR).exists()
    assert selectors.topics_of(personas.employee) == [topic]
    consent = ConsentRecord.objects.get()
    assert (consent.person, consent.choice, consent.invitation, consent.language) == (
        personas.employee,
        "accepted",
        invitation,
        "fr",
    )
    assert "Rejoindre le programme est volontaire" in consent.statement
    assert AuditEntry.objects.get(action="ambassador.invitation_accepted").data == {
        "invitation": invitation.pk,
        "topic": "innovation",
    }
    assert AuditEntry.objects.get(action="person.roles_changed", target_id=str(personas.employee.pk)).data == {
        "before": [],
        "after": ["ambassador"],
    }


def test_declining_is_recorded_and_grants_nothing(client: Client, personas: Personas) -> None:
    invitation = invitation_of(
        invite(make_topic(personas.acme, personas.director), personas.director, [personas.employee]), personas.employee
    )
    client.force_login(personas.employee)

    client.post(f"/ambassadors/invitations/{invitation.token}/", {"answer": "decline"})

    invitation.refresh_from_db()
    assert invitation.status == "declined"
    assert not personas.employee.roles.filter(role=Role.AMBASSADOR).exists()
    assert list(ConsentRecord.objects.values_list("choice", flat=True)) == ["declined"]
    assert AuditEntry.objects.filter(action="ambassador.invitation_declined").count() == 1


def test_an_answered_invitation_cannot_be_answered_again(personas: Personas) -> None:
    invitation = invitation_of(
        invite(make_topic(personas.acme, personas.director), personas.director, [personas.employee]), personas.employee
    )
    invitations.decline_invitation(invitation=invitation, person=personas.employee)

    with pytest.raises(ProgrammeRefused, match="already answered"):
        invitations.accept_invitation(invitation=invitation, person=personas.employee)

    assert not personas.employee.roles.filter(role=Role.AMBASSADOR).exists()


@pytest.mark.parametrize("visitor", ["director", "ambassador", "outsider"])
def test_another_persons_invitation_link_is_a_404(client: Client, personas: Personas, visitor: str) -> None:
    invitation = invitation_of(
        invite(make_topic(personas.acme, personas.director), personas.director, [personas.employee]), personas.employee
    )
    client.force_login(getattr(personas, visitor))

    shown = client.get(f"/ambassadors/invitations/{invitation.token}/")
    answered = client.post(f"/ambassadors/invitations/{invitation.token}/", {"answer": "accept", "has_agreed": "on"})

    assert (shown.status_code, answered.status_code) == (404, 404)
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert not ConsentRecord.objects.exists()


def test_an_ambassador_leaves_from_their_profile_and_may_delete_what_they_declared(
    client: Client, personas: Personas
) -> None:
    invitation = invitation_of(
        invite(make_topic(personas.acme, personas.director), personas.director, [personas.employee]), personas.employee
    )
    invitations.accept_invitation(invitation=invitation, person=personas.employee)
    client.force_login(personas.employee)

    response = client.post("/ambassadors/me/leave/", {"reason": "Not enough time", "deletes_profile": "on"})

    assert response["Location"] == "/ambassadors/me/"
    assert not personas.employee.roles.filter(role=Role.AMBASSADOR).exists()
    assert not AmbassadorProfile.objects.filter(person=personas.employee).exists()
    assert list(ConsentRecord.objects.order_by("recorded_at", "id").values_list("choice", "reason")) == [
        ("accepted", ""),
        ("left", "Not enough time"),
    ]
    assert AuditEntry.objects.get(action="ambassador.left").data == {"deletes_profile": True}


def test_leaving_without_being_an_ambassador_is_refused(client: Client, personas: Personas) -> None:
    client.force_login(personas.employee)

    client.post("/ambassadors/me/leave/", {})

    assert not ConsentRecord.objects.exists()


def test_the_director_removes_an_ambassador_with_a_reason_that_is_kept(client: Client, personas: Personas) -> None:
    client.force_login(personas.director)

    client.post(f"/ambassadors/people/{personas.ambassador.pk}/remove/", {"reason": "Left the company's sales team"})

    assert not personas.ambassador.roles.filter(role=Role.AMBASSADOR).exists()
    record = ConsentRecord.objects.get()
    assert (record.choice, record.actor, record.reason) == (
        "removed",
        personas.director,
        "Left the company's sales team",
    )


@pytest.mark.parametrize("visitor", ["community_manager", "hr", "employee", "ambassador", "outsider"])
def test_only_the_director_removes_an_ambassador(client: Client, personas: Personas, visitor: str) -> None:
    client.force_login(getattr(personas, visitor))

    response = client.post(f"/ambassadors/people/{personas.ambassador.pk}/remove/", {"reason": "No"})

    assert response.status_code == 403
    assert personas.ambassador.roles.filter(role=Role.AMBASSADOR).exists()
    assert not ConsentRecord.objects.exists()


def test_an_ambassador_of_another_organisation_cannot_be_removed(client: Client, personas: Personas) -> None:
    stranger = create_person(
        organization=personas.globex, email="amb@globex.test", full_name="G", roles=frozenset({Role.AMBASSADOR})
    )
    client.force_login(personas.director)

    response = client.post(f"/ambassadors/people/{stranger.pk}/remove/", {"reason": "No"})

    assert response.status_code == 404
    assert stranger.roles.filter(role=Role.AMBASSADOR).exists()
