"""Shared personas: two organisations, Acme (every role) and Globex (whose people must never see Acme's data).

Interface languages are explicit: Claire, Camille, Louis and Bob use French; Hélène, Alice, Adam
and Mallory use English. A test about the other language sets it on the person.
"""

import asyncio
import copy
import datetime
import socket
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy

import hypothesis
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django_tasks_db.management.commands import db_worker
from pytest_django import DjangoDbBlocker

from portevoix.accounts.models import Organization, User
from portevoix.accounts.roles import Role
from portevoix.accounts.services import create_organization, create_person, get_or_create_department
from portevoix.demo.loaders import DemoOutcome, load_demo

# How long one example takes depends on the machine's load, never on correctness: no deadline
# (a busy CI machine otherwise fails property tests at random).
hypothesis.settings.register_profile("portevoix", deadline=None)
hypothesis.settings.load_profile("portevoix")

PASSWORD = "correct-horse-battery-staple"
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class Personas:
    acme: Organization
    globex: Organization
    director: User  # Claire, communication director
    community_manager: User  # Camille
    compliance: User  # Louis, compliance officer
    hr: User  # Hélène
    ambassador: User  # Alice
    employee: User  # Bob
    admin: User  # Adam, administrator
    outsider: User  # Mallory, administrator of Globex

    def by_role(self) -> dict[str, User]:
        return {
            "communication_director": self.director,
            "community_manager": self.community_manager,
            "compliance_officer": self.compliance,
            "hr": self.hr,
            "ambassador": self.ambassador,
            "employee": self.employee,
            "administrator": self.admin,
        }


def make_personas() -> Personas:
    acme = create_organization(name="Acme", slug="acme", default_language="fr")
    globex = create_organization(name="Globex", slug="globex", default_language="en")
    marketing = get_or_create_department(organization=acme, name="Marketing")
    engineering = get_or_create_department(organization=acme, name="Engineering")

    def person(name: str, email: str, role: Role | None, **kwargs: object) -> User:
        return create_person(
            organization=kwargs.pop("organization", acme),  # type: ignore[arg-type]
            email=email,
            full_name=name,
            password=PASSWORD,
            roles=frozenset({role}) if role else frozenset(),
            **kwargs,  # type: ignore[arg-type]
        )

    return Personas(
        acme=acme,
        globex=globex,
        director=person("Claire Director", "claire@acme.test", Role.COMMUNICATION_DIRECTOR, department=marketing),
        community_manager=person("Camille Manager", "camille@acme.test", Role.COMMUNITY_MANAGER, department=marketing),
        compliance=person("Louis Compliance", "louis@acme.test", Role.COMPLIANCE_OFFICER),
        hr=person("Hélène RH", "helene@acme.test", Role.HR, language="en"),
        ambassador=person(
            "Alice Ambassador",
            "alice@acme.test",
            Role.AMBASSADOR,
            department=engineering,
            hire_date=datetime.date(2024, 9, 1),
            languages=["en", "fr"],
            language="en",
        ),
        employee=person("Bob Employee", "bob@acme.test", None, department=engineering),
        admin=person("Adam Admin", "adam@acme.test", Role.ADMINISTRATOR, language="en"),
        outsider=person(
            "Mallory Outsider", "mallory@globex.test", Role.ADMINISTRATOR, organization=globex, language="en"
        ),
    )


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


