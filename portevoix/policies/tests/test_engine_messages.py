"""The engine's messages in the reader's language: test-case problems on the version page, file errors on upload."""

import dataclasses
import datetime
import html

import pytest
from django.test import Client
from django.utils import translation

from compliance_engine.engine import Outcome
from compliance_engine.model import Clause, Policy, RiskCategory, TestCase
from compliance_engine.policyfile import ErrorCode, Location, PolicyFileError, dumps, loads
from compliance_engine.policyfile.errors import Section
from compliance_engine.testcases import ProblemCode, run_test_cases
from compliance_engine.tests.policies import POLICY
from compliance_engine.tests.test_policyfile import ERROR_CASES, SYNTAX_CASES, VALID
from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.policies import engine_messages, services
from portevoix.policies.models import PolicyVersion

NBSP = "\u00a0"

FAILING_CASES = (
    TestCase("Le projet Heron avance.", must_not_find=("confidential-projects",), outcome=Outcome.FINE),
    TestCase("Globex recrute.", must_find=("competitors",)),
    TestCase("Notre chiffre d'affaires progresse.", must_find=("quiet-period-q1",)),
    TestCase("Notre chiffre d'affaires progresse.", must_find=("quiet-period-q1",), date=datetime.date(2026, 4, 2)),
    TestCase("Belle journée à Lyon.", must_find=("personal-data",)),
)


def _page_text(client: Client, url: str) -> str:
    return html.unescape(client.get(url).content.decode())


def test_every_test_case_problem_has_a_message() -> None:
    assert set(engine_messages.TEST_PROBLEMS) == set(ProblemCode)


def test_every_problem_is_said_in_english_as_the_engine_says_it() -> None:
    results = run_test_cases(dataclasses.replace(POLICY, tests=FAILING_CASES))
    problems = [problem for result in results for problem in result.problems]

    with translation.override("en"):
        said = [engine_messages.test_problem_message(engine_messages.stored_problem(p)) for p in problems]

    assert {problem.code for problem in problems} == set(ProblemCode)
    assert said == [str(problem) for problem in problems]


@pytest.mark.django_db
def test_a_failed_test_case_is_explained_in_french_on_the_version_page(client: Client, personas: Personas) -> None:
    source = dumps(dataclasses.replace(POLICY, tests=FAILING_CASES))
    services.save_version(organization=personas.acme, actor=None, source=source, summary="")
    client.force_login(personas.compliance)  # Louis reads French

    page = _page_text(client, "/policy/v/1/")

    rule = f"La règle «{NBSP}confidential-projects{NBSP}»"
    assert f"{rule} a trouvé «{NBSP}projet Heron{NBSP}»." in page
    assert f"Le verdict est «{NBSP}ne pas publier{NBSP}», et non «{NBSP}rien à signaler{NBSP}»." in page
    assert (
        f"La règle «{NBSP}competitors{NBSP}» n\u2019a rien trouvé{NBSP}: elle vise les ambassadeurs et les comptes "
        "officiels, et le test est écrit pour tout le monde." in page
    )
    assert (
        f"La règle «{NBSP}quiet-period-q1{NBSP}» n\u2019a rien trouvé{NBSP}: le test n\u2019a pas de date "
        "et il est vérifié au 2000-01-01, en dehors de sa période de silence (du 2026-03-01 au 2026-03-31)." in page
    )
    assert "la date du test, le 2026-04-02, est en dehors de sa période de silence" in page
    assert f"La règle «{NBSP}personal-data{NBSP}» n\u2019a rien trouvé." in page
    assert "was not found" not in page
    assert "The outcome is" not in page


@pytest.mark.django_db
def test_a_failed_test_case_is_explained_in_english_on_the_version_page(client: Client, personas: Personas) -> None:
    source = dumps(dataclasses.replace(POLICY, tests=FAILING_CASES[:2]))
    services.save_version(organization=personas.acme, actor=None, source=source, summary="")
    set_interface_language(person=personas.compliance, language="en")
    client.force_login(personas.compliance)

    page = _page_text(client, "/policy/v/1/")

    assert '"confidential-projects" was found in "projet Heron".' in page
    assert 'The outcome is "do not publish", not "fine".' in page
    assert (
        '"competitors" was not found: it applies to ambassadors and official, and the test is written as everyone.'
        in page
    )


@pytest.mark.django_db
def test_the_report_stores_codes_and_parameters_not_sentences(personas: Personas) -> None:
    source = dumps(dataclasses.replace(POLICY, tests=FAILING_CASES[:1]))

    version = services.save_version(organization=personas.acme, actor=None, source=source, summary="")

    assert version.test_report == [
        {
            "index": 1,
            "passed": False,
            "text": "Le projet Heron avance.",
            "problems": [
                {"code": "found", "params": {"rule": "confidential-projects", "matches": ["projet Heron"]}},
                {"code": "wrong_outcome", "params": {"outcome": "do_not_publish", "expected_outcome": "fine"}},
            ],
        }
    ]


