"""What each audited action means, in words (Chinese and English), for the audit log page.

The platform's actions are listed here; each module lists its own in its manifest
(`audit_actions`). A key ending in `*` covers every action that starts with it (the actions a
module names from a step, such as `referrals.remote_accept`). An action nobody described reads
as its app's name and the code, so a new action is never blank.
"""

from __future__ import annotations

from functools import lru_cache

PLATFORM_ACTIONS: dict[str, tuple[str, str]] = {
    "access.grant_role": ("授予角色", "Granted a role"),
    "access.revoke_role": ("收回角色", "Revoked a role"),
    "auth.token_revoked": ("吊销登录令牌", "Revoked a sign-in token"),
    "auth.sign_in": ("登录", "Signed in"),
    "identity.sign_in": ("登录", "Signed in"),
    "identity.activate": ("激活账号", "Activated an account"),
    "identity.activation_code_sent": ("发送激活码", "Sent an activation code"),
    "identity.change_password": ("修改密码", "Changed a password"),
    "identity.preregister": ("预登记账号", "Pre-registered an account"),
    "hierarchy.create_unit": ("新增单位", "Added a unit"),
    "hierarchy.move_unit": ("调整单位隶属", "Moved a unit"),
    "tenants.create": ("开通租户", "Opened a tenant"),
    "tenants.created": ("开通租户", "Opened a tenant"),
    "tenants.set_status": ("变更租户状态", "Changed a tenant's status"),
    "bus.message": ("处理总线消息", "Handled a bus message"),
    "marketplace.install": ("安装应用", "Installed an app"),
    "marketplace.uninstall": ("停用应用", "Disabled an app"),
    "marketplace.purge": ("卸载并清除应用数据", "Removed an app and its data"),
    "marketplace.upgrade": ("升级应用", "Upgraded an app"),
    "marketplace.launch": ("打开外部应用", "Opened an external app"),
    "marketplace.mandate": ("要求辖区统一安装应用", "Required an app across the area"),
    "marketplace.publish": ("发布应用", "Published an app"),
    "marketplace.visibility": ("设置应用可见范围", "Set who sees an app"),
    "notifications.send": ("发送通知", "Sent a notification"),
    "notifications.grant_sender": ("加入推送白名单", "Allowed a sender"),
    "notifications.set_preference": ("修改通知偏好", "Changed notification preferences"),
    "bus.replay": ("重新投递消息", "Replayed a message"),
    "org.accept_secondment": ("同意借调", "Accepted a secondment"),
    "org.request_secondment": ("申请借调", "Requested a secondment"),
    "org.add_personal_contact": ("添加个人联系人", "Added a personal contact"),
    "org.add_public_contact": ("添加公共联系人", "Added a public contact"),
    "org.add_to_department": ("加入科室", "Added to a department"),
    "org.add_visibility_rule": ("添加通讯录可见规则", "Added a contact visibility rule"),
    "org.cancel_event": ("取消人员变动", "Cancelled a staff change"),
    "org.create_department": ("新增科室", "Added a department"),
    "org.create_group": ("新建群组", "Created a group"),
    "org.create_tag": ("新建标签", "Created a tag"),
    "org.export": ("导出人员", "Exported staff"),
    "org.import": ("导入人员", "Imported staff"),
    "org.set_department_head": ("设置科室负责人", "Set a department head"),
    "org.set_tags": ("设置标签", "Set tags"),
    "org.update_contact": ("修改联系方式", "Changed contact details"),
    "org.schedule_*": ("安排人员变动", "Scheduled a staff change"),
    "org.apply_*": ("人员变动生效", "A staff change took effect"),
}

# The platform's domains by their prefix, for an action nobody described.
DOMAINS = {
    "access": ("角色与权限", "Roles"), "auth": ("登录", "Sign-in"), "identity": ("账号", "Accounts"),
    "hierarchy": ("组织层级", "Organisation"), "tenants": ("租户", "Tenants"), "marketplace": ("应用市场", "Marketplace"),
    "notifications": ("通知", "Notifications"), "bus": ("消息总线", "Bus"), "org": ("科室与人员", "Staff"),
}


@lru_cache(maxsize=1)
def _registry() -> tuple[dict[str, tuple[str, str]], list[tuple[str, tuple[str, str]]], dict[str, tuple[str, str]]]:
    from jianlian.marketplace import manifest

    exact, prefixes, apps = {}, [], dict(DOMAINS)
    sources = [PLATFORM_ACTIONS] + [m.audit_actions for m in manifest.registry().values()]
    for m in manifest.registry().values():
        apps[m.key] = (m.name_zh, m.name_en)
    for source in sources:
        for key, words in source.items():
            if key.endswith("*"):
                prefixes.append((key[:-1], words))
            else:
                exact[key] = words
    prefixes.sort(key=lambda p: -len(p[0]))  # the most specific prefix first
    return exact, prefixes, apps


def describe(action: str) -> tuple[str, str]:
    """The action in words: (Chinese, English)."""
    exact, prefixes, apps = _registry()
    if action in exact:
        return exact[action]
    for prefix, words in prefixes:
        if action.startswith(prefix):
            return words
    app, _sep, rest = action.partition(".")
    zh, en = apps.get(app, (app, app))
    return f"{zh}：{rest or action}", f"{en}: {rest or action}"


NAME_KEYS = ("name", "title", "role_name", "unit_name", "user_name", "number", "app", "key", "code")


def object_words(object_type: str, before, after) -> tuple[str, str]:
    """(the kind of object, its name if the record's values say it). Records carry no patient's
    name under these keys."""
    from django.apps import apps

    try:
        kind = str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        kind = object_type
    data = {}
    for part in (before, after):
        if isinstance(part, dict):
            data.update(part)
    if data.get("user_name") and data.get("role_name"):
        return kind, " · ".join(str(data[k]) for k in ("user_name", "role_name", "unit_name") if data.get(k))
    name = next((str(data[k]) for k in NAME_KEYS if isinstance(data.get(k), (str, int)) and str(data[k]).strip()), "")
    return kind, name


def object_label(object_type: str, object_id: str, before, after, actor_id=None, actor_label: str = "") -> str:
    """The object in words without a query: its kind and name, or its kind and id (one's own
    account, as in a sign-in, is named by the actor's name)."""
    if not object_type:
        return ""
    kind, name = object_words(object_type, before, after)
    if not name and object_type == "identity.user" and actor_id is not None and object_id == str(actor_id):
        name = actor_label
    return f"{kind}：{name}" if name else f"{kind} {object_id}".strip()
