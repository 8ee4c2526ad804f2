import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portevoix.settings")
application = get_wsgi_application()

# Tracked links (`/l/<code>`) already looked up are redirected before Django's middleware.
from portevoix.links.wsgi import TrackedLinkDispatcher  # noqa: E402

application = TrackedLinkDispatcher(application)  # type: ignore[assignment]
