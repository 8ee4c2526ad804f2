from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from portevoix.demo.server import WebServer, allowed_hosts_advice, browser_url


class Command(BaseCommand):
    help = (
        "Run the production web server (waitress) alone, without a background worker: start several "
        "behind a reverse proxy and run the workers as their own processes. Ctrl+C or SIGTERM stops it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="TCP port (default 8000).")
        parser.add_argument("--threads", type=int, default=8, help="Request threads (default 8).")

    def handle(self, *args: Any, **options: Any) -> None:
        host = options["host"]
        if options["threads"] < 1:
            self.stderr.write("--threads must be at least 1.")
            raise SystemExit(2)
        server = WebServer(host=host, port=options["port"], threads=options["threads"])
        self.stdout.write(f"Serving on {browser_url(host=host, port=server.port)} with {options['threads']} threads.")
        advice = allowed_hosts_advice(host=host, port=server.port)
        if advice:
            self.stderr.write(advice)
        self.stdout.flush()
        server.run()
        self.stdout.write("Stopped.")
