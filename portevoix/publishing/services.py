"""Official posts: compose, submit, decide, move; and the hand-over to the channels outbox.

A post leaves only through `portevoix.channels.services.schedule_dispatch`, one dispatch per
(post, channel), once every approval step that applies to it has approved its current revision.
An edit of the texts makes a new revision: an approved post goes back to review and its
dispatches are cancelled until it is approved again. Nothing is scheduled while a crisis is on.
Every change is audited, inside the transaction that makes it.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import User
from portevoix.accounts.roles import Role
from portevoix.audit.services import record
from portevoix.channels import services as channel_services
from portevoix.channels.models import Channel
from portevoix.crisis.selectors import active_crisis
from portevoix.jobs.enqueue import enqueue_on_commit
from portevoix.lib.networks import NETWORKS, text_length
from portevoix.publishing import checks, notifications, selectors, tasks
from portevoix.publishing.images import EXTENSIONS, MAX_IMAGES
from portevoix.publishing.models import ApprovalStep, Campaign, Post, PostDecision, PostMedia, PostRevision
from portevoix.publishing.setup import ensure_default_steps


class PostRefused(Exception):
    """A change that cannot be made; the message says why, for the person."""


@dataclass(frozen=True)
class NewImage:
    """An uploaded image whose type was read from its bytes, with its alternative text."""

    content: bytes
    content_type: str
    alt_text: str


@dataclass(frozen=True)
class Composition:
    """What the composer sends: the texts by channel, and the rest of the post."""

    title: str
    message: str
    variants: dict[Channel, str]
    campaign: Campaign | None = None
    is_sensitive: bool = False
    scheduled_at: datetime.datetime | None = None
    alt_texts: dict[int, str] = field(default_factory=dict)  # kept images, by id
    removed_images: frozenset[int] = frozenset()
    new_images: tuple[NewImage, ...] = ()


def _validate(actor: User, composition: Composition) -> None:
    if not composition.title.strip():
        raise PostRefused(_("Give the post a title: the calendar shows it."))
    if not composition.message.strip():
        raise PostRefused(_("Write the message."))
    if not composition.variants:
        raise PostRefused(_("Choose at least one channel."))
    for channel, text in composition.variants.items():
        if channel.organization_id != actor.organization_id:
            raise PostRefused(_("Choose channels of your organisation."))
        limit = NETWORKS[channel.network_enum].text_limit
        if text_length(channel.network, text) > limit:
            raise PostRefused(
                _("The text for %(channel)s is longer than %(network)s allows (%(limit)s).")
                % {"channel": channel.name, "network": channel.network_enum.label, "limit": limit}
            )
    if any(not image.alt_text.strip() for image in composition.new_images) or any(
        not text.strip() for text in composition.alt_texts.values()
    ):
        raise PostRefused(_("Every image needs its alternative text."))
    if composition.scheduled_at is not None and composition.scheduled_at <= timezone.now():
        raise PostRefused(_("The publication time has passed: choose a later time."))


def _check_flags(post: Post, texts: dict[str, str]) -> checks.PostCheck:
    date = timezone.localdate(post.scheduled_at) if post.scheduled_at else timezone.localdate()
    return checks.check_texts(organization=post.organization, texts=texts, date=date, language="en")


def _texts_of(post: Post) -> dict[str, str]:
    return {str(variant.channel_id): variant.text for variant in post.variants.all()}


def _snapshot(post: Post, actor: User) -> None:
    variants = [
        {"channel": variant.channel_id, "name": variant.channel.name, "text": variant.text}
        for variant in post.variants.select_related("channel").order_by("channel__name", "channel_id")
    ]
    PostRevision.objects.update_or_create(
        post=post,
        number=post.revision,
        defaults={"title": post.title, "message": post.message, "variants": variants, "author": actor},
    )


def _content_of(post: Post) -> tuple[object, ...]:
    variants = tuple(sorted((variant.channel_id, variant.text) for variant in post.variants.all()))
    media = tuple(post.media.values_list("id", "alt_text").order_by("id"))
    return (post.title, post.message, post.is_sensitive, variants, media)


def _apply(post: Post, composition: Composition) -> None:
    post.title, post.message = composition.title.strip(), composition.message.strip()
    post.campaign, post.is_sensitive = composition.campaign, composition.is_sensitive
    post.scheduled_at = composition.scheduled_at
    post.updated_at = timezone.now()
    post.save()
    chosen = {channel.pk: text for channel, text in composition.variants.items()}
    post.variants.exclude(channel_id__in=chosen).delete()
    for channel_id, text in chosen.items():
        post.variants.update_or_create(channel_id=channel_id, defaults={"text": text})
    post.media.filter(pk__in=composition.removed_images).delete()
    for media in post.media.filter(pk__in=composition.alt_texts):
        if media.alt_text != composition.alt_texts[media.pk].strip():
            media.alt_text = composition.alt_texts[media.pk].strip()
            media.save(update_fields=["alt_text"])
    if post.media.count() + len(composition.new_images) > MAX_IMAGES:
        raise PostRefused(_("A post takes at most %(count)s images.") % {"count": MAX_IMAGES})
    position = post.media.count()
    for offset, image in enumerate(composition.new_images):
        media = PostMedia(post=post, alt_text=image.alt_text.strip(), content_type=image.content_type)
        media.position = position + offset
        media.file.save(f"image.{EXTENSIONS[image.content_type]}", ContentFile(image.content), save=False)
        media.save()


def save_post(*, actor: User, composition: Composition, post: Post | None = None, sends_emails: bool = True) -> Post:
    """Create a post as a draft, or edit one; an edit of the texts makes a new revision.

    An edited post that was in review stays in review, for its new revision; an approved one goes
    back to review and its dispatches are cancelled until it is approved again. A post already
    sent, or being sent, on a channel cannot be edited.
    """
    _validate(actor, composition)
    with transaction.atomic():
        if post is None:
            target = Post.objects.create(organization=actor.organization, author=actor, title="", message="")
            before: tuple[object, ...] | None = None
        else:
            target = Post.objects.select_for_update().get(pk=post.pk, organization=actor.organization)
            _refuse_if_published(target)
            before = _content_of(target)
        previous_channels = set(target.variants.values_list("channel_id", flat=True))
        old_time = target.scheduled_at
        _apply(target, composition)
        is_edit = before is not None and before != _content_of(target)
        if is_edit and target.status != Post.Status.DRAFT:
            _new_revision(target, actor, previous_channels)
        elif target.status == Post.Status.APPROVED and old_time != target.scheduled_at:
            _refuse_during_crisis(target)
            _schedule(target, actor)
        _store_check(target)
        if is_edit and target.status == Post.Status.IN_REVIEW and sends_emails:
            _notify_current_step(target)
        _snapshot(target, actor)
        action = "post.created" if post is None else "post.edited"
        record(organization=actor.organization, actor=actor, action=action, target=target, data=_audit_data(target))
    return target


def _audit_data(post: Post) -> dict[str, object]:
    channels = sorted(post.variants.values_list("channel_id", flat=True))
    return {"revision": post.revision, "status": post.status, "channels": channels, "at": post.scheduled_at}


def _new_revision(post: Post, actor: User, previous_channels: set[int]) -> None:
    was_approved = post.status == Post.Status.APPROVED
    post.revision += 1
    if was_approved:
        _cancel(post, actor, previous_channels)
        post.status, post.approved_at = Post.Status.IN_REVIEW, None
    post.save(update_fields=["revision", "status", "approved_at"])
    if post.status == Post.Status.IN_REVIEW:
        PostDecision.objects.create(post=post, revision=post.revision, kind=PostDecision.Kind.SUBMITTED, actor=actor)


def _store_check(post: Post) -> checks.PostCheck:
    result = _check_flags(post, _texts_of(post))
    post.has_warning, post.has_blocking_finding = result.warns, result.blocks
    post.save(update_fields=["has_warning", "has_blocking_finding"])
    return result


def _refuse_if_published(post: Post) -> None:
    states = selectors.dispatch_states(post)
    if states & selectors.PUBLISHED_STATES:
        raise PostRefused(_("This post is already published, or being published: it can no longer be changed."))


def _refuse_during_crisis(post: Post) -> None:
    if active_crisis(post.organization_id) is not None:
        raise PostRefused(_("A crisis is on: nothing can be scheduled until it is lifted."))


def _refuse_past(post: Post) -> None:
    if post.scheduled_at is None:
        raise PostRefused(_("Choose the publication time first."))
    if post.scheduled_at <= timezone.now():
        raise PostRefused(_("The publication time has passed: move the post to a later time first."))


def _schedule(post: Post, actor: User, *, unfreezes: bool = False) -> None:
    """Hand each variant to the outbox for the post's time (creates, or moves, its dispatch).

    A dispatch frozen by a crisis stays frozen unless a person reschedules it (`unfreezes`).
    """
    _refuse_past(post)
    assert post.scheduled_at is not None
    media = [
        channel_services.MediaItem(path=item.file.path, alt_text=item.alt_text, content_type=item.content_type)
        for item in post.media.all()
    ]
    current = {dispatch.channel_id: dispatch for dispatch in selectors.dispatches_of([post]).get(post.source_key, [])}
    try:
        for variant in post.variants.select_related("channel"):
            dispatch = current.get(variant.channel_id)
            if unfreezes and dispatch is not None and dispatch.state == selectors.FROZEN:
                # The outbox keeps a frozen dispatch frozen when it is scheduled again: only a
                # person's reschedule takes it out of the crisis.
                channel_services.reschedule_dispatch(dispatch=dispatch, scheduled_at=post.scheduled_at, actor=actor)
                continue
            channel_services.schedule_dispatch(
                channel=variant.channel,
                source_key=post.source_key,
                text=variant.text,
                media=media,
                scheduled_at=post.scheduled_at,
                actor=actor,
            )
    except channel_services.DispatchError as error:
        raise PostRefused(str(error)) from error


def _cancel(post: Post, actor: User, channel_ids: set[int]) -> None:
    try:
        for channel in Channel.objects.filter(pk__in=channel_ids, organization=post.organization_id):
            channel_services.cancel_dispatch(channel=channel, source_key=post.source_key, actor=actor)
    except channel_services.DispatchError as error:
        raise PostRefused(str(error)) from error


def submit_post(*, actor: User, post: Post, sends_emails: bool = True) -> Post:
    """Send a draft (or a post sent back) for approval; with no step applying to it, it is approved.

    The deciders of the first step are e-mailed; `sends_emails=False` is for the demo, whose people
    have no mailbox.
    """
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk, organization=actor.organization)
        if locked.status not in (Post.Status.DRAFT, Post.Status.CHANGES_REQUESTED, Post.Status.REJECTED):
            raise PostRefused(_("This post is already in review or approved."))
        _refuse_past(locked)
        # Sent back unchanged, a post keeps the approvals its revision already has.
        locked.status = Post.Status.IN_REVIEW
        locked.save(update_fields=["status"])
        _store_check(locked)
        PostDecision.objects.create(
            post=locked, revision=locked.revision, kind=PostDecision.Kind.SUBMITTED, actor=actor
        )
        record(organization=actor.organization, actor=actor, action="post.submitted", target=locked)
        ensure_default_steps(locked.organization)
        _advance(locked, actor, sends_emails=sends_emails)
    return locked


def _notify_current_step(post: Post) -> None:
    step = selectors.current_step(post)
    if step is None:
        return
    for recipient_id in notifications.deciders_of(step, post).values_list("pk", flat=True):
        enqueue_on_commit(tasks.notify_task, post.pk, recipient_id, notifications.step_event(step, post))


def _advance(post: Post, actor: User, *, sends_emails: bool) -> None:
    """Approve and schedule the post when no step is left for its revision; else tell the next step."""
    if selectors.current_step(post) is not None:
        if sends_emails:
            _notify_current_step(post)
        return
    _refuse_during_crisis(post)
    post.status, post.approved_at = Post.Status.APPROVED, timezone.now()
    post.save(update_fields=["status", "approved_at"])
    _schedule(post, actor)
    record(organization=post.organization, actor=actor, action="post.scheduled", target=post, data=_audit_data(post))


DECISION_KINDS = (PostDecision.Kind.APPROVED, PostDecision.Kind.CHANGES_REQUESTED, PostDecision.Kind.REJECTED)


def decide_post(
    *, actor: User, post: Post, kind: str, comment: str = "", revision: int, sends_emails: bool = True
) -> PostDecision:
    """Approve the current step, request changes, reject, or comment, on the revision the person read.

    Only holders of the current step's role decide it, never the post's author; a post whose
    check finds something blocking cannot be approved. A comment is open to every reviewer.
    """
    comment = comment.strip()
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk, organization=actor.organization)
        if kind == PostDecision.Kind.COMMENT:
            return _comment(locked, actor, comment)
        if kind not in DECISION_KINDS:
            raise PostRefused(_("Choose approve, request changes or reject."))
        step = _step_to_decide(locked, actor, revision)
        if kind != PostDecision.Kind.APPROVED and not comment:
            raise PostRefused(_("Say what should change, or why the post is rejected, in the comment."))
        if kind == PostDecision.Kind.APPROVED and _store_check(locked).blocks:
            raise PostRefused(_("The check finds something that blocks this post: it cannot be approved."))
        decision = PostDecision.objects.create(
            post=locked,
            step=step,
            step_name=step.name,
            revision=locked.revision,
            kind=kind,
            actor=actor,
            comment=comment,
        )
        data = {"step": step.name, "revision": locked.revision, "comment": comment}
        record(organization=actor.organization, actor=actor, action=f"post.{kind}", target=locked, data=data)
        if kind == PostDecision.Kind.APPROVED:
            _advance(locked, actor, sends_emails=sends_emails)
        else:
            locked.status = Post.Status(kind)
            locked.save(update_fields=["status"])
            if sends_emails and locked.author_id is not None and locked.author_id != actor.pk:
                event = notifications.decision_event(decision)
                enqueue_on_commit(tasks.notify_task, locked.pk, locked.author_id, event)
    return decision


def _comment(post: Post, actor: User, comment: str) -> PostDecision:
    if not comment:
        raise PostRefused(_("Write your comment."))
    decision = PostDecision.objects.create(
        post=post, revision=post.revision, kind=PostDecision.Kind.COMMENT, actor=actor, comment=comment
    )
    record(organization=actor.organization, actor=actor, action="post.commented", target=post)
    return decision


def _step_to_decide(post: Post, actor: User, revision: int) -> ApprovalStep:
    if post.status != Post.Status.IN_REVIEW:
        raise PostRefused(_("This post is not waiting for approval."))
    if revision != post.revision:
        raise PostRefused(_("The post was edited since you opened it: read the new revision first."))
    step = selectors.current_step(post)
    if step is None:
        raise PostRefused(_("This post is not waiting for approval."))
    if not actor.has_role(Role(step.role)):
        raise PostRefused(_("The step “%(step)s” is decided by someone else.") % {"step": step.name})
    if actor.pk == post.author_id:
        raise PostRefused(_("You wrote this post: someone else approves it."))
    return step


def move_post(*, actor: User, post: Post, scheduled_at: datetime.datetime) -> Post:
    """Move a post to another time; an approved one has its dispatches moved, frozen ones included.

    This is also how a post frozen by a crisis is rescheduled by a person once the crisis is lifted.
    """
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk, organization=actor.organization)
        _refuse_if_published(locked)
        if scheduled_at <= timezone.now():
            raise PostRefused(_("The publication time has passed: choose a later time."))
        was_frozen = selectors.FROZEN in selectors.dispatch_states(locked)
        previous = locked.scheduled_at
        locked.scheduled_at, locked.updated_at = scheduled_at, timezone.now()
        locked.save(update_fields=["scheduled_at", "updated_at"])
        if locked.status == Post.Status.APPROVED:
            _refuse_during_crisis(locked)
            _schedule(locked, actor, unfreezes=True)
        action = "post.rescheduled" if was_frozen else "post.moved"
        data = {"from": previous, "to": scheduled_at}
        record(organization=actor.organization, actor=actor, action=action, target=locked, data=data)
    return locked
