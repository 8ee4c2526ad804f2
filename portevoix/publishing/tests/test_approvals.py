"""Approvals (C4): steps per organisation, decisions by the right people, re-approval after an edit.

An approved post enters the channels outbox, one dispatch per channel; nothing else does.
"""

import pytest

from conftest import Personas
from portevoix.audit.labels import action_label
from portevoix.audit.models import AuditEntry
from portevoix.channels.models import Dispatch
from portevoix.crisis.services import lift_crisis, start_crisis
from portevoix.lib.networks import Network
from portevoix.policies.tests.check_policy import publish_policy
from portevoix.publishing import calendar, selectors, services, setup
from portevoix.publishing.models import ApprovalStep, Post, PostDecision
from portevoix.publishing.tests.factories import channel, compose, later


def _approve(post: Post, person, comment: str = "") -> PostDecision:  # type: ignore[no-untyped-def]
    return services.decide_post(actor=person, post=post, kind="approved", comment=comment, revision=post.revision)


def test_a_new_organisation_gets_a_communication_step_and_a_legal_step_for_sensitive_posts(personas: Personas) -> None:
    setup.ensure_default_steps(personas.acme)

    steps = [(s.position, s.name, s.role, s.condition) for s in ApprovalStep.objects.filter(organization=personas.acme)]

    assert steps == [
        (1, "Communication", "communication_director", "always"),
        (2, "Juridique", "compliance_officer", "sensitive_or_warning"),
    ]


def test_an_approved_post_gets_one_dispatch_per_channel_at_its_time(personas: Personas) -> None:
    mastodon = channel(personas.community_manager)
    bluesky = channel(personas.community_manager, Network.BLUESKY, "Acme sur Bluesky")
    post = compose(personas.community_manager, [mastodon, bluesky])

    services.submit_post(actor=personas.community_manager, post=post)
    assert not Dispatch.objects.exists()
    _approve(post, personas.director, "Parfait.")

    post.refresh_from_db()
    assert post.status == Post.Status.APPROVED
    dispatches = Dispatch.objects.order_by("channel__name")
    assert [(d.channel, d.source_key, d.state, d.scheduled_at) for d in dispatches] == [
        (bluesky, f"post:{post.pk}", "scheduled", post.scheduled_at),
        (mastodon, f"post:{post.pk}", "scheduled", post.scheduled_at),
    ]
    assert selectors.post_card(post).status == selectors.CalendarStatus.SCHEDULED
    actions = list(AuditEntry.objects.filter(organization=personas.acme).values_list("action", flat=True))
    assert actions[-3:] == ["post.submitted", "post.approved", "post.scheduled"]


def test_the_author_never_approves_their_own_post(personas: Personas) -> None:
    post = compose(personas.director, [channel(personas.director)])
    services.submit_post(actor=personas.director, post=post)

    with pytest.raises(services.PostRefused, match="someone else approves it"):
        _approve(post, personas.director)

    post.refresh_from_db()
    assert post.status == Post.Status.IN_REVIEW
    assert not Dispatch.objects.exists()


def test_a_person_without_the_step_role_cannot_decide_it(personas: Personas) -> None:
    post = compose(personas.community_manager, [channel(personas.community_manager)])
    services.submit_post(actor=personas.community_manager, post=post)

    with pytest.raises(services.PostRefused, match="decided by someone else"):
        _approve(post, personas.compliance)

    assert not PostDecision.objects.filter(kind="approved").exists()


def test_a_sensitive_post_also_needs_the_legal_step_decided_by_compliance(personas: Personas) -> None:
    post = compose(personas.community_manager, [channel(personas.community_manager)], is_sensitive=True)
    services.submit_post(actor=personas.community_manager, post=post)

    _approve(post, personas.director)
    post.refresh_from_db()
    assert post.status == Post.Status.IN_REVIEW
    assert selectors.current_step(post).name == "Juridique"  # type: ignore[union-attr]
    assert not Dispatch.objects.exists()

    _approve(post, personas.compliance)
    post.refresh_from_db()
    assert post.status == Post.Status.APPROVED
    assert Dispatch.objects.get().state == "scheduled"


