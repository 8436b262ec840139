"""GraphQL types of announcements (see README.md in this folder for the API tour)."""

from __future__ import annotations

import graphene
from graphql_relay import to_global_id

from jianlian.api.connection import CountableConnection
from jianlian.api.types import ModelType
from jianlian.notifications.models import Delivery
from modules.announcements import access, polls, social, stats
from modules.announcements.attachments import url as attachment_url
from modules.announcements.models import Column, Post, Status

StatusEnum = graphene.Enum.from_enum(Status, name="AnnouncementStatus", description="公告状态。")
ACTIONS = ("EDIT", "PUBLISH", "WITHDRAW", "PIN", "UNPIN", "REMIND", "READ", "ACKNOWLEDGE", "COMMENT", "LIKE", "UNLIKE",
           "ANSWER")
AvailableActionEnum = graphene.Enum("AnnouncementAvailableAction", [(a, a) for a in ACTIONS],
                                    description="当前用户现在可做的操作（服务器计算）：EDIT 修改、PUBLISH 发布、WITHDRAW 撤回、"
                                                "PIN 置顶、UNPIN 取消置顶、REMIND 提醒未读、READ 标为已读、ACKNOWLEDGE 确认已读（必读）、"
                                                "COMMENT 评论、LIKE 点赞、UNLIKE 取消点赞、ANSWER 填写表单或投票。")


class AnnouncementPerson(graphene.ObjectType):
    """A person named on a column (an administrator)."""

    id = graphene.ID(required=True, description="账号（User 的 ID）。")
    name = graphene.String(required=True, description="姓名。")


class AnnouncementColumnType(ModelType):
    """A column (栏目) and who may publish in it."""

    admins = graphene.List(graphene.NonNull(AnnouncementPerson), required=True, description="栏目管理员。")
    can_publish = graphene.Boolean(required=True, description="当前用户可否在此栏目发布。")
    can_manage = graphene.Boolean(required=True, description="当前用户可否修改栏目设置。")

    class Meta:
        model = Column
        name = "AnnouncementColumn"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "key", "name", "description", "sort", "comments_enabled", "likes_enabled")

    @classmethod
    def access_node(cls, info, viewer, pk):
        column = Column.objects.filter(pk=pk).first()
        return column if column is not None and access.may_publish(viewer, column) else None

    @staticmethod
    def resolve_admins(c, info):
        from jianlian.identity.models import User

        people = User.objects.filter(pk__in=c.admin_ids or []).order_by("pk")
        return [AnnouncementPerson(id=to_global_id("User", u.pk), name=u.real_name or u.username) for u in people]

    @staticmethod
    def resolve_can_publish(c, info):
        return access.may_publish(info.context.user, c)

    @staticmethod
    def resolve_can_manage(c, info):
        return access.is_manager(info.context.user)


class AnnouncementAttachment(graphene.ObjectType):
    """A file or image of a post."""

    id = graphene.ID(required=True, description="附件 ID。")
    filename = graphene.String(required=True, description="文件名。")
    content_type = graphene.String(required=True, description="类型。")
    size = graphene.Int(required=True, description="字节数。")
    url = graphene.String(required=True, description="下载地址（仅可阅读该公告的人可下载）。")
    is_image = graphene.Boolean(required=True, description="是否图片。")


def attachment_value(a) -> AnnouncementAttachment:
    return AnnouncementAttachment(id=to_global_id("AnnouncementAttachment", a.pk), filename=a.filename,
                                  content_type=a.content_type, size=a.size, url=attachment_url(a),
                                  is_image=a.content_type.startswith("image/"))


class AnnouncementComment(graphene.ObjectType):
    """A comment (hidden ones only shown to the column's editors)."""

    id = graphene.ID(required=True, description="评论 ID。")
    user_name = graphene.String(required=True, description="评论人。")
    text = graphene.String(required=True, description="内容。")
    hidden = graphene.Boolean(required=True, description="已被栏目管理员隐藏。")
    created_at = graphene.DateTime(required=True, description="评论时间。")


