"""Guidelines built through the services, so test data obeys the same rules as real data."""

from portevoix.accounts.models import User
from portevoix.guidelines import services
from portevoix.guidelines.models import GuidelinesVersion
from portevoix.guidelines.services import ClauseData, Publication


def clause_data(anchor: str, number: str, *, fr: str = "", en: str = "", category: str = "reputation") -> ClauseData:
    texts = {
        "title_fr": f"Titre {number}",
        "title_en": f"Title {number}",
        "body_fr": fr or f"Texte de la clause {number}.",
        "body_en": en or f"Text of clause {number}.",
        "do_examples_fr": "",
        "do_examples_en": "",
        "dont_examples_fr": "",
        "dont_examples_en": "",
    }
    return ClauseData(
        anchor=anchor, number=number, position=int(number.replace(".", "")), category=category, texts=texts
    )


def write_draft(author: User, *clauses: ClauseData) -> GuidelinesVersion:
    """A new draft (from the published version if any) with `clauses` added or changed."""
    draft = services.create_draft(organization=author.organization, actor=author)
    services.update_version_texts(
        version=draft,
        actor=author,
        values={"title_fr": "Charte", "title_en": "Guidelines", "intro_fr": "Bienvenue.", "intro_en": "Welcome."},
    )
    existing = {clause.anchor: clause for clause in draft.clauses.all()}
    for data in clauses:
        services.save_clause(version=draft, actor=author, data=data, clause=existing.get(data.anchor))
    return draft


def published(author: User, *clauses: ClauseData, publication: Publication | None = None) -> GuidelinesVersion:
    draft = write_draft(author, *clauses)
    services.publish(version=draft, actor=author, publication=publication or Publication())
    draft.refresh_from_db()
    return draft


FIRST = (clause_data("respect", "1.1"), clause_data("3.1", "3.1", category="legal_confidentiality"))
