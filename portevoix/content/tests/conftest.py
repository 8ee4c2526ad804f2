# Shares make tracked links: the links app's click buffer and cache are emptied around each test.
from portevoix.links.tests.conftest import _fresh_click_buffer_and_cache

__all__ = ["_fresh_click_buffer_and_cache"]
