"""Time the guidelines pages (completion dashboard, exports, reading, home) for a large organisation.

    uv run python benchmarks/guidelines.py --data-dir /tmp/bench          # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pv_bench uv run python benchmarks/guidelines.py

Builds the organisation with `portevoix seed --people N` when it is missing, publishes a version
to everyone with about 60% of people acknowledged (once), then requests each page through
Django's full request cycle in this process and reports the median, the 95th percentile and the
number of queries. Results go to benchmarks/results/guidelines-<database>.md.
"""

import argparse
import datetime
import os
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def _setup(data_dir: str | None) -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ.setdefault("PORTEVOIX_DATA_DIR", data_dir or tempfile.mkdtemp(prefix="portevoix-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portevoix.settings")
    os.environ.setdefault("PORTEVOIX_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _time(client: Any, url: str, repeat: int, headers: dict[str, str]) -> tuple[float, float, int, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    status = queries = 0
    for _ in range(repeat):
        if headers.get("X-Cold"):
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
        status, queries = response.status_code, len(captured)
    timings.sort()
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.95) - 1)], status, queries


def _published(organization: Any, author: Any) -> Any:
    from portevoix.accounts.models import User
    from portevoix.guidelines import selectors, services
    from portevoix.guidelines.services import ClauseData, Publication

    version = selectors.published_version(organization)
    if version is not None:
        return version
    draft = services.create_draft(organization=organization, actor=author)
    for position in range(1, 16):
        texts = {f"{name}_{language}": f"{name} {position} {language}" for name in ("title", "body", "do_examples",
                 "dont_examples") for language in ("fr", "en")}  # fmt: skip
        data = ClauseData(anchor=f"{position}.1", number=f"{position}.1", position=position, category="reputation",
                          texts=texts)  # fmt: skip
        services.save_clause(version=draft, actor=author, data=data)
    started = time.perf_counter()
    services.publish(version=draft, actor=author, publication=Publication())
    print(f"published in {time.perf_counter() - started:.2f} s")
    rng = random.Random(4)
    now = datetime.datetime.now(tz=datetime.UTC)
    people = User.objects.filter(organization=organization).only("pk", "organization_id")
    acknowledged = [(person, now - datetime.timedelta(hours=rng.uniform(0, 500))) for person in people.iterator()
                    if rng.random() < 0.6]  # fmt: skip
    started = time.perf_counter()
    services.import_acknowledgements(version=draft, actor=None, acknowledged=acknowledged)
    print(f"{len(acknowledged)} acknowledgements imported in {time.perf_counter() - started:.1f} s")
    draft.refresh_from_db()
    return draft


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--data-dir", help="Reuse this data folder (SQLite) between runs.")
    options = parser.parse_args()
    _setup(options.data_dir)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from portevoix.accounts.models import Department, Organization, User
    from portevoix.accounts.roles import Role
    from portevoix.guidelines.reminders import due_for_scheduled_reminder

    call_command("migrate", verbosity=0)
    if not Organization.objects.filter(slug="large").exists():
        call_command("seed", people=options.people, organization="large", verbosity=0)
    organization = Organization.objects.get(slug="large")
    director = User.objects.filter(organization=organization).order_by("pk").first()
    assert director is not None
    director.roles.get_or_create(role=Role.COMMUNICATION_DIRECTOR)
    version = _published(organization, director)
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum keeps them in production: right after a bulk load the
        # planner still believes the tables are empty and picks plans a hundred times slower.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    people = User.objects.filter(organization=organization).count()
    department = Department.objects.filter(organization=organization).order_by("pk").first()
    employee = User.objects.filter(organization=organization, roles__isnull=True).order_by("-pk").first()
    base = f"/guidelines/v/{version.number}"
    htmx = {"HX-Request": "true"}
    pages: list[tuple[str, str, Any, dict[str, str], int]] = [
        (
            "completion dashboard, figures recomputed (cache emptied)",
            f"{base}/completion/",
            director,
            {"X-Cold": "1"},
            5,
        ),
        ("completion dashboard", f"{base}/completion/", director, {}, options.repeat),
        (
            "people still to acknowledge, one department (htmx)",
            f"{base}/completion/?department={department.pk if department else ''}",
            director,
            htmx,
            options.repeat,
        ),
        (
            "people still to acknowledge, page 500 (htmx)",
            f"{base}/completion/?page=500",
            director,
            htmx,
            options.repeat,
        ),
        ("export CSV, every person", f"{base}/completion/export.csv", director, {}, 3),
        ("export XLSX, every person", f"{base}/completion/export.xlsx", director, {}, 3),
        ("reading page (employee)", f"{base}/", employee, {}, options.repeat),
        ("home page with the guidelines card (employee)", "/", employee, {}, options.repeat),
    ]
    rows = []
    for label, url, viewer, headers, repeat in pages:
        client = Client(HTTP_HOST="localhost")
        client.force_login(viewer)
        _time(client, url, 1, headers)
        median, p95, status, queries = _time(client, url, repeat, headers)
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
        rows.append(f"| {label} | {status} | {queries} | {median:.1f} | {p95:.1f} |")
        print(rows[-1])
    started = time.perf_counter()
    due = len(due_for_scheduled_reminder(version=version, now=version.published_at + datetime.timedelta(days=8))[:500])
    elapsed = (time.perf_counter() - started) * 1000
    rows.append(f"| next 500 people due a scheduled reminder ({due} found) | - | 1 | {elapsed:.1f} | - |")
    print(rows[-1])
    vendor = connection.vendor
    RESULTS.mkdir(exist_ok=True)
    report = RESULTS / f"guidelines-{vendor}.md"
    report.write_text(
        f"# Guidelines pages, {people:,} people, {vendor}\n\n"
        f"`uv run python benchmarks/guidelines.py --people {options.people}` on {os.cpu_count()} cores, "
        "full request cycle in process (no network); a published version with about 60% acknowledged.\n\n"
        "| page | status | queries | median ms | p95 ms |\n| --- | --- | --- | --- | --- |\n" + "\n".join(rows) + "\n"
    )
    print(f"written {report}")


if __name__ == "__main__":
    main()
