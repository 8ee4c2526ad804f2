"""Policy versions, publication and checks: the one adapter between the app and `compliance_engine`.

Versions are immutable, so a compiled policy is cached per version for the life of the process.
"""

import dataclasses
import datetime
import difflib
import functools
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance_engine import CompiledPolicy, Verdict, check, compile_policy
from compliance_engine.model import Policy, Scope
from compliance_engine.policyfile import PolicyFileError, dumps, loads
from compliance_engine.testcases import run_test_cases
from portevoix.accounts.models import Organization, User
from portevoix.accounts.roles import Role
from portevoix.audit.services import record
from portevoix.policies import engine_messages
from portevoix.policies.models import ArchivedDraft, CheckCount, PolicySettings, PolicyVersion

# A draft typed in the check page is counted once, however many keystrokes re-check it.
DRAFT_MEMORY_SECONDS = 24 * 3600


class PolicyRefused(Exception):
    """A change or a publication that cannot be made; the message says why, for the person."""


class VersionConflict(PolicyRefused):
    """A change made from a version that is no longer the newest: saving it would undo what came since."""

    def __init__(self, *, based_on: int, newest: PolicyVersion) -> None:
        super().__init__(
            _("Version %(number)s was saved meanwhile, after version %(base)s that this change started from.")
            % {"number": newest.number, "base": based_on}
        )
        self.based_on = based_on
        self.newest = newest


@dataclasses.dataclass(frozen=True)
class ParsedPolicy:
    policy: Policy
    source: str


def parse(source: str) -> ParsedPolicy:
    """Read a policy file and return the policy with its canonical text; `PolicyRefused` says what and where.

    The refusal is in the active language, so it is said to the person who sent the file.
    """
    try:
        policy = loads(source)
    except PolicyFileError as error:
        raise PolicyRefused(engine_messages.file_error_message(error)) from error
    return ParsedPolicy(policy=policy, source=dumps(policy))


@functools.lru_cache(maxsize=64)
def _compiled(version_id: int, created_at: datetime.datetime) -> CompiledPolicy:
    # Keyed by id and creation time, never by the text: hashing a large policy on every check
    # would cost more than the check. The text is read only when the version is not cached.
    source = PolicyVersion.objects.values_list("source", flat=True).get(pk=version_id)
    return compile_policy(loads(source))


def compiled_policy(version: PolicyVersion) -> CompiledPolicy:
    """The compiled policy of a version, compiled once per process (versions never change)."""
    return _compiled(version.pk, version.created_at)


def policy_of(version: PolicyVersion) -> Policy:
    return compiled_policy(version).policy


def latest_version(organization: Organization) -> PolicyVersion | None:
    return PolicyVersion.objects.filter(organization=organization).order_by("-number").first()


def settings_of(organization: Organization) -> PolicySettings:
    policy_settings, _created = PolicySettings.objects.get_or_create(organization=organization)
    return policy_settings


def active_version(organization: Organization) -> PolicyVersion | None:
    """The version that checks apply, or None until the organisation publishes one."""
    policy_settings = (
        PolicySettings.objects.select_related("active_version")
        .defer("active_version__source", "active_version__test_report")
        .filter(organization=organization)
        .first()
    )
    return policy_settings.active_version if policy_settings is not None else None


def save_version(
    *, organization: Organization, actor: User | None, source: str, summary: str, based_on: int | None = None
) -> PolicyVersion:
    """Store a new version from a policy file and run its test cases.

    The text is stored in canonical form. A text that changes nothing is refused, so every
    version is a real change. `based_on` is the number of the version the change was made from
    (0 before the first): if another version was saved since, `VersionConflict` refuses the
    change instead of silently undoing that version. None skips the check (a whole file loaded
    by a command, which means to replace whatever is there).
    """
    parsed = parse(source)
    results = run_test_cases(parsed.policy, compile_policy(parsed.policy))
    report = [
        {
            "index": index,
            "passed": result.passed,
            "text": result.case.text,
            "problems": [engine_messages.stored_problem(problem) for problem in result.problems],
        }
        for index, result in enumerate(results, start=1)
    ]
    failed = sum(1 for result in results if not result.passed)
    with transaction.atomic():
        previous = (
            PolicyVersion.objects.select_for_update().filter(organization=organization).order_by("-number").first()
        )
        if based_on is not None and previous is not None and previous.number != based_on:
            raise VersionConflict(based_on=based_on, newest=previous)
        if previous is not None and previous.source == parsed.source:
            raise PolicyRefused(
                _("This text is the same as version %(number)s: nothing to save.") % {"number": previous.number}
            )
        number = (previous.number if previous is not None else 0) + 1
        try:
            version = PolicyVersion.objects.create(
                organization=organization,
                number=number,
                source=parsed.source,
                summary=summary[:300],
                created_by=actor,
                tests_passed=len(results) - failed,
                tests_failed=failed,
                test_report=report,
            )
        except IntegrityError as error:  # another save took the number first
            raise PolicyRefused(_("Someone saved another version at the same time; reload and try again.")) from error
        record(
            organization=organization,
            actor=actor,
            action="policy.version_saved",
            target=version,
            data={"number": number, "summary": version.summary, "tests_passed": version.tests_passed,
                  "tests_failed": failed, "diff": diff_stats(previous.source if previous else "", parsed.source)},
        )  # fmt: skip
    return version


