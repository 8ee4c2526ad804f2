"""Recorded HTTP exchanges for the connectors of networks that have no local server (LinkedIn, X, Meta, Bluesky).

Each connector's tests keep a JSON file of exchanges written from the network's documentation:
the request as the network expects it (method, URL, query, JSON or form body, headers) and the
network's answer (status, headers, body), or a transport failure (`"fail": "read_timeout"` for
a timeout after the request was sent, `"connect_timeout"` for one before). `replay` serves
them with respx at httpx's transport, in order, and fails the test when the connector's
request differs from the recorded one, so the file is also the contract of each call. In a
recorded body, "@any" stands for a value that changes at each run (a timestamp).
"""

import dataclasses
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import respx

from portevoix.channels.connectors import base

_FAILURES: dict[str, type[httpx.TransportError]] = {
    "read_timeout": httpx.ReadTimeout,
    "connect_timeout": httpx.ConnectTimeout,
    "connect_error": httpx.ConnectError,
}


@dataclass(frozen=True)
class Exchange:
    name: str
    request: dict[str, Any]
    response: dict[str, Any]

    @property
    def method(self) -> str:
        return str(self.request["method"])

    @property
    def url(self) -> str:
        return str(self.request["url"])


def load_exchanges(path: Path) -> dict[str, Exchange]:
    recorded = json.loads(path.read_text(encoding="utf-8"))
    return {name: Exchange(name, item["request"], item["response"]) for name, item in recorded.items()}


def matches(expected: object, actual: object) -> bool:
    """Recorded JSON against sent JSON; "@any" stands for a value that changes at each run (a timestamp)."""
    if expected == "@any":
        return True
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(matches(expected[key], actual[key]) for key in expected)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(matches(e, a) for e, a in zip(expected, actual, strict=True))
    return expected == actual


def _check_request(exchange: Exchange, request: httpx.Request) -> None:
    expected = exchange.request
    where = f"exchange {exchange.name!r}"
    assert request.method == exchange.method, f"{where}: method {request.method}"
    for name, value in expected.get("headers", {}).items():
        assert request.headers.get(name) == value, f"{where}: header {name}={request.headers.get(name)!r}"
    query = {key: values[0] for key, values in parse_qs(urlsplit(str(request.url)).query).items()}
    for name, value in expected.get("params", {}).items():
        assert query.get(name) == str(value), f"{where}: query {name}={query.get(name)!r}"
    if "json" in expected:
        assert matches(expected["json"], json.loads(request.content)), f"{where}: body {request.content!r}"
    if "form" in expected:
        form = {key: values[0] for key, values in parse_qs(request.content.decode()).items()}
        assert form == expected["form"], f"{where}: form {form!r}"
    for part in expected.get("multipart_contains", []):
        assert part.encode() in request.content, f"{where}: multipart lacks {part!r}"


def _answer(exchange: Exchange, request: httpx.Request) -> httpx.Response:
    _check_request(exchange, request)
    answer = exchange.response
    if "fail" in answer:
        raise _FAILURES[answer["fail"]](f"recorded {answer['fail']}", request=request)
    headers = dict(answer.get("headers", {}))
    if "json" in answer:
        return httpx.Response(answer["status"], headers=headers, json=answer["json"])
    return httpx.Response(answer["status"], headers=headers, content=answer.get("text", "").encode())


def replay(router: respx.MockRouter, *exchanges: Exchange) -> respx.Route:
    """Serve `exchanges`, in this order, at their (same) method and URL; returns the route to count calls."""
    first = exchanges[0]
    parts = urlsplit(first.url)
    queue: Iterator[Exchange] = iter(exchanges)

    def side_effect(request: httpx.Request) -> httpx.Response:
        exchange = next(queue, None)
        assert exchange is not None, f"one call too many to {first.method} {first.url}"
        return _answer(exchange, request)

    route: respx.Route = router.route(
        method=first.method, scheme=parts.scheme, host=parts.hostname, path=unquote(parts.path)
    )
    route.side_effect = side_effect
    return route


def publish_fails[E: Exception](
    router: respx.MockRouter, exchange: Exchange, connector: base.Connector, post: base.OutgoingPost, error: type[E]
) -> E:
    """Publish against one recorded failure: the connector raises `error` after exactly one call (no silent retry)."""
    route = replay(router, exchange)
    try:
        connector.publish(post)
    except error as raised:
        assert route.call_count == 1, f"{route.call_count} calls for {exchange.name!r}"
        return raised
    raise AssertionError(f"{exchange.name!r}: no {error.__name__} raised")


def refresh_then_publish(
    router: respx.MockRouter,
    recorded: dict[str, Exchange],
    connector: Callable[[base.AccountAccess], base.Connector],
    account: base.AccountAccess,
    post: base.OutgoingPost,
    refresh: Callable[[str], base.TokenGrant],
) -> tuple[base.TokenGrant, base.PublishedPost]:
    """The token is refused (`create_post_expired_token`), refreshed (`token_refresh`), then the post goes out once."""
    posts = replay(router, recorded["create_post_expired_token"], recorded["create_post_after_refresh"])
    token = replay(router, recorded["token_refresh"])
    try:
        connector(account).publish(post)
    except base.AuthExpired:
        grant = refresh(account.refresh_token)
    else:
        raise AssertionError("the expired token was accepted")
    published = connector(dataclasses.replace(account, access_token=grant.access_token)).publish(post)
    assert (posts.call_count, token.call_count) == (2, 1)
    return grant, published


def access_for(
    prefix: str, *, base_url: str, remote_account_id: str, handle: str
) -> tuple[base.AccountAccess, base.AppCredentials]:
    """The account and the organisation's app a network's exchanges were recorded with.

    Tokens `<prefix>-access-1` and `<prefix>-refresh-1`, app `<prefix>-client` with secret `<prefix>-secret`.
    """
    account = base.AccountAccess(
        base_url=base_url,
        access_token=f"{prefix}-access-1",
        remote_account_id=remote_account_id,
        handle=handle,
        refresh_token=f"{prefix}-refresh-1",
    )
    return account, base.AppCredentials(client_id=f"{prefix}-client", client_secret=f"{prefix}-secret")


def published_once(
    router: respx.MockRouter, exchange: Exchange, connector: base.Connector, post: base.OutgoingPost
) -> base.PublishedPost:
    """Publish against one recorded answer: exactly one call."""
    route = replay(router, exchange)
    published = connector.publish(post)
    assert route.call_count == 1, f"{route.call_count} calls for {exchange.name!r}"
    return published
