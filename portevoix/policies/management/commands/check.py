"""`portevoix check`: check a post from the command line, with the engine of the page and the API.

Django has a `check` command of its own (system checks); this one replaces it under the same name
and still runs it when no text is given, so `portevoix check --deploy` keeps working.
"""

import datetime
import json
import sys
from argparse import ArgumentParser, RawDescriptionHelpFormatter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser, DjangoHelpFormatter
from django.core.management.commands.check import Command as SystemCheckCommand
from django.db import connections
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance_engine import CompiledPolicy
from compliance_engine.model import Scope
from portevoix.accounts.models import Organization
from portevoix.policies import checking, services

EXIT_BLOCKS = 1
EXIT_BAD_INPUT = 2
LANGUAGES = ("fr", "en")
FORMATS = ("text", "json")
_POST_OPTIONS = ("policy", "organization", "date", "scope", "language", "format")


class _HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Django's order of options, and the description's own line breaks (for the exit statuses)."""


class Command(SystemCheckCommand):
    help = """Check a post against the policy, as the "Check my post" page does.

TEXT is the post, or - to read it from standard input. With --policy FILE the
policy file alone is used and no database is needed; otherwise the published
version of the organisation is used. Nothing is counted or stored.

Exit status:
  0  nothing blocks the post (warnings and information are printed, but pass)
  1  a finding of severity "block" forbids publishing the post
  2  bad input: an unreadable or invalid policy file, a bad date, scope,
     language or format, an empty or too long text, a text holding a null
     character, an unknown organisation,
     no published policy

