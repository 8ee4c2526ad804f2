from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from portevoix.lib.markdown import render_markdown

register = template.Library()

LANGUAGE_NAMES = {"fr": _("French"), "en": _("English")}


@register.filter
def markdown(text: str) -> SafeString:
    """Markdown written by an author, as sanitised HTML."""
    return render_markdown(text)


@register.filter
def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))
