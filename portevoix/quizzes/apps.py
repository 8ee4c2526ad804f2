from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "portevoix.quizzes"
    verbose_name = _("Guidelines quizzes")

    def ready(self) -> None:
        from portevoix.quizzes import links

        links.register()
