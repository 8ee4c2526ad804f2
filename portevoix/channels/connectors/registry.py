"""Which connector serves which network: one explicit line per network, imported when first used.

Adding a network is a folder `connectors/<network>/` exposing `ENTRY` (a `ConnectorEntry`) and
one line here; see CONTRIBUTING.md. Facebook, Instagram and Threads share Meta's folder.
"""

from django.utils.module_loading import import_string

from portevoix.channels.connectors.base import ConnectorEntry
from portevoix.lib.networks import Network

_ENTRIES: dict[Network, str] = {
    Network.MASTODON: "portevoix.channels.connectors.mastodon.ENTRY",
}

DEMO_ENTRY = "portevoix.channels.connectors.demo.ENTRY"


class UnsupportedNetwork(LookupError):
    """No connector is installed for this network yet."""


def connector_entry(network: Network | str) -> ConnectorEntry:
    """The connector (and OAuth flow) for `network`; raises UnsupportedNetwork if none is installed."""
    path = _ENTRIES.get(Network(network))
    if path is None:
        raise UnsupportedNetwork(network)
    entry: ConnectorEntry = import_string(path)
    return entry


def demo_entry() -> ConnectorEntry:
    """The connector of demo channels: it publishes to nothing real."""
    entry: ConnectorEntry = import_string(DEMO_ENTRY)
    return entry


def supported_networks() -> list[Network]:
    """Networks with a connector installed, in the order of `Network`."""
    return [network for network in Network if network in _ENTRIES]
