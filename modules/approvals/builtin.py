"""The templates installed with the app (seed 001's everyday processes), editable per tenant
afterwards. Written as plain data so the installing migration can create them with historical
models; `install(Template, TemplateVersion)` takes the model classes to use.

Texts here are data (each tenant edits its copy), not interface strings, hence not translated.
"""

from __future__ import annotations

import datetime as dt


def text(title, max_length=200, **extra):
    return {"type": "string", "title": title, "maxLength": max_length, **extra}


def number(title, minimum=0, **extra):
    return {"type": "number", "title": title, "minimum": minimum, **extra}


def money(title):
    return {"type": "number", "title": title, "minimum": 0, "multipleOf": 0.01}


def date(title):
    return {"type": "string", "title": title, "format": "date"}


def choice(title, options):
    return {"type": "string", "title": title, "enum": list(options)}


def choices(title, options):
    return {"type": "array", "title": title, "items": {"type": "string", "enum": list(options)}, "uniqueItems": True}


def date_range(title):
    return {"type": "object", "title": title, "x-kind": "dateRange", "required": ["start", "end"],
            "properties": {"start": date("开始日期"), "end": date("结束日期"),
                           "startHalf": choice("开始时段", ["am", "pm"]), "endHalf": choice("结束时段", ["am", "pm"]),
                           "days": {"type": "number", "title": "天数"}}}


def people(title, max_items=20):
    return {"type": "array", "title": title, "x-kind": "person", "items": {"type": "integer"}, "maxItems": max_items}


def files(title):
    return {"type": "array", "title": title, "x-kind": "file", "maxItems": 9,
            "items": {"type": "object", "required": ["name", "url"],
                      "properties": {"name": {"type": "string"}, "url": {"type": "string"}, "size": {"type": "integer"}}}}


def form(required, order=None, ui=None, **props):
    schema = {"type": "object", "required": list(required), "properties": props}
    ui_schema = {"ui:order": order or list(props)}
    for key, prop in props.items():
        if prop.get("maxLength", 0) > 200:
            ui_schema[key] = {"ui:widget": "textarea"}
        if prop.get("multipleOf") == 0.01:
            ui_schema[key] = {"ui:widget": "money"}
    ui_schema.update(ui or {})
    return schema, ui_schema


def head(node_id="head", name="部门负责人", level=1, child=None, **extra):
    return {"id": node_id, "type": "approver", "name": name, "mode": "seq",
            "assignee": {"kind": "department_head", "level": level}, "child": child,
            "timeout": {"hours": 48, "remindEveryHours": 24, "maxReminders": 2, "action": "remind"}, **extra}


def admins(node_id="admin", name="行政审批", mode="any", child=None):
    return {"id": node_id, "type": "approver", "name": name, "mode": mode,
            "assignee": {"kind": "role", "role": "approvals_admin"}, "child": child}


def when(node_id, field, op, value, then, name):
    return {"id": node_id, "type": "condition", "branches": [
        {"id": f"{node_id}-yes", "name": name, "when": {"all": [{"field": field, "op": op, "value": value}]}, "child": then},
        {"id": f"{node_id}-else", "name": "其他情况", "default": True, "child": None}]}


def start(child):
    return {"id": "start", "type": "start", "name": "发起人", "child": child}


LEAVE_TYPES = ["年假", "事假", "病假", "调休", "婚假", "产假", "陪产假", "丧假"]

