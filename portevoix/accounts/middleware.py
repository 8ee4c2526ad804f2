from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    """Use the language a signed-in person chose, whatever their browser says."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = user.language if user is not None and user.is_authenticated and user.language else None
        if language is None:
            response = self.get_response(request)
        else:
            # override() restores the previous language afterwards, so nothing leaks to the next
            # request served by this thread (or to work done later in it).
            with translation.override(language):
                request.LANGUAGE_CODE = language
                response = self.get_response(request)
        response.headers.setdefault("Content-Language", language or translation.get_language() or "en")
        return response
