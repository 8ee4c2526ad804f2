"""The REST API under /api/v1/, with its OpenAPI description at /api/v1/openapi.json."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.throttling import AuthRateThrottle

from portevoix.api.auth import API_AUTH, challenge, unauthenticated_message
from portevoix.api.errors import error_language, explain, unparsable_body_message
from portevoix.crisis.api import router as crisis_router
from portevoix.dashboard.api import router as dashboard_router
from portevoix.people.api import router as people_router
from portevoix.policies.check_api import router as check_router

api = NinjaAPI(
    title="Porte-Voix API",
    version="1",
    description=(
        "Authenticate with a personal API token (created on your profile page) in the header "
        "`Authorization: Bearer pv_…`; a browser signed in to Porte-Voix may use its session instead, "
        "sending the CSRF token (header `X-CSRFToken`) with every POST.\n\n"
        "Without valid credentials every operation answers **401** with a `WWW-Authenticate: Bearer` challenge "
        '(`error="invalid_token"` when a token was sent but is unknown, revoked or belongs to a leaver); '
        "a session POST without its CSRF token answers **403**."
    ),
    urls_namespace="api",
    auth=API_AUTH,
    throttle=[AuthRateThrottle("600/m")],
    docs_url="/docs",
)


class ErrorOut(Schema):
    detail: str


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    with translation.override(error_language(request)):
        response = api.create_response(request, {"detail": unauthenticated_message(exc)}, status=401)
    response["WWW-Authenticate"] = challenge(exc)
    return response


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    with translation.override(error_language(request)):
        return api.create_response(request, {"detail": [explain(error) for error in exc.errors]}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Only an unreadable body is rewritten; other errors (429 …) keep django-ninja's answer.
    message = unparsable_body_message(exc.__cause__) if exc.status_code == 400 else None
    if message is None:
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
    with translation.override(error_language(request)):
        message = unparsable_body_message(exc.__cause__)
    return api.create_response(request, {"detail": message}, status=400)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": _("You do not have permission to do this.")}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


api.add_router("/", dashboard_router)
api.add_router("/people", people_router)
api.add_router("/checks", check_router)
api.add_router("/crisis", crisis_router)
