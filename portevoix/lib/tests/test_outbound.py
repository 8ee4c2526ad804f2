"""The outbound HTTP helpers: what a failure says about the request, the networks' waiting and rate-limit headers."""

import datetime

import httpx
import pytest
import respx
from django.utils import timezone

from portevoix.channels.connectors import HttpClient, base
from portevoix.lib import outbound

NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    assert outbound.retry_after(httpx.Headers({"Retry-After": "120"}), now=NOW) == datetime.timedelta(seconds=120)
    in_ninety = httpx.Headers({"Retry-After": "Fri, 27 Nov 2026 10:01:30 GMT"})
    assert outbound.retry_after(in_ninety, now=NOW) == datetime.timedelta(seconds=90)
    assert outbound.retry_after(httpx.Headers({"Retry-After": "Fri, 27 Nov 2026 09:00:00 GMT"}), now=NOW) == (
        datetime.timedelta(0)
    )
    assert outbound.retry_after(httpx.Headers({"Retry-After": "soon"}), now=NOW) is None
    assert outbound.retry_after(httpx.Headers(), now=NOW) is None


def test_moment_and_integer_headers_are_read_or_ignored_when_malformed() -> None:
    headers = httpx.Headers(
        {
            "x-rate-limit-reset": "1795773600",
            "x-ratelimit-reset": "2026-11-27T10:00:00.000Z",
            "x-rate-limit-remaining": "7",
            "bad": "-1",
        }
    )
    assert outbound.moment_header(headers, "x-rate-limit-reset") == NOW
    assert outbound.moment_header(headers, "x-ratelimit-reset") == NOW
    assert outbound.int_header(headers, "x-rate-limit-remaining") == 7
    assert outbound.int_header(headers, "bad") is None
    assert outbound.moment_header(headers, "bad") is None
    assert outbound.moment_header(headers, "missing") is None


def test_a_refused_connection_was_not_sent_and_a_read_timeout_maybe_was() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    def stall(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("no answer", request=request)

    for handler, delivery in ((refuse, outbound.Delivery.NOT_SENT), (stall, outbound.Delivery.MAYBE_SENT)):
        with (
            httpx.Client(transport=httpx.MockTransport(handler)) as client,
            pytest.raises(outbound.OutboundFailure) as raised,
        ):
            outbound.send(client, client.build_request("POST", "https://network.example/posts"))
        assert raised.value.delivery is delivery


SERVER = "https://mastodon.example"
FAST = base.Timeouts(connect=1, read=1, write=1, pool=1)


def _call(router: respx.MockRouter, answer: httpx.Response | Exception, *, is_write: bool) -> base.ConnectorError:
    router.post(f"{SERVER}/api/v1/statuses").mock(side_effect=[answer])
    client = HttpClient(SERVER, timeouts=FAST, token="t0ken")
    try:
        client.json("POST", "/api/v1/statuses", is_write=is_write)
    except base.ConnectorError as error:
        return error
    finally:
        client.close()
    raise AssertionError("no error raised")


@pytest.mark.parametrize(
    ("status", "is_write", "expected"),
    [
        (401, True, base.AuthExpired),
        (422, True, base.PermanentError),
        (500, True, base.AmbiguousOutcome),
        (500, False, base.RetryableError),
        (408, True, base.AmbiguousOutcome),
        (408, False, base.RetryableError),
    ],
)
def test_the_client_maps_each_refusal_to_what_a_retry_may_do(
    respx_mock: respx.MockRouter, status: int, is_write: bool, expected: type[base.ConnectorError]
) -> None:
    error = _call(respx_mock, httpx.Response(status, json={"error": "Nope"}), is_write=is_write)

    assert type(error) is expected
    assert (error.status, error.message) == (status, "Nope")


@pytest.mark.parametrize(
    ("failure", "is_write", "expected", "message"),
    [
        (httpx.ConnectError("refused"), True, base.RetryableError, "Could not reach the network: ConnectError."),
        (httpx.ReadTimeout("slow"), True, base.AmbiguousOutcome, "No answer after sending: ReadTimeout."),
        (httpx.ReadTimeout("slow"), False, base.RetryableError, "No answer from the network: ReadTimeout."),
    ],
)
def test_the_client_says_whether_a_call_without_answer_may_have_taken_effect(
    respx_mock: respx.MockRouter, failure: Exception, is_write: bool, expected: type[Exception], message: str
) -> None:
    error = _call(respx_mock, failure, is_write=is_write)

    assert (type(error), error.message) == (expected, message)


def test_an_unreadable_answer_to_a_write_may_have_taken_effect(respx_mock: respx.MockRouter) -> None:
    error = _call(respx_mock, httpx.Response(200, text="<html>"), is_write=True)

    assert type(error) is base.AmbiguousOutcome


IN_90_SECONDS = "in 90 seconds"


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"Retry-After": "7"}, datetime.timedelta(seconds=7)),
        ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": IN_90_SECONDS}, datetime.timedelta(seconds=90)),
        ({}, outbound.DEFAULT_RETRY_AFTER),
    ],
)
def test_a_429_waits_for_retry_after_else_the_rate_limit_reset_else_a_minute(
    respx_mock: respx.MockRouter, headers: dict[str, str], wait: datetime.timedelta
) -> None:
    reset_at = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=90)
    sent = {name: reset_at.isoformat() if value == IN_90_SECONDS else value for name, value in headers.items()}

    error = _call(respx_mock, httpx.Response(429, headers=sent), is_write=True)

    assert isinstance(error, base.RateLimited)
    assert wait - datetime.timedelta(seconds=2) <= error.retry_after <= wait


def test_the_client_keeps_the_rate_limit_state_it_is_given(respx_mock: respx.MockRouter) -> None:
    headers = {"X-RateLimit-Remaining": "299", "X-RateLimit-Reset": "2026-11-27T10:00:00.000Z"}
    respx_mock.get(f"{SERVER}/api/v1/accounts/verify_credentials").mock(
        return_value=httpx.Response(200, headers=headers, json={"id": "1"})
    )
    client = HttpClient(SERVER, timeouts=FAST, token="t0ken")
    assert client.json("GET", "/api/v1/accounts/verify_credentials") == {"id": "1"}
    client.close()

    assert client.rate_limit == base.RateLimit(remaining=299, reset_at=NOW)
    assert respx_mock.calls.last.request.headers["authorization"] == "Bearer t0ken"
