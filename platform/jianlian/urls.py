from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from jianlian.api.views import graphql_view

# the web workbench (below)
import re

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import re_path


def health(request):
    return JsonResponse({"status": "ok", "tenant": getattr(getattr(request, "tenant", None), "slug", None)})


# Paths that belong to the server, never to the web workbench's client-side routes.
SERVER_PATHS = ("graphql", "admin", "healthz", "static", "t", "apps", ".well-known")


def workbench(request, path=""):
    """The web workbench (frontend/dist/index.html) for every client-side route.

    Never for a server path (SERVER_PATHS, left out by its URL pattern, so that patterns added
    after it still resolve; a `/t/<slug>/` address is the tenant's API, not a page), nor for what
    looks like a file: a missing asset answers 404, not HTML.
    """
    if getattr(request, "tenant_prefix", None) or request.method not in ("GET", "HEAD"):
        raise Http404
    if "." in path.rsplit("/", 1)[-1]:
        raise Http404
    try:
        html = (settings.FRONTEND_DIST / "index.html").read_bytes()
    except FileNotFoundError:
        return HttpResponse("工作台尚未构建：请运行 make run，或 cd frontend && npm ci && npm run build。\n"
                            "The workbench is not built yet: run `make run`.\n", status=503,
                            content_type="text/plain; charset=utf-8")
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # a new build's asset names reach the browser at once
    return response


admin.site.site_header = admin.site.site_title = "健联 · 运维后台"
admin.site.index_title = "省级平台运维"

def jwks(request):
    """The public keys that verify external apps' launch tokens."""
    from jianlian.marketplace.external import jwks as keys

    response = JsonResponse(keys())
    response["Cache-Control"] = "public, max-age=300"
    return response


urlpatterns = [
    path(".well-known/jwks.json", jwks, name="jwks"),
    path("graphql/", csrf_exempt(graphql_view), name="graphql"),
    path("healthz", health, name="health"),
    path("admin/", admin.site.urls),
]


def _module_urls():
    """Each module's own pages (its manifest's `urls`), at /apps/<key>/."""
    from jianlian.marketplace.manifest import registry

    return [path(f"apps/{m.key}/", include(m.urls)) for m in registry().values() if m.urls]


urlpatterns += _module_urls()

# Any other path is a page of the workbench: a catch-all, so it stays the last pattern. A URL
# configuration that extends the product's puts its own views before these patterns (see
# tests/bench/api_urls.py). SERVER_PATHS are also left out of the pattern, so that a server path
# never answers with the workbench's HTML.
urlpatterns.append(
    re_path(rf"^(?!(?:{'|'.join(map(re.escape, SERVER_PATHS))})(?:/|$))(?P<path>.*)$", workbench, name="workbench")
)
