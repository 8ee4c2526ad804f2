import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from portevoix.demo.loaders import load_demo, login_lines
from portevoix.demo.services import OrganizationSizeConflict, seed_large_organization


class Command(BaseCommand):
    help = (
        "Load the demo company (run bare), or with --people N create an organisation of N generated "
        "people for measuring. Both are idempotent: running again changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--people", type=int, help="Create a large organisation of this many people.")
        parser.add_argument("--organization", help='Slug of the large organisation (default "large").')
        parser.add_argument("--name", help="Name of the large organisation (default: from its size).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["people"] is None:
            if options["organization"] or options["name"]:
                raise CommandError("--organization and --name go with --people N.")
            self._seed_demo()
            return
        if options["people"] < 1:
            raise CommandError("--people must be at least 1.")
        self._seed_large(
            people=options["people"],
            slug=options["organization"] or "large",
            name=options["name"] or f"Large organisation ({options['people']:,} people)",
        )

    def _seed_demo(self) -> None:
        started = time.monotonic()
        outcome = load_demo()
        if not outcome.is_created:
            self.stdout.write(f"The demo company {outcome.organization.name} is already loaded; nothing changed.")
            return
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {outcome.organization.name} in {time.monotonic() - started:.1f} s.")
        )
        for line in login_lines(outcome):
            self.stdout.write(line)

    def _seed_large(self, *, people: int, slug: str, name: str) -> None:
        started = time.monotonic()
        try:
            outcome = seed_large_organization(slug=slug, name=name, people=people)
        except OrganizationSizeConflict as error:
            raise CommandError(f"{error} Choose another --organization slug.") from error
        if not outcome.is_created:
            self.stdout.write(f"The organisation {slug!r} already has {people:,} people; nothing changed.")
            return
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Created {name!r} ({slug}) with {people:,} people in {seconds:.1f} s."))
