"""The communication team's side: message houses (A4) and the content library (A5).

Editors (communication director, community managers) write; only the communication director
approves. Every object is fetched through a selector scoped to the viewer's organisation:
another organisation's is a 404.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.models import User
from portevoix.accounts.permissions import authenticated_request, require_permission
from portevoix.accounts.roles import Permission
from portevoix.content import selectors, services, share_views
from portevoix.content.forms import (
    CommentForm,
    ContentForm,
    HouseForm,
    ItemFormSet,
    ThresholdForm,
    VariantFormSet,
    content_initial,
    items_of,
    variant_initial,
    variants_of,
)
from portevoix.content.models import SHARE_NETWORKS, ContentItem, ContentVariant, Language, MessageHouseVersion
from portevoix.lib.networks import NETWORKS, Network

PAGE_SIZE = 50
EDIT = Permission.EDIT_AMBASSADOR_CONTENT
APPROVE = Permission.APPROVE_AMBASSADOR_CONTENT


@require_permission(EDIT)
def house_list(request: HttpRequest) -> HttpResponse:
    organization = authenticated_request(request).user.organization
    rows = selectors.houses_overview(organization=organization)
    return render(request, "content/house_list.html", {"nav": "content", "rows": rows})


@require_permission(EDIT)
def house_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = authenticated_request(request).user
    topic = selectors.get_topic(organization=user.organization, slug=slug)
    versions = list(selectors.house_versions(topic=topic))
    number = request.GET.get("version", "")
    shown = next((v for v in versions if str(v.number) == number), None) or next(
        (v for v in versions if v.status == MessageHouseVersion.Status.APPROVED), versions[0] if versions else None
    )
    context = {"nav": "content", "topic": topic, "versions": versions, "shown": shown,
               "can_approve": user.can(APPROVE), "return_form": CommentForm()}  # fmt: skip
    return render(request, "content/house_detail.html", context)


@require_permission(EDIT)
def house_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user = authenticated_request(request).user
    topic = selectors.get_topic(organization=user.organization, slug=slug)
    draft = selectors.open_house_version(topic=topic)
    if draft is None:
        if request.method != "POST":
            return render(request, "content/house_edit.html", {"nav": "content", "topic": topic, "draft": None})
        draft = services.start_house_draft(topic=topic, actor=user)
        return redirect("content:house-edit", slug=topic.slug)
    if request.method == "POST" and "start" not in request.POST:
        form, formset = HouseForm(request.POST, instance=draft), ItemFormSet(request.POST, prefix="items")
        if form.is_valid() and formset.is_valid():
            try:
                services.save_house_draft(version=draft, actor=user, fields=form.fields_data(), items=items_of(formset))
            except services.ContentRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("content:house-detail", slug=topic.slug)
    else:
        form = HouseForm(instance=draft)
        formset = ItemFormSet(prefix="items", initial=[_item_initial(item) for item in draft.items.all()])
    context = {"nav": "content", "topic": topic, "draft": draft, "form": form, "formset": formset}
    return render(request, "content/house_edit.html", context, status=400 if request.method == "POST" else 200)


def _item_initial(item: Any) -> dict[str, Any]:
    return {name: getattr(item, name) for name in ("kind", "level", "language", "text", "source", "answer")}


@require_POST
@require_permission(EDIT)
def house_move(request: HttpRequest, slug: str) -> HttpResponse:
    user = authenticated_request(request).user
    topic = selectors.get_topic(organization=user.organization, slug=slug)
    version = selectors.open_house_version(topic=topic)
    event = request.POST.get("event", "")
    if event in {"approve", "return"} and not user.can(APPROVE):
        return HttpResponse(status=403)
    try:
        if version is None:
            raise services.ContentRefused(_("This message house has no draft in progress."))
        if event == "submit":
            services.submit_house_version(version=version, actor=user)
            messages.success(request, _("The message house is submitted to the communication director."))
        elif event == "approve":
            services.approve_house_version(version=version, actor=user)
            messages.success(
                request, _("Version %(number)s is approved: ambassadors see it now.") % {"number": version.number}
            )
        elif event == "return":
            services.return_house_version(version=version, actor=user, reason=request.POST.get("comment", ""))
            messages.success(request, _("The message house is back to draft."))
    except services.ContentRefused as refused:
        messages.error(request, str(refused))
    return redirect("content:house-detail", slug=topic.slug)


@require_permission(EDIT)
def library(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    status = request.GET.get("status", "")
    if status not in ContentItem.Status.values:
        status = ""
    page = Paginator(selectors.library(organization=user.organization, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = selectors.library_counts(organization=user.organization)
    context = {"nav": "content", "page": page, "status": status, "query": f"status={status}",
               "statuses": [(value, label, counts[value]) for value, label in ContentItem.Status.choices],
               "can_approve": user.can(APPROVE)}  # fmt: skip
    return render(request, "content/item_list.html", context)


def _editor_context(user: User, form: ContentForm, formset: Any, item: ContentItem | None) -> dict[str, Any]:
    return {"nav": "content", "form": form, "formset": formset, "item": item,
            "networks": [NETWORKS[network] for network in SHARE_NETWORKS]}  # fmt: skip


def _save_item(request: HttpRequest, user: User, item: ContentItem | None) -> HttpResponse:
    has_image = bool(item and item.image)
    if request.method == "POST":
        form = ContentForm(request.POST, request.FILES, organization=user.organization, has_image=has_image)
        formset = VariantFormSet(request.POST, prefix="variants")
        if form.is_valid() and formset.is_valid():
            try:
                saved = services.save_content(
                    organization=user.organization, actor=user, data=form.content_data(variants_of(formset)), item=item
                )
            except services.ContentRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("The suggested post is saved."))
                return redirect("content:item-detail", item_id=saved.pk)
        return render(request, "content/item_edit.html", _editor_context(user, form, formset, item), status=400)
    initial = content_initial(item) if item else {}
    form = ContentForm(organization=user.organization, has_image=has_image, initial=initial)
    variants = variant_initial(item) if item else [{"language": user.organization.default_language or Language.FR}]
    formset = VariantFormSet(prefix="variants", initial=variants)
    return render(request, "content/item_edit.html", _editor_context(user, form, formset, item))


@require_permission(EDIT)
def item_new(request: HttpRequest) -> HttpResponse:
    return _save_item(request, authenticated_request(request).user, None)


@require_permission(EDIT)
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    item = selectors.get_item_for_editor(user=user, item_id=item_id)
    if item.status != ContentItem.Status.DRAFT:
        messages.error(request, _("Only a draft can be edited: return it to draft first."))
        return redirect("content:item-detail", item_id=item.pk)
    return _save_item(request, user, item)


@dataclass(frozen=True)
class TextCheck:
    network: Network
    text: str
    length: int
    limit: int
    report: Any

    @property
    def is_too_long(self) -> bool:
        return self.length > self.limit


def _text_check(item: ContentItem, variant: ContentVariant, network: Network, reader: User) -> TextCheck:
    text = variant.text_for(network)
    return TextCheck(
        network=network,
        text=text,
        length=services.post_length(network, text, item.link),
        limit=NETWORKS[network].text_limit,
        report=services.check_library_text(item.organization, text, reader.language),
    )


@require_permission(EDIT)
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    item = selectors.get_item_for_editor(user=user, item_id=item_id)
    checks = [
        (variant, [_text_check(item, variant, network, user) for network in item.network_list])
        for variant in item.variants.all()
    ]
    context = {"nav": "content", "item": item, "checks": checks, "comments": item.comments.select_related("author"),
               "shares": selectors.item_shares(item=item), "comment_form": CommentForm(),
               "can_approve": user.can(APPROVE)}  # fmt: skip
    return render(request, "content/item_detail.html", context)


# Who may take each step: approving needs the communication director; the rest, any editor.
_EVENT_PERMISSIONS = {"submitted": EDIT, "approved": APPROVE, "returned": EDIT, "published": EDIT, "expired": EDIT}


@require_POST
@require_permission(EDIT)
def item_move(request: HttpRequest, item_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    item = selectors.get_item_for_editor(user=user, item_id=item_id)
    event = request.POST.get("event", "")
    if event not in _EVENT_PERMISSIONS:
        return HttpResponse(status=400)
    if not user.can(_EVENT_PERMISSIONS[event]):
        return HttpResponse(status=403)
    try:
        services.move_content(item=item, actor=user, event=event, comment=request.POST.get("comment", ""))
    except services.ContentRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The post is now: %(status)s.") % {"status": item.get_status_display()})
    return redirect("content:item-detail", item_id=item.pk)


@require_POST
@require_permission(EDIT)
def item_comment(request: HttpRequest, item_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    item = selectors.get_item_for_editor(user=user, item_id=item_id)
    try:
        services.comment_content(item=item, actor=user, body=request.POST.get("comment", ""))
    except services.ContentRefused as refused:
        messages.error(request, str(refused))
    return redirect("content:item-detail", item_id=item.pk)


@require_POST
@require_permission(EDIT)
def text_preview(request: HttpRequest) -> HttpResponse:
    """Lengths per network and the policy's findings for one variant's text, as the editor types (htmx)."""
    user = authenticated_request(request).user
    prefix = request.POST.get("prefix", "")
    text = request.POST.get(f"{prefix}-text", "")[:20_000]
    link = request.POST.get("link", "")
    networks = [Network(code) for code in request.POST.getlist("networks") if code in Network.__members__.values()]
    rows = []
    for network in networks or SHARE_NETWORKS:
        own = request.POST.get(f"{prefix}-text_{network.value}", "").strip() or text
        length = services.post_length(network, own, link)
        rows.append((network, length, NETWORKS[network].text_limit, NETWORKS[network].text_limit - length))
    report = services.check_library_text(user.organization, text, user.language)
    return render(request, "content/item_edit.html#preview", {"rows": rows, "report": report})


@require_permission(APPROVE)
def sharing_settings(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    if request.method == "POST":
        form = ThresholdForm(request.POST)
        if form.is_valid():
            services.set_similarity_threshold(
                organization=user.organization, actor=user, threshold=form.cleaned_data["threshold"]
            )
            messages.success(request, _("The similarity threshold is saved."))
            return redirect("content:settings")
    else:
        form = ThresholdForm(initial={"threshold": selectors.similarity_threshold(user.organization)})
    return render(request, "content/settings_edit.html", {"nav": "content", "form": form})


app_name = "content"
urlpatterns = [
    *share_views.urlpatterns,
    path("houses/", house_list, name="house-list"),
    path("houses/<slug:slug>/", house_detail, name="house-detail"),
    path("houses/<slug:slug>/edit/", house_edit, name="house-edit"),
    path("houses/<slug:slug>/move/", house_move, name="house-move"),
    path("library/", library, name="library"),
    path("library/new/", item_new, name="item-new"),
    path("library/preview/", text_preview, name="text-preview"),
    path("library/<int:item_id>/", item_detail, name="item-detail"),
    path("library/<int:item_id>/edit/", item_edit, name="item-edit"),
    path("library/<int:item_id>/move/", item_move, name="item-move"),
    path("library/<int:item_id>/comment/", item_comment, name="item-comment"),
    path("settings/", sharing_settings, name="settings"),
]
