import datetime

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "portevoix.channels"
    verbose_name = _("Channels")

    def ready(self) -> None:
        from portevoix.channels.services import freeze_for_crisis
        from portevoix.channels.tasks import (
            forget_abandoned_connections_task,
            refresh_expiring_tokens_task,
            sweep_outbox_task,
            warn_expiring_tokens_task,
        )
        from portevoix.crisis.signals import crisis_started
        from portevoix.jobs.periodic import register_periodic

        # The crisis app offers this signal so that a freeze commits or rolls back with the switch.
        crisis_started.connect(freeze_for_crisis, dispatch_uid="channels.freeze_for_crisis")
        register_periodic(
            name="channels.sweep",
            every=datetime.timedelta(seconds=settings.CHANNELS_SWEEP_SECONDS),
            task=sweep_outbox_task,
        )
        register_periodic(
            name="channels.token_expiry", every=datetime.timedelta(hours=6), task=warn_expiring_tokens_task
        )
        # Often enough to renew X's and Bluesky's two-hour tokens in the last half hour (see refresh.RENEW_AHEAD).
        register_periodic(
            name="channels.token_refresh", every=datetime.timedelta(minutes=10), task=refresh_expiring_tokens_task
        )
        register_periodic(
            name="channels.abandoned_connections",
            every=datetime.timedelta(hours=1),
            task=forget_abandoned_connections_task,
        )
