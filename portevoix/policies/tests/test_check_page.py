"""The "Check my post" page: every signed-in person, findings as they type, nothing kept unless archiving is on."""

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.policies import services
from portevoix.policies.models import ArchivedDraft, CheckCount
from portevoix.policies.tests.check_policy import GLOBEX_POLICY, publish_policy

RISKY = "Le Projet Heron avance ! Appelez-moi au 06 12 34 56 78. Tu es un crétin."
DRAFT = "draft-key-0001"


def check(client: Client, text: str, *, htmx: bool = True, **fields: str) -> Any:
    data = {"text": text, "scope": "everyone", "date": "2026-05-04", "draft_key": DRAFT} | fields
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post("/check/", data, headers=headers)


def findings_of(response: Any) -> list[tuple[str, str, str]]:
    report = response.context["result"].report
    return [(item.finding.rule_id, item.finding.matched, item.severity_label) for item in report.findings]


def counts(personas: Personas) -> dict[str, int]:
    return dict(CheckCount.objects.filter(organization=personas.acme).values_list("rule_id", "count"))


def test_anonymous_visitor_is_sent_to_sign_in(client: Client, personas: Personas) -> None:
    response = client.get("/check/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["employee", "ambassador", "community_manager", "compliance_officer", "hr",
                                  "administrator", "communication_director"])  # fmt: skip
def test_every_signed_in_person_has_the_page_in_the_navigation(client: Client, personas: Personas, role: str) -> None:
    publish_policy(personas.acme, personas.compliance)
    client.force_login(personas.by_role()[role])

    response = client.get("/check/")

    content = response.content.decode()
    assert response.status_code == 200
    assert '<a href="/check/" aria-current="page">' in content
    assert response.context["result"].status == "empty"
    assert re.search(r'name="draft_key" value="[A-Za-z0-9_-]{24}"', content)
    assert not CheckCount.objects.exists()


