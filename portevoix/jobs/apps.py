import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "portevoix.jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # Periodic jobs are registered here, explicitly, one line each: no signals, no discovery.
        from portevoix.jobs.periodic import register_periodic
        from portevoix.jobs.tasks import prune_finished_jobs

        register_periodic(name="jobs.prune", every=datetime.timedelta(hours=1), task=prune_finished_jobs)
