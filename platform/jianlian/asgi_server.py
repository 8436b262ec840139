"""How the ASGI server (uvicorn) is run: one place for the options that matter to security, used
by `make run` (jianlian.supervisor) and by the test suite's live server.

- Proxy headers: uvicorn by default trusts `X-Forwarded-For` from loopback clients, so with
  nothing in front any local process (or a proxy on the same host that does not set the header)
  could name any client address — lifting an address lockout and writing a false address into
  the audit log. They are honoured only when TRUSTED_PROXY_HOPS says a proxy is in front, and
  then only from TRUSTED_PROXY_ADDRESSES.
- WebSocket frames and messages are capped at WS_MAX_MESSAGE_BYTES: a bigger one closes the
  socket with 1009 (message too big) before it is buffered (one 10.5 MB frame used to stall the
  server).
"""

from __future__ import annotations

from django.conf import settings


def uvicorn_options() -> dict:
    """Keyword arguments for `uvicorn.Config`."""
    behind_proxy = settings.TRUSTED_PROXY_HOPS > 0
    return {
        "proxy_headers": behind_proxy,
        "forwarded_allow_ips": settings.TRUSTED_PROXY_ADDRESSES if behind_proxy else "",
        "ws_max_size": settings.WS_MAX_MESSAGE_BYTES,
    }


def uvicorn_args() -> list[str]:
    """The same options as `uvicorn` command-line arguments."""
    options = uvicorn_options()
    args = ["--ws-max-size", str(options["ws_max_size"])]
    if options["proxy_headers"]:
        args += ["--proxy-headers", "--forwarded-allow-ips", options["forwarded_allow_ips"]]
    else:
        args += ["--no-proxy-headers"]
    return args
