"""An audit entry's details for people to read: labelled keys, plain values, nested lists.

Entries are never rewritten (the hash chain covers their data), so old keys keep a label too.
"""

import dataclasses

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DETAIL_LABELS: dict[str, Promise] = {
    "number": gettext_lazy("version"),
    "previous_number": gettext_lazy("previous version"),
    # Written by policy publications before the version number was recorded: a database id.
    "previous_version_id": gettext_lazy("previous version (internal id)"),
    "summary": gettext_lazy("what changed"),
    "tests_passed": gettext_lazy("test cases passing"),
    "tests_failed": gettext_lazy("test cases failing"),
    "diff": gettext_lazy("lines"),
    "lines_added": gettext_lazy("added"),
    "lines_removed": gettext_lazy("removed"),
    "archive_drafts": gettext_lazy("archive checked drafts"),
    "before": gettext_lazy("before"),
    "after": gettext_lazy("after"),
}


@dataclasses.dataclass(frozen=True)
class Detail:
    """One key of an entry's data: its label, and either a text or the details nested under it."""

    label: str
    text: str = ""
    nested: tuple["Detail", ...] = ()


def _text(value: object) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{detail.label} {detail.text}" for detail in readable_details(value))
    return str(value)


def readable_details(data: object) -> list[Detail]:
    """The details of an entry's `data`, in the reader's language; anything but a dict is one unlabelled text."""
    if not isinstance(data, dict):
        return [Detail(label="", text=_text(data))] if data not in (None, "") else []
    details = []
    for key, value in data.items():
        label = str(DETAIL_LABELS.get(key, str(key).replace("_", " ")))
        if isinstance(value, dict):
            details.append(Detail(label=label, nested=tuple(readable_details(value))))
        else:
            details.append(Detail(label=label, text=_text(value)))
    return details
