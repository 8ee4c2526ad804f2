"""Disclosure rules: promotions need a disclosure in the post; criticism and calls to meet never do."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance_engine.disclosure import DisclosureChecker
from compliance_engine.engine import PolicyError, check, compile_policy
from compliance_engine.model import DISCLOSURE_WORDINGS, DisclosureSettings, Policy, RuleKind, Scope
from compliance_engine.normalize import fold
from compliance_engine.tests.policies import DISCLOSURE, OUTSIDE_QUIET_PERIOD, TRANSPARENCY, text_compiled


def disclosure_findings(text: str, language: str = "fr") -> list[tuple[str, str]]:
    verdict = check(text, text_compiled(), date=OUTSIDE_QUIET_PERIOD, scope=Scope.EVERYONE, language=language)
    return [(f.matched, f.suggestion) for f in verdict.findings if f.kind is RuleKind.DISCLOSURE]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Fière de présenter la SolarBox, l'énergie solaire pour tous !", "SolarBox"),
        ("Découvrez Lumarelle Flex, notre nouvelle offre.", "Lumarelle Flex"),
        ("Nous recrutons ! Trois postes d'ingénieurs à Lyon.", "Nous recrutons"),
        ("Rejoignez-nous : CDI à pourvoir à Nantes.", "Rejoignez-nous"),
        ("We're hiring engineers in Lyon, apply now!", "We're hiring"),
        ("Great day at Lumarelle's booth at VivaTech!", "Lumarelle"),
        ("Tout est sur https://www.lumarelle.com/offres", "https://www.lumarelle.com/offres"),
        ("Tout est sur jobs.lumarelle.com", "jobs.lumarelle.com"),
        ("Découvrez la S0LARB0X !", "S0LARB0X"),  # leetspeak does not hide a product
        ("#Lumarelle recrute, #hiring", "Lumarelle"),
        # The first cue of several, whatever its kind: a link, a product, the company's name.
        ("Voir lumarelle.com/offres : la SolarBox est là.", "lumarelle.com/offres"),
        ("La SolarBox est là : lumarelle.com/offres", "SolarBox"),
        ("Lumarelle lance la SolarBox, voir lumarelle.com", "Lumarelle"),
        # A name inside an e-mail address, plain or disguised, is an address, not the first cue.
        ("Écrivez à claire.vasseur [at] lumarelle [dot] fr. Découvrez la SolarBox !", "SolarBox"),
        ("Écrivez à claire@lumarelle.fr. Découvrez la SolarBox !", "SolarBox"),
        ("Write to lumarelle (at) gmail (dot) com and check out the SolarBox!", "SolarBox"),
        ("Contact : lumarelle@gmail.com, découvrez la SolarBox", "SolarBox"),
        ("Découvrez Lumarelle (la marque) !", "Lumarelle"),
        ("Suivez @lumarelle, découvrez la SolarBox !", "lumarelle"),  # a handle, not an address
    ],
)
def test_a_promotion_without_disclosure_is_flagged_at_its_first_cue(text: str, cue: str) -> None:
    assert disclosure_findings(text) == [(cue, "Ajoutez « #collaborateur ».")]


def test_the_suggestion_names_the_wording_in_the_readers_language() -> None:
    assert disclosure_findings("Découvrez la SolarBox", language="en") == [("SolarBox", "Add “#collaborateur”.")]


@pytest.mark.parametrize(
    "text",
    [
        "Fière de présenter la SolarBox #collaborateur",
        "Fière de présenter la SolarBox #Salariée",
        "Je travaille chez Lumarelle et je vous recommande la SolarBox.",
        "J'adore la SolarBox (collaboration commerciale)",
        "Nous recrutons ! Je travaille pour Lumarelle depuis 5 ans.",
        "Love the new SolarBox. #employee",
        "I work at Lumarelle and we're hiring!",
        "My employer Lumarelle launches the SolarBox.",
    ],
)
def test_a_promotion_with_an_accepted_wording_is_fine(text: str) -> None:
    assert disclosure_findings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Réunion syndicale jeudi à 12h, rejoignez-nous !",
        "Let's discuss our working conditions together, Thursday at noon.",
        "La réorganisation chez Lumarelle est une honte.",
        "Chez Lumarelle, les conditions de travail se dégradent depuis un an.",
        "Lumarelle annonce un plan social : 200 postes supprimés.",
        "Grève chez Lumarelle demain, on sera devant le siège.",
        "Lumarelle's decision to cut our wages is unfair.",
        "Layoffs at Lumarelle again. Dear colleagues, let's meet on Friday.",
        "Chers collègues, rejoignez-nous jeudi pour parler de nos salaires.",
        "Lumarelle management is absurd about remote work.",
        "The union meeting is on Thursday, join us.",
        "Assemblée générale du personnel lundi, rejoignez-nous nombreux.",
        "J'ai perdu mon job et mon poste en CDI n'existe plus.",  # job words alone promote nothing
        "Belle journée à Lyon avec mes enfants.",
    ],
)
def test_criticism_and_calls_to_meet_never_need_a_disclosure(text: str) -> None:
    assert disclosure_findings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Lumarelle parle d'excellence mais refuse de remplacer les départs. On tient comment ?",
        "Trois ans sans augmentation chez Lumarelle alors que les dividendes explosent.",
        "Lumarelle management says morale is great. Maybe ask the people who worked three weekends?",
        "Débrayage demain à 10h en soutien aux collègues, rejoignez-nous devant l'atelier.",
        "On recrute des bénévoles pour la collecte de jouets du comité d'entreprise !",
        "Attention, un SMS vous envoie sur lumarel1e.com. Ne le suivez pas.",
        "Heads up: someone registered lumarelle.co and is sending fake invoices.",
        "C'est bien https://www.lumarelle.com.espace-client.net/login notre portail ?",
        "Le wifi invité, c'est « Lumarelle-Guest ».",
        "Fière de l'équipe ! Écrivez à alice@lumarelle.com",  # an e-mail address is no company link
    ],
)
def test_a_mere_mention_of_the_company_is_not_a_promotion(text: str) -> None:
    assert disclosure_findings(text) == []


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Malgré la grève des transports, venez découvrir la SolarBox sur notre stand !", "SolarBox"),
        ("Rendez-vous sur notre stand : toute l'équipe Lumarelle vous attend.", "Lumarelle"),
        ("Suivez @lumarelle sur Instagram !", "lumarelle"),
    ],
)
def test_a_call_to_discover_the_offer_is_a_promotion_even_beside_a_strike(text: str, cue: str) -> None:
    assert [matched for matched, _ in disclosure_findings(text)] == [cue]


def test_a_disguised_name_in_an_accepted_wording_still_discloses() -> None:
    assert disclosure_findings("Je travaille chez L U M A R E L L E et on lance la SolarBox 3 demain.") == []


def test_company_wordings_are_expanded_for_each_name() -> None:
    settings = DisclosureSettings(
        jurisdiction="US-FINRA",
        company_names=("Lumarelle", "Lumarelle Finance"),
        accepted_wordings=DISCLOSURE_WORDINGS["US-FINRA"],
    )
    rule = dataclasses.replace(DISCLOSURE, settings=settings)
    compiled = compile_policy(Policy(clauses=(TRANSPARENCY,), rules=(rule,)))

    def outcome(text: str) -> int:
        return len(check(text, compiled, date=OUTSIDE_QUIET_PERIOD, scope=Scope.EVERYONE).findings)

    assert outcome("Lumarelle Finance launches a new fund.") == 1
    assert outcome("Lumarelle Finance launches a new fund. I am employed by Lumarelle Finance.") == 0
    assert outcome("Lumarelle has a new fund. Registered representative of Lumarelle.") == 0


@pytest.mark.parametrize(
    ("disclosure", "error"),
    [
        (DisclosureSettings("FR", company_names=(), accepted_wordings=("#salarié",)), "company's name"),
        (DisclosureSettings("FR", company_names=("Lumarelle",), accepted_wordings=(" ",)), "accepts no wording"),
    ],
)
def test_an_incomplete_disclosure_rule_is_refused(disclosure: DisclosureSettings, error: str) -> None:
    # Not named "settings": pytest-django owns that fixture name.
    rule = dataclasses.replace(DISCLOSURE, settings=disclosure)

    with pytest.raises(PolicyError, match=f"'disclosure-fr'.*{error}"):
        compile_policy(Policy(clauses=(TRANSPARENCY,), rules=(rule,)))


_prose = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,.!'", max_size=60)


@given(before=_prose, after=_prose, wording=st.sampled_from(DISCLOSURE_WORDINGS["FR"]))
def test_any_accepted_wording_anywhere_clears_a_promotion(before: str, after: str, wording: str) -> None:
    text = f"{before} Découvrez la SolarBox {after} {wording.replace('{company}', 'Lumarelle')}"

    assert disclosure_findings(text) == []


def test_posts_without_a_finding_leave_the_next_findings_whole() -> None:
    # A post without a finding gets the one exhausted iterator: findings after it are unchanged.
    assert isinstance(DISCLOSURE.settings, DisclosureSettings)
    checker = DisclosureChecker(DISCLOSURE.settings)
    texts = ("Beau temps à Lyon.", "Découvrez la SolarBox !", "Bonne soirée.", "Nous recrutons à Nantes.")
    findings = [list(checker.find(fold(text))) for text in texts * 2]
    assert [len(found) for found in findings] == [0, 1, 0, 1] * 2
    assert findings[:4] == findings[4:]