class AnnouncementDepartmentRate(graphene.ObjectType):
    """Read rate of one department (by the recipients' primary department)."""

    department_id = graphene.ID(description="科室（Department 的 ID）；未分配科室时为 null。")
    name = graphene.String(required=True, description="科室。")
    total = graphene.Int(required=True, description="接收人数。")
    read = graphene.Int(required=True, description="已读人数。")
    rate = graphene.Float(required=True, description="阅读率（0–1）。")


class AnnouncementType(ModelType):
    """A post: readable by its audience once published; its editors see drafts and statistics."""

    status = StatusEnum(required=True, description="状态。")
    column = graphene.Field(graphene.NonNull(AnnouncementColumnType), description="栏目。")
    video_links = graphene.List(graphene.NonNull(graphene.String), required=True, description="视频链接。")
    attachments = graphene.List(graphene.NonNull(AnnouncementAttachment), required=True, description="附件与图片。")
    audience = graphene.JSONString(description="发布范围（whole_tenant、unit_ids、department_ids、tag_ids、group_ids、user_ids）；仅编辑者可见。")
    excerpt = graphene.String(required=True, description="摘要（正文前120字）。")
    read_at = graphene.DateTime(description="我的阅读（确认）时间；未读为 null。")
    like_count = graphene.Int(required=True, description="点赞数。")
    liked_by_me = graphene.Boolean(required=True, description="我已点赞。")
    comments = graphene.List(graphene.NonNull(AnnouncementComment), required=True, description="评论，早的在前。")
    available_actions = graphene.List(graphene.NonNull(AvailableActionEnum), required=True, description="当前用户现在可做的操作。")
    read_by_department = graphene.List(graphene.NonNull(AnnouncementDepartmentRate),
                                       description="按科室的阅读率；仅编辑者可见，其他人为 null。")
    form_schema = graphene.JSONString(description="附带的表单或快速投票（JSON Schema）；没有时为 null。")
    form_closes_at = graphene.DateTime(description="表单或投票的截止时间；null 为公告发布期间一直开放。")
    form_closed = graphene.Boolean(required=True, description="表单或投票已截止。")
    my_form_answer = graphene.JSONString(description="我的填写内容；未填写为 null。")
    form_results = graphene.Field(lambda: AnnouncementFormResults,
                                  description="表单或投票结果：编辑者随时可见，读者在填写后或截止后可见，其他情况为 null。")

    class Meta:
        model = Post
        name = "Announcement"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "title", "body", "required", "read_deadline", "pinned", "expires_at", "publish_at", "published_at",
                  "author_name", "recipient_count", "read_count", "created_at", "updated_at", "form_closes_at")

    @classmethod
    def access_node(cls, info, viewer, pk):
        post = Post.objects.select_related("column").filter(pk=pk).first()
        return post if post is not None and access.may_read(viewer, post) else None

    @staticmethod
    def resolve_video_links(p, info):
        return p.video_links or []

    @staticmethod
    def resolve_attachments(p, info):
        return [attachment_value(a) for a in p.attachments.order_by("pk").only("pk", "filename", "content_type", "size")]

    @staticmethod
    def resolve_audience(p, info):
        return p.audience if access.may_edit(info.context.user, p) else None

    @staticmethod
    def resolve_excerpt(p, info):
        return p.text[:120]

    @staticmethod
    def resolve_read_at(p, info):
        if not p.notification_id:
            return None
        return (Delivery.objects.filter(notification_id=p.notification_id, user_id=info.context.user.pk)
                .values_list("read_at", flat=True).first())

    @staticmethod
    def resolve_like_count(p, info):
        return p.likes.count()

    @staticmethod
    def resolve_liked_by_me(p, info):
        return p.likes.filter(user_id=info.context.user.pk).exists()

    @staticmethod
    def resolve_comments(p, info):
        return [AnnouncementComment(id=to_global_id("AnnouncementComment", c.pk), user_name=c.user_name, text=c.text,
                                    hidden=c.hidden, created_at=c.created_at)
                for c in social.visible_comments(info.context.user, p)]

    @staticmethod
    def resolve_available_actions(p, info):
        return available_actions(info.context.user, p)

    @staticmethod
    def resolve_read_by_department(p, info):
        if not access.may_edit(info.context.user, p):
            return None
        return [AnnouncementDepartmentRate(
            department_id=to_global_id("Department", r["department_id"]) if r["department_id"] else None,
            name=r["name"], total=r["total"], read=r["read"], rate=round(r["read"] / r["total"], 4) if r["total"] else 0.0)
            for r in stats.read_rate_by_department(p)]


    @staticmethod
    def resolve_form_closed(p, info):
        return polls.is_closed(p)

    @staticmethod
    def resolve_my_form_answer(p, info):
        return polls.my_answer(info.context.user, p) if p.form_schema else None

    @staticmethod
    def resolve_form_results(p, info):
        if not polls.may_see_results(info.context.user, p):
            return None
        r = polls.results(p)
        return AnnouncementFormResults(answered=r["answered"], fields=[
            AnnouncementFormField(key=f["key"], title=f["title"], answered=f["answered"],
                                  options=None if f["options"] is None else
                                  [AnnouncementFormOption(value=o["value"], count=o["count"]) for o in f["options"]])
            for f in r["fields"]])


