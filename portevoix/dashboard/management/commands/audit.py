import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portevoix.accounts.models import Organization
from portevoix.audit.models import AuditEntry
from portevoix.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify or export the hash-chained audit log."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Recompute every organisation's chain; exit 1 if one was tampered with.")
        verify.add_argument("--organization", help="Only this organisation (slug).")
        export = sub.add_parser("export", help="Print an organisation's entries as JSON lines.")
        export.add_argument("organization", help="Organisation slug.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self._export(options["organization"])
            return
        organizations = Organization.objects.order_by("slug")
        if options.get("organization"):
            organizations = organizations.filter(slug=options["organization"])
            if not organizations.exists():
                raise CommandError(_("No organisation with the slug %(slug)s.") % {"slug": options["organization"]})
        failed = False
        for organization in organizations:
            problems = verify_chain(organization.pk)
            count = AuditEntry.objects.filter(organization=organization).count()
            if problems:
                failed = True
                self.stdout.write(self.style.ERROR(_("%(org)s: chain broken") % {"org": organization.slug}))
                for problem in problems:
                    self.stdout.write(f"  #{problem.sequence}: {problem.reason}")
            else:
                self.stdout.write(
                    self.style.SUCCESS(
                        _("%(org)s: %(count)d entries, chain intact") % {"org": organization.slug, "count": count}
                    )
                )
        if failed:
            raise CommandError(_("The audit log was tampered with."), returncode=1)

    def _export(self, slug: str) -> None:
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise CommandError(_("No organisation with the slug %(slug)s.") % {"slug": slug})
        for entry in AuditEntry.objects.filter(organization=organization).order_by("sequence").iterator():
            row = {
                "sequence": entry.sequence,
                "time": entry.created_at.isoformat(),
                "actor": entry.actor_label,
                "action": entry.action,
                "target_type": entry.target_type,
                "target_id": entry.target_id,
                "target": entry.target_label,
                "data": entry.data,
                "previous_hash": entry.previous_hash,
                "hash": entry.entry_hash,
            }
            self.stdout.write(json.dumps(row, ensure_ascii=False))
