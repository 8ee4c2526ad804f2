"""Creating tracked links: targets validated, UTM tags merged, codes unguessable and unambiguous."""

import re

import pytest
from django.utils import translation

from conftest import Personas
from portevoix.links import services
from portevoix.links.models import CODE_LENGTH, TrackedLink
from portevoix.links.tests.factories import make_link


def test_a_link_keeps_the_targets_own_parameters_and_fragment_and_adds_the_utm_tags(personas: Personas) -> None:
    link = services.create_tracked_link(
        organization=personas.acme,
        target_url="https://acme.example/news/solar?ref=home&utm_source=old#top",
        utm_source="linkedin",
        utm_medium="ambassador",
        utm_campaign="solar 2026",
        owner=personas.ambassador,
        label="Solar news",
    )

    assert link.target_url == (
        "https://acme.example/news/solar?ref=home&utm_source=linkedin&utm_medium=ambassador&utm_campaign=solar+2026#top"
    )
    assert (link.organization, link.owner, link.label, link.utm_content) == (
        personas.acme, personas.ambassador, "Solar news", ""
    )  # fmt: skip
    assert link.short_path == link.get_absolute_url() == f"/l/{link.code}"


def test_codes_are_long_random_and_free_of_look_alike_characters(personas: Personas) -> None:
    codes = {make_link(personas.acme).code for _ in range(50)}

    assert len(codes) == 50
    for code in codes:
        assert len(code) == CODE_LENGTH
        assert not re.search(r"[01oOiIlL]", code)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("", "Give the address the link leads to."),
        ("javascript:alert(1)", "“javascript:alert(1)” is not a web address: it must start with http:// or https://."),
        ("ftp://acme.example/file", "“ftp://acme.example/file” is not a web address: it must start with http:// or https://."),
        ("acme.example/news", "“acme.example/news” is not a web address: it must start with http:// or https://."),
    ],
)  # fmt: skip
def test_a_target_that_is_not_a_web_address_is_refused_saying_so(personas: Personas, target: str, message: str) -> None:
    refused = _refusal(personas, "en", target_url=target)

    assert (refused.field, refused.message) == ("target_url", message)
    assert not TrackedLink.objects.exists()


def test_missing_or_too_long_tags_are_refused_naming_the_tag(personas: Personas) -> None:
    missing = _refusal(personas, "en", utm_medium=" ")
    too_long = _refusal(personas, "en", utm_campaign="c" * 101)

    assert (missing.field, missing.message) == ("utm_medium", "The tag utm_medium is required.")
    assert (too_long.field, too_long.message) == (
        "utm_campaign",
        "The tag utm_campaign is too long (100 characters at most).",
    )
    assert not TrackedLink.objects.exists()


def test_a_link_cannot_be_owned_by_someone_of_another_organisation(personas: Personas) -> None:
    with pytest.raises(services.InvalidLink) as refused:
        make_link(personas.acme, owner=personas.outsider)

    assert refused.value.field == "owner"
    assert not TrackedLink.objects.exists()


def test_errors_are_in_the_language_of_the_person(personas: Personas) -> None:
    refused = _refusal(personas, "fr", target_url="mailto:a@acme.example")

    assert refused.message == (
        "« mailto:a@acme.example » n\u2019est pas une adresse web : elle doit commencer par http:// ou https://."
    )


def _refusal(personas: Personas, language: str, **fields: str) -> services.InvalidLink:
    values = {"target_url": "https://acme.example", "utm_source": "x", "utm_medium": "m", "utm_campaign": "c"} | fields
    with translation.override(language), pytest.raises(services.InvalidLink) as refused:
        services.create_tracked_link(
            organization=personas.acme,
            target_url=values["target_url"],
            utm_source=values["utm_source"],
            utm_medium=values["utm_medium"],
            utm_campaign=values["utm_campaign"],
        )
    return refused.value
