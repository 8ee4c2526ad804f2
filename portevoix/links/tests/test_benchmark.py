"""The redirect benchmark's own logic: reading wrk's output, its request script, a tiny real run."""

import importlib
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import Personas
from portevoix.demo.server import WebServer
from portevoix.links import selectors
from portevoix.links.tests.factories import make_link
from portevoix.links.tests.http import status_and_location

# Imported by name at run time: mypy checks benchmarks/ as scripts, not as a package.
redirects = importlib.import_module("benchmarks.redirects")

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:56237/l/xuSp2vuCT8
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.00ms    3.27ms    1.02s    87.26%
    Req/Sec     4.50k     1.74k    7.22k    50.00%
  Latency Distribution
     50%  850.00us
     75%    4.90ms
     90%    7.53ms
     99%    1.14s
  44815 requests in 10.01s, 13.38MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:   4476.21
Transfer/sec:      1.34MB
""".replace("1.14s\n", "1.14s \n")  # wrk pads durations of seconds with a space


def test_wrk_output_is_read_with_its_units_and_errors() -> None:
    result = redirects.parse_wrk(WRK_OUTPUT)

    assert result == redirects.WrkResult(
        requests=44815,
        requests_per_second=4476.21,
        p50_ms=0.85,
        p90_ms=7.53,
        p99_ms=1140.0,
        max_ms=1020.0,
        non_3xx=7,
        socket_errors=5,
    )


def test_wrk_output_without_latencies_is_refused() -> None:
    with pytest.raises(ValueError, match="wrk output has no"):
        redirects.parse_wrk("Running 1s test @ http://127.0.0.1:1\n")


def test_the_request_script_draws_codes_and_referrers_and_sends_a_browser_agent() -> None:
    script = redirects.lua_script(["abc", "def"], ["https://t.co/x", ""])

    assert 'local codes = {"abc", "def"}' in script
    assert 'local referers = {"https://t.co/x", ""}' in script
    assert f'wrk.headers["User-Agent"] = "{redirects.BROWSER}"' in script
    assert f'{{["Referer"] = referer, ["User-Agent"] = "{redirects.BROWSER}"}}' in script


def _running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


@pytest.mark.django_db(transaction=True)
def test_a_tiny_wrk_run_against_the_web_server_is_counted_whole(personas: Personas, tmp_path: Path) -> None:
    if shutil.which("wrk") is None:
        if _running_in_ci():
            pytest.fail("wrk is missing: .ci/run installs it")
        pytest.skip("wrk is not installed (apt-get install wrk)")
    links = [make_link(personas.acme), make_link(personas.acme)]
    script = tmp_path / "redirects.lua"
    script.write_text(redirects.lua_script([link.code for link in links], redirects.REFERERS))
    server = WebServer(host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for link in links:  # first clicks, through Django: slow on a busy machine, and not what wrk measures
            status_and_location(f"http://127.0.0.1:{server.port}{link.short_path}")
        output, command = redirects.run_wrk(f"http://127.0.0.1:{server.port}", script, connections=2, duration=2)
    finally:
        server.stop()
        thread.join(timeout=10)

    result = redirects.parse_wrk(output)
    counted = selectors.click_total([link.pk for link in links])
    assert command.startswith("wrk -t1 -c2 -d2s --latency -s redirects.lua http://127.0.0.1:")
    assert result.requests > 0
    assert result.non_3xx == 0
    # wrk stops counting at the deadline (and at its timeouts, on a busy machine); the server
    # still answers the requests then in flight, and counts them.
    assert result.requests + 2 <= counted <= result.requests + 2 + 2 + result.socket_errors


def test_the_benchmark_says_how_to_install_wrk_when_it_is_missing(tmp_path: Path) -> None:
    environment = os.environ | {"PATH": str(tmp_path), "PORTEVOIX_DATA_DIR": str(tmp_path)}
    script = Path(str(redirects.__file__))

    done = subprocess.run(
        [sys.executable, str(script), "--links", "1"],
        capture_output=True, text=True, env=environment, check=False, timeout=120,
    )  # fmt: skip

    assert done.returncode == 1
    assert "wrk is missing: install it first (Debian: apt-get install wrk)." in done.stderr
