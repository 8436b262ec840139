from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from jianlian.core.validators import normalize_mobile


def find_user(identifier: str):
    """Resolve a sign-in identifier: an 11-digit mobile number, else a username."""
    from jianlian.identity.models import User, mobile_blind_index

    identifier = (identifier or "").strip()
    if not identifier:
        return None
    mobile = normalize_mobile(identifier)
    if len(mobile) == 11 and mobile.isdigit():
        user = User.objects.filter(mobile_index=mobile_blind_index(mobile)).first()
        if user:
            return user
    return User.objects.filter(username=identifier).first()


class MobileOrUsernameBackend(ModelBackend):
    """Password sign-in by mobile number or username (Argon2 hashes)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = find_user(username)
        if user is None:
            # Run the hasher anyway so that timing does not reveal unknown accounts.
            from jianlian.identity.models import User

            User().set_password(password or "")
            return None
        if user.check_password(password or "") and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user):
        return user.is_active
