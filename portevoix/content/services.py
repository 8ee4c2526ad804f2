"""Message houses and the content library: drafts, review, approval, publication, comments.

Every change of state is one transaction with its audit entry. Texts are checked against the
published policy with the ambassador scope, and checked for each network's length limit, when
they are saved; a suggested post whose text blocks or is too long cannot be approved.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from compliance_engine.model import Scope
from portevoix.accounts.models import Organization, Population, User
from portevoix.ambassadors.models import Topic
from portevoix.audit.services import record
from portevoix.content.models import (
    ContentComment,
    ContentItem,
    ContentSettings,
    ContentVariant,
    Language,
    Level,
    MessageHouse,
    MessageHouseVersion,
    MessageItem,
)
from portevoix.crisis.models import Crisis
from portevoix.lib.networks import NETWORKS, Network, text_length
from portevoix.policies import checking
from portevoix.policies import services as policy_services

# Share pages that put the link in the post itself (the others show it as a card beside the text).
NETWORKS_WITH_LINK_IN_TEXT = frozenset({Network.X, Network.BLUESKY, Network.MASTODON, Network.THREADS})


class ContentRefused(Exception):
    """A change that cannot be made; the message says what and where, for the person."""


# Message houses ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HouseFields:
    core_message: str = ""
    say: str = ""
    avoid: str = ""
    hashtags: str = ""
    summary: str = ""


@dataclass(frozen=True)
class ItemData:
    kind: str
    text: str
    level: str = Level.GENERAL
    language: str = "fr"
    source: str = ""
    answer: str = ""


def start_house_draft(*, topic: Topic, actor: User | None) -> MessageHouseVersion:
    """The topic's open version, or a new draft copied from the approved one (or empty)."""
    with transaction.atomic():
        house, _created = MessageHouse.objects.get_or_create(topic=topic, defaults={"organization": topic.organization})
        house = MessageHouse.objects.select_for_update().get(pk=house.pk)
        versions = MessageHouseVersion.objects.filter(house=house)
        open_version = versions.filter(
            status__in=[MessageHouseVersion.Status.DRAFT, MessageHouseVersion.Status.IN_REVIEW]
        ).first()
        if open_version is not None:
            return open_version
        approved = versions.filter(status=MessageHouseVersion.Status.APPROVED).first()
        last = versions.order_by("-number").first()
        draft = MessageHouseVersion.objects.create(
            house=house,
            number=(last.number if last else 0) + 1,
            created_by=actor,
            **(
                {name: getattr(approved, name) for name in ("core_message", "say", "avoid", "hashtags")}
                if approved
                else {}
            ),
        )
        if approved is not None:
            MessageItem.objects.bulk_create(
                MessageItem(
                    version=draft, kind=item.kind, level=item.level, language=item.language, text=item.text,
                    source=item.source, answer=item.answer, position=item.position,
                )
                for item in approved.items.all()
            )  # fmt: skip
        record(organization=topic.organization, actor=actor, action="message_house.draft_started", target=draft)
    return draft


def save_house_draft(
    *, version: MessageHouseVersion, actor: User, fields: HouseFields, items: Sequence[ItemData]
) -> None:
    """Replace a draft's texts and items; only a draft (not one in review or approved) changes."""
    with transaction.atomic():
        locked = MessageHouseVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != MessageHouseVersion.Status.DRAFT:
            raise ContentRefused(
                _("Only a draft can be edited: this version is %(status)s.") % {"status": locked.get_status_display()}
            )
        for name in ("core_message", "say", "avoid", "hashtags", "summary"):
            setattr(locked, name, getattr(fields, name))
        locked.hashtags = " ".join(_hashtags(fields.hashtags))
        locked.save(update_fields=["core_message", "say", "avoid", "hashtags", "summary"])
        locked.items.all().delete()
        MessageItem.objects.bulk_create(
            MessageItem(version=locked, position=position, **vars(item)) for position, item in enumerate(items)
        )
        record(organization=locked.house.organization, actor=actor, action="message_house.draft_edited", target=locked,
               data={"items": len(items)})  # fmt: skip
    version.refresh_from_db()


def _hashtags(value: str) -> list[str]:
    tags = []
    for word in value.replace(",", " ").split():
        tag = "#" + word.lstrip("#")
        if len(tag) > 1 and tag not in tags:
            tags.append(tag)
    return tags


