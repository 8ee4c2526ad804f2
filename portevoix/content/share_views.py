"""The ambassador's side (A6): the feed, the share page, the share's confirmation, the message houses.

The share page is one view: a GET renders it, each debounced htmx POST re-renders the check,
the length and the personal gauge (a named partial of the same template), and a plain POST with
`share` records the share. During a crisis the feed shows the holding statement instead, and
the share page and its POST refuse, whatever the browser sends.
"""

import mimetypes
import secrets
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portevoix.accounts.models import User
from portevoix.accounts.permissions import authenticated_request, login_required, require_permission
from portevoix.accounts.roles import Permission
from portevoix.content import selectors, sharing
from portevoix.content.forms import ShareForm
from portevoix.content.models import ContentItem, ContentVariant, Level, Share
from portevoix.content.services import ContentRefused
from portevoix.crisis.models import CrisisTexts
from portevoix.crisis.selectors import active_crisis
from portevoix.lib.networks import NETWORKS, Network
from portevoix.policies import checking
from portevoix.policies.check_views import CheckResult

SHARE = Permission.SHARE_CONTENT


def _crisis_texts(user: User) -> CrisisTexts | None:
    """The crisis's title and holding statement in the reader's language when written in it."""
    crisis = active_crisis(user.organization)
    return crisis.texts(get_language() or user.language) if crisis is not None else None


