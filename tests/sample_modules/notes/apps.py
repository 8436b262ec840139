from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "tests.sample_modules.notes"
    label = "notes"
    verbose_name = "Notes (sample module)"
    default_auto_field = "django.db.models.BigAutoField"
