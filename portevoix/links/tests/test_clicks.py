"""What a click is counted as, and the bound on what waits in memory when the database is away."""

import pytest

from portevoix.links.clicks import ClickBuffer, is_preview, referrer_category
from portevoix.links.models import ReferrerCategory

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


@pytest.mark.parametrize(
    ("referer", "category"),
    [
        ("https://www.linkedin.com/feed/update/urn:li:activity:1/", ReferrerCategory.LINKEDIN),
        ("android-app://com.linkedin.android/", ReferrerCategory.LINKEDIN),
        ("https://lnkd.in/abc", ReferrerCategory.LINKEDIN),
        ("https://t.co/Ab12", ReferrerCategory.X),
        ("https://l.facebook.com/", ReferrerCategory.FACEBOOK),
        ("https://l.instagram.com/", ReferrerCategory.INSTAGRAM),
        ("https://bsky.app/profile/acme.example", ReferrerCategory.BLUESKY),
        ("https://www.threads.net/@acme", ReferrerCategory.THREADS),
        ("https://mastodon.example.org/@acme", ReferrerCategory.MASTODON),
        ("https://mstdn.jp/", ReferrerCategory.MASTODON),
        ("https://old.reddit.com/r/energy", ReferrerCategory.OTHER_SOCIAL),
        ("https://www.google.co.uk/", ReferrerCategory.SEARCH),
        ("https://www.qwant.com/?q=acme", ReferrerCategory.SEARCH),
        ("android-app://com.google.android.gm/", ReferrerCategory.EMAIL_OR_DIRECT),
        ("", ReferrerCategory.EMAIL_OR_DIRECT),
        ("https://blog.example.com/post", ReferrerCategory.OTHER),
        ("https://notlinkedin.com/", ReferrerCategory.OTHER),
        ("not a url at all", ReferrerCategory.OTHER),
        ("http://[broken", ReferrerCategory.OTHER),
    ],
)
def test_the_referrer_category_comes_from_the_host_alone(referer: str, category: ReferrerCategory) -> None:
    assert referrer_category(referer) == category


@pytest.mark.parametrize(
    ("method", "agent", "expected"),
    [
        ("GET", BROWSER, False),
        ("GET", "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 Chrome/120.0 Mobile", False),
        ("GET", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Instagram 300.0", False),
        ("HEAD", BROWSER, True),
        ("GET", "", True),
        ("GET", "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)", True),
        ("GET", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", True),
        ("GET", "WhatsApp/2.23.20.0", True),
        ("GET", "http.rb/5.1.1 (Mastodon/4.2.0; +https://mastodon.social/)", True),
        ("GET", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", True),
        ("GET", "curl/8.5.0", True),
    ],
)
def test_previews_crawlers_and_scripts_are_told_from_people(method: str, agent: str, expected: bool) -> None:
    assert is_preview(method=method, user_agent=agent) is expected


def test_the_buffer_counts_known_slots_but_takes_no_new_ones_past_its_bound() -> None:
    buffer = ClickBuffer(max_slots=2)

    for link_id in (1, 2, 3, 1):
        buffer.add(link_id=link_id, method="GET", referer="", user_agent=BROWSER, now=600.0)

    assert (buffer.pending, buffer.dropped) == (3, 1)


def test_clicks_of_one_minute_share_a_slot_and_the_next_minute_starts_another() -> None:
    buffer = ClickBuffer()

    for moment in (600.0, 630.5, 659.9, 660.0):
        buffer.add(link_id=1, method="GET", referer="https://t.co/x", user_agent=BROWSER, now=moment)

    assert sorted((slot.minute, count) for slot, count in buffer._counts.items()) == [(600, 3), (660, 1)]
