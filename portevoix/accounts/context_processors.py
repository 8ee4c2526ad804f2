from typing import Any

from django.http import HttpRequest

from portevoix.accounts.roles import Permission


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the navigation may show: a link appears only for those allowed to follow it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"can": {permission.value: user.can(permission) for permission in Permission}}
