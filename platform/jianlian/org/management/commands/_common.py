"""Helpers shared by the organisation commands."""

from __future__ import annotations

import json

from django.core.management.base import CommandError


def tenant_by_slug(slug: str):
    from tenants.models import Tenant

    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        raise CommandError(f"没有标识为 {slug} 的租户。")
    return tenant


def print_report(stdout, report: dict) -> None:
    """The report as JSON (Chinese kept readable), for operators and scripts alike."""
    stdout.write(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n")
