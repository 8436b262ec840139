"""GraphQL of 职工书屋, 工会图集 and 惠在协和 (issue 19, third part): types, root fields (mixed
into schema.Query) and mutations (mixed into schema.Mutation). Images are links signed for the
viewer, valid for an hour, with the /t/<tenant> prefix (images.py)."""

from __future__ import annotations

import graphene

from jianlian.api.base import GlobalID, PermissionField, decode_id
from jianlian.api.permissions import SIGNED_IN
from modules.union import access, gallery, images, library, offers
from modules.union.mutations import _simple
from modules.union.types import as_errors, gid


class UnionBookType(graphene.ObjectType):
    """A link of 职工书屋 (the national union e-library)."""

    id = graphene.ID(required=True, description="Relay ID（UnionBook）。")
    title = graphene.String(required=True, description="书名。")
    author = graphene.String(required=True, description="作者。")
    category = graphene.String(required=True, description="分类。")
    url = graphene.String(required=True, description="电子书屋的地址（经 openUnionBook 打开以计点击）。")
    node_name = graphene.String(required=True, description="所属组织。")
    clicks = graphene.Int(description="点击次数（该组织的干部可见）。")
    readers = graphene.Int(description="打开过的会员数（该组织的干部可见）。")
    can_manage = graphene.Boolean(required=True, description="我可管理。")


class UnionPhotoType(graphene.ObjectType):
    """One photo of an album."""

    url = graphene.String(description="图片链接（含 /t/<租户>/ 前缀），签给查看者本人，一小时内有效；外部应用为空。")
    caption = graphene.String(required=True, description="说明。")


class UnionAlbumType(graphene.ObjectType):
    """An album of 工会图集 (a free album or an activity's)."""

    id = graphene.ID(required=True, description="Relay ID（UnionAlbum）。")
    title = graphene.String(required=True, description="标题。")
    description = graphene.String(required=True, description="说明。")
    node_name = graphene.String(required=True, description="所属组织。")
    activity_title = graphene.String(description="对应活动。")
    photo_count = graphene.Int(required=True, description="照片数。")
    cover = graphene.String(description="封面图片链接（签给查看者本人，一小时内有效）。")
    created_at = graphene.DateTime(required=True, description="创建时间。")
    can_manage = graphene.Boolean(required=True, description="我可上传照片。")


class UnionOfferType(graphene.ObjectType):
    """A merchant's offer to members (惠在协和)."""

    id = graphene.ID(required=True, description="Relay ID（UnionOffer）。")
    title = graphene.String(required=True, description="标题。")
    merchant = graphene.String(required=True, description="商家。")
    discount = graphene.String(required=True, description="优惠内容。")
    valid_from = graphene.Date(required=True, description="开始日期。")
    valid_until = graphene.Date(required=True, description="截止日期（含当天）。")
    image = graphene.String(description="图片链接（签给查看者本人，一小时内有效）。")
    node_name = graphene.String(required=True, description="发布组织。")
    can_manage = graphene.Boolean(required=True, description="我可撤下。")


def _manages(user):
    """`path -> bool` for the caller, with the officer's paths read once (lists of many rows)."""
    paths = access.officer_paths(user)
    return lambda path: any(path.startswith(p) for p in paths)


def book(user, b, readers=None, manages=None) -> UnionBookType:
    manage = (manages or _manages(user))(b.node.path)
    return UnionBookType(id=gid("UnionBook", b.pk), title=b.title, author=b.author, category=b.category, url=b.url,
                         node_name=b.node.name, clicks=b.clicks if manage else None,
                         readers=(readers or {}).get(b.pk, 0) if manage else None, can_manage=manage)


def _books(user):
    rows, manages = list(library.visible(user)[:200]), _manages(user)
    counts = library.readers(b.pk for b in rows if manages(b.node.path))
    return [book(user, b, counts, manages) for b in rows]


