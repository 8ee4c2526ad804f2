# ruff: noqa: RUF001  -- look-alike characters are what these tests are about
"""Term rules: obfuscation seen through, ordinary words left alone, criticism never flagged."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from compliance_engine.engine import check
from compliance_engine.model import Qualifier, Scope, TermEntry
from compliance_engine.normalize import fold, fold_term, leet
from compliance_engine.terms import (
    _WORD_PARTS,
    TermMatcher,
    _is_spelled,
    _needles,
    _starts_word,
    _word_end,
    _words_of,
    spellings,
)
from compliance_engine.tests.policies import OUTSIDE_QUIET_PERIOD, compiled


def found(text: str, scope: Scope = Scope.EVERYONE) -> list[tuple[str, str]]:
    verdict = check(text, compiled(), date=OUTSIDE_QUIET_PERIOD, scope=scope)
    return [(finding.rule_id, finding.matched) for finding in verdict.findings]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("On avance sur Heron.", "Heron"),
        ("On avance sur HÉRON.", "HÉRON"),  # case and accents
        ("L’avancée d’Héron", "Héron"),  # elision with a typographic apostrophe
        ("C'est l'Heron qui compte", "Heron"),
        ("qu'Heron soit prêt", "Heron"),
        ("Les Herons arrivent", "Herons"),  # plural
        ("Heron's launch", "Heron"),  # possessive
        ("Heron’s launch", "Heron"),
        ("Vive #Heron", "Heron"),  # hashtag
        ("Vive #HeronLaunch", "Heron"),  # camelCase hashtag
        ("Vive #LaunchHeron", "Heron"),
        ("H.E.R.O.N en vue", "H.E.R.O.N"),  # dotted letters
        ("H E R O N en vue", "H E R O N"),  # spaced letters
        ("H-E-R-O-N en vue", "H-E-R-O-N"),  # hyphenated letters
        ("le H3R0N arrive", "H3R0N"),  # leetspeak
        ("He\u200bron arrive", "He\u200bron"),  # zero-width space
        ("ＨＥＲＯＮ arrive", "ＨＥＲＯＮ"),  # full-width
        ("Неrоn arrive", "Неrоn"),  # Cyrillic look-alikes
        ("c.o.n.f.i.d.e.n.t.i.e.l", "c.o.n.f.i.d.e.n.t.i.e.l"),
        ("C0NF1D3NT13L !", "C0NF1D3NT13L"),
    ],
)
def test_a_confidential_term_is_seen_through_its_disguise(text: str, matched: str) -> None:
    assert found(text) == [("confidential-projects", matched)]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("Le Projet Héron avance", "Projet Héron"),
        ("Vive #ProjetHeron", "ProjetHeron"),
        ("le projet-heron avance", "projet-heron"),
        ("le projet\nheron avance", "projet\nheron"),  # line break
        ("le projet_heron avance", "projet_heron"),
    ],
)
def test_a_term_of_several_words_is_found_once_however_it_is_joined(text: str, matched: str) -> None:
    assert found(text) == [("confidential-projects", matched)]


@pytest.mark.parametrize(
    "text",
    [
        "Une mouette et un héronneau",  # longer word
        "Le chéron du coin",  # the term inside a word
        "heronville",
        "L'héroïne du film",
    ],
)
def test_a_term_inside_another_word_is_not_found(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "J'ai acheté un atlas des oiseaux.",
        "Atlas est le titan qui porte le ciel.",  # capitalised at the start of a sentence
        "Le mistral souffle fort ce matin.",
        "The Mistral wind blows all week.",
        "Quel vent ! Le Mistral est levé.",
    ],
)
def test_an_ordinary_word_that_is_a_code_name_does_not_flood(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("Le projet Atlas sort en juin.", "Atlas"),
        ("Our Atlas project ships in June.", "Atlas"),
        ("Les projets Atlas et Heron", "Atlas"),
        ("Bientôt #Atlas !", "Atlas"),
        ("Bientôt #ProjetAtlas !", "Atlas"),
        ("Mistral sort la semaine prochaine.", "Mistral"),
    ],
)
def test_a_code_name_counts_in_its_context(text: str, matched: str) -> None:
    assert ("confidential-projects", matched) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Cette décision de la direction est absurde.",
        "Our management is wrong about remote work.",
        "Les conditions de travail se dégradent, retrouvons-nous jeudi pour en parler.",
        "I think our CEO's plan to end remote work is a mistake, and I'm saying so.",
    ],
)
def test_criticism_of_the_employer_is_never_a_finding(text: str) -> None:
    assert found(text) == []
    assert found(text, Scope.AMBASSADORS) == []


def test_a_competitor_is_flagged_only_for_the_scopes_of_its_rule() -> None:
    text = "Nous avons battu Globex sur ce marché."

    assert found(text, Scope.EVERYONE) == []
    assert found(text, Scope.AMBASSADORS) == [("competitors", "Globex")]
    assert found(text, Scope.OFFICIAL) == [("competitors", "Globex")]


def test_context_words_are_looked_for_through_those_that_hold_no_other() -> None:
    words = frozenset({"projet", "projets", "project", "projects", "jet"})

    assert sorted(_needles(words)) == ["jet", "project"]
    assert _needles(frozenset()) == ()


def test_spellings_include_dotted_spaced_and_glued_forms() -> None:
    assert spellings("Projet Héron") >= {"projet heron", "projetheron", "projet-heron", "p.r.o.j.e.t.h.e.r.o.n"}
    assert spellings("Abc") == {"abc"}  # too short to be spelled out letter by letter


def test_an_l_i_confusion_without_any_leetspeak_is_not_a_match() -> None:
    matcher = TermMatcher([(0, (TermEntry("atlas"),))])

    assert matcher.find(fold("un atias"), frozenset({0})) == []
    assert len(matcher.find(fold("un at1as"), frozenset({0}))) == 1


def test_a_space_followed_by_any_character_is_never_a_match() -> None:
    matcher = TermMatcher([(0, (TermEntry("atlas"),))])

    assert matcher.find(fold("un \uffff atlas \uffff"), frozenset({0})) == [(0, TermEntry("atlas"), 5, 10)]


_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=10)
_filler = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéàç ,.!?'\n", max_size=40)


@given(term=_words, before=_filler, after=_filler, upper=st.booleans())
def test_an_inserted_term_is_found_and_its_span_folds_back_to_it(
    term: str, before: str, after: str, upper: bool
) -> None:
    matcher = TermMatcher([(0, (TermEntry(term),))])
    written = term.upper() if upper else term
    text = f"{before} {written} {after}"

    matches = matcher.find(fold(text), frozenset({0}))

    folded = fold(text)
    spans = [folded.original_span(match.start, match.end) for match in matches]
    assert (len(before) + 1, len(before) + 1 + len(term)) in spans or (
        (len(before) + 1, len(before) + 2 + len(term)) in spans and after.startswith("s")
    )
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert fold_term(text[start:end]).removesuffix("s") in {*spellings(term), term.removesuffix("s")}


@given(term=_words, text=_filler)
def test_a_term_is_never_found_in_text_that_does_not_contain_its_letters(term: str, text: str) -> None:
    assume(term not in fold(text).text.replace(" ", "").replace(".", ""))
    matcher = TermMatcher([(0, (TermEntry(term),))])

    assert matcher.find(fold(text), frozenset({0})) == []


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("Nous lançons Atlas demain.", True),
        ("On parle d'Atlas demain.", True),
        ("ATLAS arrive.", False),  # start of the text
        ("Fini. Atlas commence.", False),  # start of a sentence
        ("Voici\nAtlas", False),  # start of a line
        ("Nous lançons atlas demain.", False),
    ],
)
def test_a_capitalised_qualifier_ignores_capitals_that_only_start_a_sentence(text: str, counts: bool) -> None:
    entry = TermEntry("Atlas", qualifiers=frozenset({Qualifier.CAPITALISED}))
    matcher = TermMatcher([(0, (entry,))])

    assert bool(matcher.find(fold(text), frozenset({0}))) is counts


def test_an_inactive_rule_finds_nothing() -> None:
    matcher = TermMatcher([(0, (TermEntry("heron"),)), (1, (TermEntry("heron"),))])

    assert [match.rule_index for match in matcher.find(fold("heron"), frozenset({1}))] == [1]
    assert matcher.find(fold("heron"), frozenset()) == []


_post_alphabet = st.sampled_from(
    [
        "Heron",
        "héron",
        "H.E.R.O.N",
        " ",
        "\u200b",
        "#",
        "'",
        "’",
        "s",
        "projet",
        "Atlas",
        "Globex",
        "\n",
        "3",
        "0",
        "é",
        "x",
    ]
)


@given(st.lists(_post_alphabet, max_size=30).map("".join))
def test_every_finding_points_at_its_own_text_in_the_original(text: str) -> None:
    verdict = check(text, compiled(), date=OUTSIDE_QUIET_PERIOD, scope=Scope.OFFICIAL)

    for finding in verdict.findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.matched
    assert [finding.start for finding in verdict.findings] == sorted(finding.start for finding in verdict.findings)


def _reference_matches(terms: list[str], text: str) -> list[tuple[int, int, int]]:
    """Every spelling of every term looked for with `str.find`: what the automaton must find.

    Each term is its own rule; per rule and start the longest match counts, and a match inside a
    longer one of the same rule does not.
    """
    folded = fold(text)
    view = leet(folded.text)
    longest: dict[tuple[int, int], int] = {}
    for rule, term in enumerate(terms):
        for spelling in spellings(term):
            position = view.find(leet(spelling))
            while position != -1:
                start, last = position, position + len(spelling) - 1
                end = _word_end(folded, start, last + 1)
                is_word_start = not start or not folded.text[start - 1].isalnum() or _starts_word(folded, start)
                if is_word_start and end is not None and _is_spelled(folded.text[start : last + 1], spelling):
                    longest[rule, start] = max(end, longest.get((rule, start), end))
                position = view.find(leet(spelling), position + 1)
    kept: list[tuple[int, int, int]] = []
    for (rule, start), end in sorted(longest.items(), key=lambda item: (item[0][1], -item[1], item[0][0])):
        if all(
            not (other == rule and other_start <= start and end <= other_end) for other, other_start, other_end in kept
        ):
            kept.append((rule, start, end))
    return kept


_term_words = st.text(alphabet="abel1", min_size=1, max_size=5)
_terms = st.lists(
    st.tuples(st.lists(_term_words, min_size=1, max_size=3), st.sampled_from([" ", "-", "'", ". "])).map(
        lambda parts: parts[1].join(parts[0])
    ),
    min_size=1,
    max_size=4,
)
_pieces = st.sampled_from(
    [*"abel13 .-_'#A", "B", "E", "ab", "el", "a.b.e.l", "a b e l", "l-e-b-a", "b_e_1_a", "\u200b"]
)


@settings(max_examples=500)
@given(st.data())
def test_the_automaton_finds_exactly_what_looking_for_every_spelling_finds(data: st.DataObject) -> None:
    # The automaton holds one key per term and its joined form, and reads runs of spelled-out
    # letters glued: it must find what a search for each of the spellings finds, no more, no less.
    terms = data.draw(_terms)
    assume(all(fold_term(term) for term in terms))
    written = sorted({spelling for term in terms for spelling in spellings(term)})
    disguised = [spelling.replace("l", "1").replace("e", "3").upper() for spelling in written]
    text = "".join(data.draw(st.lists(st.sampled_from([*written, *disguised]) | _pieces, max_size=30)))
    matcher = TermMatcher([(rule, (TermEntry(term),)) for rule, term in enumerate(terms)])

    matches = matcher.find(fold(text), frozenset(range(len(terms))))

    assert [(match.rule_index, match.start, match.end) for match in matches] == _reference_matches(terms, text)


@pytest.mark.parametrize("entries", [("abcd", "a.b.c.d"), ("a.b.c.d", "abcd"), ("a b c d", "abcd", "a-b-c-d")])
def test_when_two_entries_of_a_rule_spell_the_same_text_the_first_one_is_reported(entries: tuple[str, ...]) -> None:
    matcher = TermMatcher([(0, tuple(TermEntry(entry) for entry in entries))])

    matches = matcher.find(fold("voir a.b.c.d ici"), frozenset({0}))

    assert [(match.entry.text, match.start, match.end) for match in matches] == [(entries[0], 5, 12)]


@given(st.one_of(st.text(), st.text(st.characters(codec="ascii"))))
def test_the_words_around_a_term_are_the_runs_of_letters_and_digits(piece: str) -> None:
    assert _words_of(piece) == _WORD_PARTS.findall(piece)
