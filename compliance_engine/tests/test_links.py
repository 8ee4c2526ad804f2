# ruff: noqa: RUF001, RUF003  -- look-alike characters are what these tests are about
"""Link rules: URLs found with or without a scheme, blocked, shortened, unlisted and look-alike domains."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance_engine.engine import check, compile_policy
from compliance_engine.links import LinkChecker, edit_distance, find_links, holds_no_host, registrable_domain
from compliance_engine.model import LinkSettings, Policy, RuleKind, Scope
from compliance_engine.normalize import fold
from compliance_engine.tests.policies import LINKS, OUTSIDE_QUIET_PERIOD, SECURITY, text_compiled


def link_findings(text: str, scope: Scope = Scope.EVERYONE) -> list[tuple[str, str, str]]:
    verdict = check(text, text_compiled(), date=OUTSIDE_QUIET_PERIOD, scope=scope)
    return [(f.rule_id, f.matched, f.detail) for f in verdict.findings if f.kind is RuleKind.LINKS]


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("Voir https://www.example.com/page?x=1.", [("https://www.example.com/page?x=1", "example.com")]),
        ("Voir www.example.fr, merci", [("www.example.fr", "example.fr")]),
        ("Voir example.org!", [("example.org", "example.org")]),
        ("(voir http://a.b.example.co.uk/x)", [("http://a.b.example.co.uk/x", "a.b.example.co.uk")]),
        ("ftp://files.example.net:2121/a", [("ftp://files.example.net:2121/a", "files.example.net")]),
        ("C'est fini.Merci à tous", []),  # a missing space is not a link
        ("Écrivez à alice@example.fr", []),  # an e-mail address is not a link
        ("version 2.0.1 et 3.5 %", []),
        ("Lisez ÉXAMPLE.COM", [("ÉXAMPLE.COM", "example.com")]),
    ],
)
def test_links_are_found_with_or_without_a_scheme(text: str, links: list[tuple[str, str]]) -> None:
    folded = fold(text)

    found = []
    for start, end, host in find_links(folded.text):
        original_start, original_end = folded.original_span(start, end)
        found.append((text[original_start:original_end], host))
    assert found == links


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("lumarelle.com", "lumarelle.com"),
        ("shop.eu.lumarelle.com", "lumarelle.com"),
        ("www.lumarelle.co.uk", "lumarelle.co.uk"),
        ("impots.gouv.fr", "impots.gouv.fr"),
        ("news.abc.net.au", "abc.net.au"),
        ("localhost", "localhost"),
    ],
)
def test_the_registrable_domain_knows_multi_part_suffixes(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("Le site https://piratebay.org/film", "blocked: piratebay.org"),
        ("Le site https://fr.piratebay.org/film", "blocked: piratebay.org"),  # a subdomain of a blocked one
        ("Lien court : bit.ly/3xYz", "shortener: bit.ly"),
        ("Lien court : https://t.co/abc", "shortener: t.co"),
        ("Lien court : tinyurl.com/abc", "shortener: tinyurl.com"),
        ("Offre sur lumarelle-energie.co", "lookalike: lumarelle-energie.co"),  # extra word and TLD swap
        ("Offre sur lumare11e.com", "lookalike: lumare11e.com"),  # digits for letters
        ("Offre sur lumarel1e.com", "lookalike: lumarel1e.com"),
        ("Offre sur lumarele.com", "lookalike: lumarele.com"),  # one letter left out
        ("Offre sur lumraelle.com", "lookalike: lumraelle.com"),  # two letters swapped
        ("Offre sur lumarelle.co", "lookalike: lumarelle.co"),  # TLD swap
        ("Offre sur https://lumarelle.com.secure-login.io", "lookalike: secure-login.io"),
        ("Offre sur www.lumarelle-login.com", "lookalike: lumarelle-login.com"),
        ("Offre sur lumarеlle.com", "lookalike: lumarelle.com"),  # a Cyrillic "е"
        ("Offre sur ｌｕｍａｒｅｌｌｅ.com", "lookalike: lumarelle.com"),  # full-width letters
    ],
)
def test_a_risky_link_is_flagged_with_its_problem(text: str, detail: str) -> None:
    assert [finding[2] for finding in link_findings(text)] == [detail]


@pytest.mark.parametrize(
    "text",
    [
        "Notre site : https://lumarelle.com/offres",
        "Notre site : www.lumarelle.com",
        "Notre boutique : shop.lumarelle.com/solarbox",  # a subdomain of the own domain
        "Voir LUMARELLE.COM",
        "Voir https://fr.wikipedia.org/wiki/Énergie",
        "Voir https://www.legifrance.gouv.fr/loda/id/JORFTEXT000047663185",
        "Voir marseille.fr et lyon.fr",  # unrelated short domains
        "Voir numerique.gouv.fr",
    ],
)
def test_own_and_ordinary_links_are_fine_for_everyone(text: str) -> None:
    assert link_findings(text) == []


def test_only_allowed_domains_flags_everything_else_for_its_scope() -> None:
    text = "Voir https://www.example.com, lumarelle.com et fr.wikipedia.org"

    assert link_findings(text, scope=Scope.OFFICIAL) == [
        ("official-links", "https://www.example.com", "not_allowed: example.com")
    ]
    assert link_findings(text, scope=Scope.AMBASSADORS) == []


def test_the_finding_spans_the_link_in_the_original_text() -> None:
    text = "Vite, voir  bit.ly/abc !"

    verdict = check(text, text_compiled(), date=OUTSIDE_QUIET_PERIOD, scope=Scope.EVERYONE)

    (finding,) = verdict.findings
    assert text[finding.start : finding.end] == "bit.ly/abc"


def test_an_allowed_look_alike_is_not_flagged() -> None:
    settings = LinkSettings(own_domains=("lumarelle.com",), allowed_domains=("lumarelle-energie.fr",))
    rule = dataclasses.replace(LINKS, settings=settings)
    compiled = compile_policy(Policy(clauses=(SECURITY,), rules=(rule,)))

    assert check("lumarelle-energie.fr", compiled, date=OUTSIDE_QUIET_PERIOD, scope=Scope.EVERYONE).findings == ()


def test_an_allowed_shortener_is_not_flagged() -> None:
    rule = dataclasses.replace(LINKS, settings=LinkSettings(allowed_domains=("lnkd.in",)))
    compiled = compile_policy(Policy(clauses=(SECURITY,), rules=(rule,)))

    findings = check("lnkd.in/abc et bit.ly/x", compiled, date=OUTSIDE_QUIET_PERIOD, scope=Scope.EVERYONE).findings
    assert [finding.detail for finding in findings] == ["shortener: bit.ly"]


def test_an_empty_domain_list_compiles() -> None:
    rule = dataclasses.replace(LINKS, settings=LinkSettings(shorteners=()))
    compiled = compile_policy(Policy(clauses=(SECURITY,), rules=(rule,)))

    assert check("bit.ly/x", compiled, date=OUTSIDE_QUIET_PERIOD, scope=Scope.EVERYONE).findings == ()


@pytest.mark.parametrize(
    ("first", "second", "distance"),
    [("lumarelle", "lumarelle", 0), ("lumarelle", "lumarele", 1), ("lumarelle", "lumraelle", 1), ("abc", "xyz", 3)],
)
def test_edit_distance_counts_typos_and_swaps(first: str, second: str, distance: int) -> None:
    assert edit_distance(first, second, bound=5) == distance


_labels = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12).filter(
    lambda label: not label.startswith("-") and not label.endswith("-")
)


@given(subdomains=st.lists(_labels, max_size=3), path=st.sampled_from(["", "/", "/a/b?c=1", "#top"]))
def test_the_own_domain_and_its_subdomains_are_never_flagged(subdomains: list[str], path: str) -> None:
    host = ".".join([*subdomains, "lumarelle", "com"])

    assert link_findings(f"Voir https://{host}{path} et {host}") == []


@given(first=_labels, second=_labels)
def test_edit_distance_is_symmetric_and_zero_only_for_equal_labels(first: str, second: str) -> None:
    distance = edit_distance(first, second, bound=20)

    assert distance == edit_distance(second, first, bound=20)
    assert (distance == 0) == (first == second)


@pytest.mark.parametrize(
    "text",
    [
        "Fini les liens bit.ly dans nos posts",  # the service named, no link to follow
        "Please stop using t.co or bit.ly links",
        "https://t.co et bit.ly/ ne mènent nulle part",
    ],
)
def test_a_shortener_named_without_a_path_is_not_a_shortened_link(text: str) -> None:
    assert link_findings(text) == []


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("Photos : rb.gy/k8sq2w", "shortener: rb.gy"),  # .gy, .al, .ink: not in the list of known TLDs
        ("Lire trib.al/xYz12", "shortener: trib.al"),
        ("Voir bl.ink/abc", "shortener: bl.ink"),
    ],
)
def test_a_domain_the_rule_names_is_a_link_under_any_top_level_domain(text: str, detail: str) -> None:
    assert [finding[2] for finding in link_findings(text)] == [detail]


def test_a_blocked_domain_under_an_unlisted_top_level_domain_is_found_without_a_scheme() -> None:
    rule = dataclasses.replace(LINKS, settings=LinkSettings(blocked_domains=("warez.ws",)))
    compiled = compile_policy(Policy(clauses=(SECURITY,), rules=(rule,)))

    findings = check("Le film sur warez.ws/film", compiled, date=OUTSIDE_QUIET_PERIOD, scope=Scope.EVERYONE).findings
    assert [(finding.matched, finding.detail) for finding in findings] == [("warez.ws/film", "blocked: warez.ws")]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Jeux de cour sur marelle.fr", False),  # a word of its own, two letters shorter
        ("Voir lumrele.com", False),  # two letters missing: reads as another word more often than a disguise
        ("Voir lurnarelle.com", True),  # "rn" for "m": two edits, no shorter
        ("Voir lumarellle.com", True),
    ],
)
def test_two_typos_count_as_a_look_alike_only_when_they_keep_the_length(text: str, flagged: bool) -> None:
    assert bool(link_findings(text)) is flagged


def test_a_text_holds_no_host_once_the_link_rule_found_none_in_it() -> None:
    assert isinstance(LINKS.settings, LinkSettings)
    checker = LinkChecker(LINKS.settings)
    without, with_link = fold("Bonne soirée à tous."), fold("Voir example.org")
    assert not holds_no_host(without.text)  # not read yet: unknown
    assert list(checker.find(without)) == []
    assert holds_no_host(without.text)
    list(checker.find(with_link))
    assert not holds_no_host(with_link.text)
    assert not holds_no_host(without.text)  # no longer the text read last