def album(user, a, manages=None) -> UnionAlbumType:
    count, first = gallery.cover(a, user)
    return UnionAlbumType(id=gid("UnionAlbum", a.pk), title=a.title, description=a.description, node_name=a.node.name,
                          activity_title=a.activity.title if a.activity_id else None, photo_count=count,
                          cover=first, created_at=a.created_at,
                          can_manage=(manages or _manages(user))(a.node.path))


def offer(user, o, manages=None) -> UnionOfferType:
    return UnionOfferType(id=gid("UnionOffer", o.pk), title=o.title, merchant=o.merchant, discount=o.discount,
                          valid_from=o.valid_from, valid_until=o.valid_until,
                          image=images.link(user, "offer", o.pk) if o.image else None, node_name=o.node.name,
                          can_manage=(manages or _manages(user))(o.node.path))


class ExtrasQuery(graphene.ObjectType):
    union_books = PermissionField(graphene.List(graphene.NonNull(UnionBookType)), required=True, permissions=SIGNED_IN,
                                  description="职工书屋：我所在组织及上级的、和我管理的图书链接；干部另见点击次数与人数。")
    union_albums = PermissionField(graphene.List(graphene.NonNull(UnionAlbumType)), required=True, permissions=SIGNED_IN,
                                   description="工会图集（我所在组织及上级的，和我管理的）。")
    union_album_photos = PermissionField(
        graphene.List(graphene.NonNull(UnionPhotoType)), required=True, permissions=SIGNED_IN,
        id=graphene.ID(required=True, description="图集。"),
        description="图集的照片（按上传先后）。会员第一次查看某图集得阅读积分。")
    union_offers = PermissionField(graphene.List(graphene.NonNull(UnionOfferType)), required=True, permissions=SIGNED_IN,
                                   manage=graphene.Boolean(description="干部：我管理的未过期优惠（含未开始的）。"),
                                   description="惠在协和：今天有效的商家优惠（过期和未开始的不显示）。")

    resolve_union_books = as_errors(lambda u, i: _books(u))
    resolve_union_album_photos = as_errors(lambda u, i, id: [
        UnionPhotoType(**p) for p in gallery.photos(gallery.view(u, decode_id(id, "UnionAlbum")), u)])
    @as_errors
    def resolve_union_albums(user, info):
        manages = _manages(user)
        return [album(user, a, manages) for a in gallery.visible(user)[:100]]

    @as_errors
    def resolve_union_offers(user, info, manage=False):
        manages = _manages(user)
        return [offer(user, o, manages) for o in (offers.managed(user) if manage else offers.current(user))[:100]]


BOOK = {"book": graphene.Field(UnionBookType, description="图书（最新状态）。")}
ALBUM = {"album": graphene.Field(UnionAlbumType, description="图集（最新状态）。")}
OFFER = {"offer": graphene.Field(UnionOfferType, description="优惠。")}
OK = {"ok": graphene.Boolean(description="已完成。")}

AddUnionBook = _simple(
    "AddUnionBook", "在职工书屋添加图书链接（组织的干部），链接指向全国工会职工书屋等电子书屋。", SIGNED_IN,
    ("REQUIRED", "TOO_LONG", "INVALID", "NOT_FOUND"),
    {"node": GlobalID("UnionNode", required=True, description="组织（其下会员可见）。"),
     "title": graphene.String(required=True, description="书名。"), "url": graphene.String(required=True, description="链接。"),
     "author": graphene.String(description="作者。"), "category": graphene.String(description="分类。")},
    lambda u, i: {"book": book(u, library.add_book(u, i["node"], title=i["title"], url=i["url"], author=i.get("author") or "",
                                                   category=i.get("category") or ""))}, BOOK)
RemoveUnionBook = _simple(
    "RemoveUnionBook", "从职工书屋移除图书（组织的干部）。", SIGNED_IN, ("NOT_FOUND",),
    {"book": GlobalID("UnionBook", required=True, description="图书。")},
    lambda u, i: {"ok": library.remove_book(u, i["book"]) is None}, OK)
