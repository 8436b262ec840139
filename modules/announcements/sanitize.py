"""Rich text from the editor, made safe on the server with nh3 (the Rust `ammonia` sanitiser):
an allow-list of tags and attributes, so scripts, event handlers (`on*`), styles and
`javascript:` / `data:` URLs never reach a reader."""

from __future__ import annotations

import nh3
from django.utils.translation import gettext_lazy as _

from jianlian.core.errors import DomainError

TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "blockquote", "ul", "ol", "li",
        "a", "img", "table", "thead", "tbody", "tr", "th", "td", "span", "div", "pre", "code", "sub", "sup"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
              "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
SCHEMES = {"http", "https", "mailto", "tel"}
MAX_BODY = 200_000
MAX_VIDEOS = 5


def clean_html(html: str) -> str:
    """The safe subset of `html` (links open without the opener)."""
    if len(html or "") > MAX_BODY:
        raise DomainError("TOO_LONG", _("正文过长（不超过20万字符）。"), "body")
    return nh3.clean(html or "", tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True).strip()


def plain_text(html: str) -> str:
    """The text of sanitised HTML (for search and the notification's preview)."""
    text = nh3.clean(html or "", tags=set(), attributes={})
    import html as html_lib

    return " ".join(html_lib.unescape(text).split())


def clean_video_links(links) -> list[str]:
    links = [str(v).strip() for v in (links or []) if str(v).strip()]
    if len(links) > MAX_VIDEOS:
        raise DomainError("INVALID", _("视频链接最多%(n)s个。") % {"n": MAX_VIDEOS}, "videoLinks")
    for i, link in enumerate(links):
        if not link.startswith("https://") or len(link) > 500 or any(c in link for c in "\"'<> "):
            raise DomainError("INVALID", _("视频链接须是 https:// 开头的地址。"), f"videoLinks.{i}")
    return links
