"""Bearer tokens resolved without the database while they are known valid, and refused by every
process the moment they stop being valid (jianlian.identity.token_cache)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianlian.identity import services
from jianlian.identity.models import ApiToken, User, UserStatus
from tests.factories import PASSWORD, make_user
from tests.utils import error_code

ME = {"query": "{ me { username } }"}


def _me(client, key):
    return client.post("/graphql/", ME, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def signed_in(db):
    user = make_user()
    _token, key = services.issue_token(user)
    assert services.user_for_token(key) == user  # the first use looks it up and keeps it
    return user, key


def test_a_known_token_is_resolved_without_a_query(signed_in):
    user, key = signed_in
    with CaptureQueriesContext(connection) as queries:
        assert services.user_for_token(key) == user
    assert len(queries) == 0


def test_signing_out_refuses_the_token_at_once(client, signed_in):
    user, key = signed_in
    assert _me(client, key).json()["data"]["me"]["username"] == user.username
    assert services.revoke_token(user, key)
    r = _me(client, key)
    assert r.status_code == 401 and error_code(r.json()) == "UNAUTHENTICATED"


@pytest.mark.parametrize("change", [
    lambda user: ApiToken.objects.filter(user=user).update(revoked_at=timezone.now()),
    lambda user: ApiToken.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1)),
    lambda user: ApiToken.objects.filter(user=user).delete(),
    lambda user: User.objects.filter(pk=user.pk).update(is_active=False),
    lambda user: setattr(user, "status", UserStatus.DISABLED) or user.save(),
    lambda user: [t.delete() for t in ApiToken.objects.filter(user=user)],
], ids=["revoked in bulk", "expired", "deleted in bulk", "account closed in bulk", "account disabled", "deleted"])
def test_every_way_a_token_stops_working_takes_effect_at_once(signed_in, change):
    user, key = signed_in
    change(user)
    assert services.user_for_token(key) is None


def test_a_cached_token_still_expires(signed_in, monkeypatch):
    user, key = signed_in
    later = timezone.now() + timedelta(days=400)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert services.user_for_token(key) is None


def test_no_secret_is_kept_in_redis_and_a_cached_user_still_reads_it(signed_in):
    from django.core.cache import caches

    from jianlian.identity import token_cache

    user, key = signed_in
    cached = caches[token_cache.ALIAS].get(f"identity:token:{ApiToken.hash_key(key)}")[0]
    assert not {"password", "id_number", "id_number_index"} & set(cached.__dict__)
    again = services.user_for_token(key)
    assert again.check_password(PASSWORD) and again.id_number == user.id_number
