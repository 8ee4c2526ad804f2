"""The production web server (waitress) around our WSGI application, stoppable by signal or by call."""

import signal
import threading
import types
from typing import Any

import waitress
from django.conf import settings
from django.core.servers.basehttp import get_internal_wsgi_application

from portevoix.links import clicks

LOOPBACK_ADDRESSES = {"127.0.0.1", "localhost", "::1", "[::1]"}
WILDCARD_ADDRESSES = {"0.0.0.0", "::", ""}  # noqa: S104 - names, not a bind


def _interrupt(signum: int, frame: types.FrameType | None) -> None:
    # waitress ends its loop cleanly on KeyboardInterrupt; SIGTERM (docker stop, systemd) deserves the same.
    raise KeyboardInterrupt


class WebServer:
    """waitress serving the WSGI application on host:port with a pool of request threads."""

    def __init__(self, *, host: str, port: int, threads: int) -> None:
        # create_server binds at once, so a port already in use fails here, before anything starts.
        self._server: Any = waitress.create_server(
            get_internal_wsgi_application(), host=host, port=port, threads=threads, ident="Porte-Voix"
        )
        self._is_closed = False

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    def run(self) -> None:
        """Serve until stop(), Ctrl+C or SIGTERM, then close the sockets and the request threads."""
        previous: Any = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            self._server.run()
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
            self._close()

    def stop(self) -> None:
        """Stop from any thread: the server's own loop closes its sockets, and run() returns.

        Stopping a server whose loop has already ended (its trigger closed with it) does nothing.
        """
        if self._is_closed:
            return
        try:
            self._server.trigger.pull_trigger(self._close_sockets)
        except OSError:
            self._close_sockets()

    def _close_sockets(self) -> None:
        if not self._is_closed:
            self._is_closed = True
            self._server.close()

    def _close(self) -> None:
        self._close_sockets()
        self._server.task_dispatcher.shutdown()
        clicks.stop_flusher()  # writes the clicks counted in memory by the requests just served


def browser_url(*, host: str, port: int) -> str:
    """The address to open in a browser: a wildcard bind is reachable on the loopback."""
    shown = "127.0.0.1" if host in WILDCARD_ADDRESSES else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def allowed_hosts_advice(*, host: str, port: int) -> str | None:
    """What to set when the server will be reached under a name Django does not accept yet."""
    allowed = set(settings.ALLOWED_HOSTS)
    if "*" in allowed or host in LOOPBACK_ADDRESSES or host in allowed:
        return None
    if host in WILDCARD_ADDRESSES:
        return (
            f"Listening on every interface. To open it from another machine as http://NAME:{port}/, "
            "set PORTEVOIX_ALLOWED_HOSTS=NAME (comma-separated, keep 127.0.0.1,localhost) and restart."
        )
    return (
        f"Requests for {host} are refused until it is an allowed host: "
        f"set PORTEVOIX_ALLOWED_HOSTS={host},127.0.0.1,localhost and restart."
    )
