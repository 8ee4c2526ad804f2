"""Connectors: one folder per network, behind the interface of `base.py` (see docs/connectors.md).

`HttpClient` is `portevoix.lib.outbound`'s client raising the interface's errors, for connectors
built on a client object (Mastodon's); the others call `outbound`'s functions with `base`.
"""

from typing import ClassVar

from portevoix.channels.connectors import base
from portevoix.lib import outbound


class HttpClient(outbound.HttpClient):
    errors: ClassVar[outbound.ErrorVocabulary] = base
    rate_limit: base.RateLimit | None
