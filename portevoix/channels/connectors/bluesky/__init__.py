"""Bluesky: the account's PDS over XRPC, connected with an app password (`session.BlueskySession`)."""

from portevoix.channels.connectors.base import ConnectorEntry
from portevoix.channels.connectors.bluesky.connector import BlueskyConnector

# No OAuth flow: Bluesky connects with a handle and an app password (see session.py).
ENTRY = ConnectorEntry(connector=BlueskyConnector, oauth=None, scopes=())
