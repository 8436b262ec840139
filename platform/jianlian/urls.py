from django.contrib import admin
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from jianlian.api.views import graphql_view


def health(request):
    return JsonResponse({"status": "ok", "tenant": getattr(getattr(request, "tenant", None), "slug", None)})


urlpatterns = [
    path("graphql/", csrf_exempt(graphql_view), name="graphql"),
    path("healthz", health, name="health"),
    path("admin/", admin.site.urls),
]