def _move_house(
    version: MessageHouseVersion, *, expected: str, actor: User, action: str, data: dict[str, object]
) -> MessageHouseVersion:
    locked = MessageHouseVersion.objects.select_for_update().select_related("house").get(pk=version.pk)
    if locked.status != expected:
        raise ContentRefused(
            _("This version is %(status)s: it cannot be %(action)s.")
            % {"status": locked.get_status_display(), "action": _ACTION_WORDS[action]}
        )
    record(organization=locked.house.organization, actor=actor, action=action, target=locked, data=data)
    return locked


_ACTION_WORDS: dict[str, Promise] = {
    "message_house.submitted": gettext_lazy("submitted for approval"),
    "message_house.approved": gettext_lazy("approved"),
    "message_house.returned": gettext_lazy("returned to its author"),
}


def submit_house_version(*, version: MessageHouseVersion, actor: User) -> None:
    """Ask the communication director to approve a draft."""
    with transaction.atomic():
        locked = _move_house(
            version, expected=MessageHouseVersion.Status.DRAFT, actor=actor, action="message_house.submitted", data={}
        )
        if not locked.items.filter(kind=MessageItem.Kind.KEY_MESSAGE).exists():
            raise ContentRefused(_("Add at least one key message before submitting the message house."))
        locked.status = MessageHouseVersion.Status.IN_REVIEW
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at"])
    version.refresh_from_db()


def approve_house_version(*, version: MessageHouseVersion, actor: User) -> None:
    """Approve a version in review: ambassadors see it from now on, instead of the previous one."""
    with transaction.atomic():
        locked = _move_house(version, expected=MessageHouseVersion.Status.IN_REVIEW, actor=actor,
                             action="message_house.approved", data={"number": version.number})  # fmt: skip
        MessageHouseVersion.objects.filter(house=locked.house, status=MessageHouseVersion.Status.APPROVED).update(
            status=MessageHouseVersion.Status.SUPERSEDED
        )
        locked.status = MessageHouseVersion.Status.APPROVED
        locked.approved_by = actor
        locked.approved_at = timezone.now()
        locked.save(update_fields=["status", "approved_by", "approved_at"])
    version.refresh_from_db()


def return_house_version(*, version: MessageHouseVersion, actor: User, reason: str) -> None:
    """Send a version in review back to draft, saying why."""
    if not reason.strip():
        raise ContentRefused(_("Say what must change before returning the message house."))
    with transaction.atomic():
        locked = _move_house(version, expected=MessageHouseVersion.Status.IN_REVIEW, actor=actor,
                             action="message_house.returned", data={"reason": reason.strip()})  # fmt: skip
        locked.status = MessageHouseVersion.Status.DRAFT
        locked.save(update_fields=["status"])
    version.refresh_from_db()


# Content library -----------------------------------------------------------------------------


@dataclass(frozen=True)
class VariantData:
    language: str
    level: str
    text: str
    network_texts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ContentData:
    topic: Topic
    title: str
    networks: Sequence[Network]
    variants: Sequence[VariantData]
    message: MessageItem | None = None
    link: str = ""
    image: UploadedFile[bytes] | None = None
    remove_image: bool = False
    image_alt: str = ""
    hashtags: str = ""
    populations: Sequence[Population] = ()
    is_for_topic_followers_only: bool = False
    visible_from: datetime.datetime | None = None
    visible_until: datetime.datetime | None = None


def post_length(network: Network, text: str, link: str) -> int:
    """The post's length as the network counts it, with the link where the share page adds it."""
    if link and network in NETWORKS_WITH_LINK_IN_TEXT and link not in text:
        text = f"{text} {link}"
    return text_length(network, text)


def length_problems(data: ContentData) -> list[str]:
    """Each text over a network's limit, named by its variant and network."""
    problems = []
    for variant in data.variants:
        for network in data.networks:
            text = variant.network_texts.get(network.value) or variant.text
            length, limit = post_length(network, text, data.link), NETWORKS[network].text_limit
            if length > limit:
                problems.append(_length_problem(variant, network, length, limit))
    return problems


def _length_problem(variant: VariantData, network: Network, length: int, limit: int) -> str:
    values = {
        "language": variant.language.upper(),
        "level": Level(variant.level).label,
        "network": network.label,
        "length": length,
        "over": length - limit,
        "limit": limit,
    }
    return (
        _("%(language)s, %(level)s, %(network)s: %(length)s characters, %(over)s over the limit of %(limit)s.") % values
    )


