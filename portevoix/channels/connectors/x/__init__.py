"""X (formerly Twitter): API v2 with OAuth 2.0 user tokens."""

from portevoix.channels.connectors.base import ConnectorEntry
from portevoix.channels.connectors.x.connector import XConnector
from portevoix.channels.connectors.x.oauth import SCOPES, XOAuth

ENTRY = ConnectorEntry(connector=XConnector, oauth=XOAuth, scopes=SCOPES)
