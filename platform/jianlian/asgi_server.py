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
- No per-message-deflate on WebSockets: our frames are small events (100–2,000 bytes) that one
  process sends to thousands of sockets, and compression cannot be shared between sockets (each
  keeps its own, about 40 KB of zlib state per socket); it cost 11% of the fan-out's CPU (and
  as much again in every client) to save a few dozen bytes per frame (benchmark 3b/3d).
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
        "ws_per_message_deflate": False,
    }


def uvicorn_args() -> list[str]:
    """The same options as `uvicorn` command-line arguments, with the WebSocket implementation the
    tests, the benchmarks and the Kubernetes manifests run (websockets' Sans-I/O protocol)."""
    options = uvicorn_options()
    args = ["--ws", "websockets-sansio", "--ws-max-size", str(options["ws_max_size"]),
            "--ws-per-message-deflate", str(options["ws_per_message_deflate"]).lower()]
    if options["proxy_headers"]:
        args += ["--proxy-headers", "--forwarded-allow-ips", options["forwarded_allow_ips"]]
    else:
        args += ["--no-proxy-headers"]
    return args


def uvicorn_command(app: str = "jianlian.asgi:application", *, host: str = "127.0.0.1", port: int | str = 8000) -> list[str]:
    """The command that serves the ASGI app: one process (`make run` starts one; a deployment or
    the WebSocket benchmark starts as many as it wants, each on its own port or behind a balancer)."""
    import sys

    return [sys.executable, "-m", "uvicorn", app, "--host", host, "--port", str(port),
            "--no-access-log", "--lifespan", "off", *uvicorn_args()]
