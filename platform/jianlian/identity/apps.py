from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "jianlian.identity"
    label = "identity"
    verbose_name = _("身份与账号")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from jianlian.identity import token_cache
        from jianlian.identity.models import ApiToken, User

        def token_changed(sender, instance, created=False, **kwargs):
            if not created:
                token_cache.forget([instance.key_hash])

        def user_changed(sender, instance, created=False, **kwargs):
            if not created:
                token_cache.forget_users([instance.pk])

        post_save.connect(token_changed, sender=ApiToken, dispatch_uid="identity.token_cache.token")
        post_delete.connect(token_changed, sender=ApiToken, dispatch_uid="identity.token_cache.token_deleted")
        post_save.connect(user_changed, sender=User, dispatch_uid="identity.token_cache.user")
        post_save.connect(_close_sockets_of_disabled, sender=User, dispatch_uid="identity.close_sockets")


def _close_sockets_of_disabled(sender, instance, created, **kwargs):
    """An account switched off (by an admin, in the Django admin or anywhere it is saved) loses
    its open WebSockets after commit; sign-in already refuses it."""
    if not created and not instance.can_sign_in and instance.status != "pending":
        from jianlian.realtime.events import close_sockets

        close_sockets(code=4403, reason="Account disabled", user_id=instance.pk)