def test_findings_are_highlighted_at_their_offsets_with_labels(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    set_interface_language(person=personas.employee, language="en")
    client.force_login(personas.employee)

    response = check(client, RISKY)

    assert response.status_code == 200
    assert findings_of(response) == [
        ("confidential-projects", "Projet Heron", "Block"),
        ("personal-data", "06 12 34 56 78", "Warning"),
        ("tone", "Tu es un crétin", "Block"),
    ]
    spans = [(item.finding.start, item.finding.end) for item in response.context["result"].report.findings]
    assert [RISKY[start:end] for start, end in spans] == ["Projet Heron", "06 12 34 56 78", "Tu es un crétin"]
    content = response.content.decode()
    assert (
        '<mark class="severity-block">Projet Heron</mark><a class="finding-tag severity-block" href="#finding-1">'
        '<span class="visually-hidden">finding </span>1 · Block</a> avance !'
    ) in content
    assert '<mark class="severity-warn">06 12 34 56 78</mark>' in content
    assert '<details id="finding-3" class="finding severity-block">' in content
    assert '<div id="check-verdict" hx-swap-oob="innerHTML">' in content
    assert '<strong class="verdict-label">Do not publish</strong>' in content
    assert "<html" not in content  # only the partial


def test_a_post_with_markup_is_shown_escaped(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    client.force_login(personas.employee)
    text = 'Projet Heron <script>alert("x")</script> <img src=x onerror=alert(1)>'

    content = check(client, text).content.decode()

    assert "<script>alert" not in content
    assert "<img src=x" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;</div>" in content


@pytest.mark.parametrize(
    ("language", "clause", "message"),
    [
        ("fr", "c-3-1</span> — Projets confidentiels", "Ce projet est confidentiel."),
        ("en", "c-3-1</span> — Confidential projects", "This project is confidential."),
    ],
)
def test_clause_titles_and_messages_are_in_the_reader_language(
    client: Client, personas: Personas, language: str, clause: str, message: str
) -> None:
    publish_policy(personas.acme, personas.compliance)
    set_interface_language(person=personas.employee, language=language)
    client.force_login(personas.employee)

    content = check(client, "Bravo au Projet Heron").content.decode()

    assert clause in content
    assert f'<span class="finding-message">{message}</span>' in content


def test_a_full_post_without_javascript_renders_the_page_and_keeps_the_text(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    client.force_login(personas.employee)

    response = check(client, "Projet Heron\r\nligne deux", htmx=False)

    content = response.content.decode()
    assert "<html" in content
    assert ">\nProjet Heron\r\nligne deux</textarea>" in content  # as sent; the browser shows LF
    assert f'name="draft_key" value="{DRAFT}"' in content
    assert response.context["result"].report.outcome == "do_not_publish"


def test_line_breaks_sent_as_crlf_keep_offsets_of_the_text_in_the_box(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    client.force_login(personas.employee)

    response = check(client, "Bonjour\r\n\r\nProjet Heron")

    (item,) = response.context["result"].report.findings
    assert (item.finding.start, item.finding.end, item.line, item.column) == (9, 21, 3, 1)


def test_empty_text_shows_a_calm_state_and_counts_nothing(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    set_interface_language(person=personas.employee, language="en")
    client.force_login(personas.employee)

    response = check(client, "  \n ")

    assert response.context["result"].status == "empty"
    assert "Nothing to check yet." in response.content.decode()
    assert not CheckCount.objects.exists()


@pytest.mark.parametrize(("role", "has_link"), [("compliance_officer", True), ("employee", False)])
def test_without_a_published_policy_the_page_says_so(
    client: Client, personas: Personas, role: str, has_link: bool
) -> None:
    services.save_version(organization=personas.acme, actor=personas.compliance, source=GLOBEX_POLICY, summary="x")
    set_interface_language(person=personas.by_role()[role], language="en")
    client.force_login(personas.by_role()[role])

    page = client.get("/check/")
    checked = check(client, "Projet Heron")

    for response in (page, checked):
        content = response.content.decode()
        assert response.context["result"].status == "no_policy"
        assert "has not published its policy in Porte-Voix yet" in content
        assert ('href="/policy/"' in content) is has_link
    assert not CheckCount.objects.exists()


@pytest.mark.parametrize(
    ("role", "scopes"),
    [
        ("employee", None),
        ("ambassador", ["everyone", "ambassadors"]),
        ("community_manager", ["everyone", "official"]),
        ("communication_director", ["everyone", "official"]),
    ],
)
def test_the_scope_selector_offers_only_the_persons_scopes(
    client: Client, personas: Personas, role: str, scopes: list[str] | None
) -> None:
    publish_policy(personas.acme, personas.compliance)
    client.force_login(personas.by_role()[role])

    content = client.get("/check/").content.decode()

    if scopes is None:
        assert '<input type="hidden" name="scope" value="everyone" id="id_scope">' in content
    else:
        assert re.findall(r'<option value="(\w+)"', content) == scopes


def test_a_scope_the_person_does_not_hold_is_refused_and_nothing_is_counted(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    set_interface_language(person=personas.employee, language="en")
    client.force_login(personas.employee)

    response = check(client, "Projet Heron et Initech", scope="official")

    assert response.context["result"].status == "invalid"
    assert "You cannot check a text in this role" in response.content.decode()
    assert not CheckCount.objects.exists()


def test_competitors_are_flagged_only_for_ambassadors_and_official_accounts(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    client.force_login(personas.ambassador)

    as_myself = check(client, "Initech recrute", scope="everyone")
    as_ambassador = check(client, "Initech recrute", scope="ambassadors")

    assert findings_of(as_myself) == []
    assert as_myself.context["result"].report.outcome == "fine"
    assert findings_of(as_ambassador) == [("competitors", "Initech", "Warning")]
    assert as_ambassador.context["result"].report.outcome == "careful"


def test_the_date_lets_a_scheduled_post_meet_a_quiet_period(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    client.force_login(personas.employee)
    text = "Notre chiffre d'affaires progresse."

    outside = check(client, text, date="2026-05-04")
    inside = check(client, text, date="2026-03-10")
    invalid = check(client, text, date="10/03/2026")

    assert findings_of(outside) == []
    assert [rule for rule, _matched, _label in findings_of(inside)] == ["quiet-period-q1"]
    assert inside.context["result"].report.outcome == "ask_communication_team"
    assert invalid.context["result"].status == "invalid"


def test_an_empty_date_means_today(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    client.force_login(personas.employee)

    response = check(client, "Bonjour", date="")

    assert response.context["result"].report.date == timezone.localdate()


def test_a_text_over_the_limit_is_refused_with_its_length_and_kept(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    set_interface_language(person=personas.employee, language="en")
    client.force_login(personas.employee)
    text = "a" * 20_001

    response = check(client, text, htmx=False)

    content = response.content.decode()
    assert response.context["result"].status == "invalid"
    assert "Your text has 20001 characters; a check takes at most 20000." in content
    assert f">\n{text}</textarea>" in content
    assert not CheckCount.objects.exists()


def test_a_draft_typed_in_several_checks_counts_once(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    client.force_login(personas.employee)

    check(client, "Le Projet")
    check(client, "Le Projet Heron")
    check(client, "Le Projet Heron, appelez le 06 12 34 56 78")
    check(client, "Le Projet Heron, appelez le 06 12 34 56 78 !")
    check(client, "Un autre texte sur Heron", draft_key="another-draft-02")

    assert counts(personas) == {"": 2, "confidential-projects": 2, "personal-data": 1}
    row = CheckCount.objects.get(rule_id="personal-data")
    assert (row.kind, row.category, row.day) == ("personal_data", "security", timezone.localdate())


def test_drafts_are_not_stored_unless_the_organisation_archives_them(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    set_interface_language(person=personas.employee, language="en")
    client.force_login(personas.employee)

    check(client, "Texte non archivé sur Heron")
    assert not ArchivedDraft.objects.exists()
    assert "Your text is not stored" in client.get("/check/").content.decode()

    services.set_archiving(organization=personas.acme, actor=personas.compliance, archive_drafts=True)
    check(client, "Texte archivé sur Heron")

    draft = ArchivedDraft.objects.get()
    assert (draft.text, draft.author, draft.channel, draft.outcome) == (
        "Texte archivé sur Heron",
        personas.employee,
        "web",
        "do_not_publish",
    )
    assert [finding["rule_id"] for finding in draft.findings] == ["confidential-projects"]
    assert "keeps a copy of every checked text" in client.get("/check/").content.decode()


def test_an_archived_draft_keeps_one_row_with_its_latest_text(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    services.set_archiving(organization=personas.acme, actor=personas.compliance, archive_drafts=True)
    client.force_login(personas.employee)

    check(client, "Le Projet")
    check(client, "Le Projet Heron avance")
    check(client, "Un autre texte", draft_key="another-draft-02")

    assert sorted(ArchivedDraft.objects.values_list("text", "outcome")) == [
        ("Le Projet Heron avance", "do_not_publish"),
        ("Un autre texte", "fine"),
    ]


def test_another_organisations_policy_is_never_used(client: Client, personas: Personas) -> None:
    publish_policy(personas.globex, personas.outsider, GLOBEX_POLICY)
    client.force_login(personas.employee)

    assert check(client, "Projet Zephyr").context["result"].status == "no_policy"

    publish_policy(personas.acme, personas.compliance)
    acme = check(client, "Projet Zephyr et Heron")
    client.force_login(personas.outsider)
    globex = check(client, "Projet Zephyr et Heron")

    assert findings_of(acme) == [("confidential-projects", "Heron", "Bloquant")]  # Bob reads French
    assert findings_of(globex) == [("globex-projects", "Zephyr", "Block")]
    assert not CheckCount.objects.filter(organization=personas.acme, rule_id="globex-projects").exists()
    assert CheckCount.objects.filter(organization=personas.globex, rule_id="globex-projects").count() == 1


def test_a_recheck_costs_the_same_queries_however_many_findings(
    client: Client, personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    publish_policy(personas.acme, personas.compliance)
    client.force_login(personas.employee)
    many = " ".join(["Heron 06 12 34 56 78, tu es un crétin."] * 30)
    check(client, "Heron")
    check(client, many)

    # Session, person, roles, organisation, policy in force, archiving switch; this draft is counted already.
    with django_assert_num_queries(6):
        small = check(client, "Heron")
    with django_assert_num_queries(6):
        large = check(client, many)

    assert len(small.context["result"].report.findings) == 1
    assert len(large.context["result"].report.findings) == 90
