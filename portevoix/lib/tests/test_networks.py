from urllib.parse import parse_qs, urlsplit

import pytest

from portevoix.lib.networks import NETWORKS, Network, ShareError, remaining, share_url, text_length


def test_every_network_has_a_positive_limit_and_a_brand_name() -> None:
    assert set(NETWORKS) == set(Network)
    assert all(info.text_limit > 0 and info.name for info in NETWORKS.values())


def test_mastodon_and_x_count_any_link_as_23_characters() -> None:
    text = "Lisez ceci https://example.com/" + "a" * 100
    assert text_length(Network.MASTODON, text) == len("Lisez ceci ") + 23
    assert text_length(Network.X, text) == len("Lisez ceci ") + 23
    assert text_length(Network.LINKEDIN, text) == len(text)


def test_x_counts_wide_characters_twice_and_latin_accents_once() -> None:
    assert text_length(Network.X, "été") == 3
    assert text_length(Network.X, "日本") == 4
    assert text_length(Network.X, "🙂") == 2


def test_bluesky_counts_what_a_reader_sees_as_one_character() -> None:
    family = "👩\u200d👩\u200d👧"
    decomposed = "e\u0301te\u0301"  # "été" with combining accents
    assert text_length(Network.BLUESKY, family) == 1
    assert text_length(Network.BLUESKY, decomposed) == 3
    assert text_length(Network.BLUESKY, "👍🏽") == 1


def test_remaining_goes_negative_past_the_limit() -> None:
    assert remaining(Network.X, "a" * 280) == 0
    assert remaining(Network.X, "a" * 281) == -1


def test_share_pages_carry_the_text_and_link_each_network_takes() -> None:
    x = urlsplit(share_url(Network.X, text="Bravo l'équipe", url="https://lumarelle.example/l/abc"))
    assert (x.netloc, x.path) == ("x.com", "/intent/post")
    assert parse_qs(x.query) == {"text": ["Bravo l'équipe"], "url": ["https://lumarelle.example/l/abc"]}
    linkedin = urlsplit(share_url(Network.LINKEDIN, text="ignored", url="https://lumarelle.example/l/abc"))
    assert parse_qs(linkedin.query) == {"url": ["https://lumarelle.example/l/abc"]}
    bluesky = urlsplit(share_url(Network.BLUESKY, text="Bravo", url="https://lumarelle.example/l/abc"))
    assert parse_qs(bluesky.query) == {"text": ["Bravo https://lumarelle.example/l/abc"]}
    mastodon = urlsplit(share_url(Network.MASTODON, text="Bravo", instance="https://Mastodon.Social/"))
    assert (mastodon.netloc, mastodon.path) == ("mastodon.social", "/share")


def test_a_share_page_without_what_it_needs_is_refused_with_a_reason() -> None:
    with pytest.raises(ShareError, match="domain"):
        share_url(Network.MASTODON, text="Bravo", instance="not a domain")
    with pytest.raises(ShareError, match="link"):
        share_url(Network.LINKEDIN, text="Bravo")
    with pytest.raises(ShareError, match="share page"):
        share_url(Network.INSTAGRAM, text="Bravo", url="https://lumarelle.example")