def publish(*, version: PolicyVersion, actor: User | None) -> None:
    """Make a version the one that checks apply; refused while one of its test cases fails."""
    if not version.can_publish:
        raise PolicyRefused(
            ngettext(
                "Version %(number)s cannot be published: %(failed)s test case fails.",
                "Version %(number)s cannot be published: %(failed)s test cases fail.",
                version.tests_failed,
            )
            % {"number": version.number, "failed": version.tests_failed}
        )
    with transaction.atomic():
        policy_settings = PolicySettings.objects.select_for_update().get_or_create(
            organization_id=version.organization_id
        )[0]
        # The number people know the version by; the database id means nothing to them.
        active_id = policy_settings.active_version_id
        previous = PolicyVersion.objects.filter(pk=active_id).values_list("number", flat=True) if active_id else None
        previous_number = previous.first() if previous is not None else None
        policy_settings.active_version = version
        policy_settings.save(update_fields=["active_version"])
        if version.published_at is None:
            version.published_at = timezone.now()
            version.published_by = actor
            version.save(update_fields=["published_at", "published_by"])
        record(
            organization=version.organization,
            actor=actor,
            action="policy.published",
            target=version,
            data={"number": version.number, "previous_number": previous_number},
        )


def set_archiving(*, organization: Organization, actor: User | None, archive_drafts: bool) -> None:
    with transaction.atomic():
        policy_settings = settings_of(organization)
        if policy_settings.archive_drafts == archive_drafts:
            return
        policy_settings.archive_drafts = archive_drafts
        policy_settings.save(update_fields=["archive_drafts"])
        record(
            organization=organization,
            actor=actor,
            action="policy.archiving_changed",
            data={"archive_drafts": archive_drafts},
        )


def diff_lines(old: str, new: str, *, old_label: str, new_label: str) -> list[str]:
    """A unified diff of two versions' texts, for people to read."""
    return list(
        difflib.unified_diff(old.splitlines(), new.splitlines(), fromfile=old_label, tofile=new_label, lineterm="", n=3)
    )


def diff_stats(old: str, new: str) -> dict[str, int]:
    added = removed = 0
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line.startswith("+ "):
            added += 1
        elif line.startswith("- "):
            removed += 1
    return {"lines_added": added, "lines_removed": removed}


def scopes_for(user: User) -> list[Scope]:
    """The scopes a person may check a text under: always as themselves, then their other hats."""
    scopes = [Scope.EVERYONE]
    if user.has_role(Role.AMBASSADOR):
        scopes.append(Scope.AMBASSADORS)
    if user.has_role(Role.COMMUNITY_MANAGER) or user.has_role(Role.COMMUNICATION_DIRECTOR):
        scopes.append(Scope.OFFICIAL)
    return scopes


def check_text(
    *,
    user: User,
    text: str,
    date: datetime.date | None = None,
    scope: Scope = Scope.EVERYONE,
    language: str | None = None,
    channel: str,
    draft_key: str = "",
) -> tuple[Verdict, PolicyVersion] | None:
    """Check a text against the organisation's active policy, and count it for statistics.

    Returns None when the organisation has not published a policy yet. `draft_key` identifies a
    draft being typed, so that re-checks of the same draft are counted once.
    """
    version = active_version(user.organization)
    if version is None:
        return None
    verdict = check(
        text,
        compiled_policy(version),
        date=date or timezone.localdate(),
        scope=scope,
        language=language or user.language,
    )
    _count(user.organization, verdict, draft_key)
    if settings_of(user.organization).archive_drafts and text.strip():
        _archive(user, version, verdict, text=text, channel=channel, draft_key=draft_key)
    return verdict, version


def _archive(user: User, version: PolicyVersion, verdict: Verdict, *, text: str, channel: str, draft_key: str) -> None:
    """Keep the draft with its verdict; a draft typed in the page keeps one row, its latest text."""
    values = {
        "policy_version": version,
        "channel": channel,
        "text": text,
        "outcome": verdict.outcome.value,
        "findings": [finding_data(finding) for finding in verdict.findings],
        "checked_at": timezone.now(),
    }
    if draft_key and ArchivedDraft.objects.filter(
        organization=user.organization, author=user, draft_key=draft_key
    ).update(**values):
        return
    ArchivedDraft.objects.create(organization=user.organization, author=user, draft_key=draft_key, **values)


def finding_data(finding: Any) -> dict[str, Any]:
    data = dataclasses.asdict(finding)
    for key in ("kind", "category", "severity"):
        data[key] = str(data[key])
    return data


def _count(organization: Organization, verdict: Verdict, draft_key: str) -> None:
    day = timezone.localdate()
    rules = {finding.rule_id: finding for finding in verdict.findings}
    keys = ["", *sorted(rules)]
    if draft_key:
        prefix = f"policy-draft:{organization.pk}:{draft_key}:"
        keys = [key for key in keys if cache.add(prefix + key, 1, DRAFT_MEMORY_SECONDS)]
    for rule_id in keys:
        finding = rules.get(rule_id)
        updated = CheckCount.objects.filter(organization=organization, day=day, rule_id=rule_id).update(
            count=F("count") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    CheckCount.objects.create(
                        organization=organization,
                        day=day,
                        rule_id=rule_id,
                        kind=str(finding.kind) if finding else "",
                        category=str(finding.category) if finding else "",
                        count=1,
                    )
            except IntegrityError:
                CheckCount.objects.filter(organization=organization, day=day, rule_id=rule_id).update(
                    count=F("count") + 1
                )
