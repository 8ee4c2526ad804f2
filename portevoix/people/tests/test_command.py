from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conftest import Personas
from portevoix.accounts.models import User
from portevoix.audit.models import AuditEntry
from portevoix.people.models import ImportJob
from portevoix.people.tests.factories import csv_file


def write(tmp_path: Path, rows: list[list[object]]) -> Path:
    path = tmp_path / "people.csv"
    path.write_bytes(csv_file(rows))
    return path


def test_command_imports_a_file(personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, [["email", "full_name"], ["cli@acme.test", "Cli Person"], ["bob@acme.test", "Bob Employee"]])

    call_command("import_people", "acme", str(path))

    assert "Created 1, updated 0, unchanged 1" in capsys.readouterr().out
    assert User.objects.get(email="cli@acme.test").organization == personas.acme
    entry = AuditEntry.objects.get(action="people.imported")
    assert (entry.actor_label, entry.data["created"]) == ("system", 1)


def test_dry_run_changes_nothing(personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, [["email", "full_name"], ["cli@acme.test", "Cli Person"]])

    call_command("import_people", "acme", str(path), "--dry-run")

    assert "Would create 1" in capsys.readouterr().out
    assert not User.objects.filter(email="cli@acme.test").exists()
    assert not ImportJob.objects.exists()


def test_errors_are_printed_with_lines_and_the_command_fails(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, [["email", "full_name"], ["ok@acme.test", "Ok"], ["bad", "Bad"]])

    with pytest.raises(CommandError, match="1 errors; nothing was imported"):
        call_command("import_people", "acme", str(path))

    assert "people.csv: line 3, email: invalid e-mail address: “bad”" in capsys.readouterr().err
    assert not User.objects.filter(email="ok@acme.test").exists()


def test_unknown_organisation_fails(personas: Personas, tmp_path: Path) -> None:
    path = write(tmp_path, [["email", "full_name"], ["x@acme.test", "X"]])

    with pytest.raises(CommandError, match="No organisation"):
        call_command("import_people", "initech", str(path))