Without TEXT, runs Django's system checks (--deploy, --tag, --list-tags,
--fail-level, --database), as Django's own "check" command does."""
    # Checking a text must not need the database, nor spend time on the project's system checks.
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("text", nargs="?", metavar="TEXT | -", help="The post to check; - reads standard input.")
        parser.add_argument("--policy", metavar="FILE", help="A policy file (TOML): check without any database.")
        parser.add_argument("--organization", metavar="SLUG", help="The organisation; needed when there are several.")
        parser.add_argument("--date", metavar="YYYY-MM-DD", help="The day the post would be published (default today).")
        parser.add_argument("--scope", metavar="|".join(Scope), help="Who writes (default everyone).")
        parser.add_argument("--language", metavar="fr|en", help="Language of the messages.")
        parser.add_argument("--format", metavar="text|json", help="Output format (default text).")
        # Django's own `check` options, used only without TEXT.
        parser.add_argument("--tag", "-t", action="append", dest="tags", help="System checks: only this tag.")
        parser.add_argument("--list-tags", action="store_true", help="System checks: list the tags.")
        parser.add_argument("--deploy", action="store_true", help="System checks: check deployment settings.")
        parser.add_argument(
            "--fail-level",
            default="ERROR",
            choices=["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"],
            help="System checks: level that makes the command fail (default ERROR).",
        )
        parser.add_argument(
            "--database",
            action="append",
            choices=tuple(connections),
            dest="databases",
            help="System checks: run database checks against these aliases.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["text"] is None:
            if any(options.get(name) for name in _POST_OPTIONS):
                raise _bad_input(_("Give the text to check, or - to read it from standard input."))
            super().handle(**options)
            return
        output_format = _choice(options["format"] or "text", FORMATS, "--format")
        report = _check(options)
        with translation.override(report.language):
            self.stdout.write(_as_json(report) if output_format == "json" else _as_text(report))
            if report.blocks:
                raise CommandError(_("A finding blocks this post: do not publish it as it is."), returncode=EXIT_BLOCKS)


def _check(options: dict[str, Any]) -> checking.CheckReport:
    language = _choice(options["language"], LANGUAGES, "--language") if options["language"] else None
    scope = Scope(_choice(options["scope"] or Scope.EVERYONE.value, tuple(Scope), "--scope"))
    date = _date(options["date"]) if options["date"] else timezone.localdate()
    with translation.override(language or translation.get_language()):
        text = _read_text(options["text"])
    if options["policy"]:
        compiled = _compile_file(Path(options["policy"]))
        return checking.check_with_policy(
            text, compiled, date=date, scope=scope, language=language or settings.LANGUAGE_CODE, policy_version=None
        )
    organization = _organization(options["organization"])
    version = services.active_version(organization)
    if version is None:
        raise _bad_input(
            _("%(organization)s has not published a policy yet; use --policy FILE to check against a file.")
            % {"organization": organization.slug}
        )
    return checking.check_with_policy(
        text,
        services.compiled_policy(version),
        date=date,
        scope=scope,
        language=language or organization.default_language,
        policy_version=version.number,
    )


def _bad_input(message: str) -> CommandError:
    return CommandError(message, returncode=EXIT_BAD_INPUT)


def _choice(value: str, choices: tuple[str, ...], option: str) -> str:
    if value not in choices:
        raise _bad_input(
            _("%(option)s must be one of %(choices)s, not “%(value)s”.")
            % {"option": option, "choices": ", ".join(choices), "value": value}
        )
    return value


def _date(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise _bad_input(_("--date must be a day written YYYY-MM-DD, not “%(value)s”.") % {"value": value}) from None


def _read_text(value: str) -> str:
    text = sys.stdin.read() if value == "-" else value
    if not text.strip():
        raise _bad_input(_("The text to check is empty."))
    # Refused as the page and the API refuse it, with where to find that invisible character.
    position = checking.null_character_position(text)
    if position is not None:
        raise _bad_input(checking.null_character_message(*position))
    if len(text) > checking.MAX_TEXT_LENGTH:
        raise _bad_input(
            _("The text has %(length)s characters; a check takes at most %(limit)s.")
            % {"length": len(text), "limit": checking.MAX_TEXT_LENGTH}
        )
    return text


def _compile_file(path: Path) -> CompiledPolicy:
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise _bad_input(
            _("Cannot read the policy file %(path)s: %(error)s") % {"path": path, "error": error}
        ) from None
    try:
        return checking.compile_policy_file(source)
    except checking.CheckInputError as error:
        raise _bad_input(_("Invalid policy file %(path)s: %(error)s") % {"path": path, "error": error}) from None


def _organization(slug: str | None) -> Organization:
    if slug:
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise _bad_input(_("No organisation with the slug %(slug)s.") % {"slug": slug})
        return organization
    organizations = list(Organization.objects.order_by("slug")[:2])
    if not organizations:
        raise _bad_input(_("There is no organisation yet; use --policy FILE to check against a file."))
    if len(organizations) > 1:
        raise _bad_input(_("There are several organisations: choose one with --organization SLUG."))
    return organizations[0]


def _as_json(report: checking.CheckReport) -> str:
    return json.dumps(checking.report_data(report), ensure_ascii=False, indent=2)


def _as_text(report: checking.CheckReport) -> str:
    """The verdict on one line, then one block per finding: where, severity, what, clause, why, how to fix."""
    count = len(report.findings)
    source = (
        _("policy version %(number)s") % {"number": report.policy_version}
        if report.policy_version is not None
        else _("policy file")
    )
    lines = [
        ngettext(
            "%(verdict)s: %(count)s finding (%(source)s, scope %(scope)s, %(date)s)",
            "%(verdict)s: %(count)s findings (%(source)s, scope %(scope)s, %(date)s)",
            count,
        )
        % {
            "verdict": report.outcome_label,
            "count": count,
            "source": source,
            "scope": report.scope.value,
            "date": report.date.isoformat(),
        },
        report.outcome_explanation,
    ]
    for item in report.findings:
        clause = f"{item.finding.clause_id} — {item.clause_title}" if item.clause_title else item.finding.clause_id
        lines += [
            "",
            f"{item.line}:{item.column}  {item.severity_label}  “{item.finding.matched}”",
            f"  {item.finding.message}",
            "  " + _("Clause %(clause)s · %(category)s") % {"clause": clause, "category": item.category_label},
        ]
        if item.finding.suggestion:
            lines.append("  " + _("Suggestion: %(suggestion)s") % {"suggestion": item.finding.suggestion})
    return "\n".join(lines)
