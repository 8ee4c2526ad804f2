import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "portevoix.inbox"
    verbose_name = _("Inbox")

    def ready(self) -> None:
        from portevoix.inbox.tasks import pull_inboxes_task
        from portevoix.jobs.periodic import register_periodic

        register_periodic(name="inbox.pull", every=datetime.timedelta(minutes=2), task=pull_inboxes_task)
