"""Personal data detectors: candidates by regular expression, then checksums and context.

Detectors run on the folded view (lowercase, full-width digits made ASCII, every space a plain
space) and report spans in that view; the engine maps them back to the original text. A number
whose checksum fails is never reported. Checksums come from python-stdnum, which keeps the IBAN
country formats and the NIR key rules up to date.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from stdnum import iban, luhn
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import nir

from compliance_engine.model import Detector


@dataclass(frozen=True, slots=True)
class DataMatch:
    """Personal data found in a folded text."""

    detector: Detector
    start: int
    end: int


_SEPARATOR = r"[ .\-]?"
# Not after "@": "@alice@mastodon.social" is a public fediverse handle, not an e-mail address.
_EMAIL = re.compile(r"(?<![\w.+@-])[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?![\w-])")
# "alice [at] example [dot] fr": the brackets keep ordinary English ("look at this") out.
_BRACKETED_AT = r"\s*[\[({<]\s*(?:at|arobase)\s*[\])}>]\s*"
_BRACKETED_DOT = r"\s*[\[({<]\s*(?:dot|point)\s*[\])}>]\s*"
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.@])[a-z0-9][a-z0-9._-]*(?:@|{_BRACKETED_AT})[a-z0-9-]+(?:(?:\.|{_BRACKETED_DOT})[a-z0-9-]+)*"
    rf"(?:\.|{_BRACKETED_DOT})[a-z]{{2,}}(?![\w-])"
)
# The pairs of digits share one separator (or none): "06.03.2026 08:30" is a date and a time.
_FRENCH_PHONE = re.compile(
    rf"(?<![\w+])(?:(?:\+|00)33{_SEPARATOR}(?:\(0\){_SEPARATOR})?|0)[1-9](?P<separator>{_SEPARATOR})\d\d"
    r"(?:(?P=separator)\d\d){3}(?![\w])"
)
# E.164: a plus sign, then 8 to 15 digits in all, possibly grouped.
_INTERNATIONAL_PHONE = re.compile(r"(?<![\w+])\+[1-9](?:[ .\-]?\(?\d\)?){7,14}(?!\w)")
# North American numbers written without "+1": "(415) 555-2671", "415-555-2671", "415.555.2671".
# Area codes and exchanges never start with 0 or 1; the separators keep years and amounts out.
_NORTH_AMERICAN_PHONE = re.compile(
    r"(?<![\w+(.\-])(?:\([2-9]\d\d\) ?|[2-9]\d\d(?P<separator>[.\-]))[2-9]\d\d(?(separator)(?P=separator)|-)\d{4}"
    r"(?!\w|[.\-]\d)"
)
_IBAN = re.compile(r"(?<![\w])[a-z]{2}\d\d(?: ?[a-z0-9]){11,30}(?![\w])")
_NIR = re.compile(
    rf"(?<![\w])[12]{_SEPARATOR}\d\d{_SEPARATOR}\d\d{_SEPARATOR}(?:\d\d|2a|2b){_SEPARATOR}\d{{3}}{_SEPARATOR}\d{{3}}{_SEPARATOR}\d\d(?![\w])"
)
_CARD = re.compile(r"(?<![\w])\d(?:[ \-]?\d){12,18}(?![\w])")

# Luhn-valid numbers that are not cards: orders, parcels, companies (a SIRET passes Luhn by
# construction and often starts like a Visa or Mastercard number), barcodes (an EAN-13 that starts
# with 4 passes Luhn one time in ten and has a Visa's prefix and length).
_NOT_A_CARD_WORDS = frozenset(
    {
        "commande", "order", "suivi", "tracking", "siret", "siren", "colis", "parcel", "facture", "invoice", "ref",
        "ean", "gtin", "upc", "isbn", "barcode", "barres", "imei",
    }
)  # fmt: skip
_CARD_CONTEXT_CHARACTERS = 40
_SHORTEST_IBAN = 15  # Norway
_CORSICAN_NIR_REACH = 14
_WORD = re.compile(r"[^\W_]+")
# A text is checked again on every keystroke, with the same numbers in it: each number's checksums
# are worked out once (python-stdnum takes tens of microseconds for an IBAN).
_REMEMBERED_NUMBERS = 4096
_REMEMBERED_WINDOWS = 5 * _REMEMBERED_NUMBERS  # five patterns look in each number window

# Issuers: prefixes (as digit-string ranges) and their exact lengths.
_ISSUERS: tuple[tuple[tuple[tuple[str, str], ...], frozenset[int]], ...] = (
    ((("4", "4"),), frozenset({13, 16, 19})),  # Visa
    ((("51", "55"), ("2221", "2720")), frozenset({16})),  # Mastercard
    ((("34", "34"), ("37", "37")), frozenset({15})),  # American Express
    ((("6011", "6011"), ("644", "649"), ("65", "65")), frozenset({16, 17, 18, 19})),  # Discover
    ((("3528", "3589"),), frozenset({16, 17, 18, 19})),  # JCB
    ((("300", "305"), ("36", "36"), ("38", "39")), frozenset({14})),  # Diners Club
)
# How card numbers are grouped when written with separators.
_CARD_GROUPINGS = frozenset({(4, 4, 4, 4), (4, 4, 4, 4, 3), (4, 6, 5), (4, 6, 4), (4, 4, 4, 1), (4, 4, 4, 4, 1)})


def _is_issuer_number(number: str) -> bool:
    """Whether a number has the prefix and one of the exact lengths of a card issuer."""
    for prefixes, lengths in _ISSUERS:
        if len(number) not in lengths:
            continue
        for low, high in prefixes:
            if low <= number[: len(low)] <= high:
                return True
    return False


@functools.lru_cache(maxsize=_REMEMBERED_NUMBERS)
def _is_card_number(number: str) -> bool:
    """An issuer's prefix and exact length, and Luhn."""
    return _is_issuer_number(number) and luhn.is_valid(number)


