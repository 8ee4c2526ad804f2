"""Meta: Facebook pages and Instagram business accounts, through the Graph API (one login for both)."""

from portevoix.channels.connectors.base import ConnectorEntry
from portevoix.channels.connectors.meta.facebook import FacebookPageConnector
from portevoix.channels.connectors.meta.instagram import InstagramConnector
from portevoix.channels.connectors.meta.oauth import SCOPES, InstagramOAuth, MetaOAuth

FACEBOOK = ENTRY = ConnectorEntry(connector=FacebookPageConnector, oauth=MetaOAuth, scopes=SCOPES)
INSTAGRAM = ConnectorEntry(connector=InstagramConnector, oauth=InstagramOAuth, scopes=SCOPES)
