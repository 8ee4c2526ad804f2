"""The languages people post in, as two-letter codes (the directory stores the same codes)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LANGUAGE_NAMES: dict[str, Promise] = {
    "fr": _("French"),
    "en": _("English"),
    "de": _("German"),
    "es": _("Spanish"),
    "it": _("Italian"),
    "nl": _("Dutch"),
    "pt": _("Portuguese"),
}
LANGUAGE_CODES = tuple(LANGUAGE_NAMES)


def language_name(code: str) -> str:
    name = LANGUAGE_NAMES.get(code)
    return str(name) if name is not None else code
