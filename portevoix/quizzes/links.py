"""The quiz's links on the guidelines pages, registered with the guidelines' extension point."""

from django.urls import reverse
from django.utils.translation import gettext as _

from portevoix.accounts.models import User
from portevoix.accounts.roles import Permission
from portevoix.guidelines import selectors as guidelines
from portevoix.guidelines.extensions import ExtraLink, add_link_provider
from portevoix.guidelines.models import GuidelinesVersion
from portevoix.quizzes.selectors import quiz_of


def take_link(user: User, version: GuidelinesVersion) -> ExtraLink | None:
    """On the reading page: the quiz of a published version, for the people it targets."""
    if not version.is_published or not guidelines.is_targeted(user, guidelines.audience_of(version)):
        return None
    if quiz_of(version) is None:
        return None
    return ExtraLink(label=_("Take the quiz"), url=reverse("quizzes:quiz-take", args=[version.number]))


def results_link(user: User, version: GuidelinesVersion) -> ExtraLink | None:
    """On the completion dashboard: the quiz results, for the roles that see them."""
    if not user.can(Permission.VIEW_GUIDELINES_ADMIN) or quiz_of(version) is None:
        return None
    return ExtraLink(label=_("Quiz results"), url=reverse("quizzes:quiz-results", args=[version.number]))


def register() -> None:
    add_link_provider("reading", take_link)
    add_link_provider("completion", results_link)
