"""Readable names for the actions recorded in the audit log; the stored code stays the reference."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    "api_token.created": _("API token created"),
    "api_token.revoked": _("API token revoked"),
    "ask.answered": _("Request to the communication team answered"),
    "ask.assigned": _("Request to the communication team taken"),
    "ask.closed": _("Request to the communication team closed"),
    "ask.opened": _("Request to the communication team opened"),
    "ask.replied": _("Reply on a request to the communication team"),
    "channel.connected": _("Channel connected"),
    "channel.demo_created": _("Demo channel added"),
    "channel.disconnected": _("Channel disconnected"),
    "demo.loaded": _("Demo company loaded"),
    "dispatch.cancelled": _("Scheduled post cancelled"),
    "dispatch.frozen": _("Scheduled posts frozen by a crisis"),
    "dispatch.marked_published": _("Unconfirmed post marked as published"),
    "dispatch.rescheduled": _("Post scheduled again"),
    "demo.seeded": _("Large organisation generated"),
    "guidelines.acknowledged": _("Guidelines acknowledged"),
    "guidelines.acknowledgements_imported": _("Guidelines acknowledgements imported"),
    "guidelines.archived": _("Guidelines version archived"),
    "guidelines.clause_removed": _("Guidelines clause removed"),
    "guidelines.clause_saved": _("Guidelines clause saved"),
    "guidelines.draft_created": _("Guidelines draft created"),
    "guidelines.draft_edited": _("Guidelines draft edited"),
    "guidelines.exported": _("Guidelines acknowledgements exported"),
    "guidelines.published": _("Guidelines version published"),
    "guidelines.reminders_requested": _("Guidelines reminders sent from the dashboard"),
    "incident.action_added": _("Incident action added"),
    "incident.action_done": _("Incident action done"),
    "incident.closed": _("Incident closed"),
    "incident.created": _("Incident recorded"),
    "incident.status_changed": _("Incident status changed"),
    "incident.updated": _("Incident edited"),
    "incidents.exported": _("Incident register exported"),
    "people.imported": _("People imported"),
    "person.created": _("Person added"),
    "person.populations_changed": _("Populations changed"),
    "person.roles_changed": _("Roles changed"),
    "policy.archiving_changed": _("Draft archiving changed"),
    "policy.published": _("Policy version published"),
    "policy.version_saved": _("Policy version saved"),
    "quiz.attempt_failed": _("Guidelines quiz attempt failed"),
    "quiz.attempt_passed": _("Guidelines quiz attempt passed"),
    "quiz.copied": _("Guidelines quiz copied from the previous version"),
    "quiz.created": _("Guidelines quiz added"),
    "quiz.edited": _("Guidelines quiz settings changed"),
    "quiz.imported": _("Guidelines quiz imported"),
    "quiz.question_removed": _("Guidelines quiz question removed"),
    "quiz.question_saved": _("Guidelines quiz question saved"),
}


def action_label(code: str) -> str:
    """The readable name of an action in the active language, or its code when it has none."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code
