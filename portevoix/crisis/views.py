"""Crisis mode pages (C7): the switch and its confirmation, the timeline, the lift, the notice.

The communication director switches (MANAGE_CRISIS); the communication team reads the timeline
and adds notes (VIEW_CRISIS); everyone in the organisation reads the notice while a crisis is on.
A crisis of another organisation is a 404 (`selectors.get_crisis_for_user`).
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portevoix.accounts.permissions import authenticated_request, login_required, require_permission
from portevoix.accounts.roles import Permission
from portevoix.crisis import notices, selectors, services
from portevoix.crisis.forms import CrisisTextsForm, LiftForm, NoteForm, crisis_forms
from portevoix.crisis.models import Crisis


def _index_context(request: HttpRequest, forms: list[CrisisTextsForm] | None = None) -> dict[str, object]:
    user = authenticated_request(request).user
    return {
        "nav": "crisis",
        "crisis": selectors.active_crisis(user.organization),
        "past": selectors.past_crises(organization=user.organization),
        "can_manage": user.can(Permission.MANAGE_CRISIS),
        "forms": forms or crisis_forms(user.organization),
    }


@never_cache
@require_permission(Permission.VIEW_CRISIS)
def crisis_index(request: HttpRequest) -> HttpResponse:
    return render(request, "crisis/crisis_index.html", _index_context(request))


@require_POST
@require_permission(Permission.MANAGE_CRISIS)
def crisis_start(request: HttpRequest) -> HttpResponse:
    """First post: check the texts and show what will happen; second post (confirmed): switch."""
    user = authenticated_request(request).user
    forms = crisis_forms(user.organization, request.POST)
    if "edit" in request.POST:  # back from the confirmation, the texts as they were
        return render(request, "crisis/crisis_index.html", _index_context(request, forms))
    if not all([form.is_valid() for form in forms]):  # a list: every form shows its errors
        return render(request, "crisis/crisis_index.html", _index_context(request, forms), status=400)
    if "confirmed" not in request.POST:
        preview = selectors.switch_preview(organization=user.organization)
        context = {"nav": "crisis", "forms": forms, "preview": preview}
        return render(request, "crisis/crisis_confirm.html", context)
    main, *others = (form.texts() for form in forms)
    try:
        crisis = services.start_crisis(
            actor=user,
            title=main.title,
            holding_statement=main.holding_statement,
            do_not_comment=main.do_not_comment,
            translations={texts.language: texts for texts in others},
        )
    except services.CrisisError as refused:
        messages.error(request, str(refused))
        return redirect("crisis:index")
    messages.success(request, _("Crisis mode is on. Ambassadors are being notified."))
    return redirect("crisis:detail", crisis_id=crisis.pk)


def _detail_context(request: HttpRequest, crisis: Crisis, **forms: object) -> dict[str, object]:
    user = authenticated_request(request).user
    return {
        "nav": "crisis",
        "crisis": crisis,
        "texts": [crisis.texts(crisis.language), *(crisis.texts(code) for code in crisis.translations)],
        "timeline": selectors.timeline(crisis=crisis),
        "counts": selectors.notice_counts(crisis=crisis),
        "can_lift": crisis.is_active and user.can(Permission.MANAGE_CRISIS),
        "note_form": forms.get("note_form") or NoteForm(),
        "lift_form": forms.get("lift_form") or LiftForm(),
    }


@never_cache
@require_permission(Permission.VIEW_CRISIS)
def crisis_detail(request: HttpRequest, crisis_id: int) -> HttpResponse:
    crisis = selectors.get_crisis_for_user(user=authenticated_request(request).user, crisis_id=crisis_id)
    template = "crisis/crisis_detail.html#timeline" if getattr(request, "htmx", False) else "crisis/crisis_detail.html"
    return render(request, template, _detail_context(request, crisis))


def _submit(form: Form, field: str, action: Callable[[dict[str, Any]], object]) -> bool:
    """Validate the form and run the service; a refusal becomes an error on `field`."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except services.CrisisError as refused:
        form.add_error(field, str(refused))
        return False
    return True


@require_POST
@require_permission(Permission.VIEW_CRISIS)
def note_add(request: HttpRequest, crisis_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    crisis = selectors.get_crisis_for_user(user=user, crisis_id=crisis_id)
    form = NoteForm(request.POST)
    is_added = _submit(form, "text", lambda data: services.add_note(crisis=crisis, actor=user, text=data["text"]))
    if getattr(request, "htmx", False):
        context = _detail_context(request, crisis, note_form=NoteForm() if is_added else form)
        return render(request, "crisis/crisis_detail.html#timeline", context, status=200 if is_added else 400)
    if is_added:
        return redirect("crisis:detail", crisis_id=crisis.pk)
    return render(request, "crisis/crisis_detail.html", _detail_context(request, crisis, note_form=form), status=400)


@require_POST
@require_permission(Permission.MANAGE_CRISIS)
def crisis_lift(request: HttpRequest, crisis_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    crisis = selectors.get_crisis_for_user(user=user, crisis_id=crisis_id)
    form = LiftForm(request.POST)
    if _submit(form, "reason", lambda data: services.lift_crisis(crisis=crisis, actor=user, reason=data["reason"])):
        messages.success(request, _("Crisis mode is lifted. Frozen posts stay frozen until someone reschedules them."))
        return redirect("crisis:detail", crisis_id=crisis.pk)
    return render(request, "crisis/crisis_detail.html", _detail_context(request, crisis, lift_form=form), status=400)


@never_cache
@login_required
def crisis_notice(request: HttpRequest) -> HttpResponse:
    """The crisis notice for every person of the organisation; an ambassador's reading is recorded."""
    user = authenticated_request(request).user
    crisis = selectors.active_crisis(user.organization)
    if crisis is not None:
        notices.mark_notice_read(crisis=crisis, reader=user)
    texts = crisis.texts(get_language() or user.language) if crisis is not None else None
    return render(request, "crisis/crisis_notice.html", {"crisis": crisis, "texts": texts})


app_name = "crisis"
urlpatterns = [
    path("", crisis_index, name="index"),
    path("start/", crisis_start, name="start"),
    path("notice/", crisis_notice, name="notice"),
    path("<int:crisis_id>/", crisis_detail, name="detail"),
    path("<int:crisis_id>/notes/", note_add, name="note-add"),
    path("<int:crisis_id>/lift/", crisis_lift, name="lift"),
]
