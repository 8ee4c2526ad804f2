from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portevoix.accounts.models import Organization
from portevoix.people.models import ImportJob
from portevoix.people.services import import_people_file


class Command(BaseCommand):
    help = "Import people from a CSV or XLSX file: all rows, or none if any row has an error."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("organization", help="The organisation's slug")
        parser.add_argument("file", type=Path, help="A .csv or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and show what would change")

    def handle(self, *args: Any, organization: str, file: Path, dry_run: bool, **options: Any) -> None:
        org = Organization.objects.filter(slug=organization).first()
        if org is None:
            raise CommandError(f"No organisation with the slug {organization!r}.")
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        if file.stat().st_size > settings.IMPORT_MAX_BYTES:
            raise CommandError(f"{file} is larger than the limit of {settings.IMPORT_MAX_BYTES} bytes.")
        job = import_people_file(organization=org, file_name=file.name, content=file.read_bytes(), dry_run=dry_run)
        for error in job.errors:
            where = f"line {error['line']}" if error["line"] else "file"
            column = f", {error['column']}" if error["column"] else ""
            self.stderr.write(f"{file.name}: {where}{column}: {error['message']}")
        if job.error_count > len(job.errors):
            self.stderr.write(f"… and {job.error_count - len(job.errors)} more errors.")
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(job.failure_reason or "The import failed; nothing was imported.")
        if job.error_count:
            raise CommandError(f"{job.error_count} errors; nothing was imported.")
        summary = job.summary
        verb = "Would create" if dry_run else "Created"
        self.stdout.write(
            f"{verb} {summary['created']}, updated {summary['updated']}, unchanged {summary['unchanged']} "
            f"(new departments: {len(summary['new_departments'])}, new entities: {len(summary['new_entities'])})."
        )
