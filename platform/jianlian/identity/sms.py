"""Outbound SMS behind a pluggable backend (SMS_BACKEND). Production plugs a carrier gateway in;
development prints to the console; tests read the outbox."""

from __future__ import annotations

import logging
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("jianlian.sms")


class BaseSMSBackend:
    def send(self, mobile: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleSMSBackend(BaseSMSBackend):
    def send(self, mobile: str, text: str) -> None:
        logger.warning("SMS to %s: %s", mobile, text)
        print(f"[短信] 发送至 {mobile}: {text}", flush=True)


class LocmemSMSBackend(BaseSMSBackend):
    """Keeps messages in `outbox` for tests."""

    outbox: list[tuple[str, str]] = []

    def send(self, mobile: str, text: str) -> None:
        self.outbox.append((mobile, text))


@lru_cache(maxsize=4)
def _backend(path: str) -> BaseSMSBackend:
    return import_string(path)()


def send_sms(mobile: str, text: str) -> None:
    _backend(settings.SMS_BACKEND).send(mobile, text)
