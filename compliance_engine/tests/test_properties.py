# ruff: noqa: RUF001  -- look-alike characters are what these tests are about
"""Properties that hold for any text: spans map back to the original, and checksums decide.

The engine is checked against the corpus policy, which has a rule of every kind, on a date inside
its quiet period and as an official account, so that every rule is active.
"""

import datetime
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import iban, luhn
from stdnum.fr import nir

from compliance_engine.engine import check
from compliance_engine.model import Detector, Scope
from compliance_engine.normalize import fold
from compliance_engine.personal_data import find_personal_data
from compliance_engine.tests.corpus.policy import compiled_policies

_COMPILED = compiled_policies()["fr"]
_INSIDE_QUIET_PERIOD = datetime.date(2026, 3, 10)

# Pieces of posts that trigger rules, disguise them, or change lengths when folded.
_FRAGMENTS = st.sampled_from(
    [
        "Projet Heron", "#ProjetHeron", "h3r0n", "H.E.R.O.N", "Неrоn", "ＨＥＲＯＮ", "He\u200bron", "Kestrel",
        "projet Atlas", "#Mistral", "le mistral souffle", "chiffre d’affaires", "revenue", "06 12 34 56 78",
        "+33 6 12 34 56 78", "alice@example.fr", "bob [at] example [dot] com", "FR76 3000 6000 0112 3456 7890 189",
        "2 69 05 49 588 157 80", "4111 1111 1111 1111", "bit.ly/x1", "https://piratebay.org/a", "lumarel1e.com",
        "SolarBox", "#collaborateur", "nous recrutons", "t'es un connard", "je vais te tuer", "JIRA-1234",
        "réf interne", "Globex", " ", "  ", "\n", "\u200b", "é", "e\u0301", "œ", "İ", "ß", "l'", "d’", "qu'", "s",
        "#", ".", "-", "@", "0", "1", "x", "Ａ", "\ufeff", "\u00a0",
    ]
)  # fmt: skip
_POSTS = st.one_of(st.text(max_size=200), st.lists(_FRAGMENTS, max_size=25).map("".join))


@settings(max_examples=300)
@given(_POSTS)
def test_every_finding_spans_its_own_text_in_the_original(text: str) -> None:
    verdict = check(text, _COMPILED, date=_INSIDE_QUIET_PERIOD, scope=Scope.OFFICIAL)

    for finding in verdict.findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.matched
    starts = [finding.start for finding in verdict.findings]
    assert starts == sorted(starts)


@given(_POSTS)
def test_mapping_folded_spans_back_is_monotonic_and_composes(text: str) -> None:
    folded = fold(text)
    spans = [folded.original_span(index, index + 1) for index in range(len(folded.text))]

    assert [start for start, _ in spans] == sorted(start for start, _ in spans)
    assert [end for _, end in spans] == sorted(end for _, end in spans)
    for first in range(len(spans)):
        last = min(len(spans) - 1, first + 7)
        assert folded.original_span(first, last + 1) == (spans[first][0], spans[last][1])


@given(_POSTS)
def test_an_original_span_folds_back_to_the_folded_text_it_came_from(text: str) -> None:
    folded = fold(text)

    for index, character in enumerate(folded.text):
        start, end = folded.original_span(index, index + 1)
        if character != " ":  # a run of spaces folds to one, and so does the space it maps to
            assert character in fold(text[start:end]).text


# Generated numbers: a valid one is found, and any one-digit change is caught by its checksum.

