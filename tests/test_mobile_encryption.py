"""Mobile numbers are encrypted at rest, with blind indexes for sign-in, uniqueness and "search by
the last digits" (like ID numbers): a copy of the database does not give away anyone's phone."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection

from jianlian.core.errors import DomainError
from jianlian.identity import services as identity
from jianlian.org import services as org
from jianlian.org.models import StaffProfile
from tenants.context import tenant_context
from tests.factories import make_department, make_staff, make_user
from tests.utils import gql

MOBILE = "13912345678"


def _raw(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_account_mobiles_are_encrypted_and_still_sign_in(client, db):
    user = make_user("吴手机", mobile=MOBILE)
    (stored,) = _raw("SELECT mobile FROM identity_user WHERE id = %s", [user.pk])[0]
    assert MOBILE not in stored and MOBILE[::-1] not in stored and stored.startswith("gAAAA")
    assert not _raw("SELECT 1 FROM identity_user WHERE row_to_json(identity_user)::text LIKE %s", [f"%{MOBILE[-8:]}%"])
    # the application still sees the number and signs in by it
    user.refresh_from_db()
    assert user.mobile == MOBILE and user.masked_mobile == "139****5678"
    _, body = gql(client, 'mutation($i: String!) { signIn(input: {identifier: $i, password: "Ceshi@2026pw"}) '
                          '{ token errors { code } } }', {"i": "+86 139-1234-5678"})
    assert body["data"]["signIn"]["token"], body
    # and a second account cannot take it
    with pytest.raises(DomainError) as e:
        identity.preregister(None, username="another", mobile=MOBILE, real_name="某人", id_number="110101199003074514")
    assert e.value.code == "MOBILE_TAKEN"


def test_a_rotated_field_key_keeps_sign_in_by_mobile_and_its_uniqueness(client, db, settings):
    from cryptography.fernet import Fernet

    make_user("吴轮换", mobile=MOBILE)
    # the operator rotates as the README says: the new key first, the old one after it
    settings.FIELD_ENCRYPTION_KEY = f"{Fernet.generate_key().decode()},{settings.FIELD_ENCRYPTION_KEY}"
    _, body = gql(client, 'mutation($i: String!) { signIn(input: {identifier: $i, password: "Ceshi@2026pw"}) '
                          '{ token errors { code } } }', {"i": MOBILE})
    assert body["data"]["signIn"]["token"], body
    with pytest.raises(DomainError) as e:
        identity.preregister(None, username="another", mobile=MOBILE, real_name="某人", id_number="110101199003074514")
    assert e.value.code == "MOBILE_TAKEN"


def test_staff_mobiles_are_encrypted_and_found_by_their_last_digits(province):
    p, admin = province, province.users["tenant_admin"]
    with tenant_context(p.tenant_a):
        dept = make_department("NK", "内科", unit=p.lead_a)
        make_staff("单晓明", unit=p.lead_a, department=dept, staff_no="TL1002", mobile=MOBILE)
        row = _raw("SELECT row_to_json(s)::text FROM org_staffprofile s WHERE staff_no = 'TL1002'")[0][0]
        assert MOBILE[-6:] not in row and MOBILE[::-1][:6] not in row

        def found(q):
            return [s.name for s in org.search_contacts(admin, q)]

        assert found("5678") == found("345678") == found(MOBILE) == ["单晓明"]
        assert found("5679") == [] and found("678") == []  # three digits are a staff-number prefix only
        assert StaffProfile.objects.get(staff_no="TL1002").mobile == MOBILE


def test_the_migration_encrypts_numbers_stored_in_clear(db):
    user = make_user("旧数据", mobile=MOBILE)
    with connection.cursor() as cursor:  # as the column held it before identity 0003
        cursor.execute("UPDATE identity_user SET mobile = %s, mobile_index = 'x' WHERE id = %s", [MOBILE, user.pk])
    migration = importlib.import_module("jianlian.identity.migrations.0003_mobile_encrypted")
    migration.encrypt_mobiles(None, SimpleNamespace(connection=connection))
    user.refresh_from_db()
    assert user.mobile == MOBILE and user.mobile_index == identity.mobile_blind_index(MOBILE)
    assert _raw("SELECT mobile FROM identity_user WHERE id = %s", [user.pk])[0][0] != MOBILE
