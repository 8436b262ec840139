"""Issue 17 item 6: onboarding refuses a grouping node (职能科室) as a person's department, with a
clear error on the department field; a department under it is fine."""

from __future__ import annotations

import pytest
from django.utils import timezone

from jianlian.core.errors import DomainError
from jianlian.org import services
from tenants.context import tenant_context
from tests.factories import make_id_number
from tests.test_org import org, province  # noqa: F401 (fixtures)


def test_onboarding_refuses_a_grouping_node_as_the_department(province, org):  # noqa: F811
    p, admin = province, province.users["tenant_admin"]
    person = dict(staff_no="TL3001", name="顾晓萌", mobile="13911113333", id_number=make_id_number(),
                  unit_id=p.lead_a.pk, effective_at=timezone.now())
    with tenant_context(p.tenant_a):
        with pytest.raises(DomainError) as e:
            services.onboard(admin, department_id=org["functional"].pk, **person)
        assert (e.value.code, e.value.field) == ("DEPARTMENT_IS_GROUP", "department")
        assert "职能科室" in str(e.value.message)
        assert services.onboard(admin, department_id=org["office"].pk, **person).name == "顾晓萌"
