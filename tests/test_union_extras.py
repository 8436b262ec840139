"""Issue 19 (third part): 职工书屋 with click statistics, 工会图集 albums with photos and reading
points once per album, 惠在协和 offers (expired ones hidden), pictures opened only by links signed
for their viewer for an hour, and the union's webhook events for external apps — officers of one
sub-union never manage another's."""

from __future__ import annotations

import base64
import datetime as dt
import time

import pytest
from django.core import signing
from django.utils import timezone

from jianlian.bus.models import OutboxMessage
from jianlian.core.errors import DomainError
from jianlian.identity.signed_links import IMAGE_MAX_AGE, create_link
from jianlian.marketplace import external
from modules.union import activities, clubs, events, gallery, library, membership, offers, points, surveys
from modules.union.models import PointEntry
from tenants.context import current_tenant
from tests.union_world import call, entered, module_world

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64).decode()


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    yield from module_world(django_db_blocker)


@pytest.fixture
def w(db, _world):
    yield from entered(_world)


def _code(fn, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as e:
        fn(*args, **kwargs)
    return e.value.code


def test_the_library_counts_clicks_and_readers_for_the_officers_of_its_node_only(w, client):
    chair = w.user("王主席")
    assert _code(library.add_book, chair, w.nodes["外科"].pk, title="书", url="https://book.example.cn/1") == "PERMISSION_DENIED"
    assert _code(library.add_book, chair, w.nodes["内科"].pk, title="书", url="javascript:alert(1)") == "INVALID"
    b = library.add_book(chair, w.nodes["内科"].pk, title="平凡的世界", author="路遥", category="文学",
                         url="https://zgsw.example.cn/book/1")
    for name in ("赵敏", "赵敏", "钱进"):
        assert library.open_book(w.user(name), b.pk).url == "https://zgsw.example.cn/book/1"
    assert _code(library.open_book, w.user("李想"), b.pk) == "NOT_FOUND"  # 外科 does not see 内科's shelf
    # reading points once per member and book
    assert PointEntry.objects.filter(member=w.members["赵敏"], key__startswith="reading:").count() == 1

    books = call(client, w, "王主席", "{ unionBooks { title clicks readers canManage } }")["data"]["unionBooks"]
    assert books == [{"title": "平凡的世界", "clicks": 3, "readers": 2, "canManage": True}]
    books = call(client, w, "赵敏", "{ unionBooks { title clicks readers } }")["data"]["unionBooks"]
    assert books == [{"title": "平凡的世界", "clicks": None, "readers": None}]
    assert call(client, w, "李想", "{ unionBooks { title } }")["data"]["unionBooks"] == []


def test_albums_belong_to_their_node_photos_are_served_and_viewing_earns_reading_points_once(w, client):
    chair = w.user("王主席")
    assert _code(gallery.create_album, chair, node_id=w.nodes["外科"].pk, title="外科图集") == "PERMISSION_DENIED"
    start = timezone.now() + dt.timedelta(days=1)
    act = activities.create_activity(chair, w.nodes["内科"].pk, title="趣味运动会", start_at=start,
                                     end_at=start + dt.timedelta(hours=2), quota=10)
    album = gallery.create_album(chair, activity_id=act.pk)
    assert gallery.create_album(chair, activity_id=act.pk).pk == album.pk  # one album per activity
    assert album.title == "趣味运动会"
    gallery.add_photo(chair, album.pk, PNG, "接力赛")
    assert _code(gallery.add_photo, chair, album.pk, base64.b64encode(b"GIF89a....").decode()) == "INVALID"
    assert _code(gallery.add_photo, w.user("赵敏"), album.pk, PNG) == "NOT_FOUND"  # a member cannot upload

    q = "query($id: ID!) { unionAlbumPhotos(id: $id) { url caption } }"
    gid = call(client, w, "赵敏", "{ unionAlbums { id title photoCount cover canManage } }")["data"]["unionAlbums"][0]
    assert gid["title"] == "趣味运动会" and gid["photoCount"] == 1 and gid["canManage"] is False
    for _ in range(2):
        photos = call(client, w, "赵敏", q, {"id": gid["id"]})["data"]["unionAlbumPhotos"]
    assert [p["caption"] for p in photos] == ["接力赛"]
    assert PointEntry.objects.filter(member=w.members["赵敏"], key=f"reading:{w.members['赵敏'].pk}:album:{album.pk}").count() == 1
    assert call(client, w, "李想", q, {"id": gid["id"]})["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    image = client.get(photos[0]["url"])
    assert image.status_code == 200 and b"".join(image.streaming_content).startswith(b"\x89PNG")
    assert client.get(f"{photos[0]['url'][:-3]}xyz").status_code == 401  # a forged link


def test_members_see_current_offers_only_and_officers_manage_their_part(w, client):
    chair, today = w.user("王主席"), timezone.localdate()
    assert _code(offers.post_offer, chair, w.nodes["外科"].pk, title="优惠", merchant="店", discount="九折",
                 valid_from=today, valid_until=today) == "PERMISSION_DENIED"
    assert _code(offers.post_offer, chair, w.nodes["内科"].pk, title="优惠", merchant="店", discount="九折",
                 valid_from=today, valid_until=today - dt.timedelta(days=1)) == "INVALID"
    offers.post_offer(chair, w.nodes["内科"].pk, title="体检套餐", merchant="协和体检中心", discount="会员八折",
                      valid_from=today, valid_until=today + dt.timedelta(days=30), image_base64=PNG)
    soon = offers.post_offer(chair, w.nodes["内科"].pk, title="春游门票", merchant="瑶琳仙境", discount="半价",
                             valid_from=today + dt.timedelta(days=5), valid_until=today + dt.timedelta(days=9))
    body = call(client, w, "赵敏", "{ unionOffers { title merchant discount image } }")["data"]["unionOffers"]
    assert [o["title"] for o in body] == ["体检套餐"] and body[0]["image"].startswith("/t/tonglu/apps/union/images/offer/")
    # on the 10th day the running offer still shows, the spring one has ended: hidden
    later = [o.title for o in offers.current(w.user("赵敏"), today=today + dt.timedelta(days=10))]
    assert later == ["体检套餐"]
    managed = call(client, w, "王主席", "{ unionOffers(manage: true) { title canManage } }")["data"]["unionOffers"]
    assert [o["title"] for o in managed] == ["体检套餐", "春游门票"]
    assert call(client, w, "李想", "{ unionOffers { title } }")["data"]["unionOffers"] == []
    assert _code(offers.withdraw_offer, w.user("李想"), soon.pk) == "NOT_FOUND"


def _signed_at(monkeypatch, when: int, make):
    """What `make` answers when its links are signed at the time `when` (the signer's clock only)."""
    with monkeypatch.context() as m:
        m.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(when))
        return make()


def _link_for(user, url: str) -> str:
    """A link to the picture of `url` (someone's link) made for `user` instead."""
    return create_link(user, current_tenant(), url.split("?")[0].removeprefix("/t/tonglu"), max_age=IMAGE_MAX_AGE)


def _png(response) -> bool:
    return response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_pictures_open_only_with_a_link_signed_for_their_viewer_for_an_hour(w, client, monkeypatch):
    from jianlian.access.models import Membership

    chair, today = w.user("王主席"), timezone.localdate()
    album = gallery.create_album(chair, node_id=w.nodes["内科"].pk, title="春季健步走")
    photo = gallery.add_photo(chair, album.pk, PNG, "出发")
    offers.post_offer(chair, w.nodes["内科"].pk, title="体检套餐", merchant="协和体检中心", discount="会员八折",
                      valid_from=today, valid_until=today + dt.timedelta(days=30), image_base64=PNG)
    albums = "{ unionAlbums { cover } unionOffers { image } }"

    def links(who="赵敏"):
        body = call(client, w, who, albums)["data"]
        return body["unionAlbums"][0]["cover"], body["unionOffers"][0]["image"]

    # the member's links open the pictures, with no token and no cookie, cached privately for the hour
    cover, offer = links()
    assert cover.startswith(f"/t/tonglu/apps/union/images/album/{photo.pk}?link=")
    for url in (cover, offer):
        response = client.get(url)
        assert _png(response) and response["Cache-Control"] == "private, max-age=3600", url
    # asked again within ten minutes, the same links (the browser's cache serves them); made 40
    # minutes ago they still work, made an hour and a minute ago they have expired
    now = int(time.time())
    step = now - now % 600
    assert _signed_at(monkeypatch, step + 1, links) == _signed_at(monkeypatch, step + 599, links)
    assert _png(client.get(_signed_at(monkeypatch, now - 40 * 60, links)[0]))
    for url in _signed_at(monkeypatch, now - 61 * 60, links):
        assert client.get(url).json()["errors"][0]["extensions"]["code"] == "LINK_EXPIRED"

    # nobody opens the bare path; her link opens neither another picture nor in another tenant
    bare, token = cover.split("?link=")
    assert client.get(bare).status_code == 401
    assert client.get(f"/t/tonglu/apps/union/images/offer/{photo.pk}?link={token}").status_code == 401
    assert client.get(cover.replace("/t/tonglu/", "/t/xiangshan/")).status_code in (401, 403, 404)
    # 外科's 李想 does not see 内科's album nor its activity's photos: links made for her open nothing
    assert client.get(_link_for(w.user("李想"), cover)).status_code == 404
    start = timezone.now() + dt.timedelta(days=1)
    act = activities.create_activity(chair, w.nodes["内科"].pk, title="趣味运动会", start_at=start,
                                     end_at=start + dt.timedelta(hours=2), quota=10)
    activities.add_photo(chair, act.pk, base64.b64decode(PNG), "a.png", "合影")
    [shot] = gallery.photos(gallery.create_album(chair, activity_id=act.pk), w.user("赵敏"))
    assert "/images/activity/" in shot["url"] and _png(client.get(shot["url"]))
    assert client.get(_link_for(w.user("李想"), shot["url"])).status_code == 404
    # the old capability path (a signature of the row, forever, for anyone) is gone
    old = signing.Signer(salt="modules.union.images").sign(f"album.{photo.pk}")
    assert client.get(f"/t/tonglu/apps/union/images/{old}").status_code == 404

    # she leaves the union: its pictures are no longer hers; 钱进 leaves the hospital: his links die
    membership.leave_self(w.user("赵敏"))
    assert [client.get(url).status_code for url in (cover, offer)] == [404, 404]
    his = links("钱进")
    Membership.objects.filter(user=w.user("钱进"), tenant=w.p.tenant_a).update(is_active=False)
    assert [client.get(url).json()["errors"][0]["extensions"]["code"] for url in his] == ["TENANT_ACCESS_DENIED"] * 2


def _hooks(w, *events_):
    external.register_external_app(None, w.p.root, {
        "key": "hrp", "name": "HRP", "version": "1.0.0", "category": "management", "launchUrl": "https://hrp.example.cn/",
        "webhooks": [{"event": e, "url": "https://hrp.example.cn/hooks"} for e in events_]})
    external.install_external(w.user("admin"), w.p.tenant_a, "hrp", [])


def _sent(event):
    return [m.payload["data"] for m in OutboxMessage.objects.filter(type=external.WEBHOOK_MESSAGE).order_by("pk")
            if m.payload["event"] == event]


def test_union_events_reach_the_external_apps_that_subscribed(w):
    _hooks(w, events.MEMBER_JOINED, events.MEMBER_LEFT, events.LOTTERY_DRAWN, events.SURVEY_CLOSED)
    chair = w.user("王主席")
    membership.leave_self(w.user("孙立"))
    membership.join(w.user("孙立"))
    assert [d["name"] for d in _sent(events.MEMBER_LEFT)] == ["孙立"]
    joined = _sent(events.MEMBER_JOINED)
    assert [(d["name"], d["node_name"]) for d in joined] == [("孙立", "内科分工会")]

    show = clubs.create_screening(chair, w.nodes["内科"].pk, title="长津湖", show_at=timezone.now() + dt.timedelta(days=2),
                                  tickets=1)
    clubs.enter(w.user("赵敏"), show.pk)
    clubs.draw(chair, show.pk, seed="abc")
    drawn = _sent(events.LOTTERY_DRAWN)
    assert drawn[0]["seed"] == "abc" and drawn[0]["entries"] == 1 and drawn[0]["winners"] == [w.user("赵敏").pk]

    s = surveys.create_survey(chair, w.nodes["内科"].pk, title="满意度", closes_at=timezone.now() + dt.timedelta(hours=1),
                              form_schema={"type": "object", "properties": {"a": {"title": "建议", "type": "string"}}})
    assert events.announce_closed_surveys() == 0  # still open
    later = timezone.now() + dt.timedelta(hours=2)
    assert events.announce_closed_surveys(later) == 1
    assert events.announce_closed_surveys(later) == 0  # once per survey
    assert [d["title"] for d in _sent(events.SURVEY_CLOSED)] == ["满意度"] and s.pk


def test_no_subscriber_no_event(w):
    points.check_in(w.user("赵敏"))  # nothing of the union's is queued for apps that did not subscribe
    membership.leave_self(w.user("吴桐"))
    assert not OutboxMessage.objects.filter(type=external.WEBHOOK_MESSAGE).exists()


def test_the_api_answers_bad_input_with_codes_and_opens_a_book_for_a_member(w, client):
    from graphql_relay import to_global_id

    node = to_global_id("UnionNode", w.nodes["内科"].pk)
    post = """mutation($input: PostUnionOfferInput!) { postUnionOffer(input: $input) { offer { title }
              errors { field code message } } }"""
    today = timezone.localdate().isoformat()
    bad = {"node": node, "title": "优惠", "merchant": "店", "discount": "九折", "validFrom": today, "validUntil": today,
           "imageBase64": "not base64!"}
    errors = call(client, w, "王主席", post, {"input": bad})["data"]["postUnionOffer"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("image", "INVALID")] and "Base64" in errors[0]["message"]
    other = {**bad, "node": to_global_id("UnionNode", w.nodes["外科"].pk), "imageBase64": PNG}
    assert call(client, w, "王主席", post, {"input": other})["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"

    add = """mutation($input: AddUnionBookInput!) { addUnionBook(input: $input) { book { id } errors { code } } }"""
    book = call(client, w, "王主席", add, {"input": {"node": node, "title": "围城", "url": "https://zgsw.example.cn/2"}})
    book_id = book["data"]["addUnionBook"]["book"]["id"]
    opened = call(client, w, "赵敏", "mutation($b: ID!) { openUnionBook(input: {book: $b}) { book { url clicks } errors { code } } }",
                  {"b": book_id})["data"]["openUnionBook"]
    assert opened == {"book": {"url": "https://zgsw.example.cn/2", "clicks": None}, "errors": []}
