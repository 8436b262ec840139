"""Every announcements action as a mutation: one `input`, the changed object and
`errors { field code message }`. Who may act is decided by the actions (column editors, the
post's audience), so most mutations declare only that a signed-in user is needed. Each is one call
(`jianlian.api.base.action_mutation`); the inputs are classes here, named and described in the SDL."""

from __future__ import annotations

import graphene
from graphql_relay import to_global_id

from jianlian.api.base import GlobalID, RawString, action_mutation
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from modules.announcements import actions, attachments, columns, polls, social
from modules.announcements.models import Post
from modules.announcements.types import AnnouncementAttachment, AnnouncementColumnType, AnnouncementComment, AnnouncementType
from modules.announcements.types import attachment_value

POST = ("NOT_FOUND",)
EDIT = ("NOT_FOUND", "POST_NOT_EDITABLE")


class AnnouncementAudienceInput(graphene.InputObjectType):
    """Who the post is for: the whole tenant, or any of units, departments, tags, groups and people."""

    whole_tenant = graphene.Boolean(description="全体人员（需在推送白名单中）。")
    units = GlobalID("OrgUnit", many=True, description="单位（含下级单位）。")
    departments = GlobalID("Department", many=True, description="科室（含下级科室）。")
    tags = GlobalID("Tag", many=True, description="标签。")
    groups = GlobalID("Group", many=True, description="群组。")
    users = GlobalID("User", many=True, description="人员。")


def _audience(a) -> dict:
    a = a or {}
    return {"whole_tenant": bool(a.get("whole_tenant")), "unit_ids": a.get("units") or [],
            "department_ids": a.get("departments") or [], "tag_ids": a.get("tags") or [],
            "group_ids": a.get("groups") or [], "user_ids": a.get("users") or []}


class SaveAnnouncementInput(graphene.InputObjectType):
    """A new draft (no id) or changes to a draft or scheduled post."""

    id = GlobalID("Announcement", description="要修改的公告；新建时不填。")
    column = GlobalID("AnnouncementColumn", required=True, description="栏目。")
    title = graphene.String(required=True, description="标题（不超过120字）。")
    body = RawString(description="正文（HTML；服务器净化，去掉脚本、事件属性和 javascript: 链接）。")
    video_links = graphene.List(graphene.NonNull(graphene.String), description="视频链接（https）。")
    audience = graphene.InputField(AnnouncementAudienceInput, required=True, description="发布范围。")
    required = graphene.Boolean(description="必读（每位接收人得到一条待办，阅读后完成）。")
    read_deadline = graphene.DateTime(description="必读的阅读截止时间。")
    pinned = graphene.Boolean(description="置顶。")
    expires_at = graphene.DateTime(description="过期时间（之后不再展示给读者）。")


class PublishAnnouncementInput(graphene.InputObjectType):
    """Publish now, or at `publishAt`."""

    id = GlobalID("Announcement", required=True, description="公告。")
    publish_at = graphene.DateTime(description="定时发布时间；不填为立即发布。")


class AnnouncementIdInput(graphene.InputObjectType):
    """One post."""

    id = GlobalID("Announcement", required=True, description="公告。")


class PinAnnouncementInput(AnnouncementIdInput):
    """Pin or unpin."""

    pinned = graphene.Boolean(required=True, description="置顶与否。")


class RemindAnnouncementUnreadInput(AnnouncementIdInput):
    """Remind the unread."""

    urgent = graphene.Boolean(description="紧急（DING：应用内必达并发短信）。")


class AddAnnouncementAttachmentInput(graphene.InputObjectType):
    """A file or image for a draft, Base64-encoded."""

    announcement = GlobalID("Announcement", required=True, description="公告。")
    filename = graphene.String(required=True, description="文件名。")
    content_type = graphene.String(required=True, description="PDF、Word/Excel/PPT（docx/xlsx/pptx）、JPG、PNG 或 GIF 的类型。")
    data = RawString(required=True, description="文件内容（Base64）。")


class CommentOnAnnouncementInput(AnnouncementIdInput):
    """A comment."""

    text = graphene.String(required=True, description="内容（不超过500字）。")


class HideAnnouncementCommentInput(graphene.InputObjectType):
    """Hide or show a comment."""

    comment = GlobalID("AnnouncementComment", required=True, description="评论。")
    hidden = graphene.Boolean(description="隐藏（默认）或重新显示。")


class LikeAnnouncementInput(AnnouncementIdInput):
    """Like or unlike."""

    liked = graphene.Boolean(description="点赞（默认）或取消。")


class SaveAnnouncementColumnInput(graphene.InputObjectType):
    """A new column (key and name) or changes to one."""

    id = GlobalID("AnnouncementColumn", description="要修改的栏目；新建时不填。")
    key = graphene.String(description="代码（新建时必填）。")
    name = graphene.String(description="名称。")
    description = graphene.String(description="说明。")
    admins = GlobalID("User", many=True, description="栏目管理员（可在此栏目发布）。")
    comments_enabled = graphene.Boolean(description="允许评论。")
    likes_enabled = graphene.Boolean(description="允许点赞。")
    sort = graphene.Int(description="排序。")


