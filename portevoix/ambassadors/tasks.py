"""Background jobs of the programme. Thin and idempotent: each loads rows by id and calls a service."""

from django.tasks import task

from portevoix.ambassadors import invitations, population_rules
from portevoix.jobs.retry import retrying_task


@retrying_task(max_attempts=5)
def send_invitation_task(invitation_id: int) -> None:
    invitations.send_invitation_email(invitation_id=invitation_id)


@task
def apply_population_rules_task(organization_id: int) -> None:
    population_rules.apply_rules_for(organization_id=organization_id)
