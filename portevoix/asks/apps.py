from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AsksConfig(AppConfig):
    name = "portevoix.asks"
    verbose_name = _("Requests to the communication team")
