import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "portevoix.content"
    verbose_name = _("Content and sharing")

    def ready(self) -> None:
        from portevoix.content.services import pause_for_crisis
        from portevoix.content.tasks import expire_content_task
        from portevoix.crisis.signals import crisis_started
        from portevoix.jobs.periodic import register_periodic

        # The crisis app's own contract: its timeline keeps what each layer says it did.
        crisis_started.connect(pause_for_crisis, dispatch_uid="content.pause_for_crisis")
        register_periodic(name="content.expire", every=datetime.timedelta(minutes=15), task=expire_content_task)
