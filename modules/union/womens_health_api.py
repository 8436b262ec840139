"""GraphQL of 育龄期女职工健康 (womens_health.py): the restricted articles and the green-channel
request. The caller learns only whether they are eligible — never the ID number or the age."""

from __future__ import annotations

import graphene

from jianlian.api.base import PermissionField
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from modules.union import womens_health
from modules.union.health_models import Clinic
from modules.union.mutations import REQUEST, _request, _simple
from modules.union.types import as_errors, gid


class UnionClinicType(graphene.ObjectType):
    """A partner clinic of the green channel."""

    value = graphene.String(required=True, description="代码。")
    label = graphene.String(required=True, description="科室名称。")


class UnionHealthArticleType(graphene.ObjectType):
    """An article for women of childbearing age."""

    id = graphene.ID(required=True, description="Relay ID（UnionHealthArticle）。")
    title = graphene.String(required=True, description="标题。")
    body = graphene.String(required=True, description="正文。")
    clinic = graphene.String(required=True, description="科室代码。")
    published = graphene.Boolean(required=True, description="已发布（管理员可见未发布的）。")


class UnionWomensHealthType(graphene.ObjectType):
    """育龄期女职工健康 for the caller."""

    eligible = graphene.Boolean(required=True, description="我可使用（18至49岁在会女职工）。")
    clinics = graphene.List(graphene.NonNull(UnionClinicType), required=True, description="绿色通道的合作科室。")
    articles = graphene.List(graphene.NonNull(UnionHealthArticleType), required=True,
                             description="健康知识（仅符合条件的会员与工会管理员可见，其他人为空）。")


def article(a) -> UnionHealthArticleType:
    return UnionHealthArticleType(id=gid("UnionHealthArticle", a.pk), title=a.title, body=a.body, clinic=a.clinic,
                                  published=a.published)


def overview(user) -> UnionWomensHealthType:
    return UnionWomensHealthType(eligible=womens_health.eligible(user),
                                 clinics=[UnionClinicType(value=v, label=str(lbl)) for v, lbl in Clinic.choices],
                                 articles=[article(a) for a in womens_health.articles(user)])


class WomensHealthQuery(graphene.ObjectType):
    union_womens_health = PermissionField(UnionWomensHealthType, required=True, permissions=SIGNED_IN,
                                          description="育龄期女职工健康：是否可用、合作科室、健康知识。")

    resolve_union_womens_health = as_errors(lambda u, i: overview(u))


RequestUnionFastTrack = _simple(
    "RequestUnionFastTrack", "育龄期女职工绿色通道：向合作科室申请快速就诊（加密保存，只有分配的协调员能看到）。", SIGNED_IN,
    ("PERMISSION_DENIED", "UNION_NOT_MEMBER", "UNION_NO_COUNSELLOR", "REQUIRED", "TOO_LONG", "INVALID"),
    {"clinic": graphene.String(required=True, description="科室代码（见 unionWomensHealth.clinics）。"),
     "preferred_date": graphene.Date(required=True, description="期望就诊日期（今天至60天内）。"),
     "text": graphene.String(required=True, description="情况说明。"),
     "contact": graphene.String(description="联系方式（可不填）。")},
    lambda u, i: _request(u, womens_health.request_fast_track(u, i["clinic"], i["preferred_date"], i["text"],
                                                              i.get("contact") or "")), REQUEST)
CreateUnionHealthArticle = _simple(
    "CreateUnionHealthArticle", "发布育龄期女职工健康文章（工会管理员）。", Perm("union.manage", at=CURRENT_TENANT),
    ("PERMISSION_DENIED", "REQUIRED", "TOO_LONG", "INVALID"),
    {"title": graphene.String(required=True, description="标题。"), "body": graphene.String(required=True, description="正文。"),
     "clinic": graphene.String(required=True, description="科室代码。"),
     "published": graphene.Boolean(description="发布（默认是）。")},
    lambda u, i: {"article": article(womens_health.create_article(
        u, title=i["title"], body=i["body"], clinic=i["clinic"], published=i.get("published") is not False))},
    {"article": graphene.Field(UnionHealthArticleType, description="文章。")})


class WomensHealthMutation(graphene.ObjectType):
    request_union_fast_track = RequestUnionFastTrack.Field()
    create_union_health_article = CreateUnionHealthArticle.Field()