@never_cache
@require_permission(SHARE)
def feed(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    crisis = _crisis_texts(user)
    entries = [] if crisis is not None else selectors.feed_for(user=user)
    houses = selectors.topics_with_approved_house(organization=user.organization) if entries else set()
    context = {"nav": "share", "crisis": crisis, "entries": entries, "house_topics": houses}
    return render(request, "content/feed_page.html", context)


def _variant_choices(variants: list[ContentVariant]) -> list[tuple[str, str]]:
    return [(str(v.pk), f"{v.get_language_display()} · {Level(v.level).label}") for v in variants]


def _share_context(user: User, item: ContentItem, form: ShareForm, variants: list[ContentVariant]) -> dict[str, Any]:
    return {
        "nav": "share",
        "item": item,
        "form": form,
        "variants": variants,
        "disclosure": sharing.disclosure_for(user),
        "jurisdictions": sharing.jurisdictions_for(user),
        "jurisdiction": sharing.preferences_of(user).jurisdiction,
        "house": selectors.approved_house(topic=item.topic),
    }


def _assessment_context(user: User, assessment: sharing.Assessment, text: str) -> dict[str, Any]:
    """What the assessment partial shows, with the check's own partials (policies/check_post.html)."""
    report = assessment.report
    if report is not None:
        result = CheckResult("checked", report, checking.pieces(text, report.findings))
    else:
        result = CheckResult("empty" if not text.strip() else "no_policy")
    disclosure = sharing.disclosure_for(user)
    return {
        "assessment": assessment,
        "result": result,
        "ask_form": {"cleaned_data": {"text": text}},
        "has_disclosure": disclosure is not None and disclosure.is_in(text),
    }


def _chosen(form: ShareForm, variants: list[ContentVariant]) -> tuple[ContentVariant, Network]:
    by_id = {str(v.pk): v for v in variants}
    variant = by_id.get(form.data.get("variant", ""), variants[0])
    network_value = form.data.get("network", "")
    networks = variant.item.network_list
    network = Network(network_value) if network_value in {n.value for n in networks} else networks[0]
    return variant, network


@never_cache
@require_permission(SHARE)
def share_page(request: HttpRequest, item_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    crisis = _crisis_texts(user)
    if crisis is not None:
        return render(request, "content/share_paused.html", {"nav": "share", "crisis": crisis}, status=403)
    item = selectors.get_item_for_ambassador(user=user, item_id=item_id)
    variants = selectors.variants_for(user=user, item=item)
    if not variants:
        raise Http404
    if request.method != "POST":
        return _first_render(request, user, item, variants)
    form = ShareForm(request.POST, variants=_variant_choices(variants), networks=item.network_list)
    if "share" in request.POST:
        return _share(request, user, item, form, variants)
    variant, network = _chosen(form, variants)
    text, draft_key = form.data.get("text", "")[:20_000], form.data.get("draft_key", "")[:40]
    assessment = sharing.assess(person=user, variant=variant, network=network, text=text, draft_key=draft_key)
    context = _share_context(user, item, form, variants) | _assessment_context(user, assessment, text)
    return render(request, "content/share_page.html#assessment", context | {"network": network})


def _first_render(request: HttpRequest, user: User, item: ContentItem, variants: list[ContentVariant]) -> HttpResponse:
    variant, network = variants[0], item.network_list[0]
    text = _suggested(variant, network)
    initial = {
        "variant": str(variant.pk),
        "network": network.value,
        "text": text,
        "draft_key": secrets.token_urlsafe(18),
        "mastodon_instance": sharing.mastodon_instance_of(user),
    }
    form = ShareForm(initial=initial, variants=_variant_choices(variants), networks=item.network_list)
    assessment = sharing.assess(person=user, variant=variant, network=network, text=text, counts=False)
    suggestions = {f"{v.pk}:{n.value}": _suggested(v, n) for v in variants for n in item.network_list}
    context = _share_context(user, item, form, variants) | _assessment_context(user, assessment, text)
    context |= {"network": network, "suggestions": suggestions}
    return render(request, "content/share_page.html", context)


def _suggested(variant: ContentVariant, network: Network) -> str:
    text = variant.text_for(network)
    tags = [tag for tag in variant.item.hashtag_list if tag.lower() not in text.lower()]
    return f"{text}\n\n{' '.join(tags)}" if tags else text


def _share(
    request: HttpRequest, user: User, item: ContentItem, form: ShareForm, variants: list[ContentVariant]
) -> HttpResponse:
    if form.is_valid():
        variant, network = _chosen(form, variants)
        data = form.cleaned_data
        try:
            created = sharing.share(
                sharing.ShareRequest(
                    person=user, item=item, variant=variant, network=network, text=data["text"],
                    override_reason=data["override_reason"], mastodon_instance=data["mastodon_instance"],
                )
            )  # fmt: skip
        except ContentRefused as refused:
            form.add_error(None, str(refused))
        else:
            return redirect("content:shared", share_id=created.pk)
    variant, network = _chosen(form, variants)
    assessment = sharing.assess(
        person=user, variant=variant, network=network, text=form.data.get("text", ""), counts=False
    )
    context = _share_context(user, item, form, variants) | {
        "assessment": assessment,
        "network": network,
        "suggestions": {},
    }
    return render(request, "content/share_page.html", context, status=400)


@never_cache
@require_permission(SHARE)
def shared(request: HttpRequest, share_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    share = Share.objects.filter(pk=share_id, person=user).select_related("item").first()
    if share is None:
        raise Http404
    info = NETWORKS[Network(share.network)]
    context = {"nav": "share", "share": share, "takes_text": info.share_page_takes_text, "network_name": info.name}
    return render(request, "content/share_done.html", context)


@require_permission(SHARE)
def my_shares(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    return render(request, "content/share_list.html", {"nav": "share", "shares": selectors.shares_of(user=user)})


@require_POST
@require_permission(SHARE)
def choose_jurisdiction(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    try:
        sharing.choose_jurisdiction(person=user, jurisdiction=request.POST.get("jurisdiction", ""))
    except ContentRefused as refused:
        messages.error(request, str(refused))
    next_url = request.POST.get("next", "")
    return redirect(next_url if next_url.startswith("/share/") else "content:feed")


@login_required
def topic_house(request: HttpRequest, slug: str) -> HttpResponse:
    """A topic's approved message house, for ambassadors and the team; nothing before approval."""
    user = authenticated_request(request).user
    if not (user.can(SHARE) or user.can(Permission.EDIT_AMBASSADOR_CONTENT)):
        return HttpResponse(status=403)
    topic = selectors.get_topic(organization=user.organization, slug=slug)
    house = selectors.approved_house(topic=topic)
    if house is None:
        raise Http404
    return render(request, "content/house_page.html", {"nav": "share", "topic": topic, "house": house})


@login_required
def item_image(request: HttpRequest, item_id: int) -> HttpResponse:
    """A suggested post's image, for those who may see the post: its editors, or ambassadors it is aimed at."""
    user = authenticated_request(request).user
    if user.can(Permission.EDIT_AMBASSADOR_CONTENT):
        item = selectors.get_item_for_editor(user=user, item_id=item_id)
    else:
        item = selectors.get_item_for_ambassador(user=user, item_id=item_id)
    if not item.image:
        raise Http404
    # Images are 5 MB at most (forms.MAX_IMAGE_BYTES): read whole, served with their stored type.
    with item.image.open("rb") as image:
        content = image.read()
    content_type = mimetypes.guess_type(item.image.name or "")[0] or "application/octet-stream"
    return HttpResponse(content, content_type=content_type, headers={"Cache-Control": "private, max-age=3600"})


urlpatterns = [
    path("", feed, name="feed"),
    path("mine/", my_shares, name="my-shares"),
    path("disclosure/", choose_jurisdiction, name="jurisdiction"),
    path("shared/<int:share_id>/", shared, name="shared"),
    path("topics/<slug:slug>/", topic_house, name="house"),
    path("images/<int:item_id>/", item_image, name="image"),
    path("<int:item_id>/", share_page, name="share"),
]
