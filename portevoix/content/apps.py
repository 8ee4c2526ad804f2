import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "portevoix.content"
    verbose_name = _("Content and sharing")

    def ready(self) -> None:
        from portevoix.content.tasks import expire_content_task
        from portevoix.jobs.periodic import register_periodic

        register_periodic(name="content.expire", every=datetime.timedelta(minutes=15), task=expire_content_task)