class AnnouncementFormOption(graphene.ObjectType):
    """One option of a choice field and how many picked it."""

    value = graphene.String(required=True, description="选项。")
    count = graphene.Int(required=True, description="选择人数。")


class AnnouncementFormField(graphene.ObjectType):
    """Results of one field of the attached form."""

    key = graphene.String(required=True, description="字段代码。")
    title = graphene.String(required=True, description="字段标题。")
    answered = graphene.Int(required=True, description="填写了此项的人数。")
    options = graphene.List(graphene.NonNull(AnnouncementFormOption), description="选择题各选项的人数；其他题型为 null。")


class AnnouncementFormResults(graphene.ObjectType):
    """Results of the form or poll attached to a post."""

    answered = graphene.Int(required=True, description="已填写人数。")
    fields = graphene.List(graphene.NonNull(AnnouncementFormField), required=True, description="各字段的结果。")


def available_actions(user, post: Post) -> list[str]:
    out = []
    editor = access.may_edit(user, post)
    if editor and post.status in (Status.DRAFT, Status.SCHEDULED):
        out += ["EDIT", "PUBLISH"]
    if editor and post.status in (Status.SCHEDULED, Status.PUBLISHED):
        out.append("WITHDRAW")
    if post.status != Status.PUBLISHED:
        return out
    if editor:
        out += ["UNPIN" if post.pinned else "PIN"]
        if post.read_count < post.recipient_count:
            out.append("REMIND")
    if access.is_recipient(user, post):
        unread = Delivery.objects.filter(notification_id=post.notification_id, user_id=user.pk, read_at__isnull=True).exists()
        if unread:
            out.append("ACKNOWLEDGE" if post.required else "READ")
        if post.column.comments_enabled:
            out.append("COMMENT")
        if post.column.likes_enabled:
            out.append("UNLIKE" if post.likes.filter(user_id=user.pk).exists() else "LIKE")
        if polls.may_answer(user, post):
            out.append("ANSWER")
    return out


class AnnouncementConnection(CountableConnection):
    """A page of posts."""

    class Meta:
        node = AnnouncementType


class AnnouncementReadChanged(graphene.ObjectType):
    """Someone read (or answered the poll of) a post I edit."""

    id = graphene.ID(required=True, description="公告 ID。")
    read = graphene.Int(required=True, description="已读人数。")
    total = graphene.Int(required=True, description="接收人数。")
