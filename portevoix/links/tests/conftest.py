from collections.abc import Iterator

import pytest

from portevoix.links import cache, clicks


@pytest.fixture(autouse=True)
def _fresh_click_buffer_and_cache() -> Iterator[None]:
    # The buffer and the cache live as long as the process; ids repeat across rolled-back tests.
    clicks.buffer.clear()
    cache.clear()
    yield
    clicks.buffer.clear()
    cache.clear()
