# ruff: noqa: RUF001, RUF003  -- look-alike characters are what these tests are about
"""Folding: what each view reads, and that every folded character maps back into the original."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance_engine import normalize
from compliance_engine.normalize import fold, fold_term, fold_text, leet


@pytest.mark.parametrize(
    ("original", "folded"),
    [
        ("Héron", "heron"),
        ("ÉTÉ À Noël", "ete a noel"),
        ("ＨＥＲＯＮ", "heron"),  # full-width
        ("He\u200bron", "heron"),  # zero-width space
        ("He\u0301ron", "heron"),  # decomposed accent
        ("Неrоn", "heron"),  # Cyrillic Н, е, о
        ("Ηεrοn", "heron"),  # Greek Η, ε, ο
        ("l’Héron", "l'heron"),  # typographic apostrophe
        ("projet\n\n  heron", "projet heron"),  # line breaks and runs of spaces
        ("cœur", "coeur"),  # ligature
        ("İstanbul", "istanbul"),  # lowercases to two characters in Python
        ("𝐇𝐞𝐫𝐨𝐧", "heron"),  # mathematical bold
        ("prix\u202f!", "prix !"),  # French narrow no-break space
    ],
)
def test_folding_reads_plain_lowercase_ascii(original: str, folded: str) -> None:
    assert fold(original).text == folded


@pytest.mark.parametrize(
    ("original", "read"),
    [
        ("h3r0n", "heron"),
        ("@tl@s", "atias"),
        ("c0nf1d3nt13l", "confidentiei"),
        ("$ecret", "secret"),
        ("at|as", "atias"),
    ],
)
def test_leet_view_reads_digits_and_symbols_as_letters(original: str, read: str) -> None:
    assert fold(original).leet == read


def test_a_plain_text_keeps_identity_offsets() -> None:
    folded = fold("Le projet Héron avance.")

    assert folded.offsets is None
    assert folded.original_span(10, 15) == (10, 15)


def test_offsets_skip_deleted_characters() -> None:
    folded = fold("a\u200bHéron")

    assert folded.text == "aheron"
    assert folded.original_span(1, 6) == (2, 7)


def test_fold_term_trims_spaces() -> None:
    assert fold_term("  Projet  Héron ") == "projet heron"


def test_leet_reads_characters_outside_ascii_as_question_marks() -> None:
    assert leet("日本") == "??"


@given(st.text())
def test_folding_is_idempotent(text: str) -> None:
    once = fold(text).text

    assert fold(once).text == once


@given(st.text())
def test_every_folded_character_maps_inside_the_original(text: str) -> None:
    folded = fold(text)

    assert len(folded.leet) == len(folded.text)
    for index in range(len(folded.text)):
        start, end = folded.original_span(index, index + 1)
        assert 0 <= start < end <= len(text)


@given(st.text())
def test_offsets_never_go_backwards(text: str) -> None:
    folded = fold(text)
    starts = [folded.original_span(index, index + 1)[0] for index in range(len(folded.text))]

    assert starts == sorted(starts)


@given(st.text(alphabet=st.characters(codec="ascii", exclude_characters="\t\n\r\x0b\x0c\x00 ")))
def test_printable_ascii_without_spaces_only_lowercases(text: str) -> None:
    assert fold(text).text == text.lower()


@given(st.text())
def test_plain_ascii_and_accented_texts_fold_the_same_way(text: str) -> None:
    # Plain ASCII texts take a faster path; one accented letter sends the same text down the other.
    assert fold(text + "é").text == fold(text).text + "e"


def _reference_fold(text: str) -> tuple[str, list[int] | None]:
    """Folding the slow, obvious way: the whole table on every character, the edits by regex."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(character.lower()[0] for character in text)
    mapped = lowered.translate(normalize._TABLE)
    edit = re.compile("[ \x00]{2,}|\x00|[" + "".join(normalize._LIGATURES) + "]")
    if not edit.search(mapped):
        return mapped, None
    pieces: list[str] = []
    offsets: list[int] = []
    position = 0
    for found in edit.finditer(mapped):
        start, end = found.span()
        replacement = normalize._LIGATURES.get(found.group(), " " if " " in found.group() else "")
        pieces.append(mapped[position:start])
        offsets.extend(range(position, start))
        pieces.append(replacement)
        offsets.extend([start] * len(replacement))
        position = end
    pieces.append(mapped[position:])
    offsets.extend(range(position, len(mapped)))
    return "".join(pieces), offsets


# Characters of every path: the code page, characters outside it that fold, that are deleted, that
# are spaces or ligatures, that lowercase in context (final sigma) or to two characters (İ).
_TRICKY = st.sampled_from(
    [*"aZ09 ?!@$|l.-_'\t\n\x00\x7f", *"éÉàÀçœŒæß’“…–—€«»\u00a0\u00ad\u202f\u200b\u200d\u0301\ufe0f",
     *"𝐇ＨｅΗεΣσς日本🙂İĳﬁﬃ\u2060\ufeff\u0302\u3000\u2028Ѕ"]
)  # fmt: skip


@settings(max_examples=1_000)
@given(st.one_of(st.text(), st.text(_TRICKY)))
def test_fast_folding_gives_the_text_and_offsets_of_the_reference_folding(text: str) -> None:
    folded = fold(text)
    reference_text, reference_offsets = _reference_fold(text)

    assert folded.text == reference_text
    assert folded.offsets == reference_offsets
    assert folded.leet == leet(reference_text)
    assert folded.scan == leet(reference_text).translate(str.maketrans("-_.", "   "))
    assert fold_text(text) == reference_text


@given(st.one_of(st.text(), st.text(_TRICKY)))
def test_the_aligned_original_shows_the_original_character_of_each_folded_one(text: str) -> None:
    folded = fold(text)

    aligned = folded.aligned_original()

    assert len(aligned) == len(folded.text)
    assert all(aligned[index] == text[folded.original_span(index, index + 1)[0]] for index in range(len(aligned)))


@given(st.lists(st.sampled_from(["?", "?" * 9, "Ｈ", "🙂", "Σ", "İ", "é", " "]), max_size=12).map("".join))
def test_question_marks_among_characters_outside_the_code_page_fold_like_the_reference(text: str) -> None:
    # Real question marks are passed over one at a time, then the rest are counted: both paths.
    folded = fold(text)

    assert (folded.text, folded.offsets) == _reference_fold(text)