def _problems(data: ContentData) -> list[str]:
    problems = length_problems(data)
    if data.image and not data.image_alt.strip():
        problems.append(_("Image: describe it in the alternative text, for people who cannot see it."))
    if data.visible_from and data.visible_until and data.visible_until <= data.visible_from:
        problems.append(_("Expiry: it must come after the embargo."))
    if any(v.language not in Language.values or v.level not in Level.values for v in data.variants):
        problems.append(_("Variants: choose a language and a level of discourse from the lists."))
    keys = [(variant.language, variant.level) for variant in data.variants]
    if not keys:
        problems.append(_("Variants: write the text in at least one language."))
    if len(set(keys)) != len(keys):
        problems.append(_("Variants: two variants have the same language and level."))
    if not data.networks:
        problems.append(_("Networks: choose at least one network."))
    if not data.link and {Network.LINKEDIN, Network.FACEBOOK} & set(data.networks):
        problems.append(_("Link: LinkedIn's and Facebook's share pages take only a link; add one or leave them out."))
    if data.message is not None and data.message.version.house.topic_id != data.topic.pk:
        problems.append(_("Key message: it belongs to another topic's message house."))
    return problems


def save_content(
    *, organization: Organization, actor: User, data: ContentData, item: ContentItem | None = None
) -> ContentItem:
    """Create a suggested post as a draft, or change a draft; every text is checked on the way in."""
    problems = _problems(data)
    if problems:
        raise ContentRefused(" ".join(problems))
    with transaction.atomic():
        if item is None:
            item = ContentItem(organization=organization, created_by=actor)
        elif not ContentItem.objects.select_for_update().filter(pk=item.pk, status=ContentItem.Status.DRAFT).exists():
            raise ContentRefused(_("Only a draft can be edited: return it to draft first."))
        _fill(item, data)
        item.save()
        item.populations.set(data.populations)
        item.variants.all().delete()
        for variant in data.variants:
            _save_variant(item, variant)
        record(organization=organization, actor=actor, action="content.saved", target=item,
               data={"variants": len(data.variants)})  # fmt: skip
    return item


def _fill(item: ContentItem, data: ContentData) -> None:
    for name in (
        "topic",
        "title",
        "message",
        "link",
        "image_alt",
        "is_for_topic_followers_only",
        "visible_from",
        "visible_until",
    ):
        setattr(item, name, getattr(data, name))
    item.networks = ",".join(network.value for network in data.networks)
    item.hashtags = " ".join(_hashtags(data.hashtags))
    if data.image is not None:
        item.image = data.image
    elif data.remove_image:
        item.image = None
        item.image_alt = ""
    item.updated_at = timezone.now()


def _save_variant(item: ContentItem, data: VariantData) -> ContentVariant:
    own_texts = {key: value for key, value in data.network_texts.items() if value.strip()}
    variant = ContentVariant(
        item=item, language=data.language, level=data.level, text=data.text, network_texts=own_texts
    )
    reports = [
        check_library_text(item.organization, variant.text_for(network), data.language) for network in item.network_list
    ]
    checked = [report for report in reports if report is not None]
    variant.findings_count = sum(len(report.findings) for report in checked)
    variant.outcome = _worst(checked)
    variant.save()
    return variant


_OUTCOME_ORDER = ["fine", "careful", "ask_communication_team", "do_not_publish"]


def _worst(reports: Sequence[checking.CheckReport]) -> str:
    outcomes = [report.outcome.value for report in reports]
    return max(outcomes, key=_OUTCOME_ORDER.index, default="")


def check_library_text(organization: Organization, text: str, language: str) -> checking.CheckReport | None:
    """A suggested text checked with the ambassador scope, as ambassadors will be; not counted in statistics.

    `language` is the reader's: the findings' messages and suggestions are written in it.
    """
    version = policy_services.active_version(organization)
    if version is None or not text.strip():
        return None
    return checking.check_with_policy(
        text, policy_services.compiled_policy(version), date=timezone.localdate(), scope=Scope.AMBASSADORS,
        language=language, policy_version=version.number,
    )  # fmt: skip


_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "submitted": ({ContentItem.Status.DRAFT}, ContentItem.Status.IN_REVIEW),
    "approved": ({ContentItem.Status.IN_REVIEW}, ContentItem.Status.APPROVED),
    "returned": ({ContentItem.Status.IN_REVIEW, ContentItem.Status.APPROVED}, ContentItem.Status.DRAFT),
    "published": ({ContentItem.Status.APPROVED}, ContentItem.Status.PUBLISHED),
    "expired": ({ContentItem.Status.PUBLISHED}, ContentItem.Status.EXPIRED),
}


