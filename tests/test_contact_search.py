"""Contact search as branches (issue 15, the search benchmark): each way of matching — pinyin,
initials, staff number, the last digits of a mobile — reads one page of its own index in pinyin
order, and together they list exactly the people the one OR condition finds, once each, in the
same order, page after page."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.models import Q
from graphql_relay import to_global_id

from jianlian.identity.models import mobile_suffix_index
from jianlian.org import services
from tenants.context import tenant_context
from tests.factories import make_department, make_staff
from tests.utils import gql

PEOPLE = [  # name, staff number, mobile
    ("张华", "TL3001", "13900001111"), ("曾华", "TL3002", "13900002222"), ("赵慧", "TL3003", "13900003333"),
    ("郑红", "TL3004", "13911112222"), ("周海涛", "TL3005", "13922223333"), ("王磊", "TL3006", "13933331111"),
    ("王丽霞", "TL3007", "13944441111"), ("吴林", "TL3008", "13955551111"), ("单晓明", "TL3009", "13966661111"),
    ("石小梅", "TL3010", "13977771111"), ("李四", "ZH0001", "13988881111"), ("张华", "WL0002", "13999991111"),
    ("曾国强", "20240001", "13812341111"),
]
QUERIES = ["zh", "ZH", "z", "zha", "zhanghua", "zht", "zhz", "zeng", "wl", "wlx", "w", "sxm", "sx", "shan", "tl",
           "TL30", "tl300", "zh0", "wl0", "1111", "2222", "3001", "2024", "13900002222", "张", "华", "单晓明", "xyz",
           "zh%", "z_", "  z h  "]


def _the_one_or(viewer, query: str):
    """What the search means, as the single OR condition it replaced (the reference)."""
    q = "".join(query.split())[:50]
    if q.isdigit():
        cond = Q(staff_no__startswith=q)
        if 4 <= len(q) <= 11:
            cond |= Q(mobile_suffixes__contains=[mobile_suffix_index(q)])
    elif q.isascii():
        cond = (Q(name_pinyin__startswith=q.lower()) | Q(name_initials__startswith=q.lower())
                | Q(staff_no__startswith=q) | Q(staff_no__startswith=q.upper()))
    else:
        cond = Q(name__contains=q)
    return services.active_staff().filter(unit_id__in=services.contact_unit_ids(viewer)).filter(cond)


@pytest.fixture
def people(db, shared_province):
    p = shared_province
    for user in p.users.values():
        user.__dict__.pop("_jl_grants", None)
        user.__dict__.pop("_jl_contact_units", None)
    with tenant_context(p.tenant_a):
        dept = make_department("NK", "内科", unit=p.lead_a)
        staff = [make_staff(name, unit=p.lead_a, department=dept, staff_no=no, mobile=mobile) for name, no, mobile in PEOPLE]
        other = make_department("WK", "外科", unit=p.lead_a)
        make_staff("张晖", unit=p.lead_a, department=other, staff_no="WK0001", mobile="13600001111")
    return p, staff


def _keys(rows):
    return [(s.name_pinyin, s.pk) for s in rows]


def test_every_page_of_the_branches_is_the_page_of_the_one_or_condition(people):
    p, _staff = people
    admin = p.users["tenant_admin"]
    with tenant_context(p.tenant_a):
        for query in QUERIES:
            expected = _keys(_the_one_or(admin, query).order_by("name_pinyin", "pk"))
            found = services.search_contacts(admin, query).order_by("name_pinyin", "pk")
            assert _keys(found) == expected, query
            assert found.count() == len(expected), query
            for n in range(1, len(expected) + 2):
                assert _keys(found[:n]) == expected[:n], (query, n)
            assert _keys(found[1:3]) == expected[1:3], query
        # within a department (a join, distinct rows) the branches page alike
        dept = _staff[0].departments.get()
        for query in ("zh", "wl", "tl", "1111"):
            expected = _keys(_the_one_or(admin, query).filter(department_links__department=dept).order_by("name_pinyin", "pk"))
            in_dept = services.search_contacts(admin, query, department_id=dept.pk).order_by("name_pinyin", "pk")
            assert _keys(in_dept) == expected and _keys(in_dept[:3]) == expected[:3], query
        assert "张晖" not in [s.name for s in services.search_contacts(admin, "zh", department_id=dept.pk)]
        # the same person is listed once when pinyin and initials both match
        assert [s.name for s in services.search_contacts(admin, "zh").order_by("name_pinyin", "pk")] == [
            "李四", "曾华", "张华", "张华", "张晖", "赵慧", "郑红", "周海涛"]


def test_paging_contacts_over_graphql_walks_every_match_once_in_pinyin_order(client, people):
    p, staff = people
    admin = p.users["tenant_admin"]
    query = """query($q: String, $after: String, $users: [ID!]) { contacts(search: $q, first: 2, after: $after, users: $users) {
      totalCount edges { node { name staffNo } } pageInfo { hasNextPage endCursor } } }"""
    with tenant_context(p.tenant_a):
        expected = [s.staff_no for s in _the_one_or(admin, "zh").order_by("name_pinyin", "pk")]
    seen, after = [], None
    while True:
        _s, body = gql(client, query, {"q": "zh", "after": after}, user=admin, HTTP_X_TENANT=p.tenant_a.slug)
        page = body["data"]["contacts"]
        assert page["totalCount"] == len(expected)
        seen += [e["node"]["staffNo"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == expected and len(expected) == 8

    # only the chosen accounts, whichever branch finds them
    chosen = [to_global_id("User", s.user_id) for s in staff if s.staff_no in ("ZH0001", "TL3002", "TL3006")]
    _s, body = gql(client, query, {"q": "zh", "users": chosen}, user=admin, HTTP_X_TENANT=p.tenant_a.slug)
    assert [e["node"]["staffNo"] for e in body["data"]["contacts"]["edges"]] == ["ZH0001", "TL3002"]


def test_a_viewer_sees_only_their_units_in_every_branch(people):
    p, _staff = people
    doctor = p.users["doctor"]  # a doctor at 分水 (member_a1), not at the lead hospital
    with tenant_context(p.tenant_a):
        township = make_department("FS", "分水全科", unit=p.member_a1)
        make_staff("张海", unit=p.member_a1, department=township, staff_no="FS0001", mobile="13700001111")
        seen = {q: [s.name for s in services.search_contacts(doctor, q).order_by("name_pinyin", "pk")]
                for q in ("zh", "zhangh", "fs", "1111")}
        for query in seen:
            assert seen[query] == [s.name for s in _the_one_or(doctor, query).order_by("name_pinyin", "pk")]
        assert seen == {"zh": ["张海"], "zhangh": ["张海"], "fs": ["张海"], "1111": ["张海"]}


@pytest.mark.parametrize(("query", "index"), [("zh", "staff_initials2_order"), ("wlx", "staff_initials3_order")])
def test_each_branch_reads_a_page_of_its_index_in_pinyin_order(people, query, index):
    """The query shape lets PostgreSQL stop after one page: pinyin and initials branches are
    index scans already in (name_pinyin, id) order under a merge, so no branch sorts its matches
    (on a table this small the planner would rather scan, so scans and sorts are priced out)."""
    p, _staff = people
    admin = p.users["tenant_admin"]
    with tenant_context(p.tenant_a), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off")
        plan = services.search_contacts(admin, query).order_by("name_pinyin", "pk")[:21].explain()
    assert "Merge Append" in plan
    assert "Index Scan using staff_pinyin_order" in plan and f"Index Scan using {index}" in plan
    branches = plan.split("->  Limit")[1:]
    assert len(branches) == 3 and all("Sort Method" not in b for b in branches[:2]), plan