@pytest.mark.django_db
def test_a_report_stored_in_english_sentences_is_shown_as_it_is(client: Client, personas: Personas) -> None:
    source = dumps(dataclasses.replace(POLICY, tests=FAILING_CASES[:1]))
    version = services.save_version(organization=personas.acme, actor=None, source=source, summary="")
    old_report = [{"index": 1, "passed": False, "text": "Le projet Heron avance.", "problems": ["Old sentence."]}]
    PolicyVersion.objects.filter(pk=version.pk).update(test_report=old_report)
    client.force_login(personas.compliance)

    page = _page_text(client, "/policy/v/1/")

    assert "<li>Old sentence.</li>" in page


# Policy file errors


def _file_errors() -> list[PolicyFileError]:
    """An error of every code reading can give, and the two that say what no check foresaw."""
    errors = []
    replacements = [(str(case.values[0]), str(case.values[1])) for case in ERROR_CASES]
    replacements += [(old, new) for old, new, *_expected in SYNTAX_CASES]
    sources = [VALID.replace(old, new, 1) for old, new in replacements]
    top = 'format = "porte-voix-policy/1"\n'
    for source in [*sources, VALID + 'note = "', top + "rule = [3]\n", top + 'rule = "x"\n']:
        with pytest.raises(PolicyFileError) as raised:
            loads(source)
        errors.append(raised.value)
    with pytest.raises(PolicyFileError) as raised:
        dumps(Policy(clauses=(Clause("1", {"de": "Vertraulich"}, RiskCategory.SECURITY),)))
    errors.append(raised.value)
    errors.append(PolicyFileError(ErrorCode.POLICY_DOES_NOT_COMPILE, {"reason": "Two clauses have the same id."}))
    return errors


FILE_ERRORS = _file_errors()


def test_every_policy_file_error_has_a_message() -> None:
    assert set(engine_messages.FILE_ERRORS) == set(ErrorCode)
    assert {error.code for error in FILE_ERRORS} == set(ErrorCode) - {ErrorCode.RULE_DOES_NOT_COMPILE}


@pytest.mark.parametrize("error", FILE_ERRORS, ids=lambda error: error.code.value)
def test_every_policy_file_error_is_said_in_english_as_the_engine_says_it(error: PolicyFileError) -> None:
    with translation.override("en"):
        said = engine_messages.file_error_message(error)

    # The engine quotes values with repr(), which doubles a backslash; the page shows the value as written.
    assert said == str(error).replace("\\\\", "\\")


@pytest.mark.parametrize("error", FILE_ERRORS, ids=lambda error: error.code.value)
def test_every_policy_file_error_is_said_in_french(error: PolicyFileError) -> None:
    with translation.override("fr"):
        said = engine_messages.file_error_message(error)

    assert said != str(error)
    assert "%(" not in said
    assert said.endswith((".", "?", "»"))


def test_an_error_the_engine_did_not_foresee_is_still_said_with_its_place() -> None:
    location = Location(Section.RULE, 2, "tickets", "custom", line=40)
    error = PolicyFileError(ErrorCode.RULE_DOES_NOT_COMPILE, {"reason": "something new"}, location=location)

    with translation.override("fr"):
        said = engine_messages.file_error_message(error)

    assert (
        said
        == f"Règle 2 «{NBSP}tickets{NBSP}» (type custom, ligne 40){NBSP}: la règle ne compile pas{NBSP}: something new."
    )


@pytest.mark.django_db
def test_an_uploaded_file_with_an_error_is_refused_in_french(client: Client, personas: Personas) -> None:
    client.force_login(personas.compliance)  # Louis reads French
    source = dumps(POLICY).replace('severity = "warn"', 'severity = "blok"', 1)

    response = client.post("/policy/file/", {"source": source, "summary": "", "based_on": 0})

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert (
        f"Règle 2 «{NBSP}competitors{NBSP}» (type terms, ligne 40){NBSP}: sévérité inconnue «{NBSP}blok{NBSP}» "
        f"(vouliez-vous dire «{NBSP}block{NBSP}»{NBSP}?){NBSP}; valeurs possibles{NBSP}: block, warn ou info." in page
    )
    assert not PolicyVersion.objects.exists()


@pytest.mark.django_db
def test_an_uploaded_file_with_an_error_is_refused_in_english(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.compliance, language="en")
    client.force_login(personas.compliance)
    source = dumps(POLICY).replace('severity = "warn"', 'severity = "blok"', 1)

    response = client.post("/policy/file/", {"source": source, "summary": "", "based_on": 0})

    page = html.unescape(response.content.decode())
    assert (
        "Rule 2 'competitors' (kind terms, line 40): unknown severity 'blok' (did you mean 'block'?); "
        "expected block, warn or info." in page
    )
    assert not PolicyVersion.objects.exists()
