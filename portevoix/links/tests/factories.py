"""Tracked links built through the real service."""

import datetime

from portevoix.accounts.models import Organization, User
from portevoix.links import services
from portevoix.links.models import TrackedLink


def make_link(
    organization: Organization,
    *,
    owner: User | None = None,
    target_url: str = "https://acme.example/news/solar?ref=home",
    campaign: str = "solar-2026",
    expires_at: datetime.datetime | None = None,
) -> TrackedLink:
    return services.create_tracked_link(
        organization=organization,
        target_url=target_url,
        utm_source="linkedin",
        utm_medium="ambassador",
        utm_campaign=campaign,
        utm_content="share-1",
        owner=owner,
        label="Solar news",
        expires_at=expires_at,
    )
