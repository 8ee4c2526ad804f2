"""A version as one person reads it: in their language, else in the other one with a notice."""

from dataclasses import dataclass

from portevoix.guidelines.models import GuidelinesClause, GuidelinesVersion


@dataclass(frozen=True)
class ReadClause:
    anchor: str
    number: str
    category: str
    title: str
    body: str
    do_examples: str
    dont_examples: str
    is_material_change: bool
    is_fallback: bool  # shown in the other language: this one has no text


@dataclass(frozen=True)
class ReadVersion:
    title: str
    intro: str
    language: str
    has_fallback: bool
    clauses: list[ReadClause]


def _other(language: str) -> str:
    return "en" if language == "fr" else "fr"


def _read_clause(clause: GuidelinesClause, language: str) -> ReadClause:
    is_fallback = not clause.text("body", language).strip() and not clause.text("title", language).strip()
    shown = _other(language) if is_fallback else language
    return ReadClause(
        anchor=clause.anchor,
        number=clause.number,
        category=clause.category,
        title=clause.text("title", shown) or clause.text("title", _other(shown)),
        body=clause.text("body", shown),
        do_examples=clause.text("do_examples", shown),
        dont_examples=clause.text("dont_examples", shown),
        is_material_change=clause.is_material_change,
        is_fallback=is_fallback,
    )


def read_version(
    version: GuidelinesVersion, clauses: list[GuidelinesClause], *, language: str, changed_first: bool
) -> ReadVersion:
    """The version's texts in `language`; with `changed_first`, clauses that changed materially come first."""
    language = language if language in {"fr", "en"} else "fr"
    read = [_read_clause(clause, language) for clause in clauses]
    if changed_first:
        read.sort(key=lambda clause: not clause.is_material_change)  # stable: keeps their order otherwise
    intro = version.intro_fr if language == "fr" else version.intro_en
    intro_is_fallback = not intro.strip()
    return ReadVersion(
        title=version.title(language),
        intro=intro or (version.intro_en if language == "fr" else version.intro_fr),
        language=language,
        has_fallback=(intro_is_fallback and bool(version.intro_fr or version.intro_en))
        or any(c.is_fallback for c in read),
        clauses=read,
    )
