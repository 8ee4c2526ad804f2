"""`portevoix check`: exit 0 when nothing blocks, 1 when a finding blocks, 2 for bad input.

Tests with `--policy` take no `db` fixture: pytest-django then refuses any database access, so
they also show that checking against a file needs no database.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conftest import Personas
from portevoix.policies.models import CheckCount
from portevoix.policies.tests.check_policy import ACME_POLICY, GLOBEX_POLICY, publish_policy

PROJECT_DIR = Path(__file__).resolve().parents[3]
RISKY = "Le Projet Heron avance.\nAppelez-moi au 06 12 34 56 78."


@pytest.fixture
def policy_file(tmp_path: Path) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(ACME_POLICY, encoding="utf-8")
    return path


def run(*args: str) -> None:
    call_command("check", *args)


def test_a_blocking_finding_prints_each_finding_and_exits_1(
    policy_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CommandError, match="A finding blocks this post") as raised:
        run("--policy", str(policy_file), "--language", "en", "--date", "2026-05-04", RISKY)

    assert raised.value.returncode == 1
    assert capsys.readouterr().out == (
        "Do not publish: 2 findings (policy file, scope everyone, 2026-05-04)\n"
        "This text must not be published as it is: change what is marked “Block”.\n"
        "\n"
        "1:4  Block  “Projet Heron”\n"
        "  This project is confidential.\n"
        "  Clause c-3-1 — Confidential projects · Legal and confidentiality\n"
        "  Suggestion: Remove the project's name.\n"
        "\n"
        "2:16  Warning  “06 12 34 56 78”\n"
        "  Personal data.\n"
        "  Clause c-5-1 — Personal data · Security\n"
        "  Suggestion: Remove the number.\n"
    )


def test_warnings_only_are_printed_and_exit_0(policy_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run("--policy", str(policy_file), "--language", "en", "Écrivez-moi: bob@example.org")

    output = capsys.readouterr().out
    assert output.startswith("Careful: 1 finding (policy file, scope everyone, ")
    assert "1:14  Warning  “bob@example.org”" in output


def test_a_fine_text_exits_0(policy_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run("--policy", str(policy_file), "--language", "en", "Belle journée à tous !")

    assert capsys.readouterr().out.startswith("Fine: 0 findings (policy file, scope everyone, ")


def test_json_output_is_the_api_answer(policy_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CommandError):
        run("--policy", str(policy_file), "--format", "json", "--date", "2026-05-04", "--scope", "official", RISKY)

    body = json.loads(capsys.readouterr().out)
    assert {key: body[key] for key in ("outcome", "blocks", "policy_version", "language", "scope", "date")} == {
        "outcome": "do_not_publish",
        "blocks": True,
        "policy_version": None,
        "language": "en",
        "scope": "official",
        "date": "2026-05-04",
    }
    assert body["findings"][1] | {"kind_label": "", "category_label": "", "severity_label": ""} == {
        "number": 2,
        "rule_id": "personal-data",
        "kind": "personal_data",
        "kind_label": "",
        "category": "security",
        "category_label": "",
        "severity": "warn",
        "severity_label": "",
        "clause_id": "c-5-1",
        "clause_title": "Personal data",
        "start": 39,
        "end": 53,
        "line": 2,
        "column": 16,
        "matched": "06 12 34 56 78",
        "message": "Personal data.",
        "suggestion": "Remove the number.",
        "detail": "phone",
    }


def test_a_dash_reads_the_text_from_standard_input(
    policy_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Rien à signaler.\n"))

    run("--policy", str(policy_file), "--format", "json", "-")

    assert json.loads(capsys.readouterr().out)["outcome"] == "fine"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--policy", "missing.toml", "x"], "Cannot read the policy file missing.toml"),
        (["--date", "10/03/2026", "x"], "--date must be a day written YYYY-MM-DD, not “10/03/2026”."),
        (["--scope", "ceo", "x"], "--scope must be one of everyone, ambassadors, official, not “ceo”."),
        (["--language", "de", "x"], "--language must be one of fr, en, not “de”."),
        (["--format", "xml", "x"], "--format must be one of text, json, not “xml”."),
        (["   "], "The text to check is empty."),
        (["a" * 20_001], "The text has 20001 characters; a check takes at most 20000."),
        (["--policy", "{policy}"], "Give the text to check, or - to read it from standard input."),
    ],
)
def test_bad_input_exits_2_with_what_is_wrong(policy_file: Path, args: list[str], message: str) -> None:
    args = [arg.replace("{policy}", str(policy_file)) for arg in args]
    if "--policy" not in args:
        args = ["--policy", str(policy_file), *args]

    with pytest.raises(CommandError) as raised:
        run(*args)

    assert raised.value.returncode == 2
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('format = "porte-voix-policy/1"\n[[clause]\n', "Invalid policy file"),
        (ACME_POLICY.replace('clause = "c-2-1"', 'clause = "c-9-9"'), "c-9-9"),
    ],
)
def test_an_invalid_policy_file_exits_2_with_its_error(tmp_path: Path, source: str, message: str) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(source, encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        run("--policy", str(path), "Bonjour")

    assert raised.value.returncode == 2
    assert message in str(raised.value)


def test_without_a_file_the_organisations_published_version_is_used_and_nothing_is_counted(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    publish_policy(personas.acme, personas.compliance)
    publish_policy(personas.globex, personas.outsider, GLOBEX_POLICY)

    run("--organization", "globex", "--format", "json", "Projet Heron")
    globex = json.loads(capsys.readouterr().out)
    with pytest.raises(CommandError):
        run("--organization", "acme", "--format", "json", "Projet Heron")
    acme = json.loads(capsys.readouterr().out)

    assert (globex["outcome"], globex["language"], globex["policy_version"]) == ("fine", "en", 1)
    assert (acme["outcome"], acme["language"]) == ("do_not_publish", "fr")
    assert not CheckCount.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Projet Heron"], "There are several organisations: choose one with --organization SLUG."),
        (["--organization", "initech", "x"], "No organisation with the slug initech."),
        (["--organization", "globex", "x"], "globex has not published a policy yet; use --policy FILE"),
    ],
)
def test_an_organisation_that_cannot_be_used_exits_2(personas: Personas, args: list[str], message: str) -> None:
    publish_policy(personas.acme, personas.compliance)

    with pytest.raises(CommandError) as raised:
        run(*args)

    assert raised.value.returncode == 2
    assert str(raised.value).startswith(message)


def test_without_text_it_runs_djangos_system_checks(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    run()

    assert "System check identified no issues" in capsys.readouterr().out


def test_the_console_script_exits_0_1_and_2_without_any_database(policy_file: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portevoix.settings",
        # Nothing listens there: any database access would fail the command.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nowhere",
        "PORTEVOIX_DATA_DIR": str(tmp_path),
        "PORTEVOIX_LOG_LEVEL": "WARNING",
    }

    def portevoix(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "portevoix", "check", "--policy", str(policy_file), *args]
        return subprocess.run(
            command, cwd=PROJECT_DIR, env=env, input=stdin, capture_output=True, text=True, timeout=60, check=False
        )

    fine = portevoix("--language", "en", "Belle journée !")
    blocks = portevoix("--language", "en", "-", stdin="Le Projet Heron avance.")
    bad = portevoix("--date", "demain", "Bonjour")
    help_text = portevoix("--help")

    assert (fine.returncode, fine.stderr) == (0, "")
    assert fine.stdout.startswith("Fine: 0 findings")
    assert blocks.returncode == 1
    assert "1:4  Block  “Projet Heron”" in blocks.stdout
    assert blocks.stderr == "CommandError: A finding blocks this post: do not publish it as it is.\n"
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr == "CommandError: --date must be a day written YYYY-MM-DD, not “demain”.\n"
    assert help_text.returncode == 0
    assert '  1  a finding of severity "block" forbids publishing the post' in help_text.stdout
