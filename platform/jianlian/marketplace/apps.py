from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "jianlian.marketplace"
    label = "marketplace"
    verbose_name = _("应用市场")

    def ready(self):
        from jianlian.marketplace import errors  # noqa: F401 — registers the error codes
        from jianlian.marketplace.composition import register_manifests

        register_manifests()
        from jianlian.bus.services import register_handler
        from jianlian.marketplace.external import WEBHOOK_MESSAGE, deliver

        register_handler(WEBHOOK_MESSAGE)(deliver)
        post_migrate.connect(_forget_skipped, sender=self, dispatch_uid="marketplace.forget_skipped")


def _forget_skipped(sender, using="default", **kwargs):
    """After any `migrate` in a schema: drop the records Django wrote for module migrations it
    skipped there (see router.py)."""
    from django.db import connections

    from jianlian.marketplace.router import forget_skipped_migrations

    connection = connections[using]
    forget_skipped_migrations(getattr(connection, "schema_name", "public"))
