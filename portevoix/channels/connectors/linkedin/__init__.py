"""LinkedIn: organisation pages (Community Management API) through the versioned REST API."""

from portevoix.channels.connectors.base import ConnectorEntry
from portevoix.channels.connectors.linkedin.connector import LinkedInConnector
from portevoix.channels.connectors.linkedin.oauth import SCOPES, LinkedInOAuth

ENTRY = ConnectorEntry(connector=LinkedInConnector, oauth=LinkedInOAuth, scopes=SCOPES)