def move_content(*, item: ContentItem, actor: User, event: str, comment: str = "") -> None:
    """Move a suggested post along its workflow, with an optional comment kept in its thread.

    Approval is refused while a text blocks or is too long; returning needs a comment.
    """
    sources, target = _TRANSITIONS[event]
    with transaction.atomic():
        locked = ContentItem.objects.select_for_update().get(pk=item.pk)
        if locked.status not in sources:
            raise ContentRefused(
                _("This post is %(status)s: it cannot move to %(target)s.")
                % {"status": locked.get_status_display(), "target": ContentItem.Status(target).label}
            )
        if event == "returned" and not comment.strip():
            raise ContentRefused(_("Say what must change before returning the post."))
        if event == "approved":
            _check_approvable(locked)
        now = timezone.now()
        locked.status = target
        changed = ["status", "updated_at"]
        if event == "approved":
            locked.approved_by, locked.approved_at = actor, now
            changed += ["approved_by", "approved_at"]
        if event == "published":
            locked.published_at = now
            changed.append("published_at")
        locked.updated_at = now
        locked.save(update_fields=changed)
        ContentComment.objects.create(item=locked, author=actor, event=event, body=comment.strip(), created_at=now)
        record(organization=locked.organization, actor=actor, action=f"content.{event}", target=locked,
               data={"comment": comment.strip()} if comment.strip() else None)  # fmt: skip
    item.refresh_from_db()


def _check_approvable(item: ContentItem) -> None:
    variants = list(item.variants.all())
    if any(variant.outcome == "do_not_publish" for variant in variants):
        raise ContentRefused(_("A text of this post has a finding that blocks: correct it before approving."))
    data = ContentData(
        topic=item.topic, title=item.title, networks=item.network_list, link=item.link,
        variants=[VariantData(v.language, v.level, v.text, v.network_texts) for v in variants],
    )  # fmt: skip
    problems = length_problems(data)
    if problems:
        raise ContentRefused(" ".join(problems))


def comment_content(*, item: ContentItem, actor: User, body: str) -> ContentComment:
    if not body.strip():
        raise ContentRefused(_("Write a comment first."))
    return ContentComment.objects.create(item=item, author=actor, body=body.strip())


def expire_content(*, now: datetime.datetime | None = None) -> int:
    """Mark published posts past their expiry as expired (the feed hides them at once anyway)."""
    moment = now or timezone.now()
    expired = ContentItem.objects.filter(status=ContentItem.Status.PUBLISHED, visible_until__lte=moment)
    return expired.update(status=ContentItem.Status.EXPIRED, updated_at=moment)


def set_similarity_threshold(*, organization: Organization, actor: User, threshold: int) -> None:
    if not 10 <= threshold <= 100:
        raise ContentRefused(_("Similarity threshold: give a percentage between 10 and 100."))
    with transaction.atomic():
        content_settings, _created = ContentSettings.objects.select_for_update().get_or_create(
            organization=organization
        )
        content_settings.similarity_threshold = threshold
        content_settings.save(update_fields=["similarity_threshold"])
        record(
            organization=organization, actor=actor, action="content.threshold_changed", data={"threshold": threshold}
        )


def pause_for_crisis(*, crisis: Crisis, **_kwargs: object) -> str:
    """What a crisis does to the ambassador side, for its timeline (in the organisation's language).

    Nothing is written: the feed and the share service read the crisis switch themselves, so
    lifting it restores the feed as it was. Says nothing when there is no suggested post.
    """
    now = timezone.now()
    visible = ContentItem.objects.filter(organization=crisis.organization, status=ContentItem.Status.PUBLISHED).filter(
        Q(visible_until__isnull=True) | Q(visible_until__gt=now)
    )
    hidden = visible.count()
    if not hidden:
        return ""  # an organisation without suggested posts has nothing to report
    with translation.override(crisis.organization.default_language or "fr"):
        return ngettext(
            "Ambassador feed replaced by the holding statement: %(count)s suggested post hidden, shares refused.",
            "Ambassador feed replaced by the holding statement: %(count)s suggested posts hidden, shares refused.",
            hidden,
        ) % {"count": hidden}
