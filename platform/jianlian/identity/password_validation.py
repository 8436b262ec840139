"""Password rules of our own, next to Django's (settings.AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class NotCurrentPasswordValidator:
    """Refuse the password the account has now: a "change" that keeps it changes nothing (and a
    forced rotation after a leak would be defeated)."""

    def validate(self, password, user=None):
        encoded = getattr(user, "password", "") if user is not None else ""
        # hashers.check_password, not user.check_password: no re-hash is saved as a side effect
        if encoded and check_password(password, encoded):
            raise ValidationError(_("新密码不能与当前密码相同。"), code="password_is_current")

    def get_help_text(self):
        return _("新密码不能与当前密码相同。")
