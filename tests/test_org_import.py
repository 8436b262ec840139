"""Excel import/export of departments and staff, and directory sync (issue 5)."""

from __future__ import annotations

import base64
import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from jianlian.identity.models import User
from jianlian.org import directory, importer
from jianlian.org.models import Department, StaffProfile
from tenants.context import tenant_context
from tests.factories import make_id_number
from tests.utils import gql

DEPT_HEADER = ["科室编码*", "科室名称*", "上级科室编码", "类型", "类别", "所属单位"]
STAFF_HEADER = ["工号*", "姓名*", "身份证号*", "手机号*", "主科室编码*", "其他科室编码", "所属单位", "岗位", "职务",
                "职称", "级别", "用工类型", "办公电话", "电子邮箱", "标签"]
DEPTS = [
    ["G-LC", "临床科室", "", "分组", "临床", ""],
    ["NK", "内科", "G-LC", "科室", "", ""],
    ["NK-1", "内科一病区", "NK", "病区", "", ""],
    ["G-YJ", "医技科室", "", "分组", "医技", ""],
    ["FS", "放射科", "G-YJ", "科室", "", "桐庐县分水镇中心卫生院"],
]


def _staff_rows():
    good = [
        ["TL0101", "单晓明", make_id_number(), "13800001001", "NK", "NK-1", "", "护士", "护士长", "主管护师", "中级", "本院职工", "0571-1001", "", "护士长"],
        ["TL0102", "曾国强", make_id_number(), "13800001002", "NK", "", "", "医生", "主任", "主任医师", "正高", "", "", "zgq@example.cn", "主任,党员"],
        ["TL0103", "解晓东", make_id_number(), "13800001003", "FS", "", "桐庐县分水镇中心卫生院", "技师", "", "", "", "第三方人员", "", "", ""],
    ]
    bad = [
        ["TL0104", "王错号", "330122198503120014", "13800001004", "NK", "", "", "", "", "", "", "", "", "", ""],  # wrong check digit
        ["TL0105", "李无科", make_id_number(), "13800001005", "XX-99", "", "", "", "", "", "", "", "", "", ""],   # unknown department
        ["TL0101", "赵重号", make_id_number(), "13800001006", "NK", "", "", "", "", "", "", "", "", "", ""],      # duplicate staff no
        ["TL0107", "", make_id_number(), "13800001007", "NK", "", "", "", "", "", "", "", "", "", ""],            # empty name
    ]
    return good, bad