OpenUnionBook = _simple(
    "OpenUnionBook", "打开职工书屋的图书（会员）：计一次点击，返回地址；第一次打开得阅读积分。", SIGNED_IN,
    ("UNION_NOT_MEMBER", "NOT_FOUND"),
    {"book": GlobalID("UnionBook", required=True, description="图书。")},
    lambda u, i: {"book": book(u, library.open_book(u, i["book"]))}, BOOK)
CreateUnionAlbum = _simple(
    "CreateUnionAlbum", "建立图集（组织的干部）：自由图集（指定组织）或活动的图集（指定活动，每个活动一个）。", SIGNED_IN,
    ("REQUIRED", "TOO_LONG", "NOT_FOUND"),
    {"node": GlobalID("UnionNode", description="组织（自由图集）。"),
     "activity": GlobalID("UnionActivity", description="活动（活动图集）。"),
     "title": graphene.String(description="标题（活动图集默认用活动名）。"), "description": graphene.String(description="说明。")},
    lambda u, i: {"album": album(u, gallery.create_album(u, node_id=i.get("node"), activity_id=i.get("activity"),
                                                         title=i.get("title") or "", description=i.get("description") or ""))},
    ALBUM)
AddUnionAlbumPhoto = _simple(
    "AddUnionAlbumPhoto", "上传照片到图集（组织的干部）：JPG、PNG 或 WebP，不超过10MB，Base64。", SIGNED_IN,
    ("REQUIRED", "TOO_LONG", "INVALID", "NOT_FOUND"),
    {"album": GlobalID("UnionAlbum", required=True, description="图集。"),
     "image_base64": graphene.String(required=True, description="图片内容（Base64，可带 data: 前缀）。"),
     "caption": graphene.String(description="说明。")},
    lambda u, i: {"album": album(u, gallery.add_photo(u, i["album"], i["image_base64"], i.get("caption") or "").album)}, ALBUM)
PostUnionOffer = _simple(
    "PostUnionOffer", "发布商家优惠（组织的干部）：标题、商家、优惠内容、有效期、可选图片。", SIGNED_IN,
    ("REQUIRED", "TOO_LONG", "INVALID", "NOT_FOUND"),
    {"node": GlobalID("UnionNode", required=True, description="组织（其下会员可见）。"),
     "title": graphene.String(required=True, description="标题。"), "merchant": graphene.String(required=True, description="商家。"),
     "discount": graphene.String(required=True, description="优惠内容。"),
     "valid_from": graphene.Date(required=True, description="开始日期。"),
     "valid_until": graphene.Date(required=True, description="截止日期（含当天）。"),
     "image_base64": graphene.String(description="图片（Base64，JPG、PNG 或 WebP）。")},
    lambda u, i: {"offer": offer(u, offers.post_offer(u, i["node"], title=i["title"], merchant=i["merchant"],
                                                      discount=i["discount"], valid_from=i["valid_from"],
                                                      valid_until=i["valid_until"], image_base64=i.get("image_base64")))},
    OFFER)
WithdrawUnionOffer = _simple(
    "WithdrawUnionOffer", "撤下商家优惠（组织的干部）。", SIGNED_IN, ("NOT_FOUND",),
    {"offer": GlobalID("UnionOffer", required=True, description="优惠。")},
    lambda u, i: {"ok": offers.withdraw_offer(u, i["offer"]) is None}, OK)


class ExtrasMutation(graphene.ObjectType):
    add_union_book = AddUnionBook.Field()
    remove_union_book = RemoveUnionBook.Field()
    open_union_book = OpenUnionBook.Field()
    create_union_album = CreateUnionAlbum.Field()
    add_union_album_photo = AddUnionAlbumPhoto.Field()
    post_union_offer = PostUnionOffer.Field()
    withdraw_union_offer = WithdrawUnionOffer.Field()
