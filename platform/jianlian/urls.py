from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from jianlian.api.views import graphql_view


def health(request):
    return JsonResponse({"status": "ok", "tenant": getattr(getattr(request, "tenant", None), "slug", None)})


def workbench(request, path=""):
    """The web workbench (frontend/dist/index.html) for every client-side route.

    Never for an API path (the pattern below leaves them out, and a `/t/<slug>/` address is the
    tenant's API, not a page), nor for what looks like a file: a missing asset answers 404, not HTML.
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

urlpatterns = [
    path("graphql/", csrf_exempt(graphql_view), name="graphql"),
    path("healthz", health, name="health"),
    path("admin/", admin.site.urls),
    # Last: whatever no API path claimed is a page of the workbench.
    re_path(r"^(?!(?:graphql|admin|healthz|static|t)(?:/|$))(?P<path>.*)$", workbench, name="workbench"),
]
