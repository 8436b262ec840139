"""Data in two languages: module data (app names and descriptions from the manifest, indicator
names from their definition) carries a Chinese text and an English one. The API answers in the
request's language — Django's `LocaleMiddleware` activates it from the `Accept-Language` header the
workbench sends — and falls back to Chinese where no English text exists."""

from __future__ import annotations

from django.utils.translation import get_language


def english() -> bool:
    """True when the current request (or task) speaks English."""
    return (get_language() or "").lower().startswith("en")


def pick(zh: str, en: str | None) -> str:
    """`en` for an English request when there is one, else `zh`."""
    return en if en and english() else zh
