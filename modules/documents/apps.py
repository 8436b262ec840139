from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "modules.documents"
    label = "documents"
    verbose_name = _("公文")
    default_auto_field = "django.db.models.BigAutoField"