class SetAnnouncementFormInput(graphene.InputObjectType):
    """The form or quick poll of a draft (null removes it)."""

    id = GlobalID("Announcement", required=True, description="公告。")
    form_schema = graphene.JSONString(description="表单（JSON Schema，type 为 object；快速投票即一个 enum 字段）；null 为去掉。")
    closes_at = graphene.DateTime(description="截止时间（之后不再接受填写，读者可见结果）；不填为公告发布期间一直开放。")


class AnswerAnnouncementFormInput(graphene.InputObjectType):
    """My answer to a post's form or poll."""

    id = GlobalID("Announcement", required=True, description="公告。")
    data = graphene.JSONString(required=True, description="填写内容（按表单的字段代码）。")


ANNOUNCEMENT = {"announcement": graphene.Field(AnnouncementType, description="公告。")}


def _save(user, i):
    return {"announcement": actions.save_post(
        user, post_id=i.get("id"), column_id=i["column"], title=i["title"], body=i.get("body") or "",
        video_links=i.get("video_links"), audience=_audience(i.get("audience")), required=i.get("required"),
        read_deadline=i.get("read_deadline"), pinned=i.get("pinned"), expires_at=i.get("expires_at"))}


def _remind(user, i):
    reminded = actions.remind_unread(user, i["id"], urgent=bool(i.get("urgent")))
    return {"reminded": reminded, "announcement": Post.objects.get(pk=i["id"])}


def _comment(user, i):
    c = social.comment(user, i["id"], i["text"])
    return {"comment": AnnouncementComment(id=to_global_id("AnnouncementComment", c.pk), user_name=c.user_name,
                                           text=c.text, hidden=c.hidden, created_at=c.created_at)}


def _save_column(user, i):
    return {"column": columns.save_column(
        user, column_id=i.get("id"), key=i.get("key"), name=i.get("name"), description=i.get("description"),
        admin_ids=i.get("admins"), comments_enabled=i.get("comments_enabled"), likes_enabled=i.get("likes_enabled"),
        sort=i.get("sort"))}


def _flag(i, name):
    """An optional switch that defaults to on (`liked`, `hidden`)."""
    return True if i.get(name) is None else i[name]


SaveAnnouncement = action_mutation(
    "SaveAnnouncement", "保存公告草稿（新建或修改）。栏目管理员或公告管理员。", permissions=SIGNED_IN,
    error_codes=(*EDIT, "REQUIRED", "TOO_LONG", "INVALID", "INVALID_DATE"),
    input=SaveAnnouncementInput, returns=ANNOUNCEMENT, run=_save)
PublishAnnouncement = action_mutation(
    "PublishAnnouncement", "发布公告（或定时发布）。向全体人员、单位、科室、标签、群组或超过50人发布需在推送白名单中。",
    permissions=SIGNED_IN, error_codes=(*EDIT, "SENDER_NOT_WHITELISTED", "NO_RECIPIENTS", "UNKNOWN_DEPARTMENT", "UNKNOWN_TAG",
                                        "UNKNOWN_RECIPIENT", "INVALID_NAME", "INVALID_LINK"),
    input=PublishAnnouncementInput, returns=ANNOUNCEMENT,
    run=lambda u, i: {"announcement": actions.publish_post(u, i["id"], publish_at=i.get("publish_at"))})
WithdrawAnnouncement = action_mutation(
    "WithdrawAnnouncement", "撤回已发布或定时发布的公告。栏目管理员。", permissions=SIGNED_IN,
    error_codes=(*POST, "POST_NOT_PUBLISHED"), input=AnnouncementIdInput, returns=ANNOUNCEMENT,
    run=lambda u, i: {"announcement": actions.withdraw_post(u, i["id"])})
ReadAnnouncement = action_mutation(
    "ReadAnnouncement", "标记已读（必读公告即确认已读）：回执只记一次，待办完成。发布范围内的人员。", permissions=SIGNED_IN,
    error_codes=(*POST, "POST_NOT_PUBLISHED"), input=AnnouncementIdInput, returns=ANNOUNCEMENT,
    run=lambda u, i: {"announcement": actions.read_post(u, i["id"])})
PinAnnouncement = action_mutation(
    "PinAnnouncement", "置顶或取消置顶。栏目管理员。", permissions=SIGNED_IN, error_codes=POST,
    input=PinAnnouncementInput, returns=ANNOUNCEMENT,
    run=lambda u, i: {"announcement": actions.set_pinned(u, i["id"], i["pinned"])})
