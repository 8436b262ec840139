from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from jianlian.api.views import graphql_view


def health(request):
    return JsonResponse({"status": "ok", "tenant": getattr(getattr(request, "tenant", None), "slug", None)})


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
