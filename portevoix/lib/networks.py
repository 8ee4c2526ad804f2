"""The social networks Porte-Voix knows: their names, how each counts a post's length, and share pages.

One place for what the composer, the content library, the ambassador's share buttons and the
connectors must agree on. Share pages need no API: the person lands on the network's own page
with the text (and link) filled in, and posts from their own account.
"""

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote, urlencode

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# What X and Mastodon count for any link, whatever its length (their link shorteners).
LINK_LENGTH = 23
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_ZERO_WIDTH_JOINER = "\u200d"
# X counts these code points as 1 and every other one (CJK, emoji…) as 2: twitter-text's
# version 3 configuration.
_X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_DOMAIN = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$")


class Network(StrEnum):
    LINKEDIN = "linkedin"
    X = "x"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    BLUESKY = "bluesky"
    MASTODON = "mastodon"
    THREADS = "threads"

    @property
    def label(self) -> str:
        return NETWORKS[self].name


class Counting(StrEnum):
    CHARACTERS = "characters"  # code points (LinkedIn, Facebook, Instagram, Threads)
    GRAPHEMES = "graphemes"  # what a reader sees as one character (Bluesky)
    LINKS_AS_23 = "links_as_23"  # every link counts 23 (Mastodon)
    X_WEIGHTED = "x_weighted"  # links count 23, wide characters 2 (X)


@dataclass(frozen=True)
class NetworkInfo:
    network: Network
    name: str  # a brand: the same in every language
    text_limit: int
    counting: Counting
    has_share_page: bool
    share_page_takes_text: bool


NETWORKS: dict[Network, NetworkInfo] = {
    info.network: info
    for info in (
        NetworkInfo(Network.LINKEDIN, "LinkedIn", 3000, Counting.CHARACTERS, True, False),
        NetworkInfo(Network.X, "X", 280, Counting.X_WEIGHTED, True, True),
        NetworkInfo(Network.FACEBOOK, "Facebook", 63206, Counting.CHARACTERS, True, False),
        NetworkInfo(Network.INSTAGRAM, "Instagram", 2200, Counting.CHARACTERS, False, False),
        NetworkInfo(Network.BLUESKY, "Bluesky", 300, Counting.GRAPHEMES, True, True),
        NetworkInfo(Network.MASTODON, "Mastodon", 500, Counting.LINKS_AS_23, True, True),
        NetworkInfo(Network.THREADS, "Threads", 500, Counting.CHARACTERS, True, True),
    )
}

NETWORK_CHOICES: list[tuple[str, str]] = [(info.network.value, info.name) for info in NETWORKS.values()]


class ShareError(ValueError):
    """A share page cannot be built: the reason is a sentence for the person."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))


def _graphemes(text: str) -> int:
    """Grapheme clusters, closely enough for a length gauge: combining marks, variation selectors,
    skin tones and characters joined by a zero-width joiner belong to the character before them."""
    count = 0
    joined = False
    for character in text:
        code = ord(character)
        if joined:
            joined = False
            continue
        if character == _ZERO_WIDTH_JOINER:
            joined = True
            continue
        if unicodedata.combining(character) or 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF:
            continue
        count += 1
    return count


def _x_weight(text: str) -> int:
    return sum(1 if any(low <= ord(c) <= high for low, high in _X_LIGHT_RANGES) else 2 for c in text)


def text_length(network: Network | str, text: str) -> int:
    """The length of a post as the network counts it against its limit."""
    counting = NETWORKS[Network(network)].counting
    if counting is Counting.CHARACTERS:
        return len(text)
    if counting is Counting.GRAPHEMES:
        return _graphemes(text)
    links = _URL.findall(text)
    rest = _URL.sub("", text)
    if counting is Counting.LINKS_AS_23:
        return len(rest) + LINK_LENGTH * len(links)
    return _x_weight(rest) + LINK_LENGTH * len(links)


def remaining(network: Network | str, text: str) -> int:
    """Characters left before the network's limit (negative when over)."""
    return NETWORKS[Network(network)].text_limit - text_length(network, text)


def is_domain(value: str) -> bool:
    return bool(_DOMAIN.match(value.strip().lower()))


def share_url(network: Network | str, *, text: str, url: str = "", instance: str = "") -> str:
    """The network's own share page for this text and link.

    Networks whose share page takes only a link (LinkedIn, Facebook) get the link; the person
    pastes their text there. Mastodon needs the person's instance (their server's domain).
    """
    network = Network(network)
    if not NETWORKS[network].has_share_page:
        raise ShareError(_("%(network)s has no share page: post from its app.") % {"network": network.label})
    with_link = f"{text} {url}".strip() if url and url not in text else text
    if network is Network.LINKEDIN:
        if not url:
            raise ShareError(_("LinkedIn's share page needs a link."))
        return "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})
    if network is Network.FACEBOOK:
        if not url:
            raise ShareError(_("Facebook's share page needs a link."))
        return "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})
    if network is Network.X:
        return "https://x.com/intent/post?" + urlencode({"text": text, "url": url} if url else {"text": text})
    if network is Network.THREADS:
        return "https://www.threads.com/intent/post?" + urlencode({"text": text, "url": url} if url else {"text": text})
    if network is Network.BLUESKY:
        return "https://bsky.app/intent/compose?" + urlencode({"text": with_link})
    domain = instance.strip().lower().removeprefix("https://").rstrip("/")
    if not is_domain(domain):
        raise ShareError(_("Give your Mastodon server's domain, for example mastodon.social."))
    return f"https://{quote(domain)}/share?" + urlencode({"text": with_link})