def _has_card_grouping(written: str) -> bool:
    # `str.split` rather than `re.split`, which looks its pattern up in `re`'s cache on every
    # call: 0.6 µs instead of 1.7 µs for "4111 1111 1111 1111".
    groups = tuple(map(len, written.replace("-", " ").split(" ")))
    return len(groups) == 1 or groups in _CARD_GROUPINGS


_WORDS_AGAINST_CARD = tuple(sorted(_NOT_A_CARD_WORDS))


def _has_words_against_card(text: str, start: int, end: int) -> bool:
    window = text[max(0, start - _CARD_CONTEXT_CHARACTERS) : end + _CARD_CONTEXT_CHARACTERS]
    # Each word of the window is one of them only if the window holds it at all: looking for each
    # with `in` (a search in C) takes 1.2 µs for 90 characters where splitting them into words takes 4 µs.
    for word in _WORDS_AGAINST_CARD:
        if word in window:
            return not _NOT_A_CARD_WORDS.isdisjoint(_WORD.findall(window))
    return False


def _is_card(text: str, start: int, end: int) -> bool:
    """Luhn, an issuer's prefix and exact length, a card's grouping, and no order/SIRET context."""
    low = max(0, start - _CARD_CONTEXT_CHARACTERS)
    return _is_card_in_context(text[low : end + _CARD_CONTEXT_CHARACTERS], start - low, end - low)


@functools.lru_cache(maxsize=_REMEMBERED_NUMBERS)
def _is_card_in_context(text: str, start: int, end: int) -> bool:
    """Whether a number is a card, given the words around it (all `text` is), worked out once."""
    return _is_card_as_written(text[start:end]) and not _has_words_against_card(text, start, end)


@functools.lru_cache(maxsize=_REMEMBERED_NUMBERS)
def _is_card_as_written(written: str) -> bool:
    """Whether a number, as written, is a card's, its context aside: worked out once per number.

    The same number comes back in new contexts as the text around it changes: a context never
    seen took 4 µs to judge, 1 µs of it for the number. A 14-digit number written in one block
    is read as a SIRET, never a card: both pass Luhn and nothing else tells them apart.
    """
    number = written.replace(" ", "").replace("-", "")  # the only separators the pattern allows
    if not (_is_card_number(number) and _has_card_grouping(written)):
        return False
    return not (len(number) == 14 and written.isdigit())


# Letters count as 10 to 35 in the IBAN checksum (ISO 13616).
_IBAN_LETTERS = str.maketrans({letter: str(value) for value, letter in enumerate("abcdefghijklmnopqrstuvwxyz", 10)})


def _has_iban_checksum(compact: str) -> bool:
    """The ISO 7064 mod 97 check alone: a cheap filter before stdnum's full validation."""
    if not 15 <= len(compact) <= 34 or not compact.isalnum():
        return False
    return int((compact[4:] + compact[:4]).translate(_IBAN_LETTERS)) % 97 == 1


def _is_iban(text: str, start: int, end: int) -> bool:
    """The mod 97 check and the country's format; national check digits too, but no bank registry."""
    return _is_valid_iban(text[start:end].replace(" ", ""))


