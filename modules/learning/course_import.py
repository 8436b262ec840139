"""Excel import of course lists (sheet 「课程」), on the question import's row engine
(`importer.run`): one row per lesson; rows with the same course name make one course, in order,
with their chapters (「章节」, default 第一章). The category belongs to the department named in
「科室」 (found in the organisation by name) or to the whole hospital when empty."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from modules.learning import access, courses, importer
from modules.learning.models import LessonKind

SHEET = N_("课程")
COLUMNS = (
    ("title", N_("课程名称"), True), ("category", N_("分类"), False), ("department", N_("科室"), False),
    ("credits", N_("学分"), False), ("credit_kind", N_("学分类别"), False), ("description", N_("简介"), False),
    ("chapter", N_("章节"), False), ("lesson", N_("课时"), True), ("kind", N_("类型"), True), ("url", N_("地址"), False),
    ("minutes", N_("时长（分钟）"), False), ("body", N_("正文"), False),
)
LESSON_FIELDS = {"kind": "kind", "title": "lesson", "url": "url", "duration": "minutes", "body": "body"}
KINDS = {"视频": LessonKind.VIDEO, "文档": LessonKind.DOCUMENT, "图文": LessonKind.ARTICLE, "文章": LessonKind.ARTICLE}


def _departments() -> dict:
    from jianlian.org.models import Department

    return {d.name: d for d in Department.objects.all()}


def _build(row, depts: dict) -> dict:
    v = row.values
    kind = KINDS.get(v.get("kind", ""))
    if kind is None:
        raise DomainError("INVALID", _("类型须为 视频、文档 或 图文。"), "kind")
    dept = None
    if v.get("department"):
        dept = depts.get(v["department"])
        if dept is None:
            raise DomainError("NOT_FOUND", _("组织中没有这个科室。"), "department")
    credits = courses.clean_credits(v.get("credits"))
    try:
        minutes = float(v.get("minutes") or 0)
    except ValueError:
        raise DomainError("INVALID", _("时长须为分钟数。"), "minutes") from None
    lesson = {"title": v.get("lesson", ""), "kind": kind, "url": v.get("url", ""), "body": v.get("body", ""),
              "duration_seconds": int(minutes * 60)}
    courses.check_lesson(lesson, None, None, 0, fields=LESSON_FIELDS)  # the same checks as a course built by hand
    return {"title": v["title"], "category": v.get("category", ""), "department": dept, "credits": credits,
            "credit_kind": v.get("credit_kind", ""), "description": v.get("description", ""),
            "chapter": v.get("chapter") or "第一章", "lesson": lesson}


def import_courses(actor, data: bytes, *, dry_run: bool = False, mode: str = "all_or_nothing") -> importer.Report:
    """Who: `learning.manage`. One audit record for the import."""
    access.require_manager(actor)
    depts = _departments()

    def save(good) -> int:
        grouped: dict[str, dict] = {}
        for _row, c in good:
            course = grouped.setdefault(c["title"], {**c, "chapters": {}})
            course["chapters"].setdefault(c["chapter"], []).append(c["lesson"])
        for c in grouped.values():
            courses.create_course(actor, title=c["title"], description=c["description"], category=c["category"],
                                  department=c["department"], credits=c["credits"], credit_kind=c["credit_kind"],
                                  chapters=[{"title": t, "lessons": ls} for t, ls in c["chapters"].items()])
        audit.record("learning.import_courses", actor=actor, object_type="learning.course",
                     after={"courses": len(grouped), "lessons": len(good)})
        return len(grouped)

    return importer.run(data, build=lambda row: _build(row, depts), save=save, dry_run=dry_run, mode=mode,
                        sheet=SHEET, columns=COLUMNS, fallback="title")


def template() -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([h + ("*" if r else "") for _k, h, r in COLUMNS])
    ws.append(["手卫生规范", "院感", "", "1", "Ⅱ类", "WS/T 313 解读", "第一章", "七步洗手法", "视频", "https://example.org/wash.mp4", "8", ""])
    ws.append(["手卫生规范", "院感", "", "1", "Ⅱ类", "", "第一章", "手卫生指征", "图文", "", "", "接触患者前后……"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