TEMPLATES = [
    dict(key="leave", name="请假", category="人事", icon="calendar",
         form=form(["leaveType", "range", "reason"], leaveType=choice("请假类型", LEAVE_TYPES), range=date_range("请假时间"),
                   reason=text("请假事由", 500), attachments=files("附件（病假请附诊断证明）")),
         flow=start(head(child=when("days", "range.days", "gt", 3, head("leader", "分管领导", level=2), "超过3天")))),
    dict(key="overtime", name="加班", category="人事", icon="clock",
         form=form(["date", "hours", "reason"], date=date("加班日期"), hours=number("加班时长（小时）", 0.5, maximum=24),
                   reason=text("加班事由", 500)),
         flow=start(head())),
    dict(key="shift_swap", name="调班", category="人事", icon="swap",
         form=form(["date", "swapWith", "swapDate", "reason"], date=date("原班次日期"), swapWith=people("替班人", 1),
                   swapDate=date("调换到"), reason=text("调班原因", 500)),
         flow=start(head())),
    dict(key="business_trip", name="出差", category="行政", icon="car",
         form=form(["destination", "range", "reason"], destination=text("出差地点", 100), range=date_range("出差时间"),
                   transport=choice("交通方式", ["火车", "飞机", "汽车", "单位用车", "其他"]), budget=money("预计费用（元）"),
                   reason=text("出差事由", 500)),
         flow=start(head(child=admins()))),
    dict(key="expense", name="费用报销", category="财务", icon="money",
         form=form(["items", "reason"], reason=text("报销事由", 500),
                   items={"type": "array", "title": "费用明细", "x-kind": "table", "minItems": 1, "maxItems": 50,
                          "x-sum": {"of": "amount", "into": "total"},
                          "items": {"type": "object", "required": ["kind", "amount"], "properties": {
                              "kind": choice("费用类型", ["交通费", "住宿费", "餐费", "会议费", "培训费", "办公用品", "其他"]),
                              "amount": money("金额（元）"), "note": text("说明", 100)}}},
                   total=money("合计（元）"), attachments=files("票据")),
         flow=start(head(child=when("amount", "total", "gt", 5000, admins("finance", "财务审核", "seq"), "超过5000元")))),
    dict(key="purchase", name="采购申请", category="财务", icon="shopping",
         form=form(["item", "quantity", "budget", "reason"], item=text("物品名称", 100), spec=text("规格型号", 100),
                   quantity=number("数量", 1), budget=money("预算金额（元）"), reason=text("申请理由", 500)),
         flow=start(head(child=admins("purchase", "采购审核", "seq")))),
    dict(key="seal", name="用印申请", category="行政", icon="stamp",
         form=form(["sealType", "document", "copies", "reason"], sealType=choice("印章类型", ["院章", "党委章", "合同章", "财务章", "法人章"]),
                   document=text("文件名称", 100), copies=number("用印份数", 1, maximum=100), reason=text("用印事由", 500),
                   attachments=files("用印文件")),
         flow=start(head(child=admins("seal", "印章管理员")))),
    dict(key="vehicle", name="用车申请", category="行政", icon="car",
         form=form(["date", "destination", "passengers", "reason"], date=date("用车日期"), destination=text("目的地", 100),
                   passengers=number("乘车人数", 1, maximum=50), reason=text("用车事由", 500)),
         flow=start(head(child=admins("fleet", "车队调度")))),
    dict(key="training", name="外出进修", category="人事", icon="book",
         form=form(["institution", "major", "range", "reason"], institution=text("进修单位", 100), major=text("进修专业", 60),
                   range=date_range("进修时间"), reason=text("进修目的", 500)),
         flow=start(head(child=head("leader", "分管领导", level=2, child=admins("hr", "人事审核", "seq"))))),
    dict(key="clinic_change", name="门诊停诊/替诊", category="医务", icon="medicine",
         form=({"type": "object", "required": ["change", "date", "session", "reason"],
                "properties": {"change": choice("类型", ["停诊", "替诊"]), "date": date("出诊日期"),
                               "session": choice("时段", ["上午", "下午", "全天"]), "substitute": people("替诊医生", 1),
                               "reason": text("原因", 500)},
                # conditional visibility: a substitute is asked for (and required) only for 替诊
                "if": {"properties": {"change": {"const": "替诊"}}, "required": ["change"]},
                "then": {"required": ["substitute"], "properties": {"substitute": {"minItems": 1}}}},
               {"ui:order": ["change", "date", "session", "substitute", "reason"], "substitute": {"ui:showIf": {"change": "替诊"}}}),
         flow=start(head(child=admins("medical", "医务科审核")))),
    dict(key="epidemic_daily", name="疫情每日填报", category="公共卫生", icon="health", kind="collection", opens_at=dt.time(8, 0),
         form=form(["temperature", "healthCode"], temperature=number("体温（℃）", 34, maximum=43),
                   symptoms=choices("症状", ["无", "发热", "咳嗽", "乏力", "咽痛", "腹泻"]),
                   healthCode=choice("健康码", ["绿码", "黄码", "红码"]), location=text("当前所在地", 100)),
         flow=start(when("abnormal", "healthCode", "ne", "绿码",
                         {"id": "notify", "type": "cc", "name": "异常提醒", "assignee": {"kind": "role", "role": "approvals_admin"}},
                         "健康码异常"))),
]


def install(Template, TemplateVersion, keys=None) -> int:
    """Create the built-in templates this tenant does not have yet. Returns how many."""
    made = 0
    have = set(Template.objects.values_list("key", flat=True))
    for spec in TEMPLATES:
        if spec["key"] in have or (keys and spec["key"] not in keys):
            continue
        schema, ui = spec["form"]
        template = Template.objects.create(
            key=spec["key"], name=spec["name"], category=spec["category"], icon=spec["icon"], builtin=True,
            kind=spec.get("kind", "approval"), opens_at=spec.get("opens_at"), audience={}, managers={})
        version = TemplateVersion.objects.create(
            template=template, number=1, form_schema=schema, ui_schema=ui, flow=spec["flow"],
            policies={"on_empty": "pass", "on_submitter": "superior", "dedupe": True}, note="内置模板")
        Template.objects.filter(pk=template.pk).update(current_version=version)
        made += 1
    return made
