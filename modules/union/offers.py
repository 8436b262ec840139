"""惠在协和: offers of merchants to members. An officer posts an offer for their node (title,
merchant, what the discount is, the days it is valid, an optional picture); members of the node's
subtree see the current ones — an offer not yet started or past its last day is hidden."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError
from modules.union import access, images
from modules.union.extras_models import Offer
from modules.union.library import _text


def post_offer(actor, node_id: int, *, title: str, merchant: str, discount: str, valid_from: dt.date,
               valid_until: dt.date, image_base64: str | None = None) -> Offer:
    node = access.access_node(actor, node_id)
    if valid_until < valid_from:
        raise DomainError("INVALID", _("截止日期不能早于开始日期。"), "validUntil")
    if valid_until < timezone.localdate():
        raise DomainError("INVALID", _("截止日期已过。"), "validUntil")
    picture = images.decode(image_base64) if image_base64 else None
    with transaction.atomic():
        offer = Offer(node=node, title=_text(title, "title", 100), merchant=_text(merchant, "merchant", 100),
                      discount=_text(discount, "discount", 300), valid_from=valid_from, valid_until=valid_until,
                      created_by=actor.pk)
        if picture:
            offer.image.save(f"offer{picture[1]}", ContentFile(picture[0]), save=False)
        offer.save()
        audit.record("union.post_offer", actor=actor, target=offer, after={"title": offer.title, "merchant": offer.merchant})
    return offer


def withdraw_offer(actor, offer_id: int) -> None:
    offer = Offer.objects.select_related("node").filter(pk=offer_id).first()
    if offer is None or not access.manages_path(actor, offer.node.path):
        raise NotFoundError(_("优惠不存在或不在您管理的工会组织内。"), field="offer")
    audit.record("union.withdraw_offer", actor=actor, target=offer, before={"title": offer.title})
    offer.delete()


def current(user, *, today=None):
    """Offers valid today that the member (or officer) sees, ending soonest first."""
    today = today or timezone.localdate()
    return (Offer.objects.filter(access.scope_q(user), valid_from__lte=today, valid_until__gte=today)
            .select_related("node").order_by("valid_until", "-pk"))


def access_offer(user, offer_id: int) -> Offer:
    """An offer `user` is shown: a current one of their part, or one under a node they manage."""
    offer = Offer.objects.select_related("node").filter(pk=offer_id).first()
    if offer is not None and (access.manages_path(user, offer.node.path)
                              or current(user).filter(pk=offer.pk).exists()):
        return offer
    raise NotFoundError(_("优惠不存在或不在您管理的工会组织内。"), field="offer")


def managed(user, *, today=None):
    """Offers not yet expired under the nodes the officer manages (current and upcoming)."""
    from django.db.models import Q

    today = today or timezone.localdate()
    q = Q(pk__in=[])
    for p in access.officer_paths(user):
        q |= Q(node__path__startswith=p)
    return Offer.objects.filter(q, valid_until__gte=today).select_related("node").order_by("valid_from", "pk")
