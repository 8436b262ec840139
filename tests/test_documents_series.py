"""Issue 18 leftovers: the office (documents.manage) keeps the numbering series, so a fresh unit
can start drafting; the draft page picks receiving units from a search of other units."""

from __future__ import annotations

import pytest

from tests.test_documents import SAVE, _module_world, call, w  # noqa: F401 — the module's world

SAVE_SERIES = """mutation($input: SaveDocumentSeriesInput!) { saveDocumentSeries(input: $input) {
  series { id code name issuer isActive } errors { field code message } } }"""
SERIES = """query($all: Boolean) { documentSeries(includeInactive: $all) { code isActive } }"""
UNITS = """query($s: String) { documentRecipientUnits(search: $s) { slug name } }"""


def test_a_fresh_unit_creates_its_series_and_drafts_with_it(client, w):
    p = w.p
    # 象山 has no series yet; its office creates one (the issuer defaults to the unit's name)
    body = call(client, w, "陈文书", SAVE_SERIES, {"input": {"code": "象卫发", "name": "象山卫健发文"}}, tenant=p.tenant_b.slug)
    out = body["data"]["saveDocumentSeries"]
    assert out["errors"] == [] and out["series"]["issuer"] == p.tenant_b.org_unit.name
    series_id = out["series"]["id"]
    # the same code again is refused clearly
    again = call(client, w, "陈文书", SAVE_SERIES, {"input": {"code": "象卫发", "name": "重复"}}, tenant=p.tenant_b.slug)
    assert [e["code"] for e in again["data"]["saveDocumentSeries"]["errors"]] == ["SERIES_CODE_TAKEN"]
    # and drafting works with it, addressed to a unit found by the picker's search
    units = call(client, w, "陈文书", UNITS, {"s": p.tenant_a.name[:2]}, tenant=p.tenant_b.slug)["data"]["documentRecipientUnits"]
    assert p.tenant_a.slug in [u["slug"] for u in units] and p.tenant_b.slug not in [u["slug"] for u in units]
    draft = call(client, w, "陈文书", SAVE, {"input": {"series": series_id, "title": "关于开展冬季义诊的通知", "body": "请各单位做好准备。",
                                                     "mainTo": [{"tenant": p.tenant_a.slug}]}}, tenant=p.tenant_b.slug)
    assert draft["data"]["saveOutgoingDocument"]["errors"] == []
    # a stopped series disappears from drafting but stays in the office's list
    call(client, w, "陈文书", SAVE_SERIES, {"input": {"id": series_id, "code": "象卫发", "name": "象山卫健发文", "isActive": False}},
         tenant=p.tenant_b.slug)
    assert call(client, w, "象山医生", SERIES, {"all": True}, tenant=p.tenant_b.slug)["data"]["documentSeries"] == []
    listed = call(client, w, "陈文书", SERIES, {"all": True}, tenant=p.tenant_b.slug)["data"]["documentSeries"]
    assert listed == [{"code": "象卫发", "isActive": False}]


@pytest.mark.parametrize("field", ["code", "name"])
def test_series_fields_are_required_and_only_the_office_saves_them(client, w, field):
    fields = {"code": "桐卫函", "name": "桐庐函件", field: " "}
    body = call(client, w, "陈文书", SAVE_SERIES, {"input": fields}, tenant=w.p.tenant_b.slug)
    assert body["data"]["saveDocumentSeries"]["errors"][0] == {"field": field, "code": "REQUIRED", "message": "请填写此项。"}
    denied = call(client, w, "外科主任", SAVE_SERIES, {"input": {"code": "桐卫函", "name": "桐庐函件"}})  # a drafter only
    assert denied["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