@functools.lru_cache(maxsize=_REMEMBERED_NUMBERS)
def _is_valid_iban(compact: str) -> bool:
    """Whether a compact IBAN candidate is an IBAN.

    python-stdnum's country modules also look the bank up in a registry it ships (Belgium): an
    account at a bank missing from it is still an account number, so only a failed checksum counts.
    """
    if not _has_iban_checksum(compact):
        return False
    number = compact.upper()
    try:
        iban.validate(number)
    except InvalidChecksum:
        return False
    except ValidationError:
        # A wrong format for the country, or a bank python-stdnum does not know: only the first
        # fails without the country's own checks.
        return iban.is_valid(number, check_country=False)
    return True


@functools.lru_cache(maxsize=_REMEMBERED_NUMBERS)
def _is_valid_nir(number: str) -> bool:
    return nir.is_valid(number)


def _is_nir(text: str, start: int, end: int) -> bool:
    # python-stdnum takes spaces and dots out, not the hyphens the pattern also accepts.
    return _is_valid_nir(text[start:end].replace("-", "").upper())


class _Scan(NamedTuple):
    """A folded text, where numbers are in it and where IBANs may start.

    Python's `re` costs tens of microseconds per pattern on a long post, so each detector runs
    only around places that a cheap scan of the text's shape (digits -> "0", letters -> "a",
    done on bytes) says could hold what it looks for. (A named tuple: one is built per text.)
    """

    text: str
    number_windows: list[tuple[int, int]]
    iban_starts: list[int]  # where the shape reads "aa00"


_new_tuple = tuple.__new__
_SHAPE = bytes.maketrans(b"0123456789abcdefghijklmnopqrstuvwxyz", b"0" * 10 + b"a" * 26)
# Digits and what separates the groups of a number, from a digit on.
_DIGITS_AND_SEPARATORS = re.compile(rb"0[0 .\-()]*")
# Eight characters or more, from a digit to a digit: every number the detectors look for has that many.
_SHORTEST_NUMBER = 8
_NUMBER_PREFIX = 5  # room for "+33 " or "00 " before the digits
_BRACKET_AT = re.compile(r"[\[({<]\s*(?:at|arobase)\s*[\])}>]")
_OPENING_BRACKETS = "[({<"
_LOCAL_PART = 64  # the longest local part of an e-mail address
# What the local parts of `_EMAIL` and `_OBFUSCATED_EMAIL` are made of.
_EMAIL_LOCAL_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789._%+-"
_OBFUSCATED_LOCAL_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789._-"
_DOMAIN = 255


def _scan(text: str, encoded: bytes) -> _Scan:
    """The number windows and IBAN starts of a text, read from its shape a stretch of digits at a time.

    `bytes.find` (memchr) skips from one stretch to the next, where `re` reads every byte in a
    loop of its own: finding the numbers with `finditer`, then "aa00" with `bytes.find` (slow
    among so many "a"), took 42,000 instructions for a 3,000-character post, this 27,000
    (callgrind).
    """
    shape = encoded.translate(_SHAPE)
    size = len(text)
    windows = []
    iban_starts = []
    position = shape.find(b"0")
    while position != -1:
        end = _DIGITS_AND_SEPARATORS.match(shape, position).end()  # type: ignore[union-attr]  # at a digit
        # A number runs from here to the stretch's last digit (where `0[0 .\-()]{6,}0` would end).
        last = shape.rfind(b"0", position, end)
        if last + 1 - position >= _SHORTEST_NUMBER:
            windows.append((max(0, position - _NUMBER_PREFIX), min(size, last + 2)))
        if position >= 2 and shape.startswith(b"aa00", position - 2):
            iban_starts.append(position - 2)
        position = shape.find(b"0", end)
    return _new_tuple(_Scan, (text, windows, iban_starts))  # without the named tuple's `__new__`, in Python


_Finder = Callable[[str, int], tuple[tuple[int, int], ...]]


_WINDOW_CACHES: list[functools._lru_cache_wrapper[tuple[object, ...]]] = []


def _remembered(pattern: re.Pattern[str]) -> _Finder:
    """Where a pattern matches in a window, from a start: worked out once per window text.

    A text is checked again on every keystroke with the same numbers in it, and `re` takes about
    2 µs per pattern and window: five patterns in one window cost more than the rest of a short
    post's personal data check. (One cache per pattern: hashing a compiled pattern hashes its
    code, which costs more than the lookup.)
    """

    @functools.lru_cache(maxsize=_REMEMBERED_WINDOWS)
    def matches_in(window: str, start: int) -> tuple[tuple[int, int], ...]:
        return tuple([match.span() for match in pattern.finditer(window, start)])

    _WINDOW_CACHES.append(matches_in)
    return matches_in


