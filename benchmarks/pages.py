"""Time the directory and map pages for an organisation of many people.

    uv run python benchmarks/pages.py --people 100000            # SQLite in a fresh data folder
    createdb pv_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pv_bench uv run python benchmarks/pages.py --people 100000

Builds the organisation with `portevoix seed --people N` (skipped when it already exists), then
requests each page through Django's full request cycle (middleware, sessions, templates) in
this process and reports the median and 95th percentile. Results go to
benchmarks/results/pages-<database>.md. PRODUCT.md §4 targets pages under 100 ms.
"""

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def _setup(data_dir: str | None) -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ.setdefault("PORTEVOIX_DATA_DIR", data_dir or tempfile.mkdtemp(prefix="portevoix-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portevoix.settings")
    os.environ.setdefault("PORTEVOIX_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _time(client: object, url: str, repeat: int, *, cold: bool = False) -> tuple[float, float, int]:
    from django.core.cache import cache

    timings = []
    status = 0
    for _ in range(repeat):
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        timings.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--data-dir", help="Reuse this data folder (SQLite) between runs.")
    options = parser.parse_args()
    _setup(options.data_dir)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from portevoix.accounts.models import Department, Organization, User
    from portevoix.accounts.roles import Role

    call_command("migrate", verbosity=0)
    slug = "large"
    if not Organization.objects.filter(slug=slug).exists():
        started = time.perf_counter()
        call_command("seed", people=options.people, organization=slug, verbosity=0)
        print(f"seeded {options.people} people in {time.perf_counter() - started:.1f} s")
    organization = Organization.objects.get(slug=slug)
    viewer = User.objects.filter(organization=organization, roles__role=Role.HR).first()
    if viewer is None:
        viewer = User.objects.filter(organization=organization).order_by("pk").first()
        assert viewer is not None
        viewer.roles.create(role=Role.HR)
        viewer.roles.create(role=Role.COMMUNICATION_DIRECTOR)
    people = User.objects.filter(organization=organization).count()
    department = Department.objects.filter(organization=organization).order_by("pk").first()
    last_page = max(1, people // 50)
    client = Client(HTTP_HOST="localhost")
    client.force_login(viewer)
    pages = [
        ("directory, first page", "/people/"),
        ("directory, search by name", "/people/?q=martin"),
        ("directory, filter by department", f"/people/?department={department.pk if department else ''}"),
        ("directory, last page", f"/people/?page={last_page}"),
        ("directory, search (htmx partial)", "/people/?q=dupont"),
        ("map of the three layers", "/map/"),
        ("map, numbers recomputed (cache emptied)", "/map/"),
        ("API people, search", "/api/v1/people?q=martin"),
        ("API map", "/api/v1/map"),
    ]
    rows = []
    for label, url in pages:
        _time(client, url, 2)  # warm caches
        median, p95, status = _time(client, url, options.repeat, cold="recomputed" in label)
        if status != 200:
            raise SystemExit(f"{url} answered {status}: the benchmark measures working pages only")
        rows.append(f"| {label} | `{url}` | {status} | {median:.1f} | {p95:.1f} |")
        print(rows[-1])
    vendor = connection.vendor
    RESULTS.mkdir(exist_ok=True)
    report = RESULTS / f"pages-{vendor}.md"
    report.write_text(
        f"# Page timings, {people:,} people, {vendor}\n\n"
        f"`uv run python benchmarks/pages.py --people {options.people}` on {os.cpu_count()} cores, "
        f"{options.repeat} requests per page, full request cycle in process (no network).\n\n"
        "| page | URL | status | median ms | p95 ms |\n| --- | --- | --- | --- | --- |\n" + "\n".join(rows) + "\n"
    )
    print(f"written {report}")


if __name__ == "__main__":
    main()
