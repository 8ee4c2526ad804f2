# ruff: noqa: RUF001  -- look-alike characters are what these tests are about
"""Personal data detectors: valid examples are found, invalid checksums and look-alikes are not."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn

from compliance_engine.model import Detector
from compliance_engine.normalize import fold
from compliance_engine.personal_data import (
    _CARD,
    _EMAIL,
    _FINDERS,
    _FRENCH_PHONE,
    _INTERNATIONAL_PHONE,
    _NIR,
    _NORTH_AMERICAN_PHONE,
    _NOT_A_CARD_WORDS,
    _OBFUSCATED_EMAIL,
    _PRIORITY,
    _SHAPE,
    DataMatch,
    _at_signs,
    _bracketed_ats,
    _emails,
    _has_card_grouping,
    _has_words_against_card,
    _in_windows,
    _is_card_in_context,
    _is_card_number,
    _may_hold_address,
    _merged,
    _phones,
    _remembered,
    _scan,
    find_personal_data,
)

ALL = frozenset(Detector)


def detected(text: str) -> list[tuple[Detector, str]]:
    folded = fold(text)
    found = []
    for match in find_personal_data(folded.text, ALL):
        start, end = folded.original_span(match.start, match.end)
        found.append((match.detector, text[start:end]))
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Écrivez à alice.martin@example.fr demain", "alice.martin@example.fr"),
        ("Contact: Bob.Smith+news@Mail.Example.co.uk.", "Bob.Smith+news@Mail.Example.co.uk"),
        ("écrivez à alice [at] example [dot] fr", "alice [at] example [dot] fr"),
        ("write to bob (at) example (dot) com", "bob (at) example (dot) com"),
        ("alice[arobase]example[point]fr", "alice[arobase]example[point]fr"),
        ("alice [at] example.fr", "alice [at] example.fr"),
        ("ｂｏｂ＠ｅｘａｍｐｌｅ．ｆｒ", "ｂｏｂ＠ｅｘａｍｐｌｅ．ｆｒ"),  # full-width
    ],
)
def test_email_addresses_are_found(text: str, expected: str) -> None:
    assert detected(text) == [(Detector.EMAIL, expected)]


@pytest.mark.parametrize(
    "text",
    ["look at this dot com", "rendez-vous at 10 [dot] ok", "@alice sur Bluesky", "prix : 3 @ 5 €", "le point at home"],
)
def test_text_that_only_looks_like_an_email_is_not_one(text: str) -> None:
    assert [found for found in detected(text) if found[0] is Detector.EMAIL] == []


@pytest.mark.parametrize(
    "phone",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0612345678",
        "01 42 68 53 00",
        "+33 6 12 34 56 78",
        "+33612345678",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "+44 20 7946 0958",
        "+1 415 555 2671",
        "+49 30 901820",
    ],
)
def test_phone_numbers_are_found(phone: str) -> None:
    assert detected(f"Appelez-moi au {phone} ce soir.") == [(Detector.PHONE, phone)]


@pytest.mark.parametrize(
    "text",
    ["le 06 12 34 56", "rendez-vous le 2026-11-27", "00 12 34 56 78", "réf. 612345678", "version 10.12.34.56.78.90.1"],
)
def test_numbers_that_are_not_phone_numbers_are_ignored(text: str) -> None:
    assert [found for found in detected(text) if found[0] is Detector.PHONE] == []


@pytest.mark.parametrize(
    "number",
    [
        "FR76 3000 6000 0112 3456 7890 189",
        "FR7630006000011234567890189",
        "fr76 3000 6000 0112 3456 7890 189",
        "GB82 WEST 1234 5698 7654 32",
        "DE89 3704 0044 0532 0130 00",
    ],
)
def test_ibans_with_a_valid_checksum_are_found(number: str) -> None:
    assert detected(f"Mon IBAN : {number} merci") == [(Detector.IBAN, number)]


@pytest.mark.parametrize("number", ["FR76 3000 6000 0112 3456 7890 188", "GB82 WEST 1234 5698 7654 33", "FR76 3000"])
def test_ibans_with_a_wrong_checksum_are_never_flagged(number: str) -> None:
    assert detected(f"Mon IBAN : {number} merci") == []


@pytest.mark.parametrize(
    "number", ["2 69 05 49 588 157 80", "269054958815780", "1 85 05 78 006 084 91", "1 77 07 2B 041 001 04"]
)
def test_social_security_numbers_with_their_key_are_found(number: str) -> None:
    assert detected(f"Mon numéro de sécu : {number}.") == [(Detector.NIR, number)]


@pytest.mark.parametrize("number", ["2 69 05 49 588 157 81", "1 85 05 78 006 084 36", "3 69 05 49 588 157 80"])
def test_social_security_numbers_with_a_wrong_key_are_never_flagged(number: str) -> None:
    assert [found for found in detected(f"Numéro : {number}.") if found[0] is Detector.NIR] == []


@pytest.mark.parametrize(
    "number",
    [
        "4111 1111 1111 1111",  # Visa
        "4111111111111111",
        "4111-1111-1111-1111",
        "5555 5555 5555 4444",  # Mastercard
        "2221 0000 0000 0009",  # Mastercard, 2-series
        "3782 822463 10005",  # American Express
        "3056 930902 5904",  # Diners Club
        "6011 1111 1111 1117",  # Discover
    ],
)
def test_card_numbers_are_found(number: str) -> None:
    assert detected(f"Ma carte : {number}, expire 12/28") == [(Detector.CARD, number)]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Ma carte : 4111 1111 1111 1112", "Luhn fails"),
        ("Ma carte : 411111111111116", "Luhn passes but Visa has no 15-digit numbers"),
        ("Ma carte : 9111111111111110", "Luhn passes but no issuer starts with 9"),
        ("Ma commande 4111111111111111 est arrivée", "an order number"),
        ("Order #5555 5555 5555 4444 shipped", "an order number"),
        ("Numéro de suivi : 4111 1111 1111 1111", "a tracking number"),
        ("Tracking: 5555555555554444", "a tracking number"),
        ("SIRET 73282932000074", "a SIRET"),
        ("Notre société, 36252187400010, recrute", "a SIRET with a Diners prefix, in one block"),
        ("Entreprise 380 123 455 00012", "a SIRET with a Diners prefix, grouped as SIREN + NIC"),
        ("SIRET : 3011 234510 0017", "a SIRET grouped like a Diners card, named as a SIRET"),
        ("Ma carte : 4111 11 1111 1111 11", "not grouped like a card"),
    ],
)
def test_numbers_that_are_not_cards_are_never_flagged_as_cards(text: str, why: str) -> None:
    assert [found for found in detected(text) if found[0] is Detector.CARD] == [], why


def test_only_the_detectors_asked_for_run() -> None:
    text = "alice@example.fr, 06 12 34 56 78"

    assert [match.detector for match in find_personal_data(fold(text).text, frozenset({Detector.PHONE}))] == [
        Detector.PHONE
    ]


def test_a_number_is_reported_by_one_detector_only() -> None:
    assert detected("NIR 2 69 05 49 588 157 80") == [(Detector.NIR, "2 69 05 49 588 157 80")]


@given(st.from_regex(r"4[0-9]{14}", fullmatch=True))
def test_a_visa_number_is_flagged_exactly_when_its_luhn_check_passes(body: str) -> None:
    number = body + luhn.calc_check_digit(body)
    wrong = body + str((int(luhn.calc_check_digit(body)) + 1) % 10)

    assert detected(f"carte {number}") == [(Detector.CARD, number)]
    assert detected(f"carte {wrong}") == []


@given(st.text(alphabet="0123456789 .-+()abc@[]", max_size=60))
def test_detector_spans_always_lie_inside_the_text(text: str) -> None:
    folded = fold(text)
    for match in find_personal_data(folded.text, ALL):
        start, end = folded.original_span(match.start, match.end)
        assert 0 <= start < end <= len(text)


@pytest.mark.parametrize("phone", ["(415) 555-2671", "(415)555-2671", "212-555-0187", "514.555.0142"])
def test_north_american_numbers_written_without_the_country_code_are_found(phone: str) -> None:
    assert detected(f"Text me at {phone}.") == [(Detector.PHONE, phone)]


@pytest.mark.parametrize(
    "text",
    [
        "le 06.03.2026 08:30",  # a date and a time
        "Webinaire 05.03.2026 09:00 CET",
        "UPS 1Z 999 AA1 01 2345 6784",  # the end of a tracking number
        "IBAN DE89 3704 0044 0532 0130 01",  # the end of an IBAN whose checksum fails
        "budget 2026-2027, due 2026-04-15",
        "2026-555-0187",
        "123-456-7890",  # no area code starts with 1
        "415-555.2671",  # mixed separators
    ],
)
def test_dates_and_pieces_of_other_numbers_are_not_phone_numbers(text: str) -> None:
    assert detected(text) == []


@pytest.mark.parametrize("text", ["Suivez @alice@mastodon.social", "@camille@piaille.fr sur Mastodon"])
def test_a_fediverse_handle_is_not_an_email_address(text: str) -> None:
    assert detected(text) == []


def test_a_barcode_that_passes_luhn_is_not_a_card() -> None:
    assert detected("Le code-barres EAN 4002051692285 ne passe pas en caisse") == []


def test_an_iban_at_a_bank_unknown_to_python_stdnum_is_found() -> None:
    assert detected("Compte belge BE68 5390 0754 7034, merci") == [(Detector.IBAN, "BE68 5390 0754 7034")]


def test_an_iban_whose_national_check_digits_fail_is_not_flagged() -> None:
    # The mod 97 check passes; the Belgian check (the first ten digits modulo 97) does not.
    assert detected("Compte belge BE41 5390 0754 7035, merci") == []


def test_a_social_security_number_written_with_hyphens_is_found() -> None:
    assert detected("NIR 1-85-05-78-006-084-91.") == [(Detector.NIR, "1-85-05-78-006-084-91")]


# Whole addresses and the pieces they are made of, so that examples put them side by side.
_ADDRESS_PIECES = [
    "bob@example.fr", "bob [at] example [dot] fr", "bob@example (dot) fr", "@bob", "bob", "x%y", "_", " ", "\u00a0",
    "@", " [at] ", "(at)", "[", "example", ".", " [dot] ", "fr", "x" * 70,
]  # fmt: skip


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_ADDRESS_PIECES), max_size=30).map("".join))
def test_addresses_are_found_as_if_every_position_of_their_window_were_tried(text: str) -> None:
    expected = [match.span() for window in _merged(_at_signs(text)) for match in _EMAIL.finditer(text, *window)]
    for window in _merged(_bracketed_ats(text)):
        expected += [match.span() for match in _OBFUSCATED_EMAIL.finditer(text, *window)]

    assert list(_emails(_scan(text, text.encode("ascii", "replace")))) == expected


_NUMBER_PIECES = ["0", "1", "4111", " ", ".", "-", "(", ")", "fr76", "a", "é", "+"]


@given(st.lists(st.sampled_from(_NUMBER_PIECES), max_size=40).map("".join))
def test_numbers_are_found_as_if_by_a_pattern(text: str) -> None:
    shape = text.encode("ascii", "replace").translate(_SHAPE)
    numbers = re.finditer(rb"0[0 .\-()]{6,}0", shape)
    iban_starts = [index for index in range(len(shape)) if shape.startswith(b"aa00", index)]

    scan = _scan(text, text.encode("ascii", "replace"))

    assert scan.number_windows == [(max(0, run.start() - 5), min(len(text), run.end() + 1)) for run in numbers]
    assert scan.iban_starts == iban_starts


_NUMBERS_IN_TEXT = [
    "06 12 34 56 78",
    "4111 1111 1111 1111",
    "1 77 07 2b 041 001 04",
    "+44 20 7946 0958",
    "(415) 555-2671",
]


@given(st.lists(st.sampled_from(_NUMBER_PIECES + _NUMBERS_IN_TEXT), max_size=20).map("".join))
def test_number_patterns_find_in_a_window_alone_what_they_find_in_the_whole_text(text: str) -> None:
    scan = _scan(text, text.encode("ascii", "replace"))
    for pattern, reach in [
        (_FRENCH_PHONE, 0),
        (_INTERNATIONAL_PHONE, 0),
        (_NORTH_AMERICAN_PHONE, 0),
        (_NIR, 14),
        (_CARD, 0),
    ]:
        expected = [
            match.span() for start, end in scan.number_windows for match in pattern.finditer(text, start, end + reach)
        ]

        assert list(_in_windows(_remembered(pattern), scan, reach=reach)) == expected


_CONTEXT_PIECES = ["commande", "order", "ref", "preferred", "refs", "isbn", "_", "-", " ", "é", "ß", "4111", "x"]


@given(st.lists(st.sampled_from(_CONTEXT_PIECES), max_size=30).map("".join), st.integers(0, 80), st.integers(0, 80))
def test_words_against_a_card_are_found_as_if_the_window_were_split_into_words(
    text: str, start: int, length: int
) -> None:
    window = text[max(0, start - 40) : start + length + 40]
    expected = any(word in _NOT_A_CARD_WORDS for word in re.findall(r"[^\W_]+", window))

    assert _has_words_against_card(text, start, start + length) == expected


@given(st.text(alphabet="0123456789 -", min_size=1, max_size=25))
def test_card_groupings_are_read_as_if_split_by_a_pattern(written: str) -> None:
    groups = tuple(len(group) for group in re.split(r"[ \-]", written))

    assert _has_card_grouping(written) == (
        len(groups) == 1
        or groups in {(4, 4, 4, 4), (4, 4, 4, 4, 3), (4, 6, 5), (4, 6, 4), (4, 4, 4, 1), (4, 4, 4, 4, 1)}
    )


@settings(max_examples=300)
@given(
    st.lists(st.sampled_from([*_ADDRESS_PIECES, "[at] ", "{at}", "<at>", "(arobase)", "]", ")"]), max_size=30).map(
        "".join
    )
)
def test_a_text_without_an_at_sign_or_an_opening_bracket_holds_no_address(text: str) -> None:
    found = list(_emails(_scan(text, text.encode("ascii", "replace"))))

    assert _may_hold_address(text) or not found
    assert _may_hold_address(text) or not _OBFUSCATED_EMAIL.search(text)


@given(
    st.lists(
        st.sampled_from([*_ADDRESS_PIECES, *_NUMBER_PIECES, *_NUMBERS_IN_TEXT, "fr7630006000011234567890189"])
    ).map("".join)
)
def test_the_detectors_left_out_for_what_a_text_lacks_would_find_nothing(text: str) -> None:
    scan = _scan(text, text.encode("ascii", "replace"))
    expected: list[DataMatch] = []
    for detector in _PRIORITY:
        for start, end in _FINDERS[detector](scan):
            if not any(start < other.end and other.start < end for other in expected):
                expected.append(DataMatch(detector, start, end))

    assert find_personal_data(text, frozenset(Detector)) == sorted(expected, key=lambda match: match.start)


@given(
    st.lists(
        st.sampled_from(_NUMBER_PIECES + _NUMBERS_IN_TEXT + ["+33 6 12 34 56 78", "415.555.2671"]), max_size=20
    ).map("".join)
)
def test_phone_numbers_are_found_pattern_by_pattern_as_in_each_window_alone(text: str) -> None:
    scan = _scan(text, text.encode("ascii", "replace"))
    expected = [
        span
        for pattern in (_FRENCH_PHONE, _INTERNATIONAL_PHONE, _NORTH_AMERICAN_PHONE)
        for span in _in_windows(_remembered(pattern), scan)
    ]

    assert list(_phones(scan)) == expected


@given(
    st.sampled_from(["4111 1111 1111 1111", "4111111111111111", "4111-1111-1111-1111", "4111 1111 1111 1112",
                     "30569309025904", "3056 930902 5904", "4111 11 11 1111 1111"]),
    st.sampled_from(["", "ma commande ", "avec la carte ", "ref: ", "preferred "]),
    st.sampled_from(["", " ce matin", " (siret)", " order"]),
)  # fmt: skip
def test_a_card_is_judged_by_its_number_as_written_and_the_words_around_it(
    number: str, before: str, after: str
) -> None:
    text = before + number + after
    start, end = len(before), len(before) + len(number)
    digits = number.replace(" ", "").replace("-", "")
    groups = tuple(len(group) for group in re.split(r"[ \-]", number))
    expected = (
        _is_card_number(digits)
        and (
            len(groups) == 1
            or groups in {(4, 4, 4, 4), (4, 4, 4, 4, 3), (4, 6, 5), (4, 6, 4), (4, 4, 4, 1), (4, 4, 4, 4, 1)}
        )
        and not (len(digits) == 14 and number.isdigit())
        and _NOT_A_CARD_WORDS.isdisjoint(re.findall(r"[^\W_]+", text))
    )

    assert _is_card_in_context(text, start, end) == expected
