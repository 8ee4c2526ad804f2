"""The personal gauge: resemblance of word triples, ignoring case, accents, punctuation and links."""

from portevoix.content.similarity import resemblance, shingles, similarity
from portevoix.content.tests.factories import PERSONAL, SUGGESTION


def test_a_copy_is_entirely_the_same() -> None:
    assert similarity(SUGGESTION, suggestion=SUGGESTION, other_shares=[]).to_suggestion == 100


def test_case_accents_punctuation_and_links_do_not_make_a_copy_personal() -> None:
    disguised = SUGGESTION.upper().replace("É", "E").replace(",", "") + " https://acme.test/l/abc"

    assert similarity(disguised, suggestion=SUGGESTION, other_shares=[]).to_suggestion == 100


def test_a_hashtag_added_to_a_copy_leaves_it_above_ninety_percent() -> None:
    result = similarity(SUGGESTION + " #collaborateur", suggestion=SUGGESTION, other_shares=[])

    assert 90 <= result.to_suggestion < 100
    assert result.personal == 100 - result.to_suggestion


def test_a_text_written_anew_shares_almost_nothing() -> None:
    result = similarity(PERSONAL, suggestion=SUGGESTION, other_shares=[])

    assert result.to_suggestion < 10
    assert result.personal > 90


def test_half_rewritten_lands_in_between() -> None:
    words = SUGGESTION.split()
    half = " ".join(words[: len(words) // 2]) + " et je suis ravi de voir ce que mon équipe y a construit cette année"

    result = similarity(half, suggestion=SUGGESTION, other_shares=[])

    assert 20 < result.to_suggestion < 60


def test_the_closest_other_share_counts_and_the_number_of_shares_is_reported() -> None:
    result = similarity(PERSONAL, suggestion=SUGGESTION, other_shares=[SUGGESTION, PERSONAL + " !"])

    assert (result.to_other_shares, result.other_shares, result.highest, result.personal) == (100, 2, 100, 0)


def test_short_texts_compare_by_words() -> None:
    assert shingles("Bravo Lyon") == frozenset({("bravo",), ("lyon",)})
    assert resemblance(shingles(""), shingles("")) == 1.0
    assert resemblance(shingles("bravo"), shingles("")) == 0.0
