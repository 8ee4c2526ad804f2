# ruff: noqa: RUF001  -- typographic apostrophes are what some of these tests are about
"""Tone rules: insults aimed at people, threats and harassment; harsh words about decisions are fine."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance_engine.engine import check, compile_policy
from compliance_engine.model import Policy, RuleKind, Scope, ToneCategory, ToneSettings
from compliance_engine.tests.policies import OUTSIDE_QUIET_PERIOD, REPUTATION, TONE, text_compiled


def tone_findings(text: str) -> list[tuple[str, str]]:
    verdict = check(text, text_compiled(), date=OUTSIDE_QUIET_PERIOD, scope=Scope.EVERYONE)
    return [(f.matched, f.detail) for f in verdict.findings if f.kind is RuleKind.TONE]


@pytest.mark.parametrize(
    ("text", "matched", "detail"),
    [
        ("Franchement t'es un gros connard.", "t'es un gros connard", "insult: connard"),
        ("Tu es vraiment nul.", "Tu es vraiment nul", "insult: nul"),
        ("T’es qu’un abruti", "T’es qu’un abruti", "insult: abruti"),  # typographic apostrophes
        ("Espèce d'imbécile !", "Espèce d'imbécile", "insult: imbécile"),
        ("Quel c0nn4rd ce Marc", "Quel c0nn4rd", "insult: connard"),  # leetspeak
        ("Le nouveau chef est un tocard.", "est un tocard", "insult: tocard"),
        ("@marc abruti", "abruti", "insult: abruti"),
        ("abruti @marc", "abruti", "insult: abruti"),
        ("Bouffon de Kevin, va.", "Bouffon", "insult: bouffon"),
        ("You're an idiot.", "You're an idiot", "insult: idiot"),
        ("you are so stupid", "you are so stupid", "insult: stupid"),
        ("You moron.", "You moron", "insult: moron"),
        ("ur pathetic lol", "ur pathetic", "insult: pathetic"),
        ("Je vais te tuer.", "Je vais te tuer", "threat: je vais te tuer"),
        ("on va te casser la gueule", "on va te casser la gueule", "threat: on va te casser la gueule"),
        ("Je vais t'éclater", "Je vais t'éclater", "threat: je vais t'éclater"),
        ("Tu vas le regretter.", "Tu vas le regretter", "threat: tu vas le regretter"),
        ("I'll make you pay for that", "I'll make you pay", "threat: i'll make you pay"),
        ("You'll regret this.", "You'll regret", "threat: you'll regret"),
        ("I know where you live", "I know where you live", "threat: i know where you live"),
        ("Go kill yourself", "kill yourself", "harassment: kill yourself"),
        ("Envoie-moi des nudes", "Envoie-moi des nudes", "harassment: envoie-moi des nudes"),
        ("Personne ne t'aime ici", "Personne ne t'aime", "harassment: personne ne t'aime"),
        ("Go k1ll yourself", "k1ll yourself", "harassment: kill yourself"),
        ("Pauvre con, tu crois vraiment que quelqu'un lit tes posts ?", "Pauvre con", "insult: pauvre con"),
        ("Bon. Connard !", "Connard", "insult: connard"),
    ],
)
def test_hostile_speech_is_flagged(text: str, matched: str, detail: str) -> None:
    assert tone_findings(text) == [(matched, detail)]


@pytest.mark.parametrize(
    "text",
    [
        "Cette réorganisation est une honte.",
        "This decision is stupid.",
        "Management is absurd.",
        "Cette décision est idiote et injuste.",
        "La direction est nulle sur le télétravail.",
        "Ce plan social est débile.",
        "Your decision is pathetic and your plan is useless.",
        "Ils nous prennent pour des imbéciles avec ces primes.",
        "On n'est pas des idiots, on voit bien ce qui se passe.",
        "The new policy is dumb and the process is worthless.",
        "C'est con, cette réunion tombe le jour de la grève.",
        "Je vais te montrer la démo demain.",
        "I'll find you a seat at the front.",
        "I'll get you the report tonight.",
        "This reorganisation is a disgrace and management knows it.",
        "Le mistral va tuer mes tomates.",
        "Cette politique salariale me tue.",
        "You are right, this policy is stupid.",
        "Tu es au courant ? La décision est absurde.",
        "Les conditions de travail sont nulles, parlons-en jeudi.",
        "Quel bazar cette migration !",
        "Retour à Lyon ce soir, content.",
        "Tu es nulle part dans le nouvel organigramme, c'est normal ?",
        "You are dead right about the roadmap, Priya.",
        "T'es mort de rire, avoue.",
        "Blaireau, renard et chevreuil vus ce matin au bord du bois.",
    ],
)
def test_harsh_words_about_decisions_and_ordinary_speech_are_never_flagged(text: str) -> None:
    assert tone_findings(text) == []


def test_a_rule_flags_only_its_categories() -> None:
    threats_only = dataclasses.replace(TONE, settings=ToneSettings(frozenset({ToneCategory.THREAT})))
    compiled = compile_policy(Policy(clauses=(REPUTATION,), rules=(threats_only,)))
    verdict = check(
        "T'es un connard, je vais te tuer", compiled, date=OUTSIDE_QUIET_PERIOD, scope=Scope.EVERYONE, language="en"
    )

    assert [(f.detail, f.message) for f in verdict.findings] == [
        ("threat: je vais te tuer", "Hostile words towards a person.")
    ]


_criticism = st.sampled_from(
    [
        "cette décision est {}",
        "this decision is {}",
        "the new policy is {}",
        "ce plan est {}",
        "la réorganisation est {}",
        "management's choice is {}",
    ]
)
_harsh = st.sampled_from(["stupide", "stupid", "nul", "nulle", "absurde", "débile", "idiote", "pathetic", "useless"])


@given(template=_criticism, word=_harsh, before=st.sampled_from(["", "Franchement, ", "Honnêtement "]))
def test_a_harsh_word_about_a_decision_is_never_an_insult(template: str, word: str, before: str) -> None:
    assert tone_findings(before + template.format(word)) == []
