"""福利慰问: an officer opens a campaign with options (each from a supplier); every member of the
campaign's node chooses one and may change it until the campaign closes; the union tallies the
choices per option and exports one sheet per supplier (openpyxl) for ordering and delivery."""

from __future__ import annotations

import io

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError
from modules.union import access
from modules.union.welfare_models import WelfareCampaign, WelfareChoice, WelfareOption


def create_campaign(actor, node_id: int, *, title: str, closes_at, options: list[dict], description: str = "") -> WelfareCampaign:
    """A campaign of a node the officer manages, with at least two options {name, supplier, description}."""
    node = access.access_node(actor, node_id) if actor is not None else None
    title = (title or "").strip()
    if not title:
        raise DomainError("REQUIRED", _("请填写标题。"), "title")
    if len(title) > 100:
        raise DomainError("TOO_LONG", _("标题不能超过100个字。"), "title")
    if closes_at <= timezone.now():
        raise DomainError("INVALID", _("截止时间须在将来。"), "closesAt")
    clean = []
    for o in options or []:
        name, supplier = str(o.get("name") or "").strip(), str(o.get("supplier") or "").strip()
        if not name or not supplier:
            raise DomainError("REQUIRED", _("每个选项都要填写名称和供应商。"), "options")
        clean.append((name[:100], supplier[:100], str(o.get("description") or "")[:300]))
    if len(clean) < 2:
        raise DomainError("INVALID", _("请至少提供两个选项。"), "options")
    with transaction.atomic():
        campaign = WelfareCampaign.objects.create(node_id=node.pk if node else node_id, title=title, closes_at=closes_at,
                                                  description=(description or "")[:2000],
                                                  created_by=getattr(actor, "pk", 0) or 0)
        WelfareOption.objects.bulk_create([WelfareOption(campaign=campaign, name=n, supplier=s, description=d, sort=i)
                                           for i, (n, s, d) in enumerate(clean)])
        audit.record("union.create_welfare", actor=actor, target=campaign, after={"title": title, "options": len(clean)})
    return campaign


def access_campaign(user, campaign_id: int, *, manage: bool = False) -> WelfareCampaign:
    campaign = WelfareCampaign.objects.select_related("node").filter(pk=campaign_id).first()
    if campaign is not None:
        if access.manages_path(user, campaign.node.path):
            return campaign
        if not manage and access.member_of(user).path.startswith(campaign.node.path):
            return campaign
    raise NotFoundError(_("福利活动不存在或您无权查看。"), field="campaign")


def choose(user, campaign_id: int, option_id: int, *, now=None) -> WelfareChoice:
    """The caller's choice (one per member; choosing again replaces it until the campaign closes)."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = access_campaign(user, campaign_id)
        member = access.member_of(user)
        if now >= campaign.closes_at:
            raise DomainError("UNION_CAMPAIGN_CLOSED", _("福利选择已截止。"), "campaign")
        option = WelfareOption.objects.filter(pk=option_id, campaign=campaign).first()
        if option is None:
            raise DomainError("NOT_FOUND", _("选项不存在。"), "option")
        choice, _created = WelfareChoice.objects.update_or_create(campaign=campaign, member=member,
                                                                  defaults={"option": option})
        audit.record("union.choose_welfare", actor=user, target=choice, after={"option": option.pk})
    return choice


def my_choice(user, campaign: WelfareCampaign) -> WelfareChoice | None:
    return WelfareChoice.objects.filter(campaign=campaign, member__user_id=user.pk).select_related("option").first()


def tally(actor, campaign_id: int) -> list[dict]:
    """Choices per option (officers of the campaign's node): [{option, supplier, count}]."""
    campaign = access_campaign(actor, campaign_id, manage=True)
    return [{"option_id": o.pk, "option": o.name, "supplier": o.supplier, "count": o.n}
            for o in campaign.options.annotate(n=Count("choices")).order_by("sort", "pk")]


def export_xlsx(actor, campaign_id: int) -> bytes:
    """One sheet per supplier: each option's count, then who chose it (name, group) for delivery."""
    from openpyxl import Workbook

    campaign = access_campaign(actor, campaign_id, manage=True)
    wb = Workbook()
    wb.remove(wb.active)
    summary = wb.create_sheet(_("汇总"))
    summary.append([_("选项"), _("供应商"), _("数量")])
    rows = tally(actor, campaign_id)
    for r in rows:
        summary.append([r["option"], r["supplier"], r["count"]])
    by_supplier: dict[str, list] = {}
    for c in (WelfareChoice.objects.filter(campaign=campaign).select_related("option", "member__node")
              .order_by("option__sort", "member__path", "member__name")):
        by_supplier.setdefault(c.option.supplier, []).append(c)
    for supplier, choices in sorted(by_supplier.items()):
        ws = wb.create_sheet(supplier[:31].replace("/", "／"))
        ws.append([_("选项"), _("会员"), _("所属组织")])
        for c in choices:
            ws.append([c.option.name, c.member.name, c.member.node.name])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