def test_a_warning_of_the_check_brings_the_legal_step_in(personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    post = compose(personas.community_manager, [channel(personas.community_manager)], message="Mieux qu'Initech !")
    services.submit_post(actor=personas.community_manager, post=post)
    post.refresh_from_db()

    assert post.has_warning
    assert not post.has_blocking_finding
    assert [step.name for step, _done in selectors.steps_of(post)] == ["Communication", "Juridique"]


def test_a_post_with_a_blocking_finding_cannot_be_approved(personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    post = compose(personas.community_manager, [channel(personas.community_manager)], message="Le Projet Heron arrive")
    services.submit_post(actor=personas.community_manager, post=post)

    with pytest.raises(services.PostRefused, match="blocks this post"):
        _approve(post, personas.director)

    post.refresh_from_db()
    assert post.status == Post.Status.IN_REVIEW
    assert not PostDecision.objects.filter(kind="approved").exists()
    assert not Dispatch.objects.exists()


def test_changes_requested_and_rejection_need_a_comment_and_are_logged(personas: Personas) -> None:
    post = compose(personas.community_manager, [channel(personas.community_manager)])
    services.submit_post(actor=personas.community_manager, post=post)

    with pytest.raises(services.PostRefused, match="in the comment"):
        services.decide_post(actor=personas.director, post=post, kind="changes_requested", revision=1)
    services.decide_post(
        actor=personas.director, post=post, kind="changes_requested", comment="Ajoutez le stand.", revision=1
    )

    post.refresh_from_db()
    assert post.status == Post.Status.CHANGES_REQUESTED
    entry = AuditEntry.objects.filter(action="post.changes_requested").get()
    assert (entry.actor, entry.data["comment"], entry.data["step"]) == (
        personas.director,
        "Ajoutez le stand.",
        "Communication",
    )


def test_editing_an_approved_post_cancels_its_dispatches_until_approved_again(personas: Personas) -> None:
    mastodon = channel(personas.community_manager)
    post = compose(personas.community_manager, [mastodon])
    services.submit_post(actor=personas.community_manager, post=post)
    _approve(post, personas.director)

    edited = services.save_post(
        actor=personas.community_manager,
        post=post,
        composition=services.Composition(
            title=post.title,
            message="Texte corrigé",
            variants={mastodon: "Texte corrigé"},
            scheduled_at=post.scheduled_at,
        ),
    )

    assert (edited.status, edited.revision) == (Post.Status.IN_REVIEW, 2)
    assert Dispatch.objects.get().state == "cancelled"
    with pytest.raises(services.PostRefused, match="edited since you opened it"):
        services.decide_post(actor=personas.director, post=edited, kind="approved", revision=1)
    _approve(edited, personas.director)
    dispatch = Dispatch.objects.get()
    assert (dispatch.state, dispatch.text) == ("scheduled", "Texte corrigé")


def test_nothing_is_scheduled_while_a_crisis_is_on(personas: Personas) -> None:
    post = compose(personas.community_manager, [channel(personas.community_manager)])
    services.submit_post(actor=personas.community_manager, post=post)
    start_crisis(actor=personas.director, title="Incident", holding_statement="Nous revenons vers vous.")

    with pytest.raises(services.PostRefused, match="crisis is on"):
        _approve(post, personas.director)

    post.refresh_from_db()
    assert post.status == Post.Status.IN_REVIEW
    assert not Dispatch.objects.exists()
    assert not PostDecision.objects.filter(kind="approved").exists()


def test_a_post_whose_time_has_passed_cannot_be_submitted(personas: Personas) -> None:
    post = compose(personas.community_manager, [channel(personas.community_manager)], at=later())
    Post.objects.filter(pk=post.pk).update(scheduled_at=later(days=-1))
    post.refresh_from_db()

    with pytest.raises(services.PostRefused, match="has passed"):
        services.submit_post(actor=personas.community_manager, post=post)


def test_every_editorial_action_has_a_readable_name_in_the_audit_log(personas: Personas) -> None:
    mastodon = channel(personas.community_manager)
    post = compose(personas.community_manager, [mastodon], is_sensitive=True)
    services.submit_post(actor=personas.community_manager, post=post)
    services.decide_post(actor=personas.director, post=post, kind="comment", comment="Vu.", revision=1)
    services.decide_post(actor=personas.director, post=post, kind="changes_requested", comment="Stand ?", revision=1)
    services.submit_post(actor=personas.community_manager, post=post)
    services.decide_post(actor=personas.director, post=post, kind="rejected", comment="Non.", revision=1)
    services.submit_post(actor=personas.community_manager, post=post)
    _approve(post, personas.director)
    _approve(post, personas.compliance)
    services.move_post(actor=personas.community_manager, post=post, scheduled_at=later(days=4))
    crisis = start_crisis(actor=personas.director, title="Incident", holding_statement="Nous revenons vers vous.")
    lift_crisis(crisis=crisis, actor=personas.director, reason="Résolu")
    services.move_post(actor=personas.community_manager, post=post, scheduled_at=later(days=5))
    setup.save_step(actor=personas.director, name="RH", role="hr", condition="sensitive")
    step = ApprovalStep.objects.get(name="RH")
    setup.move_step(actor=personas.director, step=step, offset=-1)
    setup.remove_step(actor=personas.director, step=step)
    vivatech = setup.save_campaign(actor=personas.community_manager, name="VivaTech", colour="blue")
    setup.set_campaign_archived(actor=personas.community_manager, campaign=vivatech, is_archived=True)
    setup.set_campaign_archived(actor=personas.community_manager, campaign=vivatech, is_archived=False)
    calendar.create_feed(user=personas.community_manager)
    calendar.revoke_feed(user=personas.community_manager)
    services.save_post(
        actor=personas.community_manager,
        post=post,
        composition=services.Composition(title="T", message="M", variants={mastodon: "M"}, scheduled_at=later()),
    )

    ours = ("post.", "campaign.", "approval_step.", "calendar_feed.")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    recorded = {action for action in actions if action.startswith(ours)}
    assert len(recorded) == 18
    assert [action for action in sorted(recorded) if action_label(action) == action] == []
