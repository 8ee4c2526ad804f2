import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidelinesConfig(AppConfig):
    name = "portevoix.guidelines"
    verbose_name = _("Guidelines")

    def ready(self) -> None:
        from portevoix.guidelines.tasks import send_scheduled_reminders_task
        from portevoix.jobs.periodic import register_periodic

        register_periodic(
            name="guidelines.reminders", every=datetime.timedelta(hours=1), task=send_scheduled_reminders_task
        )
