"""How the editor's pages save: from the version each page was built from, never from a newer one.

Every editing page carries the number of the version it showed (hidden field `based_on`). A save
builds the new version from that version and asks `services.save_version` to refuse it if
another was saved since: two officers editing at once never silently undo each other's change.
"""

import dataclasses
import re

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance_engine.model import Policy
from compliance_engine.policyfile import dumps
from portevoix.accounts.permissions import authenticated_request
from portevoix.policies import selectors, services
from portevoix.policies.models import PolicyVersion

EMPTY_POLICY = Policy(clauses=())


@dataclasses.dataclass(frozen=True)
class EditingBase:
    """The version a page was built from and its policy; number 0 before the first version."""

    version: PolicyVersion | None
    policy: Policy

    @property
    def number(self) -> int:
        return self.version.number if self.version is not None else 0


def base_of(version: PolicyVersion | None) -> EditingBase:
    return EditingBase(version=version, policy=services.policy_of(version) if version is not None else EMPTY_POLICY)


def editing_base(request: HttpRequest) -> EditingBase:
    """A page shows the newest version; a save starts from the version its page showed."""
    user = authenticated_request(request).user
    if request.method != "POST":
        return base_of(services.latest_version(user.organization))
    number = request.POST.get("based_on", "")
    if not re.fullmatch(r"[0-9]{1,9}", number):
        raise BadRequest("The page did not say which policy version it was built from.")
    return base_of(selectors.get_version_for_user(user=user, number=int(number)) if int(number) else None)


def save_change(
    request: HttpRequest,
    *,
    base: EditingBase,
    policy: Policy | str,
    summary: str,
    next_step: str,
    done: str = "",
    form: forms.Form | None = None,
) -> HttpResponse | EditingBase:
    """Save a policy (or a policy file's text) changed from `base` and go to the new version, saying `done` first.

    Refused, the result is the base the page should now start from: the newest version after a
    conflict (a message says what came since, then `next_step`), else the same one, with the
    reason among the form's errors if there is a form, else in a message.
    """
    user = authenticated_request(request).user
    source = policy if isinstance(policy, str) else dumps(policy)
    try:
        version = services.save_version(
            organization=user.organization, actor=user, source=source, summary=summary, based_on=base.number
        )
    except services.VersionConflict as conflict:
        messages.error(request, conflict_notice(conflict, next_step))
        return base_of(conflict.newest)
    except services.PolicyRefused as refused:
        if form is not None:
            form.add_error(None, str(refused))
        else:
            messages.error(request, str(refused))
        return base
    if done:
        messages.success(request, done)
    _say_saved(request, version)
    return redirect("policy:version", number=version.number)


def conflict_notice(conflict: services.VersionConflict, next_step: str) -> SafeString:
    """Who saved what meanwhile, a link to the changes since the page's version, and what to do now."""
    newest = conflict.newest
    count = newest.number - conflict.based_on
    values = {
        "count": count,
        "number": newest.number,
        "author": newest.created_by.full_name if newest.created_by else _("the command line"),
        "when": formats.date_format(timezone.localtime(newest.created_at), "SHORT_DATETIME_FORMAT"),
    }
    saved = ngettext(
        "Your change is not saved: version %(number)s was saved meanwhile, on %(when)s by %(author)s.",
        "Your change is not saved: %(count)s versions were saved meanwhile, the latest, version %(number)s, "
        "on %(when)s by %(author)s.",
        count,
    )
    changes = reverse("policy:version-diff", args=[newest.number])
    if conflict.based_on:
        changes += f"?against={conflict.based_on}"
    # A new tab, so that reading the changes never leaves the page holding what the person typed.
    return format_html(
        '{} <a href="{}" target="_blank" rel="noopener">{}</a> {}',
        saved % values,
        changes,
        _("See what changed since version %(base)s (opens in a new tab).") % {"base": conflict.based_on}
        if conflict.based_on
        else _("See what changed (opens in a new tab)."),
        next_step % values,
    )


def _say_saved(request: HttpRequest, version: PolicyVersion) -> None:
    if version.tests_failed:
        messages.warning(
            request,
            ngettext(
                "Version %(number)s is saved, but %(failed)s test case fails: it cannot be published until it passes.",
                "Version %(number)s is saved, but %(failed)s test cases fail: it cannot be published until they pass.",
                version.tests_failed,
            )
            % {"number": version.number, "failed": version.tests_failed},
        )
    else:
        messages.success(
            request,
            ngettext(
                "Version %(number)s is saved and its %(passed)s test case passes.",
                "Version %(number)s is saved and its %(passed)s test cases pass.",
                version.tests_passed,
            )
            % {"number": version.number, "passed": version.tests_passed},
        )