def forget() -> None:
    """Forget the numbers and windows remembered across checks, as if no text had been checked."""
    for cache in (
        *_WINDOW_CACHES,
        _is_card_number,
        _is_card_as_written,
        _is_card_in_context,
        _is_valid_iban,
        _is_valid_nir,
    ):
        cache.cache_clear()


def _in_windows(
    matches_in: _Finder,
    scan: _Scan,
    is_valid: Callable[[str, int, int], bool] | None = None,
    reach: int = 0,
) -> Iterator[tuple[int, int]]:
    # A match at a window's edge still sees the character before it through its lookbehind
    # (re looks behind `pos`), and each window ends one character past the digits for lookahead.
    # `reach` extends windows for numbers that may hold letters after their first digits.
    # No pattern looks further behind than one character, so a window's matches depend only on
    # its text and that character, which is what they are remembered by.
    text = scan.text
    for start, end in scan.number_windows:
        low = max(0, start - 1)
        for match_start, match_end in matches_in(text[low : end + reach], start - low):
            if is_valid is None or is_valid(text, low + match_start, low + match_end):
                yield low + match_start, low + match_end


_PHONES = (_FRENCH_PHONE, _INTERNATIONAL_PHONE, _NORTH_AMERICAN_PHONE)


@functools.lru_cache(maxsize=_REMEMBERED_WINDOWS)
def _phones_in(window: str, start: int) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Where each of `_PHONES` matches in a window, from a start: worked out once per window text.

    The three patterns share one lookup: three, each with its own generator, took longer than
    the phone numbers' share of a short post's check (most windows hold none).
    """
    return tuple([tuple([match.span() for match in pattern.finditer(window, start)]) for pattern in _PHONES])


_WINDOW_CACHES.append(_phones_in)
_nirs_in = _remembered(_NIR)
_cards_in = _remembered(_CARD)


def _ibans(scan: _Scan) -> Iterator[tuple[int, int]]:
    """IBANs, trying shorter candidates when the longest one ran into the next word."""
    text = scan.text
    for position in scan.iban_starts:
        candidate = _IBAN.match(text, position)
        if candidate is not None:
            start, stop = candidate.span()
            while stop - start >= _SHORTEST_IBAN:  # the longest first, then cut at each space
                if _is_iban(text, start, stop):
                    yield start, stop
                    break
                stop = text.rfind(" ", start + 1, stop)


def _merged(anchors: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Windows around each "@" (or "[at]"), merged where they overlap so no text is read twice."""
    window: tuple[int, int] | None = None
    for start, end in anchors:
        low, high = max(0, start - _LOCAL_PART), end + _DOMAIN
        if window is not None and low <= window[1]:
            window = (window[0], high)
            continue
        if window is not None:
            yield window
        window = (low, high)
    if window is not None:
        yield window


def _at_signs(text: str) -> list[tuple[int, int]]:
    signs = []
    position = text.find("@")
    while position != -1:
        signs.append((position, position + 1))
        position = text.find("@", position + 1)
    return signs


def _bracketed_ats(text: str) -> list[tuple[int, int]]:
    """Each "[at]" (or "(arobase)", ...), in order, tried only where the text has an opening bracket.

    `re` would try the pattern at every character: 17 µs for a 3,000-character post, where
    `str.find` skips to the few brackets in C. A match holds one opening bracket, its first
    character, so matching at each bracket finds what `finditer` finds.
    """
    ats = []
    for bracket in _OPENING_BRACKETS:
        position = text.find(bracket)
        while position != -1:
            at = _BRACKET_AT.match(text, position)
            if at is not None:
                ats.append(at.span())
            position = text.find(bracket, position + 1)
    ats.sort()
    return ats


def _addresses(
    pattern: re.Pattern[str],
    text: str,
    window: tuple[int, int],
    ats: list[int],
    local_characters: str,
    spaces_before_at: bool = False,
) -> Iterator[tuple[int, int]]:
    """What `pattern.finditer(text, *window)` finds, tried only where a local part can start.

    A local part is made of `local_characters` only and ends at its "@" (or at the spaces
    before its "[at]"), so a match can only start in the run of them before one of `ats`.
    `finditer` tries every position of the window, and after the last address too: 7 µs for a
    window of 320 characters, where an address is most often found at the first position tried.
    """
    low, high = window
    cursor = low
    for at in ats:
        if not cursor < at < high:
            continue
        local_end = cursor + len(text[cursor:at].rstrip()) if spaces_before_at else at
        start = cursor + len(text[cursor:local_end].rstrip(local_characters))
        for position in range(start, local_end):
            match = pattern.match(text, position, high)
            if match is not None:
                yield match.span()
                cursor = match.end()
                break


