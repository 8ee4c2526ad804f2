"""Validation errors of the API, in the caller's language, saying which field and what is expected.

Pydantic's own messages are English and speak of its internals ("Datetimes provided to dates
should have zero time"); each error keeps its machine-readable `type`, `loc` and `ctx`, gains
`field`, and its `msg` is rewritten here. Types missing from the table get a plain "not valid".
"""

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from portevoix.accounts.models import User
from portevoix.policies.checking import null_character_message

Explain = Callable[[str, Mapping[str, Any]], str]
_QUOTED = re.compile(r"'([^']*)'")


def _expected(field: str, context: Mapping[str, Any]) -> str:
    # Pydantic writes the choices as English prose ("'a', 'b' or 'c'"); only the values are kept.
    choices = ", ".join(_QUOTED.findall(str(context.get("expected", ""))))
    return _("“%(field)s” must be one of: %(choices)s.") % {"field": field, "choices": choices}


def _too_short(field: str, context: Mapping[str, Any]) -> str:
    if context.get("min_length") == 1:
        return _("“%(field)s” must not be empty.") % {"field": field}
    return _("“%(field)s” must have at least %(min_length)s characters.") % {"field": field, **context}


def _whole_number(field: str, context: Mapping[str, Any]) -> str:
    return _("“%(field)s” must be a whole number.") % {"field": field}


def _day(field: str, context: Mapping[str, Any]) -> str:
    return _("“%(field)s” must be a day that exists, written YYYY-MM-DD.") % {"field": field}


MESSAGES: dict[str, Explain] = {
    "missing": lambda field, context: _("“%(field)s” is required.") % {"field": field},
    "string_type": lambda field, context: _("“%(field)s” must be a text.") % {"field": field},
    "string_too_short": _too_short,
    "string_too_long": lambda field, context: (
        _("“%(field)s” must have at most %(max_length)s characters.") % {"field": field, **context}
    ),
    "string_pattern_mismatch": lambda field, context: (
        _("“%(field)s” does not have the expected form (regular expression %(pattern)s).") % {"field": field, **context}
    ),
    "enum": _expected,
    "literal_error": _expected,
    "int_type": _whole_number,
    "int_parsing": _whole_number,
    "int_from_float": _whole_number,
    "greater_than_equal": lambda field, context: _("“%(field)s” must be %(ge)s or more.") % {"field": field, **context},
    "less_than_equal": lambda field, context: _("“%(field)s” must be %(le)s or less.") % {"field": field, **context},
    "bool_type": lambda field, context: _("“%(field)s” must be true or false.") % {"field": field},
    "bool_parsing": lambda field, context: _("“%(field)s” must be true or false.") % {"field": field},
    "date_format": lambda field, context: _("“%(field)s” must be a text in the form YYYY-MM-DD.") % {"field": field},
    "text_blank": lambda field, context: (
        _("“%(field)s” holds only spaces and line breaks: there is nothing to check.") % {"field": field}
    ),
    "null_character": lambda field, context: null_character_message(context["line"], context["column"]),
}


def _field(location: list[Any]) -> str:
    # ["body", "payload", "date"] (a body schema named by its parameter) or ["query", "page"].
    names = location[2:] if location[:1] == ["body"] and len(location) > 2 else location[1:]
    return ".".join(str(name) for name in names) or str(location[0] if location else "")


def _requested_language(request: HttpRequest) -> str | None:
    requested = request.GET.get("language")
    if requested is None and request.content_type == "application/json":
        try:
            body = json.loads(request.body)
        except (ValueError, RequestDataTooBig):  # a 401 may come before Django ever read a large body
            body = None
        requested = body.get("language") if isinstance(body, dict) else None
    return requested if requested in dict(settings.LANGUAGES) else None


def error_language(request: HttpRequest) -> str:
    """The language of an error: the `language` asked for, else the caller's, else the request's."""
    requested = _requested_language(request)
    if requested is not None:
        return requested
    caller = getattr(request, "auth", None)
    if isinstance(caller, User) and caller.language:
        return caller.language
    return translation.get_language() or settings.LANGUAGE_CODE


def explain(error: Mapping[str, Any]) -> dict[str, Any]:
    """One validation error with `field` and a message in the active language."""
    location = list(error.get("loc", []))
    field = _field(location)
    context = error.get("ctx", {})
    kind = str(error.get("type"))
    explained = MESSAGES.get(kind) or (_day if kind.startswith("date_") else None)
    message = explained(field, context) if explained else _("“%(field)s” is not valid.") % {"field": field}
    return {**error, "loc": location, "field": field, "msg": message}


def unparsable_body_message(cause: BaseException | None) -> str | None:
    """Why a request body could not be read as JSON, and where, if `cause` is a parse error; else None.

    django-ninja answers "Cannot parse request body" for any such body, in English and without
    saying where; it keeps the parser's error as the cause of its `HttpError`.
    """
    if isinstance(cause, json.JSONDecodeError):
        return _("The request body must be JSON; it cannot be read at line %(line)s, column %(column)s.") % {
            "line": cause.lineno,
            "column": cause.colno,
        }
    if isinstance(cause, UnicodeDecodeError):
        return _("The request body must be JSON encoded in UTF-8; byte %(position)s is not valid UTF-8.") % {
            "position": cause.start + 1
        }
    if isinstance(cause, ValueError):
        return _("The request body must be JSON.")
    return None
