import datetime

import httpx
import pytest

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


def test_epoch_and_integer_headers_are_read_or_ignored_when_malformed() -> None:
    headers = httpx.Headers({"x-rate-limit-reset": "1795773600", "x-rate-limit-remaining": "7", "bad": "-1"})
    assert outbound.epoch_header(headers, "x-rate-limit-reset") == NOW
    assert outbound.int_header(headers, "x-rate-limit-remaining") == 7
    assert outbound.int_header(headers, "bad") is None
    assert outbound.epoch_header(headers, "missing") is None


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
