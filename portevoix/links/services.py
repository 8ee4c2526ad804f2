"""Tracked links: create one per share, deactivate, and the redirect's lookup.

A link's target is stored with its UTM tags already merged in, so the redirect only reads it.
"""

import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Organization, User
from portevoix.audit.services import record
from portevoix.links import cache
from portevoix.links.models import TrackedLink, new_code

UTM_MAX_LENGTH = 100
TARGET_MAX_LENGTH = 2000
_url_validator = URLValidator(schemes=["http", "https"])


class InvalidLink(ValueError):
    """A link that cannot be made; the message says which field and why, for the person."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def create_tracked_link(
    *,
    organization: Organization,
    target_url: str,
    utm_source: str,
    utm_medium: str,
    utm_campaign: str,
    utm_content: str = "",
    owner: User | None = None,
    label: str = "",
    expires_at: datetime.datetime | None = None,
) -> TrackedLink:
    """A new short link to `target_url` with the UTM tags merged into its query string.

    The target keeps its own parameters (a UTM tag it already has is replaced by ours); only
    http and https targets are accepted. Raises InvalidLink naming the field at fault.
    """
    if owner is not None and owner.organization_id != organization.pk:
        raise InvalidLink("owner", _("The person sharing the link belongs to another organisation."))
    tags = _clean_tags(
        {"utm_source": utm_source, "utm_medium": utm_medium, "utm_campaign": utm_campaign, "utm_content": utm_content}
    )
    target = tagged_url(_clean_target(target_url), tags)
    if len(target) > TARGET_MAX_LENGTH:
        raise InvalidLink(
            "target_url",
            _("The address is too long once tagged (%(limit)d characters at most).") % {"limit": TARGET_MAX_LENGTH},
        )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                link = TrackedLink.objects.create(
                    organization=organization,
                    code=new_code(),
                    target_url=target,
                    owner=owner,
                    label=label[:200],
                    expires_at=expires_at,
                    **tags,
                )
        except IntegrityError:
            continue  # two links drew the same code: 1 chance in 10^17, but never fail for it
        return link
    raise RuntimeError("could not draw a free link code")


def _clean_target(target_url: str) -> str:
    target = target_url.strip()
    if not target:
        raise InvalidLink("target_url", _("Give the address the link leads to."))
    try:
        _url_validator(target)
    except ValidationError:
        raise InvalidLink(
            "target_url",
            _("“%(url)s” is not a web address: it must start with http:// or https://.") % {"url": target[:200]},
        ) from None
    return target


def _clean_tags(tags: dict[str, str]) -> dict[str, str]:
    cleaned = {name: value.strip() for name, value in tags.items()}
    for name in ("utm_source", "utm_medium", "utm_campaign"):
        if not cleaned[name]:
            raise InvalidLink(name, _("The tag %(name)s is required.") % {"name": name})
    for name, value in cleaned.items():
        if len(value) > UTM_MAX_LENGTH:
            raise InvalidLink(
                name,
                _("The tag %(name)s is too long (%(limit)d characters at most).")
                % {"name": name, "limit": UTM_MAX_LENGTH},
            )
    return cleaned


def tagged_url(target_url: str, tags: dict[str, str]) -> str:
    """`target_url` with the non-empty `tags` set in its query string, its own parameters and fragment kept."""
    parts = urlsplit(target_url)
    kept = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key not in tags]
    added = [(key, value) for key, value in tags.items() if value]
    return urlunsplit(parts._replace(query=urlencode(kept + added)))


def deactivate_link(*, link: TrackedLink, actor: User) -> None:
    """Stop a link: visitors see a page saying it no longer leads anywhere. Clicks are kept."""
    with transaction.atomic():
        updated = TrackedLink.objects.filter(pk=link.pk, is_active=True).update(
            is_active=False, deactivated_at=timezone.now()
        )
        if updated:
            record(organization=link.organization, actor=actor, action="link.deactivated", target=link)
    link.refresh_from_db(fields=["is_active", "deactivated_at"])
    _forget(link)


def reactivate_link(*, link: TrackedLink, actor: User) -> None:
    """Let a deactivated link redirect again."""
    with transaction.atomic():
        updated = TrackedLink.objects.filter(pk=link.pk, is_active=False).update(is_active=True, deactivated_at=None)
        if updated:
            record(organization=link.organization, actor=actor, action="link.reactivated", target=link)
    link.refresh_from_db(fields=["is_active", "deactivated_at"])
    _forget(link)


def _forget(link: TrackedLink) -> None:
    # At once for this process, and again after commit in case a click re-cached the old state.
    cache.forget(link.code)
    transaction.on_commit(lambda: cache.forget(link.code))
