"""职工书屋: a catalogue of links out to the national union e-library. Officers add books to
their node; members of the node's subtree browse them. Opening a book goes through the union
(`open_book`), which counts the click (and who, for readers per book) and answers the address —
the e-library itself is elsewhere. A member's first opening of a book earns reading points."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Count, F
from django.utils.translation import gettext as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError
from modules.union import access, points
from modules.union.extras_models import Book, BookClick


def _text(value, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError("REQUIRED", _("请填写此项。"), field)
    if len(value) > limit:
        raise DomainError("TOO_LONG", _("不能超过%(n)s个字。") % {"n": limit}, field)
    return value


def add_book(actor, node_id: int, *, title: str, url: str, author: str = "", category: str = "") -> Book:
    """An officer adds a link to their node's 职工书屋 (http or https only)."""
    node = access.access_node(actor, node_id)
    url = _text(url, "url", 500)
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise DomainError("INVALID", _("链接须以 http:// 或 https:// 开头。"), "url")
    book = Book.objects.create(node=node, title=_text(title, "title", 100), url=url, author=_text(author, "author", 60, False),
                               category=_text(category, "category", 30, False), created_by=actor.pk)
    audit.record("union.add_book", actor=actor, target=book, after={"title": book.title, "url": url})
    return book


def remove_book(actor, book_id: int) -> None:
    book = Book.objects.select_related("node").filter(pk=book_id).first()
    if book is None or not access.manages_path(actor, book.node.path):
        raise NotFoundError(_("图书不存在或不在您管理的工会组织内。"), field="book")
    audit.record("union.remove_book", actor=actor, target=book, before={"title": book.title})
    book.delete()


def visible(user):
    """The books a member (or an officer) sees, by category and title."""
    return Book.objects.filter(access.scope_q(user)).select_related("node").order_by("category", "title", "pk")


def open_book(user, book_id: int) -> Book:
    """A member opens a book: the click is counted and the book (with its address) returned."""
    member = access.member_of(user)
    book = visible(user).filter(pk=book_id).first()
    if book is None:
        raise NotFoundError(_("图书不存在。"), field="book")
    with transaction.atomic():
        Book.objects.filter(pk=book.pk).update(clicks=F("clicks") + 1)
        BookClick.objects.create(book=book, member=member)
        points.award_reading(user.pk, f"book:{book.pk}")
    book.refresh_from_db(fields=["clicks"])
    return book


def readers(book_ids) -> dict[int, int]:
    """Distinct members who opened each book."""
    rows = BookClick.objects.filter(book_id__in=list(book_ids)).values("book_id").annotate(n=Count("member_id", distinct=True))
    return {r["book_id"]: r["n"] for r in rows}
