from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmbassadorsConfig(AppConfig):
    name = "portevoix.ambassadors"
    verbose_name = _("Ambassador programme")

    def ready(self) -> None:
        from portevoix.people.signals import people_imported

        people_imported.connect(_rerun_population_rules, dispatch_uid="ambassadors.rerun_population_rules")


def _rerun_population_rules(sender: object, *, organization: Any, **kwargs: Any) -> None:
    """An import changed the directory: the population rules run again, in the background."""
    from portevoix.ambassadors import tasks
    from portevoix.jobs.enqueue import enqueue_on_commit

    enqueue_on_commit(tasks.apply_population_rules_task, organization.pk)
