from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    """One user action, append-only and hash-chained within its schema (GB/T 22239 asks that
    audit records be protected). Each schema — public and every tenant — has its own chain.

    Rows are never updated or deleted: a database trigger refuses it, and `verify_audit` finds
    any row changed behind the trigger's back by recomputing the chain.
    """

    seq = models.BigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    actor_id = models.BigIntegerField(_("操作人ID"), null=True, blank=True)
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80, blank=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True, db_index=True)
    tenant = models.CharField(_("租户"), max_length=63, blank=True)
    ip = models.GenericIPAddressField(_("来源IP"), null=True, blank=True)
    request_id = models.CharField(_("请求ID"), max_length=64, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, default="success")
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # "hmac-sha256" (keyed with AUDIT_HMAC_KEY); "sha256" for records written before keying.
    hash_alg = models.CharField(max_length=16, default="hmac-sha256")

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditCheckpoint(models.Model):
    """A signed anchor of one schema's chain head, kept in the public schema (the table exists in
    every schema, as the audit app's tables do; only public's is written). The signature is an
    HMAC under AUDIT_HMAC_KEY, so checkpoints cannot be forged from inside the database; rows
    are append-only like the records."""

    schema = models.CharField(_("模式"), max_length=63)
    seq = models.BigIntegerField(_("序号"))
    hash = models.CharField(max_length=64)
    signature = models.CharField(max_length=64)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("审计锚点")
        verbose_name_plural = _("审计锚点")
        constraints = [models.UniqueConstraint(fields=["schema", "seq"], name="audit_checkpoint_schema_seq")]

    def __str__(self) -> str:
        return f"{self.schema}#{self.seq}"
