"""What the connectors' tests share: the exchanges recorded for each network, next to its tests."""

from pathlib import Path

import pytest

from tests.recorded_exchanges import Exchange, load_exchanges


@pytest.fixture
def recorded(request: pytest.FixtureRequest) -> dict[str, Exchange]:
    """The network's recorded exchanges (`exchanges.json` beside the test module), fresh for each test."""
    return load_exchanges(Path(request.path).with_name("exchanges.json"))
