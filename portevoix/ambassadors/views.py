"""The ambassador programme: everyone's own participation and invitations, and the pages that run it.

A person sees only their own profile, choices and invitations (another person's invitation link is
a 404); the programme's pages need VIEW_AMBASSADOR_PROGRAMME to read and MANAGE_AMBASSADOR_PROGRAMME
to change anything. Everything is scoped to the viewer's organisation.
"""

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portevoix.accounts.models import User
from portevoix.accounts.permissions import authenticated_request, login_required
from portevoix.accounts.roles import Permission, Role
from portevoix.ambassadors import invitations, population_views, programme_views, selectors, services
from portevoix.ambassadors.forms import AcceptForm, LeaveForm, ProfileForm
from portevoix.ambassadors.models import Invitation, Topic
from portevoix.ambassadors.terms import joining_terms
from portevoix.lib.networks import Network


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    context: dict[str, object] = {
        "nav": "ambassadors",
        "is_ambassador": user.has_role(Role.AMBASSADOR),
        "topics": selectors.topics_of(user),
        "invitations": selectors.pending_invitations(user),
    }
    if user.can(Permission.VIEW_AMBASSADOR_PROGRAMME):
        matrix = selectors.coverage_matrix(organization=user.organization)
        context["matrix"] = matrix
        context["ambassador_count"] = selectors.ambassadors_of(organization=user.organization).count()
        context["missing_count"] = sum(row.missing for row in matrix.rows)
    return render(request, "ambassadors/ambassadors_index.html", context)


def _topic_choices(user: User) -> QuerySet[Topic] | None:
    if not user.has_role(Role.AMBASSADOR):
        return None
    return Topic.objects.filter(organization=user.organization, is_active=True).order_by("name")


def _profile_initial(user: User) -> dict[str, object]:
    profile = selectors.profile_of(user)
    if profile is None:
        return {"posting_languages": user.language_list}
    initial: dict[str, object] = {
        "topics": selectors.topics_of(user),
        "expertise": profile.expertise,
        "posting_languages": profile.posting_language_list,
        "is_interested": profile.is_interested,
    }
    for presence in selectors.declared_networks(user):
        initial |= {
            f"{presence.network}_present": True,
            f"{presence.network}_handle": presence.handle,
            f"{presence.network}_audience": presence.audience,
        }
        if presence.network == Network.MASTODON:
            initial["mastodon_instance"] = presence.instance
    return initial


@never_cache
@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    form = ProfileForm(request.POST or None, initial=_profile_initial(user), topics=_topic_choices(user))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(
                person=user,
                expertise=form.cleaned_data["expertise"],
                posting_languages=form.cleaned_data["posting_languages"],
                is_interested=form.cleaned_data["is_interested"],
                networks=form.declarations(),
                topics=list(form.cleaned_data["topics"]) if "topics" in form.fields else None,
            )
        except services.ProgrammeRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Your ambassador profile is saved."))
            return redirect("ambassadors:profile")
    return render(request, "ambassadors/profile_edit.html", _profile_context(user, form, LeaveForm()))


def _profile_context(user: User, form: ProfileForm, leave_form: LeaveForm) -> dict[str, object]:
    return {
        "nav": "ambassadors",
        "form": form,
        "leave_form": leave_form,
        "is_ambassador": user.has_role(Role.AMBASSADOR),
        "topics": selectors.topics_of(user),
        "invitations": selectors.pending_invitations(user),
        "history": selectors.consent_history(user),
    }


@require_POST
@login_required
def leave(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    form = LeaveForm(request.POST)
    if not form.is_valid():
        profile_form = ProfileForm(initial=_profile_initial(user), topics=_topic_choices(user))
        context = _profile_context(user, profile_form, form)
        return render(request, "ambassadors/profile_edit.html", context, status=400)
    try:
        invitations.leave_programme(
            person=user, reason=form.cleaned_data["reason"], deletes_profile=form.cleaned_data["deletes_profile"]
        )
    except services.ProgrammeRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("You left the ambassador programme. Thank you for what you did."))
    return redirect("ambassadors:profile")


@never_cache
@login_required
def invitation_answer(request: HttpRequest, token: str) -> HttpResponse:
    user = authenticated_request(request).user
    invitation = selectors.get_invitation_for_invitee(user=user, token=token)
    form = AcceptForm(request.POST if request.POST.get("answer") == "accept" else None)
    if request.method == "POST" and invitation.status == Invitation.Status.PENDING:
        answer = request.POST.get("answer")
        if answer == "decline" or (answer == "accept" and form.is_valid()):
            return _answer(request, invitation, user, answer)
    context = {"nav": "ambassadors", "invitation": invitation, "form": form, "terms": joining_terms()}
    return render(request, "ambassadors/invitation_answer.html", context, status=400 if form.errors else 200)


def _answer(request: HttpRequest, invitation: Invitation, user: User, answer: str) -> HttpResponse:
    try:
        if answer == "accept":
            invitations.accept_invitation(invitation=invitation, person=user)
            messages.success(request, _("Welcome to the ambassador programme!"))
        else:
            invitations.decline_invitation(invitation=invitation, person=user)
            messages.success(request, _("You declined the invitation. Nothing else changes."))
    except services.ProgrammeRefused as refused:
        messages.error(request, str(refused))
    return redirect("ambassadors:profile")


app_name = "ambassadors"
urlpatterns = [
    path("", index, name="index"),
    path("me/", profile_edit, name="profile"),
    path("me/leave/", leave, name="leave"),
    path("invitations/<str:token>/", invitation_answer, name="invitation"),
    *programme_views.urlpatterns,
    *population_views.urlpatterns,
]