RemindAnnouncementUnread = action_mutation(
    "RemindAnnouncementUnread", "一键提醒未读：只发给尚未阅读的接收人。栏目管理员。", permissions=SIGNED_IN,
    error_codes=(*POST, "POST_NOT_PUBLISHED"), input=RemindAnnouncementUnreadInput, run=_remind,
    returns={"reminded": graphene.Int(description="提醒了多少人（仅未读的人）。"), **ANNOUNCEMENT})
AddAnnouncementAttachment = action_mutation(
    "AddAnnouncementAttachment", "给公告草稿添加附件或图片（正文中的图片也用其地址）。栏目管理员。", permissions=SIGNED_IN,
    error_codes=(*EDIT, "REQUIRED", "INVALID", "ATTACHMENT_TYPE", "ATTACHMENT_TOO_LARGE"),
    input=AddAnnouncementAttachmentInput, returns={"attachment": graphene.Field(AnnouncementAttachment, description="附件。")},
    run=lambda u, i: {"attachment": attachment_value(attachments.add_attachment(
        u, i["announcement"], filename=i["filename"], content_type=i["content_type"], data_base64=i["data"]))})
CommentOnAnnouncement = action_mutation(
    "CommentOnAnnouncement", "评论公告（栏目开放评论时）。发布范围内的人员。", permissions=SIGNED_IN,
    error_codes=(*POST, "POST_NOT_PUBLISHED", "COMMENTS_DISABLED", "REQUIRED", "TOO_LONG"),
    input=CommentOnAnnouncementInput, returns={"comment": graphene.Field(AnnouncementComment, description="评论。")}, run=_comment)
HideAnnouncementComment = action_mutation(
    "HideAnnouncementComment", "隐藏评论（或重新显示）。栏目管理员。", permissions=SIGNED_IN, error_codes=("NOT_FOUND",),
    input=HideAnnouncementCommentInput, returns=ANNOUNCEMENT,
    run=lambda u, i: {"announcement": social.hide_comment(u, i["comment"], _flag(i, "hidden")).post})
LikeAnnouncement = action_mutation(
    "LikeAnnouncement", "点赞或取消点赞（栏目开放点赞时）。发布范围内的人员。", permissions=SIGNED_IN,
    error_codes=(*POST, "POST_NOT_PUBLISHED", "LIKES_DISABLED"), input=LikeAnnouncementInput, returns=ANNOUNCEMENT,
    run=lambda u, i: {"announcement": social.like(u, i["id"], _flag(i, "liked"))})
SaveAnnouncementColumn = action_mutation(
    "SaveAnnouncementColumn", "新建或修改栏目：名称、栏目管理员、评论与点赞开关。",
    permissions=Perm("announcements.manage", at=CURRENT_TENANT),
    error_codes=("NOT_FOUND", "COLUMN_KEY_TAKEN", "REQUIRED", "INVALID", "TOO_LONG"), input=SaveAnnouncementColumnInput,
    returns={"column": graphene.Field(AnnouncementColumnType, description="栏目。")}, run=_save_column)
SetAnnouncementForm = action_mutation(
    "SetAnnouncementForm", "为草稿或定时发布的公告附带表单或快速投票。栏目管理员。", permissions=SIGNED_IN,
    error_codes=(*EDIT, "INVALID_FORM_SCHEMA", "INVALID_DATE"), input=SetAnnouncementFormInput, returns=ANNOUNCEMENT,
    run=lambda u, i: {"announcement": polls.set_form(u, i["id"], i.get("form_schema"), i.get("closes_at"))})
AnswerAnnouncementForm = action_mutation(
    "AnswerAnnouncementForm", "填写公告附带的表单或投票（服务器按表单校验；每人一次，截止前）。发布范围内的人员。",
    permissions=SIGNED_IN,
    error_codes=(*POST, "POST_NOT_PUBLISHED", "NO_FORM", "FORM_ALREADY_ANSWERED", "FORM_CLOSED", "REQUIRED", "TOO_LONG", "INVALID"),
    input=AnswerAnnouncementFormInput, returns=ANNOUNCEMENT,
    run=lambda u, i: {"announcement": polls.answer(u, i["id"], i["data"]).post})

class Mutation(graphene.ObjectType):
    save_announcement = SaveAnnouncement.Field()
    publish_announcement = PublishAnnouncement.Field()
    withdraw_announcement = WithdrawAnnouncement.Field()
    pin_announcement = PinAnnouncement.Field()
    read_announcement = ReadAnnouncement.Field()
    remind_announcement_unread = RemindAnnouncementUnread.Field()
    add_announcement_attachment = AddAnnouncementAttachment.Field()
    comment_on_announcement = CommentOnAnnouncement.Field()
    hide_announcement_comment = HideAnnouncementComment.Field()
    like_announcement = LikeAnnouncement.Field()
    save_announcement_column = SaveAnnouncementColumn.Field()
    set_announcement_form = SetAnnouncementForm.Field()
    answer_announcement_form = AnswerAnnouncementForm.Field()
