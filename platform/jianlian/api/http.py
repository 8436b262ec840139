"""The HTTP framing of the GraphQL endpoint, after the GraphQL-over-HTTP spec.

What a request may carry (JSON, `application/graphql`, or GET parameters; an array of operations
up to GRAPHQL_MAX_BATCH), which media type the answer takes (`application/json`, or
`application/graphql-response+json` for clients that ask for it) and the CSRF rule for cookie
sessions. A malformed request is a `RequestError` with a stable code and an HTTP status: never a
500, never Django's debug page.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
# Bodies a cross-site HTML form can send without a CORS preflight; the API refuses them all, so a
# foreign page cannot make a signed-in browser run a mutation.
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")


class RequestError(Exception):
    """A request the endpoint cannot take, answered with `status` and `code`."""

    def __init__(self, code: str, message, status: int = 400):
        self.code, self.message, self.status = code, str(message), status
        super().__init__(f"{code}: {message}")

    def as_body(self) -> dict:
        return {"errors": [{"message": self.message, "extensions": {"code": self.code}}]}


def _media_types(header: str) -> list[tuple[str, float]]:
    out = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        q = 1.0
        for p in pieces[1:]:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        out.append((pieces[0].lower(), q))
    return out


def response_media_type(request) -> str:
    """`application/graphql-response+json` when the client prefers it, else `application/json`."""
    accepted = dict(_media_types(request.META.get("HTTP_ACCEPT", "")))
    if accepted.get(GRAPHQL_RESPONSE, 0) > 0 and accepted.get(GRAPHQL_RESPONSE, 0) >= accepted.get(JSON, 0):
        return GRAPHQL_RESPONSE
    return JSON


def _content_type(request) -> str:
    return request.META.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()


def _json_param(request, name: str):
    raw = request.GET.get(name)
    if raw in (None, ""):
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise RequestError("BAD_REQUEST", _("参数 %(name)s 不是有效的 JSON。") % {"name": name}) from None


def parse_request(request) -> dict | list[dict]:
    """The operation (or batch of operations) a request carries, checked for shape."""
    if request.method == "GET":
        # Apollo sends `Content-Type: application/json` on GET too; a GET has no body to read.
        data = {"query": request.GET.get("query"), "variables": _json_param(request, "variables"),
                "operationName": request.GET.get("operationName"), "extensions": _json_param(request, "extensions"),
                "documentId": request.GET.get("documentId")}
        return check_operation({k: v for k, v in data.items() if v is not None})
    content_type = _content_type(request)
    if content_type not in (JSON, "application/graphql"):
        raise RequestError("UNSUPPORTED_MEDIA_TYPE", _("请求体必须是 JSON（Content-Type: application/json）。"), 415)
    try:
        raw = request.body
    except RequestDataTooBig:
        raise payload_too_large() from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestError("BAD_REQUEST", _("请求体不是有效的 UTF-8 文本。")) from None
    if content_type == "application/graphql":
        return {"query": text}
    try:
        body = json.loads(text)
    except ValueError:
        raise RequestError("BAD_REQUEST", _("请求体不是有效的 JSON。")) from None
    if isinstance(body, list):
        if not body:
            raise RequestError("BAD_REQUEST", _("批量请求不能为空。"))
        if len(body) > settings.GRAPHQL_MAX_BATCH:
            raise RequestError("BATCH_TOO_LARGE", _("一次批量请求最多 %(max)s 个操作，本次有 %(n)s 个。")
                               % {"max": settings.GRAPHQL_MAX_BATCH, "n": len(body)})
        return [check_operation(entry) for entry in body]
    return check_operation(body)


def check_operation(data) -> dict:
    """One operation's parameters, each of the type the spec says, or a BAD_REQUEST."""
    if not isinstance(data, dict):
        raise RequestError("BAD_REQUEST", _("请求必须是一个 JSON 对象（或对象数组）。"))
    for name, kinds in (("query", str), ("operationName", str), ("documentId", str), ("variables", dict),
                        ("extensions", dict)):
        value = data.get(name)
        if value is not None and not isinstance(value, kinds):
            raise RequestError("BAD_REQUEST", _("参数 %(name)s 的类型不正确。") % {"name": name})
    return data


def payload_too_large() -> RequestError:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return RequestError("PAYLOAD_TOO_LARGE", _("请求内容超过上限（约 %(mb)s MB）；附件不能超过 %(file)s MB。")
                        % {"mb": round(limit / 1024 / 1024, 1), "file": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}, 413)


def enforce_csrf(request) -> None:
    """A request authenticated by the session cookie must carry the CSRF token (and, if it names
    one, come from our own origin), as Django's forms do. Bearer tokens are not sent by browsers
    on their own, so those requests are exempt (identity.middleware marks them)."""
    if getattr(request, "auth_method", "session") == "token" or not request.user.is_authenticated:
        return
    from django.middleware.csrf import CsrfViewMiddleware

    check = CsrfViewMiddleware(lambda r: None)
    check.process_request(request)
    rejected = check.process_view(request, None, (), {})
    if rejected is not None:
        raise RequestError("CSRF_FAILED", _("请求缺少有效的 CSRF 令牌或来自其他网站，已拒绝。请刷新页面后重试。"), 403)
