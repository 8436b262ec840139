from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionConfig(AppConfig):
    name = "modules.union"
    label = "union"
    verbose_name = _("工会云")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The learning centre publishes `learning.quiz_completed` (when an app handles it); the
        # manifest's bus_handlers only take this app's own types, so this one is registered here.
        from jianlian.bus.services import register_handler
        from modules.union.points_events import LEARNING_QUIZ_COMPLETED, learning_quiz_completed

        register_handler(LEARNING_QUIZ_COMPLETED)(learning_quiz_completed)
