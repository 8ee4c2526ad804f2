"""Mastodon: any instance, through its REST API (statuses v1, media v2), connected by OAuth.

Each organisation registers its own app on each instance (`POST /api/v1/apps`). Mastodon tokens
do not expire by themselves; a revoked one answers 401. A replayed `Idempotency-Key` returns the
status created the first time (Mastodon keeps keys for an hour).
"""

from portevoix.channels.connectors.base import ConnectorEntry
from portevoix.channels.connectors.mastodon.client import SCOPES, MastodonConnector
from portevoix.channels.connectors.mastodon.oauth import MastodonOAuth

ENTRY = ConnectorEntry(connector=MastodonConnector, oauth=MastodonOAuth, scopes=SCOPES)
