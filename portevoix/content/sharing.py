"""The one way an ambassador's share goes out: crisis, targeting, policy, personalisation, then the share page.

`assess` is what the share page shows as the ambassador types; `share` records the share and
returns the network's share page, after checking again on the server everything the page showed:
no share while a crisis is on, none with a finding that blocks, a warning only with a reason
(kept), and none too close to the suggestion or to another ambassador's share.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance_engine.model import DisclosureSettings, Scope, Severity
from portevoix.accounts.models import User
from portevoix.ambassadors.selectors import declared_networks
from portevoix.audit.services import record
from portevoix.content import selectors
from portevoix.content.models import SHARE_NETWORKS, ContentItem, ContentVariant, Share, SharingPreference
from portevoix.content.services import ContentRefused, post_length
from portevoix.content.similarity import Similarity, similarity
from portevoix.crisis.selectors import active_crisis
from portevoix.lib.networks import NETWORKS, Network, ShareError, share_url
from portevoix.links.models import TrackedLink
from portevoix.links.services import create_tracked_link
from portevoix.policies import checking
from portevoix.policies import services as policy_services


@dataclass(frozen=True)
class Disclosure:
    """The wording suggested to say one works for the company, under the rules of a jurisdiction."""

    jurisdiction: str
    wording: str
    alternatives: tuple[str, ...]

    def is_in(self, text: str) -> bool:
        folded = text.casefold()
        return any(wording.casefold() in folded for wording in (self.wording, *self.alternatives))


@dataclass(frozen=True)
class Assessment:
    """What the share page shows about a text, and what the share service decides on."""

    report: checking.CheckReport | None
    similarity: Similarity
    threshold: int
    length: int
    limit: int

    @property
    def blocks(self) -> bool:
        return self.report is not None and self.report.blocks

    @property
    def warnings(self) -> list[str]:
        """Rule ids of the warnings a share must override with a reason."""
        if self.report is None:
            return []
        found = [item.finding.rule_id for item in self.report.findings if item.finding.severity is Severity.WARN]
        return list(dict.fromkeys(found))

    @property
    def personal_floor(self) -> int:
        """The least personal a text may be (100 minus the threshold)."""
        return 100 - self.threshold

    @property
    def needs_personalising(self) -> bool:
        return self.similarity.highest > self.threshold

    @property
    def is_too_long(self) -> bool:
        return self.length > self.limit


def preferences_of(person: User) -> SharingPreference:
    preference = SharingPreference.objects.filter(person=person).first()
    return preference or SharingPreference(person=person)


def mastodon_instance_of(person: User) -> str:
    """The Mastodon server remembered from the last share, else the one declared in the programme profile."""
    remembered = preferences_of(person).mastodon_instance
    if remembered:
        return remembered
    declared = [
        presence.instance for presence in declared_networks(person) if presence.network.value == Network.MASTODON.value
    ]
    return declared[0] if declared else ""


def _disclosure_rules(person: User) -> list[DisclosureSettings]:
    version = policy_services.active_version(person.organization)
    if version is None:
        return []
    rules = policy_services.policy_of(version).rules
    return [
        rule.settings
        for rule in rules
        if isinstance(rule.settings, DisclosureSettings) and rule.scope & {Scope.AMBASSADORS, Scope.EVERYONE}
    ]


def jurisdictions_for(person: User) -> list[str]:
    return list(dict.fromkeys(rule.jurisdiction for rule in _disclosure_rules(person)))


def disclosure_for(person: User) -> Disclosure | None:
    """The disclosure of the jurisdiction the ambassador chose, else of the policy's first disclosure rule."""
    rules = _disclosure_rules(person)
    if not rules:
        return None
    chosen = preferences_of(person).jurisdiction
    rule = next((rule for rule in rules if rule.jurisdiction == chosen), rules[0])
    company = rule.company_names[0] if rule.company_names else person.organization.name
    wordings = tuple(wording.replace("{company}", company) for wording in rule.accepted_wordings)
    return Disclosure(rule.jurisdiction, wordings[0], wordings[1:]) if wordings else None


def _report(person: User, text: str, *, draft_key: str, counts: bool) -> checking.CheckReport | None:
    if not text.strip():
        return None
    today = timezone.localdate()
    if not counts:
        version = policy_services.active_version(person.organization)
        if version is None:
            return None
        compiled = policy_services.compiled_policy(version)
        return checking.check_with_policy(
            text, compiled, date=today, scope=Scope.AMBASSADORS, language=person.language, policy_version=version.number
        )
    checked = policy_services.check_text(
        user=person, text=text, date=today, scope=Scope.AMBASSADORS, channel="share", draft_key=draft_key
    )
    if checked is None:
        return None
    verdict, version = checked
    return checking.report(
        verdict, policy_services.policy_of(version), text=text, language=person.language,
        scope=Scope.AMBASSADORS, date=today, policy_version=version.number,
    )  # fmt: skip