_BBAN_STRUCTURES = {
    "FR": "5n5n11c2n", "DE": "8n10n", "GB": "4a6n8n", "IT": "1a5n5n12c", "NL": "4a10n", "AT": "5n11n",
    "PT": "4n4n11n2n", "LU": "3n13c", "PL": "8n16n", "IE": "4a6n8n",
}  # fmt: skip
_CHARACTERS = {"n": "0123456789", "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "c": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


@st.composite
def _ibans(draw: st.DrawFn) -> str:
    country = draw(st.sampled_from(sorted(_BBAN_STRUCTURES)))
    bban = "".join(
        draw(st.text(alphabet=_CHARACTERS[kind], min_size=int(size), max_size=int(size)))
        for size, kind in re.findall(r"(\d+)([nac])", _BBAN_STRUCTURES[country])
    )
    return country + iban.calc_check_digits(country + "00" + bban) + bban


@st.composite
def _nirs(draw: st.DrawFn) -> str:
    department = draw(st.sampled_from([f"{code:02d}" for code in range(1, 96) if code != 20] + ["2A", "2B"]))
    body = "".join(
        (
            draw(st.sampled_from("12")),
            draw(st.integers(0, 99).map("{:02d}".format)),
            draw(st.integers(1, 12).map("{:02d}".format)),
            department,
            draw(st.integers(1, 999).map("{:03d}".format)),
            draw(st.integers(1, 999).map("{:03d}".format)),
        )
    )
    return nir.format(body + nir.calc_check_digits(body))


_ISSUERS = [("4", 16, (4, 4, 4, 4)), ("51", 16, (4, 4, 4, 4)), ("55", 16, (4, 4, 4, 4)), ("2221", 16, (4, 4, 4, 4)),
            ("34", 15, (4, 6, 5)), ("37", 15, (4, 6, 5)), ("6011", 16, (4, 4, 4, 4))]  # fmt: skip


@st.composite
def _cards(draw: st.DrawFn) -> str:
    prefix, length, groups = draw(st.sampled_from(_ISSUERS))
    body = prefix + draw(
        st.text(alphabet="0123456789", min_size=length - len(prefix) - 1, max_size=length - len(prefix) - 1)
    )
    number = body + luhn.calc_check_digit(body)
    parts, position = [], 0
    for size in groups:
        parts.append(number[position : position + size])
        position += size
    return " ".join(parts)


def _found(text: str, detector: Detector) -> list[str]:
    folded = fold(text)
    spans = [
        folded.original_span(match.start, match.end)
        for match in find_personal_data(folded.text, frozenset(Detector))
        if match.detector is detector
    ]
    return [text[start:end] for start, end in spans]


@st.composite
def _one_digit_changed(draw: st.DrawFn, numbers: st.SearchStrategy[str], skip: int) -> tuple[str, str]:
    number = draw(numbers)
    positions = [index for index, character in enumerate(number) if character.isdigit() and index >= skip]
    position = draw(st.sampled_from(positions))
    digit = draw(st.sampled_from([d for d in "0123456789" if d != number[position]]))
    return number, number[:position] + digit + number[position + 1 :]


@given(_one_digit_changed(_ibans().map(iban.format), skip=4), st.booleans())
def test_a_generated_iban_is_found_and_a_one_digit_change_is_not(numbers: tuple[str, str], grouped: bool) -> None:
    valid, changed = (number if grouped else number.replace(" ", "") for number in numbers)

    assert _found(f"Mon IBAN : {valid} merci", Detector.IBAN) == [valid]
    assert _found(f"Mon IBAN : {changed} merci", Detector.IBAN) == []


@given(_one_digit_changed(_nirs(), skip=0))
def test_a_generated_social_security_number_is_found_and_a_one_digit_change_is_not(numbers: tuple[str, str]) -> None:
    valid, changed = numbers

    assert _found(f"Mon numéro de sécu : {valid}.", Detector.NIR) == [valid]
    assert _found(f"Mon numéro de sécu : {changed}.", Detector.NIR) == []


@given(_one_digit_changed(_cards(), skip=0))
def test_a_generated_card_number_is_found_and_a_one_digit_change_is_not(numbers: tuple[str, str]) -> None:
    valid, changed = numbers

    assert _found(f"Ma carte : {valid}, expire 12/28", Detector.CARD) == [valid]
    assert _found(f"Ma carte : {changed}, expire 12/28", Detector.CARD) == []
