"""Readable names for the actions recorded in the audit log; the stored code stays the reference."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    "ambassador.campaign_sent": _("Ambassador invitation campaign sent"),
    "ambassador.invitation_accepted": _("Ambassador invitation accepted"),
    "ambassador.invitation_declined": _("Ambassador invitation declined"),
    "ambassador.invited": _("Invited to the ambassador programme"),
    "ambassador.left": _("Left the ambassador programme"),
    "ambassador.profile_updated": _("Ambassador profile declared"),
    "ambassador.removed": _("Removed from the ambassador programme"),
    "ambassador.topic_changed": _("Ambassador topic changed"),
    "ambassador.topic_created": _("Ambassador topic created"),
    "api_token.created": _("API token created"),
    "api_token.revoked": _("API token revoked"),
    "ask.answered": _("Request to the communication team answered"),
    "ask.assigned": _("Request to the communication team taken"),
    "ask.closed": _("Request to the communication team closed"),
    "ask.opened": _("Request to the communication team opened"),
    "ask.replied": _("Reply on a request to the communication team"),
    "demo.loaded": _("Demo company loaded"),
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
    "population.created": _("Population added"),
    "population.rule_added": _("Population rule added"),
    "population.rule_deleted": _("Population rule removed"),
    "population.rules_applied": _("Population rules applied"),
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
