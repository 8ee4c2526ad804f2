from django.db.models import Exists, OuterRef

from portevoix.accounts.models import Organization
from portevoix.crisis.models import Crisis


def active_crisis(organization: Organization | int) -> Crisis | None:
    """The crisis on in this organisation now, if any."""
    return Crisis.objects.filter(organization=organization, ended_at__isnull=True).first()


def crisis_is_on() -> Exists:
    """An expression, for a queryset of rows with an `organization` field: a crisis is on there.

    For conditions checked in the same statement as a write (a publishing claim, for instance).
    """
    return Exists(Crisis.objects.filter(organization=OuterRef("organization"), ended_at__isnull=True))
