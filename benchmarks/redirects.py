"""Load-test the tracked link redirect `/l/<code>` with wrk, against the real web server.

    uv run python benchmarks/redirects.py                    # SQLite in a temporary data folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pv_bench uv run python benchmarks/redirects.py

Needs wrk (Debian: `apt-get install wrk`); this script installs nothing. It migrates the
database, creates `--links` tracked links, and for each scenario starts a web server in its
own process on a free loopback port, warms it up for 5 s (first clicks
go through Django and fill the process's cache of links), then runs wrk for `--duration` s:

- waitress (`portevoix serve`, the demo's server), one link clicked over and over;
- waitress, `--links` links clicked at random with a mix of referrers (each link's first
  click goes through Django, the rest through the fast path in front of it);
- granian (a Rust HTTP server, one worker process) serving `portevoix.wsgi`, the same load;
- waitress serving Django alone, without the fast path, the same load: what the fast path buys.

It then waits for the click flusher and checks that every redirect wrk completed was counted.
Results (requests/s, latency p50/p90/p99/max, errors, machine load, the commands) go to
benchmarks/results/redirects-<database>.md.
"""

import argparse
import datetime
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
REFERERS = ["https://www.linkedin.com/feed/", "https://t.co/Ab12", "", "https://www.google.fr/", "https://bsky.app/"]
WARM_UP_SECONDS = 5
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class WrkResult:
    requests: int
    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    non_3xx: int
    socket_errors: int


def parse_duration_ms(text: str) -> float:
    """A wrk duration ("850.00us", "2.99ms", "1.02s") in milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(output: str) -> WrkResult:
    """The figures of `wrk --latency` output; raises ValueError naming what is missing."""

    def find(pattern: str) -> re.Match[str]:
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            raise ValueError(f"wrk output has no {pattern!r}:\n{output}")
        return match

    percentiles = {p: parse_duration_ms(find(rf"^\s+{p}%\s+(\S+)\s*$").group(1)) for p in (50, 90, 99)}
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_3xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkResult(
        requests=int(find(r"(\d+) requests in").group(1)),
        requests_per_second=float(find(r"Requests/sec:\s+([\d.]+)").group(1)),
        p50_ms=percentiles[50],
        p90_ms=percentiles[90],
        p99_ms=percentiles[99],
        max_ms=parse_duration_ms(find(r"Latency\s+\S+\s+\S+\s+(\S+)").group(1)),
        non_3xx=int(non_3xx.group(1)) if non_3xx else 0,
        socket_errors=sum(int(value) for value in sockets.groups()) if sockets else 0,
    )


def lua_script(codes: list[str], referers: list[str]) -> str:
    """A wrk script that requests the codes at random, each with a referrer drawn from `referers`."""
    quoted_codes = ", ".join(f'"{code}"' for code in codes)
    quoted_referers = ", ".join(f'"{referer}"' for referer in referers)
    return f"""
