import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portevoix.settings")
django_application = get_wsgi_application()

# Imported once Django is set up (get_wsgi_application does it): the links app has models.
from portevoix.links.wsgi import TrackedLinkDispatcher  # noqa: E402

# Tracked links (`/l/<code>`) already looked up are redirected before Django's middleware.
application = TrackedLinkDispatcher(django_application)
