"""The one place where views and API endpoints check who may do what."""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from portevoix.accounts.roles import Permission

if TYPE_CHECKING:
    from portevoix.accounts.models import User

View = Callable[..., HttpResponse]


def require_permission(permission: Permission | None = None) -> Callable[[View], View]:
    """Sign-in required; with a permission, a person whose roles lack it gets a 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if permission is not None and not request.user.can(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


login_required = require_permission(None)


class AuthenticatedRequest(HttpRequest):
    user: "User"


def authenticated_request(request: HttpRequest) -> AuthenticatedRequest:
    """Narrow the request's type in views that `require_permission` already guards."""
    return cast(AuthenticatedRequest, request)


def ensure_permission(user: "User", permission: Permission) -> None:
    """Raise PermissionDenied (a 403) unless the person's roles grant `permission`."""
    if not user.can(permission):
        raise PermissionDenied