def _may_hold_address(text: str) -> bool:
    """Whether a text has an "@" or an opening bracket, which every address found holds."""
    return "@" in text or "[" in text or "(" in text or "{" in text or "<" in text


def _emails(scan: _Scan) -> Iterator[tuple[int, int]]:
    text = scan.text
    at_signs = _at_signs(text)
    ats = [at for at, _ in at_signs]
    if ats:  # most texts have none
        for window in _merged(at_signs):
            yield from _addresses(_EMAIL, text, window, ats, _EMAIL_LOCAL_CHARACTERS)
    if "[" in text or "(" in text or "{" in text or "<" in text:  # most texts have none
        bracketed_ats = _bracketed_ats(text)
        # An obfuscated address may also have a plain "@": "alice@example [dot] fr".
        ats = sorted([at for at, _ in bracketed_ats] + ats)
        for window in _merged(bracketed_ats):
            yield from _addresses(
                _OBFUSCATED_EMAIL, text, window, ats, _OBFUSCATED_LOCAL_CHARACTERS, spaces_before_at=True
            )


def _phones(scan: _Scan) -> Iterator[tuple[int, int]]:
    """What `_in_windows` finds for each of `_PHONES` in turn."""
    text = scan.text
    windows = []
    for start, end in scan.number_windows:
        low = start - 1 if start else 0
        windows.append((low, _phones_in(text[low:end], start - low)))
    for pattern in range(len(_PHONES)):
        for low, matches in windows:
            for match_start, match_end in matches[pattern]:
                yield low + match_start, low + match_end


_FINDERS: dict[Detector, Callable[[_Scan], Iterator[tuple[int, int]]]] = {
    Detector.EMAIL: _emails,
    Detector.PHONE: _phones,
    Detector.IBAN: _ibans,
    # Born in Corsica: the department is "2A" or "2B", which splits the digits 11 characters
    # before the end of the number.
    Detector.NIR: lambda scan: _in_windows(_nirs_in, scan, _is_nir, reach=_CORSICAN_NIR_REACH),
    Detector.CARD: lambda scan: _in_windows(_cards_in, scan, _is_card),
}
_PRIORITY = (Detector.IBAN, Detector.NIR, Detector.CARD, Detector.EMAIL, Detector.PHONE)
# The detectors that only look inside the number windows.
_NUMBERS = frozenset({Detector.NIR, Detector.CARD, Detector.PHONE})
# The detectors, by priority and with their finders, that can find anything in a text, by whether
# the text has number windows, IBAN starts, and an "@" or opening bracket. Most texts have one of
# these only: running a finder to find nothing costs a generator, 0.3 to 0.6 µs.
_RUNNING = {
    (numbers, ibans, addresses): tuple(
        (detector, _FINDERS[detector])
        for detector in _PRIORITY
        if (numbers or detector not in _NUMBERS)
        and (ibans or detector is not Detector.IBAN)
        and (addresses or detector is not Detector.EMAIL)
    )
    for numbers in (False, True)
    for ibans in (False, True)
    for addresses in (False, True)
}
_SPAN = operator.attrgetter("start", "end")


def find_personal_data(text: str, detectors: frozenset[Detector], encoded: bytes | None = None) -> list[DataMatch]:
    """Personal data of the given kinds in a folded text, by position, overlaps removed.

    Where two detectors claim overlapping spans, the one whose checksum proved it wins (a NIR is
    not also a phone number), so the result does not depend on set order. `encoded` is the text
    encoded as ASCII with "?" for the rest, if the caller has it already.
    """
    found: list[DataMatch] = []
    scan = _scan(text, text.encode("ascii", "replace") if encoded is None else encoded)
    for detector, finder in _RUNNING[bool(scan.number_windows), bool(scan.iban_starts), _may_hold_address(text)]:
        if detector not in detectors:
            continue
        for start, end in finder(scan):
            if not found or not any(start < other.end and other.start < end for other in found):
                found.append(DataMatch(detector, start, end))
    if len(found) < 2:  # most texts
        return found
    return sorted(found, key=_SPAN)
