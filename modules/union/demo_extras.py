"""Demo data of 职工书屋, 工会图集 and 惠在协和 (called by demo.seed_tenant): a shelf of links to
the national union e-library with some clicks, an album of the running activity and a free one
with coloured placeholder pictures, two current offers and an expired one (hidden)."""

from __future__ import annotations

import base64
import datetime as dt
import struct
import zlib

from django.utils import timezone

BOOKS = [("平凡的世界", "路遥", "文学"), ("人类简史", "尤瓦尔·赫拉利", "人文"), ("中华人民共和国工会法释义", "", "工会知识"),
         ("医患沟通技巧", "", "职业素养"), ("睡眠革命", "尼克·利特尔黑尔斯", "健康")]
SHELF = "https://zgsw.acftu.org/"  # 全国总工会职工书屋


def png(rgb: tuple[int, int, int], width: int = 320, height: int = 240) -> str:
    """A solid-colour PNG as Base64 (no imaging library needed for placeholders)."""
    row = b"\x00" + bytes(rgb) * width
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    body = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))
    return base64.b64encode(body).decode()


def seed(rng, root, chair_user, members, activity) -> None:
    from django.core.files.base import ContentFile

    from modules.union.extras_models import Album, AlbumPhoto, Book, BookClick, Offer

    by = getattr(chair_user, "pk", 0) or 0
    books = [Book.objects.create(node=root, title=t, author=a, category=c, url=f"{SHELF}#book-{i}", created_by=by)
             for i, (t, a, c) in enumerate(BOOKS)]
    clicks = [BookClick(book=rng.choice(books), member=m) for m in members[:300] if rng.random() < 0.4]
    BookClick.objects.bulk_create(clicks)
    for b in books:
        Book.objects.filter(pk=b.pk).update(clicks=sum(c.book_id == b.pk for c in clicks))
    walk = Album.objects.create(node=activity.node, activity=activity, title=activity.title, created_by=by)
    gala = Album.objects.create(node=root, title="护士节文艺汇演", description="5·12 国际护士节", created_by=by)
    for album, colours in ((walk, [(72, 160, 90), (40, 120, 200)]), (gala, [(220, 90, 120), (250, 180, 60), (120, 90, 200)])):
        for i, colour in enumerate(colours, 1):
            photo = AlbumPhoto(album=album, caption=f"{album.title} {i}", uploaded_by=by)
            photo.image.save(f"demo{album.pk}-{i}.png", ContentFile(base64.b64decode(png(colour))), save=True)
    today = timezone.localdate()
    for title, merchant, discount, days in (("职工体检加项套餐", "协和体检中心", "会员八折", 60),
                                            ("咖啡买一送一", "院内咖啡厅", "凭工会会员码买一送一", 14),
                                            ("去年的电影票优惠", "影城", "五折", -30)):  # the last one has expired: hidden
        Offer.objects.create(node=root, title=title, merchant=merchant, discount=discount, created_by=by,
                             valid_from=today - dt.timedelta(days=90 if days < 0 else 0), valid_until=today + dt.timedelta(days=days))