local codes = {{{quoted_codes}}}
local referers = {{{quoted_referers}}}
wrk.headers["User-Agent"] = "{BROWSER}"
math.randomseed(42)
request = function()
  local path = "/l/" .. codes[math.random(#codes)]
  local referer = referers[math.random(#referers)]
  if referer == "" then return wrk.format("GET", path) end
  -- Headers given here replace wrk.headers: the browser's agent goes again, or it counts as a preview.
  return wrk.format("GET", path, {{["Referer"] = referer, ["User-Agent"] = "{BROWSER}"}})
end
"""


class CpuMeter:
    """Share of the whole machine busy, and CPU seconds of one process, between start and stop."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._machine = self._machine_times()
        self._process = self._process_seconds()
        self._started = time.monotonic()

    @staticmethod
    def _machine_times() -> tuple[int, int]:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle and iowait
        return sum(fields), idle

    def _process_seconds(self) -> float:
        """CPU seconds of the server and its child processes (granian's worker is one)."""
        total = 0.0
        pending = [self.pid]
        while pending:
            pid = pending.pop()
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                continue  # a process that ended meanwhile
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
            pending += [int(child) for child in children]
        return total

    def stop(self) -> tuple[float, float]:
        """(machine busy %, server CPU % of one core)."""
        total, idle = self._machine_times()
        busy = 100 * (1 - (idle - self._machine[1]) / max(1, total - self._machine[0]))
        server = 100 * (self._process_seconds() - self._process) / (time.monotonic() - self._started)
        return busy, server


def _setup(data_dir: str | None) -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ.setdefault("PORTEVOIX_DATA_DIR", data_dir or tempfile.mkdtemp(prefix="portevoix-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portevoix.settings")
    os.environ.setdefault("PORTEVOIX_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _links(count: int) -> tuple[list[str], list[int]]:
    from django.core.management import call_command

    from portevoix.accounts.models import Organization
    from portevoix.accounts.services import create_organization
    from portevoix.links.models import TrackedLink
    from portevoix.links.services import create_tracked_link

    call_command("migrate", verbosity=0)
    organization = Organization.objects.filter(slug="bench-links").first()
    if organization is None:
        organization = create_organization(name="Bench links", slug="bench-links")
    existing = TrackedLink.objects.filter(organization=organization).count()
    for number in range(existing, count):
        create_tracked_link(
            organization=organization,
            target_url=f"https://www.example.com/news/{number}?from=bench",
            utm_source="linkedin",
            utm_medium="ambassador",
            utm_campaign="bench",
            utm_content=f"share-{number}",
        )
    rows = TrackedLink.objects.filter(organization=organization).order_by("pk").values_list("code", "pk")[:count]
    return [code for code, _pk in rows], [pk for _code, pk in rows]


def _clicks(link_ids: list[int]) -> int:
    from portevoix.links import selectors

    return selectors.click_total(link_ids) + sum(selectors.previews_per_link(link_ids).values())


SERVERS = ("waitress", "granian", "plain")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _server_command(kind: str, port: int, threads: int) -> list[str]:
    if kind == "waitress":  # the demo's and `portevoix serve`'s server
        return [sys.executable, "-m", "portevoix", "serve", "--port", str(port), "--threads", str(threads)]
    if kind == "granian":  # the Rust server the README recommends for production, one worker process
        return [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
                "--workers", "1", "--blocking-threads", str(threads), "--log-level", "error",
                "portevoix.wsgi:application"]  # fmt: skip
    return [sys.executable, __file__, "--serve-plain", "--port", str(port), "--threads", str(threads)]


class Server:
    """A web server in a child process on a free loopback port: waitress, granian, or Django alone."""

    def __init__(self, *, kind: str, threads: int) -> None:
        port = _free_port()
        command = _server_command(kind, port, threads)
        self.command = " ".join(["python", *command[1:]]).replace(str(Path(__file__).parent.parent) + "/", "")
        # waitress warns at every queued request under load: only errors, please.
        environment = os.environ | {"PORTEVOIX_LOG_LEVEL": "ERROR"}
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=environment)
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while not _is_listening(port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the server did not start: {self.command}")
            time.sleep(0.1)

    def stop(self) -> None:
        # SIGTERM: the server closes, and its click flusher writes what is pending.
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def _is_listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def serve_plain(port: int, threads: int) -> None:
    """waitress around Django's own WSGI application, without the tracked link fast path."""
    import waitress
    from django.core.wsgi import get_wsgi_application

    from portevoix.links import clicks

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    server: Any = waitress.create_server(get_wsgi_application(), host="127.0.0.1", port=port, threads=threads)
    clicks.start_flusher()
    try:
        server.run()
    except KeyboardInterrupt:
        server.close()
        clicks.stop_flusher()


def run_wrk(url: str, script: Path, *, connections: int, duration: int) -> tuple[str, str]:
    """wrk's output and its command line."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script), url]
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=duration + 60)
    return done.stdout, " ".join(command).replace(str(script), script.name)


@dataclass(frozen=True)
class Row:
    name: str
    result: WrkResult
    counted: int
    machine_busy: float
    server_cpu: float
    wrk_command: str
    server_command: str


def scenario(name: str, codes: list[str], link_ids: list[int], options: argparse.Namespace, *, server_kind: str) -> Row:
    from portevoix.links.models import ClickCount

    ClickCount.objects.filter(link_id__in=link_ids).delete()
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "redirects.lua"
        script.write_text(lua_script(codes, REFERERS))
        server = Server(kind=server_kind, threads=options.threads)
        try:
            warm_output, _ = run_wrk(server.url, script, connections=options.connections, duration=WARM_UP_SECONDS)
            meter = CpuMeter(server.process.pid)
            output, wrk_command = run_wrk(
                server.url, script, connections=options.connections, duration=options.duration
            )
            busy, server_cpu = meter.stop()
        finally:
            server.stop()
    expected = parse_wrk(warm_output).requests + parse_wrk(output).requests
    counted = _clicks(link_ids)
    print(f"{name}: {parse_wrk(output)}; {counted} clicks counted for {expected} redirects completed")
    return Row(name, parse_wrk(output), counted - expected, busy, server_cpu, wrk_command, server.command)


def report(rows: list[Row], options: argparse.Namespace, loads: tuple[tuple[float, ...], tuple[float, ...]]) -> str:
    from django.db import connection

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown")  # fmt: skip
    lines = [
        f"# Tracked link redirects under load, {connection.vendor}",
        "",
        f"{datetime.date.today():%Y-%m-%d}, {os.cpu_count()} cores ({cpu}), shared with other work: "
        f"load average {loads[0][0]:.2f} / {loads[0][1]:.2f} / {loads[0][2]:.2f} (1/5/15 min) before the runs, "
        f"{loads[1][0]:.2f} / {loads[1][1]:.2f} / {loads[1][2]:.2f} after.",
        "",
        f"`uv run python benchmarks/redirects.py --links {options.links} --connections {options.connections} "
        f"--duration {options.duration} --threads {options.threads}`: one web process, wrk on loopback "
        f"(1 thread, {options.connections} connections, {options.duration} s after a {WARM_UP_SECONDS} s warm-up).",
        "",
        "| scenario | requests/s | p50 ms | p90 ms | p99 ms | max ms | errors | clicks counted minus redirects "
        "completed | machine busy | server CPU (one core = 100%) | redirects per CPU-second of the server |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        result = row.result
        lines.append(
            f"| {row.name} | {result.requests_per_second:,.0f} | {result.p50_ms:.2f} | {result.p90_ms:.2f} | "
            f"{result.p99_ms:.2f} | {result.max_ms:.1f} | {result.non_3xx + result.socket_errors} | "
            f"{row.counted:+d} | {row.machine_busy:.0f}% | {row.server_cpu:.0f}% | "
            f"{result.requests_per_second / max(row.server_cpu / 100, 0.01):,.0f} |"
        )
    lines += [
        "",
        "wrk keeps every connection busy, so these are latencies at full throughput, queueing included. "
        "A load average above 2 means other work competed for the 2 cores: tail latencies (p99, max) then "
        "mostly measure waiting for a core, and the last column says what one core would do. "
        "Server CPU counts the server's processes (granian's worker "
        "too); above 100% it used more than one core.",
        "",
        "Commands:",
        "",
    ]
    for row in rows:
        lines.append(f"- {row.name}: server `{row.server_command}`, load `{row.wrk_command}`")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", help="SQLite data folder (default: a new temporary one)")
    parser.add_argument("--links", type=int, default=1000, help="tracked links clicked at random")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--duration", type=int, default=15, help="seconds per scenario")
    parser.add_argument("--threads", type=int, default=8, help="web server request threads")
    parser.add_argument("--serve-plain", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help="results file (default benchmarks/results/redirects-<db>.md)")
    options = parser.parse_args()
    _setup(options.data_dir)
    if options.serve_plain:
        serve_plain(options.port, options.threads)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: install it first (Debian: apt-get install wrk).")
    from django.db import connection

    codes, link_ids = _links(options.links)
    before = os.getloadavg()
    many = f"{len(codes):,} links at random"
    rows = [
        scenario("waitress, fast path, one link", codes[:1], link_ids[:1], options, server_kind="waitress"),
        scenario(f"waitress, fast path, {many}", codes, link_ids, options, server_kind="waitress"),
        scenario(f"granian, fast path, {many}", codes, link_ids, options, server_kind="granian"),
        scenario(f"waitress, Django alone (no fast path), {many}", codes, link_ids, options, server_kind="plain"),
    ]
    text = report(rows, options, (before, os.getloadavg()))
    output = options.output or RESULTS / f"redirects-{connection.vendor}.md"
    output.parent.mkdir(exist_ok=True)
    output.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
