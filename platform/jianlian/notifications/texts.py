"""A notification's words in the reader's language (issue 17 item 11).

Notifications are written once and read later by people who may read English. So a sender hands
over texts that can still be translated — a lazy translation (`gettext_lazy("审批")`) or a callable
that builds the text (`lambda: _("待您审批：%(title)s") % {"title": title}`) — and the centre
renders each in Chinese (the stored `title`, `body`, `sender_name`, which searches, audit and SMS
use) and in English (the `english` column), under Django's `translation.override`. Reading picks
the reader's language (`jianlian.core.i18n.pick`). What people typed (a colleague's message, a
post's title) is a plain string and reads as written. Rows stored before the English column fall
back to the Chinese text, with a sender name that is itself a catalogue entry (审批, 监管在线)
translated at read time."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext, override

from jianlian.core.i18n import english, pick

CHINESE, ENGLISH = "zh-hans", "en"
LIMITS = {"sender_name": 150, "title": 120, "body": 5000}


def bilingual(value) -> tuple[str, str]:
    """(Chinese, English) of a text; English is "" for a plain string or where it is the same."""
    if value is None:
        return "", ""
    if isinstance(value, Promise):
        build = value.__str__
    elif callable(value):
        build = value
    else:
        return str(value), ""
    with override(CHINESE):
        zh = str(build())
    with override(ENGLISH):
        en = str(build())
    return zh, ("" if en == zh else en)


@dataclass
class Texts:
    sender_name: str = ""
    title: str = ""
    body: str = ""
    sender_name_en: str = ""
    title_en: str = ""
    body_en: str = ""

    @classmethod
    def of(cls, **values) -> Texts:
        texts = cls()
        for name, value in values.items():
            zh, en = bilingual(value)
            setattr(texts, name, zh)
            setattr(texts, f"{name}_en", en)
        return texts

    def english(self) -> dict:
        """The `english` column: the English texts there are, cut to the Chinese columns' limits."""
        return {name: getattr(self, f"{name}_en").strip()[:limit] for name, limit in LIMITS.items()
                if getattr(self, f"{name}_en").strip()}


def read(note, name: str) -> str:
    """`note`'s `name` (title, body, sender_name) in the reader's language."""
    zh = getattr(note, name)
    en = (note.english or {}).get(name)
    if not en and name == "sender_name" and zh and english():
        en = gettext(zh)  # older rows: a sender that is a catalogue entry
    return pick(zh, en)