def assess(
    *, person: User, variant: ContentVariant, network: Network, text: str, draft_key: str = "", counts: bool = True
) -> Assessment:
    """Check a text as the ambassador types it: policy (ambassador scope), length, similarity.

    `counts` adds the check to the organisation's statistics (once per `draft_key`), as the
    check page does; the final check of a share is not counted again.
    """
    others = selectors.other_shares_texts(item=variant.item, person=person)
    return Assessment(
        report=_report(person, text, draft_key=draft_key, counts=counts),
        similarity=similarity(text, suggestion=variant.text_for(network), other_shares=others),
        threshold=selectors.similarity_threshold(person.organization),
        length=post_length(network, text, variant.item.link),
        limit=NETWORKS[network].text_limit,
    )


def _refusal(assessment: Assessment, network: Network, override_reason: str) -> str | None:
    if assessment.blocks:
        return _("Your text has a finding that blocks: change what is marked “Block” before sharing.")
    if assessment.warnings and not override_reason.strip():
        return _("Your text has warnings: change it, or say why you share it anyway.")
    if assessment.needs_personalising:
        return _(
            "Your text is %(similarity)s%% the same as the suggestion or another ambassador's post "
            "(the programme asks for at most %(threshold)s%%): make it your own before sharing."
        ) % {"similarity": assessment.similarity.highest, "threshold": assessment.threshold}
    if assessment.is_too_long:
        return _("Your text is %(length)s characters long: %(network)s accepts %(limit)s.") % {
            "length": assessment.length, "limit": assessment.limit, "network": network.label,
        }  # fmt: skip
    return None


@dataclass(frozen=True)
class ShareRequest:
    person: User
    item: ContentItem
    variant: ContentVariant
    network: Network
    text: str
    override_reason: str = ""
    mastodon_instance: str = ""


def share(request: ShareRequest) -> Share:
    """Record a share and build its share page, or refuse with a sentence saying why.

    The item must come from `selectors.get_item_for_ambassador`, which applies targeting; this
    checks the rest again on the server, whatever the page showed.
    """
    assessment = _checked(request)
    with transaction.atomic():
        crisis = active_crisis(request.person.organization)
        if crisis is not None:
            raise ContentRefused(
                _("Sharing is paused while the company handles a crisis: %(title)s.") % {"title": crisis.title}
            )
        created = _record(request, assessment)
        if request.network is Network.MASTODON:
            SharingPreference.objects.update_or_create(
                person=request.person, defaults={"mastodon_instance": request.mastodon_instance.strip().lower()}
            )
        if created.overridden_rules:
            data = {"rules": created.overridden_rules, "reason": created.override_reason}
            record(organization=created.organization, actor=request.person, action="content.warning_overridden",
                   target=created, data=data)  # fmt: skip
    return created


def _checked(request: ShareRequest) -> Assessment:
    person, item, network = request.person, request.item, request.network
    if not selectors.is_ambassador(person) or request.variant.item_id != item.pk:
        raise ContentRefused(_("Only ambassadors share suggested posts."))
    if network not in SHARE_NETWORKS or network not in item.network_list:
        raise ContentRefused(_("This post is not suggested for %(network)s.") % {"network": network.label})
    assessment = assess(person=person, variant=request.variant, network=network, text=request.text, counts=False)
    refusal = _refusal(assessment, network, request.override_reason)
    if refusal is not None:
        raise ContentRefused(refusal)
    try:
        # Checked before the tracked link is made, so a refusal leaves no link behind.
        share_url(network, text=request.text, url=item.link, instance=request.mastodon_instance)
    except ShareError as error:
        raise ContentRefused(str(error)) from error
    return assessment


def _record(request: ShareRequest, assessment: Assessment) -> Share:
    tracked = _tracked_link(request.person, request.item, request.network)
    link = settings.PUBLIC_URL.rstrip("/") + tracked.get_absolute_url() if tracked is not None else ""
    return Share.objects.create(
        organization=request.person.organization, item=request.item, variant=request.variant, person=request.person,
        network=request.network, text=request.text, similarity=assessment.similarity.highest,
        outcome=assessment.report.outcome.value if assessment.report else "",
        overridden_rules=assessment.warnings,
        override_reason=request.override_reason.strip() if assessment.warnings else "",
        link_url=link, tracked_link=tracked,
        share_url=share_url(request.network, text=request.text, url=link, instance=request.mastodon_instance),
    )  # fmt: skip


def _tracked_link(person: User, item: ContentItem, network: Network) -> TrackedLink | None:
    """The share's own short link, tagged so that analytics tools see the network, the programme and the topic."""
    if not item.link:
        return None
    return create_tracked_link(
        organization=person.organization,
        target_url=item.link,
        utm_source=network.value,
        utm_medium="ambassador",
        utm_campaign=item.topic.slug,
        utm_content=f"content-{item.pk}",
        owner=person,
        label=item.title,
    )


def choose_jurisdiction(*, person: User, jurisdiction: str) -> None:
    if jurisdiction not in jurisdictions_for(person):
        raise ContentRefused(_("Choose one of the disclosure rules of your organisation's policy."))
    SharingPreference.objects.update_or_create(person=person, defaults={"jurisdiction": jurisdiction})
