"""The audit log's details are read by people: labelled keys, nested values as lists, version numbers."""

import pytest
from django.test import Client

from compliance_engine.policyfile import dumps
from compliance_engine.tests.policies import POLICY
from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.audit.models import AuditEntry
from portevoix.audit.services import record, verify_chain
from portevoix.policies import services
from portevoix.policies.models import PolicyVersion


def _publish_two_versions(personas: Personas) -> None:
    first = services.save_version(
        organization=personas.acme, actor=personas.compliance, source=dumps(POLICY), summary=""
    )
    services.publish(version=first, actor=personas.compliance)
    second = services.save_version(
        organization=personas.acme,
        actor=personas.compliance,
        source=dumps(POLICY).replace("Globex", "Hooli"),
        summary="",
    )
    services.publish(version=second, actor=personas.compliance)


def test_a_publication_records_the_number_of_the_version_it_replaces(personas: Personas) -> None:
    _publish_two_versions(personas)

    published = AuditEntry.objects.filter(organization=personas.acme, action="policy.published").order_by("sequence")

    assert [entry.data for entry in published] == [
        {"number": 1, "previous_number": None},
        {"number": 2, "previous_number": 1},
    ]
    assert verify_chain(personas.acme.pk) == []


@pytest.mark.parametrize(
    ("language", "saved", "published"),
    [
        (
            "en",
            "<dt>lines</dt><dd><dl><div><dt>added</dt><dd>1</dd></div><div><dt>removed</dt><dd>1</dd></div></dl></dd>",
            "<dt>previous version</dt><dd>1</dd>",
        ),
        (
            "fr",
            "<dt>lignes</dt><dd><dl><div><dt>ajoutées</dt><dd>1</dd></div><div><dt>retirées</dt><dd>1</dd></div></dl>"
            "</dd>",
            "<dt>version précédente</dt><dd>1</dd>",
        ),
    ],
)
def test_the_audit_page_shows_details_as_labelled_lists_in_the_reader_s_language(
    client: Client, personas: Personas, language: str, saved: str, published: str
) -> None:
    _publish_two_versions(personas)
    set_interface_language(person=personas.compliance, language=language)
    client.force_login(personas.compliance)

    content = client.get("/audit/").content.decode()

    assert saved in content
    assert published in content
    assert "{&#x27;lines_added&#x27;" not in content
    assert "previous_number" not in content


def test_an_older_publication_with_a_database_id_is_still_shown_and_says_so(client: Client, personas: Personas) -> None:
    record(
        organization=personas.acme,
        actor=personas.compliance,
        action="policy.published",
        data={"number": 2, "previous_version_id": 12, "flags": {"archive_drafts": True}},
    )
    set_interface_language(person=personas.compliance, language="en")
    client.force_login(personas.compliance)

    content = client.get("/audit/").content.decode()

    assert "<dt>previous version (internal id)</dt><dd>12</dd>" in content
    assert "<dt>archive checked drafts</dt><dd>yes</dd>" in content
    assert verify_chain(personas.acme.pk) == []
    assert PolicyVersion.objects.count() == 0
