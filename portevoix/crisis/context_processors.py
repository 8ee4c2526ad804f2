from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

from portevoix.crisis.selectors import active_crisis_for_banner


def crisis_banner(request: HttpRequest) -> dict[str, Any]:
    """The crisis on in the person's organisation, in their language, for the banner of every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    crisis = active_crisis_for_banner(user.organization_id)
    return {"crisis_banner": crisis.texts(get_language() or user.language) if crisis is not None else None}
