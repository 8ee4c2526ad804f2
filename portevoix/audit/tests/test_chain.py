import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import Personas
from portevoix.accounts.roles import Role
from portevoix.accounts.services import set_roles
from portevoix.audit.models import AuditEntry
from portevoix.audit.services import record, verify_chain


def test_role_change_is_recorded_with_who_before_and_after(personas: Personas) -> None:
    set_roles(person=personas.employee, roles=frozenset({Role.AMBASSADOR}), actor=personas.admin)
    entry = AuditEntry.objects.filter(organization=personas.acme).order_by("-sequence").first()
    assert entry is not None
    assert (entry.action, entry.actor_label, entry.target_label) == (
        "person.roles_changed",
        "adam@acme.test",
        "Bob Employee",
    )
    assert entry.data == {"before": [], "after": ["ambassador"]}


def test_setting_the_same_roles_again_records_nothing(personas: Personas) -> None:
    before = AuditEntry.objects.count()
    set_roles(person=personas.director, roles=frozenset({Role.COMMUNICATION_DIRECTOR}), actor=personas.admin)
    assert AuditEntry.objects.count() == before


def test_each_organisation_has_its_own_unbroken_chain(personas: Personas) -> None:
    record(organization=personas.acme, actor=personas.admin, action="test.event", data={"n": 1})
    sequences = list(AuditEntry.objects.filter(organization=personas.acme).values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))
    assert verify_chain(personas.acme.pk) == []
    assert verify_chain(personas.globex.pk) == []


def test_changed_entry_is_detected(personas: Personas) -> None:
    entry = AuditEntry.objects.filter(organization=personas.acme).order_by("sequence")[2]
    AuditEntry.objects.filter(pk=entry.pk).update(actor_label="someone-else@acme.test")
    problems = verify_chain(personas.acme.pk)
    assert [(p.sequence, p.reason) for p in problems] == [(3, "content was changed")]


def test_removed_entry_in_the_middle_is_detected(personas: Personas) -> None:
    AuditEntry.objects.filter(organization=personas.acme, sequence=4).delete()
    reasons = [(p.sequence, p.reason) for p in verify_chain(personas.acme.pk)]
    assert (4, "entries 4 to 4 are missing") in reasons
    assert (5, "does not follow the previous entry") in reasons


def test_removed_newest_entry_is_detected(personas: Personas) -> None:
    last = AuditEntry.objects.filter(organization=personas.acme).order_by("-sequence").first()
    assert last is not None
    last.delete()
    assert [p.reason for p in verify_chain(personas.acme.pk)] == ["the newest entries were removed"]


def test_audit_verify_command_fails_on_tampering_and_passes_otherwise(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("audit", "verify")
    assert "acme: " in capsys.readouterr().out
    AuditEntry.objects.filter(organization=personas.globex).update(action="forged")
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    assert failure.value.returncode == 1
    output = capsys.readouterr().out
    assert "globex" in output
    assert "content was changed" in output


def test_audit_export_prints_one_json_line_per_entry(personas: Personas, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("audit", "export", "globex")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == AuditEntry.objects.filter(organization=personas.globex).count()
    assert '"action": "person.created"' in lines[0]
