"""PDF certificates for passed attempts (reportlab; the built-in CID font STSong-Light renders
Chinese without font files), served at /apps/learning/certificates/<attempt id> to the taker and
learning managers only, signed in or through a signed link the workbench asks for."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianlian.core.errors import DomainError, NotFoundError
from modules.learning import access
from modules.learning.models import Attempt, AttemptStatus

FONT = "STSong-Light"


def path(attempt_id: int) -> str:
    return f"/apps/learning/certificates/{attempt_id}"


def certified_attempt(user, attempt_id: int) -> Attempt:
    """The passed attempt, if `user` took it or manages learning; NOT_FOUND alike otherwise."""
    attempt = Attempt.objects.select_related("exam").filter(pk=attempt_id).first()
    if attempt is None or not (attempt.user_id == user.pk or access.is_manager(user)):
        raise NotFoundError(_("证书不存在或您无权查看。"), field="attempt")
    if attempt.status != AttemptStatus.MARKED or not attempt.passed:
        raise DomainError("NO_CERTIFICATE", _("只有考试合格的答卷才有证书。"), "attempt")
    return attempt


def render(attempt: Attempt, issuer: str) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    out = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(out, pagesize=(width, height))
    c.setTitle(f"合格证书 {attempt.exam.title}")
    c.setLineWidth(3)
    c.rect(30, 30, width - 60, height - 60)
    c.setFont(FONT, 36)
    c.drawCentredString(width / 2, height - 130, "合格证书")
    c.setFont(FONT, 18)
    ended = timezone.localtime(attempt.ended_at)
    lines = [f"{attempt.user_name} 同志：", f"于 {ended:%Y年%m月%d日} 参加「{attempt.exam.title}」，",
             f"成绩 {attempt.score} 分（满分 {attempt.max_score} 分，及格线 {attempt.exam.pass_percent}%），考试合格。",
             "特发此证。"]
    y = height - 210
    for line in lines:
        c.drawString(110, y, line)
        y -= 40
    c.setFont(FONT, 14)
    c.drawRightString(width - 110, 110, issuer)
    c.drawRightString(width - 110, 85, f"证书编号：LC-{attempt.exam_id:05d}-{attempt.pk:07d}")
    c.showPage()
    c.save()
    return out.getvalue()
