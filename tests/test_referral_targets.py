"""Issue 17 item 6: the new-referral form offers only units that can receive a referral — a
medical unit of a tenant that runs the referrals app and where someone holds `referrals.accept`
covering it — never a health commission (卫健委) or a tenant nobody there could receive in."""

from __future__ import annotations

from jianlian.marketplace import services as market
from tests.factories import grant, make_user, member
from tests.utils import gql

TARGETS = """query($s: String!) { referralTargets(search: $s, first: 30) { edges { node { name } } } }"""


def _targets(client, user, search):
    status, body = gql(client, TARGETS, {"s": search}, user=user, HTTP_X_TENANT="tonglu")
    assert status == 200, body
    return sorted(e["node"]["name"] for e in body["data"]["referralTargets"]["edges"])


def test_only_units_that_can_receive_are_offered(client, province):
    p = province
    for t in (p.tenant_a, p.tenant_h):
        market.install(None, t, "referrals")  # 象山 (tenant B) does not run the app
    cardio = make_user("孙主任")
    member(cardio, p.tenant_h, p.hospital)
    grant(cardio, "doctor", p.hospital, p.tenant_h)
    doctor = p.users["doctor"]  # receives at 分水镇 (member A1) only
    # the provincial hospital and 分水镇 have receivers; the commission, 桐庐's lead (no receiver
    # there), 横村镇 and 象山's centre (no app) are not offered
    assert _targets(client, doctor, "医院") == ["浙江省人民医院"]
    assert _targets(client, doctor, "卫生") == ["桐庐县分水镇中心卫生院"]
    assert _targets(client, doctor, "浙江") == ["浙江省人民医院"]
    assert _targets(client, doctor, "石浦") == []