@pytest.fixture(scope="module")
def _demo_kept_for_the_module(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[DemoOutcome]:
    # The demo's rows live in a transaction around the whole module, rolled back after its last
    # test, as Django's setUpTestData does for a class. Between tests the database stays blocked
    # to tests that do not ask for it, as everywhere else.
    with django_db_blocker.unblock(), transaction.atomic():
        # This runs before the tests' own fixtures, whose hasher alone can check the passwords.
        with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
            outcome = load_demo(today=getattr(request.module, "DEMO_DAY", None))
        with django_db_blocker.block():
            yield outcome
        transaction.set_rollback(True)


@pytest.fixture
def demo(db: None, _demo_kept_for_the_module: DemoOutcome) -> DemoOutcome:
    """The demo companies, loaded once for all the tests of a module (a load takes 2 s on SQLite, 7 s on PostgreSQL).

    The module's DEMO_DAY, if it has one, is the demo's day. Each test still runs in its own
    savepoint and gets its own copy of the outcome, so what a test changes, the next one never
    sees. Every database test of such a module must use this fixture (checked at collection):
    any other would find the demo there.
    """
    return copy.deepcopy(_demo_kept_for_the_module)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests beside the module-wide demo (the `demo` fixture) must use it, and never as transactional tests."""

    def fixtures_of(item: pytest.Item) -> set[str]:
        return set(getattr(item, "fixturenames", []))

    modules_keeping_the_demo = {item.path for item in items if "demo" in fixtures_of(item)}
    for item in items:
        if item.path not in modules_keeping_the_demo:
            continue
        marker = item.get_closest_marker("django_db")
        # pytest-django's db, transactional_db and live_server fixtures all go through _django_db_helper.
        uses_database = marker is not None or "_django_db_helper" in fixtures_of(item)
        is_transactional = (marker is not None and marker.kwargs.get("transaction")) or bool(
            {"transactional_db", "live_server"} & fixtures_of(item)
        )
        if (uses_database and "demo" not in fixtures_of(item)) or is_transactional:
            raise pytest.UsageError(
                f"{item.nodeid} is beside tests that keep the demo loaded for their module: it would find the "
                "demo there, or, as a transactional test, empty it. Give it the `demo` fixture without "
                "transaction=True, or move it to another module."
            )


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    # Cached aggregates are keyed by organisation id, and ids repeat across rolled-back tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    # Real hashers take ~0.3 s per password by design; tests create dozens of people.
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _network_servers_on_loopback(settings: pytest.FixtureRequest) -> None:
    # The tests' network servers (the Mastodon server, a Bluesky PDS) listen on this machine.
    settings.CHANNELS_ALLOW_PRIVATE_SERVERS = True  # type: ignore[attr-defined]


@dataclass
class Mailbox:
    """Messages received by a real SMTP server (aiosmtpd) listening on loopback."""

    host: str
    port: int
    messages: list[EmailMessage]


class _ControllerOnSocket(Controller):
    """aiosmtpd's Controller serving on a socket already bound to a port the system chose.

    Probing for a free port and binding it again later leaves a moment in which another process
    (CI runs the SQLite and PostgreSQL suites at once) can take it; a socket held from the
    start cannot be taken.
    """

    def __init__(self, handler: object, listening: socket.socket) -> None:
        host, port = listening.getsockname()[:2]
        super().__init__(handler, hostname=host, port=port)
        self._listening = listening

    def _create_server(self) -> Awaitable[asyncio.AbstractServer]:
        return self.loop.create_server(self._factory_invoker, sock=self._listening)


@pytest.fixture
def mailbox(settings: pytest.FixtureRequest) -> Iterator[Mailbox]:
    received: list[EmailMessage] = []

    class Handler:
        async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
            content = envelope.content if isinstance(envelope.content, bytes) else str(envelope.content).encode()
            received.append(message_from_bytes(content, policy=default_policy))
            return "250 Message accepted for delivery"

    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    controller = _ControllerOnSocket(Handler(), listening)
    try:
        controller.start()
    except BaseException:
        listening.close()
        raise
    try:
        settings.MAILERS = {  # type: ignore[attr-defined]
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
            }
        }
        yield Mailbox(host="127.0.0.1", port=port, messages=received)
    finally:
        controller.stop()


@pytest.fixture
def run_jobs(monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """Run every ready background job in the test thread with django-tasks-db's own Worker.

    Returns how many ran. Tests (and the live server of browser tests) have no worker of their own.
    """
    # The worker drops "obsolete" connections between jobs, which inside a test transaction
    # would break it; the test owns the connection here.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> int:
        worker = db_worker.Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-host-1-abcdef/t1",
            excluded_queue_names=[],
        )
        worker.run()
        return worker._run_tasks

    return run
