"""Reads about channels and the outbox, scoped by organisation."""

from collections.abc import Iterable

from django.db.models import QuerySet

from portevoix.channels.models import Dispatch


def dispatches_for_sources(source_keys: Iterable[str]) -> QuerySet[Dispatch]:
    """Dispatches of these source keys (on any channel), with their channel, for the apps that created them.

    Source keys are namespaced by the app that makes them (e.g. "post:42:variant:7"), so callers
    see only their own; callers scope by organisation through the objects the keys name.
    """
    return Dispatch.objects.filter(source_key__in=list(source_keys)).select_related("channel")
