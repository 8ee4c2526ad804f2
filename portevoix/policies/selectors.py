"""Reads of policy versions, always through the person's organisation."""

from django.shortcuts import get_object_or_404

from portevoix.accounts.models import User
from portevoix.policies.models import PolicyVersion


def versions_for_user(*, user: User) -> list[PolicyVersion]:
    return list(
        PolicyVersion.objects.filter(organization=user.organization)
        .select_related("created_by", "published_by")
        .defer("source", "test_report")
        .order_by("-number")
    )


def get_version_for_user(*, user: User, number: int) -> PolicyVersion:
    """A version of the person's organisation; another organisation's is a 404."""
    return get_object_or_404(
        PolicyVersion.objects.select_related("created_by", "published_by"),
        organization=user.organization,
        number=number,
    )
