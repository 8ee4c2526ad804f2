# ruff: noqa: RUF002  -- look-alike characters in domains are what this module is about
"""Links: find URLs, read their registrable domain, and flag blocked, shortened, unlisted and fake ones.

URLs are found on the folded view (so a Cyrillic "е" in a domain already reads "e") by anchoring
on each dot between two letters or digits, the cheapest place a URL can be told from prose,
then reading the host around it. Without a scheme or "www.", a host counts as a link only when
its last label is a known top-level domain: "fin.Merci" (a missing space) is not a link.

The registrable domain is the last two labels, or three under a multi-part public suffix of the
small built-in list below: no public suffix list is downloaded, ever (the product runs offline).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from compliance_engine.model import LinkProblem, LinkSettings
from compliance_engine.normalize import Folded, fold_term

_MULTI_PART_SUFFIXES = frozenset(
    {
        "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk", "com.au", "net.au", "org.au",
        "gouv.fr", "asso.fr", "co.jp", "ne.jp", "or.jp", "co.nz", "co.za", "com.br", "com.mx", "com.ar",
        "com.tr", "com.cn", "com.hk", "com.sg", "co.in", "co.kr", "co.il", "com.es", "qc.ca", "gc.ca",
    }
)  # fmt: skip
# Top-level domains that make "word.tld" a link without a scheme or "www.".
_KNOWN_TLDS = frozenset(
    {
        "com", "org", "net", "fr", "io", "co", "uk", "de", "eu", "be", "ch", "ca", "us", "info", "biz", "app",
        "dev", "ai", "me", "tv", "ly", "gl", "gd", "in", "es", "it", "nl", "pt", "lu", "ma", "tn", "dz", "sn",
        "jp", "cn", "ru", "br", "au", "nz", "za", "xyz", "online", "site", "shop", "store", "tech", "cc", "gg",
        "to", "at", "pl", "se", "no", "dk", "fi", "ie", "link", "live", "news", "blog", "cloud", "id", "sh",
    }
)  # fmt: skip
# Everything before a host: up to the last character that no host has. (`re` reads the `.*` to the
# end of its bounds at once, then back over the host's characters only.)
_BEFORE_HOST = re.compile(r"(?s:.*)[^a-z0-9.\-]")
# A dot between two letters or digits (`[^\W_]` is what `str.isalnum` accepts): where a host can be.
_LINK_DOT = re.compile(r"\.(?=[^\W_])(?<=[^\W_]\.)")
# A URL: host, port, path. The path leaves out the punctuation that ends it ("voir x.com/a."): the
# lookbehind gives back its last characters while they are trailing punctuation.
_HOST_PORT_PATH = (
    r"(?P<host>(?:[a-z0-9-]+\.)+(?P<label>[a-z0-9-]+))(?::\d{1,5})?(?:[/?#][^\s<>\"']*(?<![.,;:!?)\]}»\"']))?"
)
_URL = re.compile(r"(?:(?P<scheme>[a-z][a-z0-9+.-]*)://)?" + _HOST_PORT_PATH)
_URL_WITHOUT_SCHEME = re.compile(_HOST_PORT_PATH)
# Digits and symbols read as the letters they imitate in a domain ("lumare11e" -> "lumarelle").
_DOMAIN_LEET = (str.maketrans("01345$@", "oleassa"), str.maketrans("01345$@", "oieassa"))
_SHORT_LABEL = 6  # labels shorter than this allow one edit, not two, to count as a look-alike
# Hosts a link rule remembers what it made of; a long-running process starts afresh past this many.
_MOST_PROFILES = 4096


@dataclass(frozen=True, slots=True)
class LinkMatch:
    """A flagged link: its span in the folded view, the problem and the domain at fault."""

    start: int
    end: int
    problem: LinkProblem
    domain: str


def registrable_domain(host: str) -> str:
    """The domain a person registers: "shop.lumarelle.co.uk" -> "lumarelle.co.uk"."""
    labels = host.strip(".").split(".")
    size = 3 if ".".join(labels[-2:]) in _MULTI_PART_SUFFIXES else 2
    return ".".join(labels[-size:])


def edit_distance(first: str, second: str, bound: int) -> int:
    """Levenshtein distance with adjacent swaps, or `bound + 1` as soon as it exceeds `bound`."""
    if abs(len(first) - len(second)) > bound:
        return bound + 1
    before: list[int] | None = None
    row = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i]
        for j, b in enumerate(second, 1):
            cost = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (a != b))
            if before is not None and i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > bound:
            return bound + 1
        before, row = row, current
    return min(row[-1], bound + 1)


def _is_within(host: str, domains: frozenset[str]) -> bool:
    """Whether a host is one of the domains or a subdomain of one."""
    labels = host.split(".")
    return any(".".join(labels[index:]) in domains for index in range(len(labels) - 1))


@dataclass(frozen=True, slots=True)
class _HostProfile:
    """What a link rule makes of one host, whatever the text around it."""

    domain: str  # registrable
    is_blocked: bool
    is_own: bool
    is_lookalike: bool
    is_shortener: bool
    is_allowed: bool


class LinkChecker:
    """One link rule, compiled: domain sets folded once."""

    def __init__(self, settings: LinkSettings) -> None:
        """Fold every domain of the settings the way texts are folded."""
        self._own = _domains(settings.own_domains)
        self._blocked = _domains(settings.blocked_domains)
        self._allowed = _domains(settings.allowed_domains) | self._own
        # An allowed shortener (a company's own "lnkd.in" links, say) is not flagged.
        self._shorteners = _domains(settings.shorteners) - self._allowed
        self._only_allowed = settings.only_allowed
        self._own_labels = tuple(_split(domain) for domain in self._own) if settings.flag_lookalikes else ()
        # Domains the rule names are links even under a top-level domain that prose could end with
        # ("rb.gy", "trib.al").
        self._listed = self._own | self._blocked | self._allowed | self._shorteners
        self._listed_labels = frozenset(domain.rpartition(".")[2] for domain in self._listed if "." in domain)
        # A post is checked again on every keystroke with the same links in it.
        self._profiles: dict[str, _HostProfile] = {}

    def find(self, folded: Folded) -> Iterable[tuple[int, int, str]]:
        """Flagged links as (start, end, "problem: domain") in the folded view."""
        global _last_read
        text = folded.text
        dot = _LINK_DOT.search(text)
        if dot is None:  # most texts: no dot between two letters or digits, no link, no generator to start
            _last_read = (text, ())  # for `holds_no_host`
            return ()
        return self._flagged(folded, _hosts(text, dot))

    def _flagged(self, folded: Folded, hosts: tuple[_Host, ...]) -> list[tuple[int, int, str]]:
        # A list rather than a generator: a post holds one or two links, seldom a flagged one.
        flagged = []
        for start, end, host, label in hosts:
            # A domain a host lies under ends with the host's last label (and `_is_within` only
            # reads domains of two labels or more): most hosts that are not links stop here.
            if label is not None and (label not in self._listed_labels or not _is_within(host, self._listed)):
                continue
            profile = self._profile(host)
            problem = self._problem(folded, (start, end), profile)
            if problem is not None:
                flagged.append((start, end, f"{problem.value}: {profile.domain}"))
        return flagged

    def _profile(self, host: str) -> _HostProfile:
        """What the rule makes of a host, worked out once per host (the look-alike test is costly)."""
        profile = self._profiles.get(host)
        if profile is None:
            if len(self._profiles) >= _MOST_PROFILES:
                self._profiles.clear()
            domain = registrable_domain(host)
            profile = self._profiles[host] = _HostProfile(
                domain=domain,
                is_blocked=_is_within(host, self._blocked),
                is_own=_is_within(host, self._own),
                is_lookalike=self._is_lookalike(host, domain),
                is_shortener=host in self._shorteners or domain in self._shorteners,
                is_allowed=_is_within(host, self._allowed),
            )
        return profile

    def _problem(self, folded: Folded, span: tuple[int, int], profile: _HostProfile) -> LinkProblem | None:
        if profile.is_blocked:
            return LinkProblem.BLOCKED
        if profile.is_own:
            # A homoglyph spelling of the own domain folds to the own domain: only the original
            # text tells it apart.
            return LinkProblem.LOOKALIKE if self._own_labels and _is_disguised(folded, span) else None
        if profile.is_lookalike:
            return LinkProblem.LOOKALIKE
        if profile.is_shortener and _has_path(folded.text[span[0] : span[1]]):
            return LinkProblem.SHORTENER
        if self._only_allowed and not profile.is_allowed:
            return LinkProblem.NOT_ALLOWED
        return None

    def _is_lookalike(self, host: str, domain: str) -> bool:
        if domain in self._allowed:
            return False
        label, suffix = _split(domain)
        # "lumarelle.com.secure-login.io": the own name worn as a subdomain of someone else's domain.
        subdomains = set(host.removesuffix(domain).split("."))
        return any(
            own_label in subdomains or _imitates(label, suffix, own_label, own_suffix)
            for own_label, own_suffix in self._own_labels
        )


def _domains(domains: tuple[str, ...]) -> frozenset[str]:
    return frozenset(fold_term(domain).removeprefix("www.").strip(".") for domain in domains if fold_term(domain))


def _split(domain: str) -> tuple[str, str]:
    """A registrable domain as its label and its public suffix: ("lumarelle", "co.uk")."""
    label, _, suffix = domain.partition(".")
    return label, suffix


def _imitates(label: str, suffix: str, own_label: str, own_suffix: str) -> bool:
    """TLD swap, extra words joined by hyphens, digit/letter swaps, or one or two typos.

    Two typos that leave the name two letters shorter make another word more often than a disguise:
    "marelle" is a word of its own, not "lumarelle" misspelt; "lurnarelle" ("rn" for "m") is one.
    """
    if label == own_label:
        return suffix != own_suffix
    if own_label in label.split("-") or label.replace("-", "") == own_label:
        return True
    bound = 1 if len(own_label) < _SHORT_LABEL else 2
    for table in _DOMAIN_LEET:
        candidate = label.translate(table).replace("-", "")
        distance = edit_distance(candidate, own_label, bound)
        if distance <= 1 or (distance == bound and len(candidate) >= len(own_label) - 1):
            return True
    return False


def _has_path(link: str) -> bool:
    """Whether a link goes somewhere on its host: "bit.ly/3xYz" does, "bit.ly" only names the service."""
    without_scheme = link.partition("://")[2] or link
    host_end = min((index for index in map(without_scheme.find, "/?#") if index != -1), default=-1)
    return host_end != -1 and bool(without_scheme[host_end:].strip("/?#"))


def _is_disguised(folded: Folded, span: tuple[int, int]) -> bool:
    original_start, original_end = folded.original_span(*span)
    return not folded.original[original_start:original_end].isascii()


def find_links(text: str, listed: frozenset[str] = frozenset()) -> tuple[tuple[int, int, str], ...]:
    """The links of a folded text as (start, end, host), trailing punctuation left out.

    A host without a scheme or "www." is a link when its last label is a known top-level domain
    or when it is, or lies under, one of the `listed` domains.
    """
    # Without `listed` (the disclosure rule), only the hosts that are links whatever a rule lists.
    return tuple(
        (start, end, host)
        for start, end, host, label in _hosts(text)
        if label is None or (listed and _is_within(host, listed))
    )


# (start, end, host, label) of a host in a folded text: the host has no "www.", and the label is
# `None` for a link whatever a rule lists, else the host's last label (it is a link only to a rule
# that lists it or a domain it lies under).
type _Host = tuple[int, int, str, str | None]

# The text read last and its hosts. The links rule and the disclosure rule both read the links of a
# post in the same check: the second finds them here. The text is kept by identity, which costs
# nothing to compare, and the pair is replaced at once, so that threads never see half of it.
_last_read: tuple[str, tuple[_Host, ...]] = ("", ())


def holds_no_host(text: str) -> bool:
    """Whether a folded text is known to hold no host: the last one read, without any.

    The disclosure rule asks after the link rule has read the post, when the policy has one.
    """
    last_text, last_hosts = _last_read
    return last_text is text and not last_hosts


def _hosts(text: str, first_dot: re.Match[str] | None = None) -> tuple[_Host, ...]:
    """The hosts of a folded text; `first_dot` is its first dot between two letters or digits, if known."""
    global _last_read
    last_text, last_hosts = _last_read
    if last_text is text:
        return last_hosts
    dot = first_dot or _LINK_DOT.search(text)
    if dot is None:  # most texts: no dot between two letters or digits
        return ()
    hosts = _read_hosts(text, dot)
    _last_read = (text, hosts)
    return hosts


def _read_hosts(text: str, dot: re.Match[str] | None) -> tuple[_Host, ...]:
    """The hosts around each dot between two letters or digits, from `dot` on.

    The next host is looked for past the URL's end whether or not a rule's list makes the host a
    link: between that end and where the path would stop with its trailing punctuation come only
    that punctuation and a space or quote, never a dot between two letters or digits.
    """
    hosts: list[_Host] = []
    # Without "://" in the text no scheme can match: the URL is read without trying one, with a third
    # fewer instructions.
    has_scheme = "://" in text
    url = _URL if has_scheme else _URL_WITHOUT_SCHEME
    while dot is not None:
        position = dot.end()
        start = _host_start(text, dot.start())
        # After an "@", an e-mail address: no URL.
        match = url.match(text, start) if not (start and text[start - 1] == "@") else None
        if match is not None:
            link_start, end = match.span()
            position = max(position, end)  # the URL's own dots are not read again
            host, label = match.group("host", "label")
            if label in _KNOWN_TLDS or host.startswith("www.") or (has_scheme and match["scheme"] is not None):
                hosts.append((link_start, end, host.removeprefix("www."), None))
            else:
                hosts.append((link_start, end, host, label))
        dot = _LINK_DOT.search(text, position)
    return tuple(hosts)


def _host_start(text: str, dot: int) -> int:
    """Where the host holding this dot starts, scheme included ("https://")."""
    before = _BEFORE_HOST.match(text, 0, dot)
    start = before.end() if before is not None else 0
    while text[start] in ".-":  # "...lumarelle.com" starts at the letters
        start += 1
    if text.startswith("://", start - 3):
        scheme = start - 3
        while scheme and text[scheme - 1].isalpha():
            scheme -= 1
        if scheme < start - 3:
            return scheme
    return start
