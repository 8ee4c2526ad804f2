"""A readable diff between any two versions, clause by clause, matched by anchor, word by word."""

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum

from portevoix.guidelines.models import CLAUSE_TEXT_FIELDS, LANGUAGES, GuidelinesClause

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
# Below this share of common words, a changed text is shown as rewritten rather than word by word.
REWRITE_RATIO = 0.5


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Segment:
    """A run of text that is kept, inserted or deleted."""

    operation: str  # "equal", "insert" or "delete"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    field: str  # "title", "body", "do_examples", "dont_examples", or "number" / "category"
    language: str  # "fr", "en", or "" for fields without a language
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class ClauseDiff:
    anchor: str
    change: Change
    old: GuidelinesClause | None
    new: GuidelinesClause | None
    fields: tuple[FieldDiff, ...] = ()

    @property
    def clause(self) -> GuidelinesClause:
        clause = self.new or self.old
        assert clause is not None
        return clause


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """The words of `old` and `new` as kept, deleted and inserted runs."""
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    if matcher.ratio() < REWRITE_RATIO:
        # A text rewritten from scratch reads better as the old text then the new one than as confetti.
        return tuple(Segment(operation, text) for operation, text in (("delete", old), ("insert", new)) if text)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation in {"delete", "replace"}:
            segments.append(Segment("delete", "".join(old_tokens[old_start:old_end])))
        if operation in {"insert", "replace"}:
            segments.append(Segment("insert", "".join(new_tokens[new_start:new_end])))
        if operation == "equal":
            segments.append(Segment("equal", "".join(old_tokens[old_start:old_end])))
    return tuple(segments)


def _field_diffs(old: GuidelinesClause, new: GuidelinesClause) -> tuple[FieldDiff, ...]:
    diffs = [
        FieldDiff(name, "", word_diff(getattr(old, name), getattr(new, name)))
        for name in ("number", "category")
        if getattr(old, name) != getattr(new, name)
    ]
    diffs += [
        FieldDiff(name, language, word_diff(old.text(name, language), new.text(name, language)))
        for name in CLAUSE_TEXT_FIELDS
        for language in LANGUAGES
        if old.text(name, language) != new.text(name, language)
    ]
    return tuple(diffs)


def compare(old: list[GuidelinesClause], new: list[GuidelinesClause]) -> list[ClauseDiff]:
    """Clauses of `new` in order (added, changed or unchanged), then clauses only in `old` (removed)."""
    old_by_anchor = {clause.anchor: clause for clause in old}
    new_anchors = {clause.anchor for clause in new}
    diffs: list[ClauseDiff] = []
    for clause in new:
        previous = old_by_anchor.get(clause.anchor)
        if previous is None:
            diffs.append(ClauseDiff(clause.anchor, Change.ADDED, None, clause))
            continue
        fields = _field_diffs(previous, clause)
        diffs.append(
            ClauseDiff(clause.anchor, Change.CHANGED if fields else Change.UNCHANGED, previous, clause, fields)
        )
    diffs += [ClauseDiff(c.anchor, Change.REMOVED, c, None) for c in old if c.anchor not in new_anchors]
    return diffs