def _workbook(dept_rows, staff_rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "科室"
    ws.append(DEPT_HEADER)
    for r in dept_rows:
        ws.append(r)
    ws = wb.create_sheet("人员")
    ws.append(STAFF_HEADER)
    for r in staff_rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def province(db, shared_province):
    """The tests here write only inside their own transaction: they share one province (each
    test starts from the users' grants as stored, without what an earlier test cached)."""
    for user in shared_province.users.values():
        user.__dict__.pop("_jl_grants", None)
        user.__dict__.pop("_jl_contact_units", None)
    return shared_province


@pytest.fixture
def files():
    good, bad = _staff_rows()
    return {"good": good, "bad": bad, "mixed": _workbook(DEPTS, good + bad), "clean": _workbook(DEPTS, good)}


def _errors(report):
    return sorted((e["row"], e["column"], e["code"]) for e in report.errors)


EXPECTED_ERRORS = [
    (5, "身份证号", "INVALID_ID_NUMBER"),
    (6, "主科室编码", "UNKNOWN_DEPARTMENT"),
    (7, "工号", "DUPLICATE_STAFF_NO"),
    (8, "姓名", "REQUIRED"),
]


def test_all_or_nothing_refuses_a_file_with_bad_rows_and_names_row_and_column(province, files):
    admin = province.users["tenant_admin"]
    users_before = User.objects.count()
    with tenant_context(province.tenant_a):
        report = importer.import_workbook(admin, files["mixed"], mode="all_or_nothing")
        assert not report.applied
        assert _errors(report) == EXPECTED_ERRORS
        message = next(e["message"] for e in report.errors if e["row"] == 5)
        assert message.startswith("「人员」第5行「身份证号」列：身份证号校验位不正确")
        assert next(e for e in report.errors if e["row"] == 5)["column_letter"] == "C"
        assert StaffProfile.objects.count() == 0 and Department.objects.count() == 0
    assert User.objects.count() == users_before


def test_valid_only_imports_the_good_rows_and_reimporting_changes_nothing(province, files):
    admin = province.users["tenant_admin"]
    with tenant_context(province.tenant_a):
        preview = importer.import_workbook(admin, files["mixed"], mode="valid_only", dry_run=True)
        assert not preview.applied and preview.staff == {"created": 3, "updated": 0, "unchanged": 0}
        assert preview.departments["created"] == 5 and StaffProfile.objects.count() == 0
        report = importer.import_workbook(admin, files["mixed"], mode="valid_only")
        assert report.applied and _errors(report) == EXPECTED_ERRORS
        assert report.staff == {"created": 3, "updated": 0, "unchanged": 0}
        shan = StaffProfile.objects.get(staff_no="TL0101")
        assert (shan.name_pinyin, shan.name_initials, shan.position) == ("shanxiaoming", "sxm", "护士长")
        assert sorted(shan.departments.values_list("code", flat=True)) == ["NK", "NK-1"]
        assert list(shan.tags.values_list("name", flat=True)) == ["护士长"]
        xie = StaffProfile.objects.get(staff_no="TL0103")
        assert xie.unit_id == province.member_a1.pk and xie.employment_type == "third_party"
        assert Department.objects.get(code="NK-1").category == "clinical"  # inherited from its top group
        account = User.objects.get(pk=shan.user_id)
        assert account.status == "pending" and account.id_number == files["good"][0][2]  # pre-registered, ID decrypts
        users, profiles = User.objects.count(), StaffProfile.objects.count()

        again = importer.import_workbook(admin, files["mixed"], mode="valid_only")
        assert again.staff == {"created": 0, "updated": 0, "unchanged": 3}
        assert again.departments == {"created": 0, "updated": 0, "unchanged": 5}
        assert (User.objects.count(), StaffProfile.objects.count()) == (users, profiles)

        # a changed row updates that person only, found by staff number
        good = [list(r) for r in files["good"]]
        good[1][7] = "院长"
        changed = importer.import_workbook(admin, _workbook(DEPTS, good), mode="all_or_nothing")
        assert changed.staff == {"created": 0, "updated": 1, "unchanged": 2}
        assert StaffProfile.objects.get(staff_no="TL0102").post == "院长"


def test_the_template_and_an_export_read_back_in(province, files):
    admin = province.users["tenant_admin"]
    with tenant_context(province.tenant_a):
        template = load_workbook(io.BytesIO(importer.template()))
        assert [c.value for c in template["人员"][1]][:5] == ["工号*", "姓名*", "身份证号*", "手机号*", "主科室编码*"]
        importer.import_workbook(admin, files["clean"], mode="all_or_nothing")
        exported = importer.export_workbook(admin)
        report = importer.import_workbook(admin, exported, mode="all_or_nothing", dry_run=True)
        assert report.errors == [] and report.staff == {"created": 0, "updated": 0, "unchanged": 3}


def test_a_file_that_is_not_a_workbook_is_refused(province):
    from jianlian.core.errors import DomainError

    with tenant_context(province.tenant_a), pytest.raises(DomainError) as e:
        importer.import_workbook(province.users["tenant_admin"], b"not a workbook", mode="valid_only")
    assert e.value.code == "INVALID_FILE"


IMPORT = """mutation($file: String!, $mode: ImportMode!, $dry: Boolean) {
  importStaff(input: {file: $file, mode: $mode, dryRun: $dry}) {
    report { applied dryRun staff { created updated unchanged } rowErrors { row column columnLetter code message } }
    errors { field code } } }"""


def test_import_over_graphql_reports_row_errors_and_only_admins_may(client, province, files):
    data = base64.b64encode(files["mixed"]).decode()
    _, body = gql(client, IMPORT, {"file": data, "mode": "ALL_OR_NOTHING"}, user=province.users["tenant_admin"],
                  HTTP_X_TENANT="tonglu")
    payload = body["data"]["importStaff"]
    assert payload["errors"] == [{"field": "file", "code": "IMPORT_HAS_ERRORS"}]
    assert [(e["row"], e["code"]) for e in payload["report"]["rowErrors"]] == [(r, c) for r, _c, c in EXPECTED_ERRORS]
    _, body = gql(client, IMPORT, {"file": data, "mode": "VALID_ONLY"}, user=province.users["tenant_admin"],
                  HTTP_X_TENANT="tonglu")
    assert body["data"]["importStaff"]["report"]["staff"]["created"] == 3
    _, body = gql(client, IMPORT, {"file": data, "mode": "VALID_ONLY"}, user=province.users["doctor"], HTTP_X_TENANT="tonglu")
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


def test_directory_sync_from_a_file_is_idempotent_and_reports_changes(province, tmp_path):
    admin = province.users["tenant_admin"]
    export = {
        "departments": [{"code": "G-LC", "name": "临床科室", "kind": "group", "category": "clinical"},
                        {"code": "NK", "name": "内科", "parent": "G-LC"}],
        "staff": [{"staff_no": "HR001", "name": "单丽", "id_number": make_id_number(), "mobile": "13700002001", "department": "NK"},
                  {"staff_no": "HR002", "name": "曾伟", "id_number": make_id_number(), "mobile": "13700002002", "department": "NK"},
                  {"staff_no": "HR003", "name": "坏数据", "id_number": "123", "mobile": "13700002003", "department": "NK"}],
    }
    path = tmp_path / "hr.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    adapter = directory.FileDirectoryAdapter(path)
    with tenant_context(province.tenant_a):
        first = directory.sync(admin, adapter)
        assert first["staff"] == {"created": 2, "updated": 0, "unchanged": 0}
        assert [(e["row"], e["code"]) for e in first["errors"]] == [(3, "INVALID_ID_NUMBER")]
        second = directory.sync(admin, adapter)
        assert second["staff"] == {"created": 0, "updated": 0, "unchanged": 2} and second["departments"]["created"] == 0
        export["staff"] = export["staff"][:1]
        export["staff"][0]["mobile"] = "13700002999"
        path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
        third = directory.sync(admin, adapter)
        assert third["staff"]["updated"] == 1 and third["missing"] == ["HR002"]
        assert StaffProfile.objects.get(staff_no="HR001").mobile == "13700002999"


def test_a_background_import_runs_as_a_tenant_task_and_reports_progress(province, files):
    from jianlian.celery_app import app
    from jianlian.org.models import ImportJob

    admin = province.users["tenant_admin"]
    seen = []
    with tenant_context(province.tenant_a):
        importer.import_workbook(admin, files["clean"], mode="valid_only", dry_run=True,
                                 progress=lambda done, total, message: seen.append((done, total)))
        assert seen and seen[-1][0] == seen[-1][1] == 2 * len(files["good"])
        assert [d for d, _t in seen] == sorted(d for d, _t in seen)
        saved = app.conf.task_always_eager, app.conf.task_eager_propagates
        app.conf.task_always_eager = app.conf.task_eager_propagates = True
        try:
            job = importer.queue_import(admin, files["clean"], mode="all_or_nothing")
        finally:
            app.conf.task_always_eager, app.conf.task_eager_propagates = saved
        job = ImportJob.objects.get(pk=job.pk)
        assert job.task_id and job.status == "done"
        assert job.report["staff"]["created"] == 3 and StaffProfile.objects.count() == 3


def test_operators_import_from_the_command_line(province, files, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "staff.xlsx"
    path.write_bytes(files["mixed"])
    out = io.StringIO()
    call_command("org_import", "tonglu", str(path), "--mode", "valid_only", stdout=out, stderr=io.StringIO())
    report = json.loads(out.getvalue())
    assert report["applied"] and report["staff"]["created"] == 3 and len(report["errors"]) == 4
    with tenant_context(province.tenant_a):
        assert StaffProfile.objects.count() == 3


def test_reimporting_someone_who_left_does_not_bring_them_back(province, files):
    from django.utils import timezone

    from jianlian.org import services

    admin = province.users["tenant_admin"]
    with tenant_context(province.tenant_a):
        importer.import_workbook(admin, files["clean"], mode="all_or_nothing")
        shan = StaffProfile.objects.get(staff_no="TL0101")
        services.schedule_leave(admin, shan.pk, effective_at=timezone.now())
        report = importer.import_workbook(admin, files["clean"], mode="valid_only")
        assert [(e["row"], e["code"]) for e in report.errors] == [(2, "STAFF_HAS_LEFT")]
        assert StaffProfile.objects.get(pk=shan.pk).status == "left"
