"""GraphQL of 育龄期女职工健康 (womens_health.py): the restricted articles and the green-channel
request. The caller learns only whether they are eligible — never the ID number or the age."""

from __future__ import annotations

import graphene

from jianlian.api.base import GlobalID, PermissionField, action_mutation
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from modules.union import womens_health
from modules.union.health_models import Clinic
from modules.union.mutations import REQUEST, _request
from modules.union.types import as_errors, gid


class UnionClinicType(graphene.ObjectType):
    """A partner clinic of the green channel."""

    value = graphene.String(required=True, description="代码。")
    label = graphene.String(required=True, description="科室名称。")


MANAGE = Perm("union.manage", at=CURRENT_TENANT)
HealthArticleActionEnum = graphene.Enum(
    "UnionHealthArticleAction", [(a, a) for a in ("EDIT", "PUBLISH", "UNPUBLISH", "DELETE")],
    description="当前用户现在可对文章做的操作（服务器计算）：EDIT 修改、PUBLISH 发布、UNPUBLISH 撤回为草稿、DELETE 删除。")


class UnionHealthArticleType(graphene.ObjectType):
    """An article for women of childbearing age."""

    id = graphene.ID(required=True, description="Relay ID（UnionHealthArticle）。")
    title = graphene.String(required=True, description="标题。")
    body = graphene.String(required=True, description="正文。")
    clinic = graphene.String(required=True, description="科室代码。")
    published = graphene.Boolean(required=True, description="已发布（草稿只在管理员的编辑列表中）。")
    created_at = graphene.DateTime(required=True, description="创建时间。")
    available_actions = graphene.List(graphene.NonNull(HealthArticleActionEnum), required=True,
                                      description="我现在可做的操作（会员为空）。")


class UnionWomensHealthType(graphene.ObjectType):
    """育龄期女职工健康 for the caller."""

    eligible = graphene.Boolean(required=True, description="我可使用（18至49岁在会女职工）。")
    clinics = graphene.List(graphene.NonNull(UnionClinicType), required=True, description="绿色通道的合作科室。")
    articles = graphene.List(graphene.NonNull(UnionHealthArticleType), required=True,
                             description="已发布的健康知识（仅符合条件的会员可见，其他人为空）。")


def article(user, a) -> UnionHealthArticleType:
    return UnionHealthArticleType(id=gid("UnionHealthArticle", a.pk), title=a.title, body=a.body, clinic=a.clinic,
                                  published=a.published, created_at=a.created_at,
                                  available_actions=womens_health.available_actions(user, a))


def overview(user) -> UnionWomensHealthType:
    return UnionWomensHealthType(eligible=womens_health.eligible(user),
                                 clinics=[UnionClinicType(value=v, label=str(lbl)) for v, lbl in Clinic.choices],
                                 articles=[article(user, a) for a in womens_health.articles(user)])


class WomensHealthQuery(graphene.ObjectType):
    union_womens_health = PermissionField(UnionWomensHealthType, required=True, permissions=SIGNED_IN,
                                          description="育龄期女职工健康：是否可用、合作科室、健康知识。")

    union_health_articles = PermissionField(
        graphene.List(graphene.NonNull(UnionHealthArticleType)), required=True, permissions=MANAGE,
        description="女职工健康文章的编辑列表（工会管理员）：已发布的和草稿，最新的在前。")

    resolve_union_womens_health = as_errors(lambda u, i: overview(u))
    resolve_union_health_articles = as_errors(lambda u, i: [article(u, a) for a in womens_health.managed_articles(u)])


ARTICLE = {"article": graphene.Field(UnionHealthArticleType, description="文章（最新状态）。")}
ARTICLE_ERRORS = ("PERMISSION_DENIED", "REQUIRED", "TOO_LONG", "INVALID")
ARTICLE_FIELDS = {"title": graphene.String(required=True, description="标题（1至100字）。"),
                  "body": graphene.String(required=True, description="正文（1至20000字）。"),
                  "clinic": graphene.String(required=True, description="科室代码（见 unionWomensHealth.clinics）。")}
ARTICLE_ID = {"id": GlobalID("UnionHealthArticle", required=True, description="文章。")}

RequestUnionFastTrack = action_mutation(
    "RequestUnionFastTrack", "育龄期女职工绿色通道：向合作科室申请快速就诊（加密保存，只有分配的协调员能看到）。",
    permissions=SIGNED_IN,
    error_codes=("PERMISSION_DENIED", "UNION_NOT_MEMBER", "UNION_NO_COUNSELLOR", "REQUIRED", "TOO_LONG", "INVALID"),
    input={"clinic": graphene.String(required=True, description="科室代码（见 unionWomensHealth.clinics）。"),
           "preferred_date": graphene.Date(required=True, description="期望就诊日期（今天至60天内）。"),
           "text": graphene.String(required=True, description="情况说明。"),
           "contact": graphene.String(description="联系方式（可不填）。")},
    run=lambda u, i: _request(u, womens_health.request_fast_track(u, i["clinic"], i["preferred_date"], i["text"],
                                                                  i.get("contact") or "")), returns=REQUEST)
CreateUnionHealthArticle = action_mutation(
    "CreateUnionHealthArticle", "发布育龄期女职工健康文章（工会管理员）；published 为否时存为草稿。", permissions=MANAGE,
    error_codes=ARTICLE_ERRORS,
    input={**ARTICLE_FIELDS, "published": graphene.Boolean(description="发布（默认是）。")},
    run=lambda u, i: {"article": article(u, womens_health.create_article(
        u, title=i["title"], body=i["body"], clinic=i["clinic"], published=i.get("published") is not False))},
    returns=ARTICLE)
UpdateUnionHealthArticle = action_mutation(
    "UpdateUnionHealthArticle", "修改女职工健康文章的标题、正文与科室（工会管理员；发布状态不变）。", permissions=MANAGE,
    error_codes=(*ARTICLE_ERRORS, "NOT_FOUND"), input={**ARTICLE_ID, **ARTICLE_FIELDS},
    run=lambda u, i: {"article": article(u, womens_health.update_article(
        u, i["id"], title=i["title"], body=i["body"], clinic=i["clinic"]))},
    returns=ARTICLE)
SetUnionHealthArticlePublished = action_mutation(
    "SetUnionHealthArticlePublished", "发布女职工健康文章，或撤回为草稿（会员随即看到或不再看到；工会管理员）。",
    permissions=MANAGE, error_codes=("PERMISSION_DENIED", "NOT_FOUND"),
    input={**ARTICLE_ID, "published": graphene.Boolean(required=True, description="是：发布；否：撤回为草稿。")},
    run=lambda u, i: {"article": article(u, womens_health.set_published(u, i["id"], i["published"]))},
    returns=ARTICLE)
DeleteUnionHealthArticle = action_mutation(
    "DeleteUnionHealthArticle", "删除女职工健康文章（工会管理员）。", permissions=MANAGE,
    error_codes=("PERMISSION_DENIED", "NOT_FOUND"), input=ARTICLE_ID,
    run=lambda u, i: {"deleted_id": gid("UnionHealthArticle", womens_health.delete_article(u, i["id"]))},
    returns={"deleted_id": graphene.ID(description="已删除的文章。")})


class WomensHealthMutation(graphene.ObjectType):
    request_union_fast_track = RequestUnionFastTrack.Field()
    create_union_health_article = CreateUnionHealthArticle.Field()
    update_union_health_article = UpdateUnionHealthArticle.Field()
    set_union_health_article_published = SetUnionHealthArticlePublished.Field()
    delete_union_health_article = DeleteUnionHealthArticle.Field()
