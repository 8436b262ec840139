"""The product's URLs plus a plain Django JSON view of the same data as the benchmarked GraphQL
query, so that the API layer's overhead is measured against a baseline in the same run."""

from django.http import JsonResponse
from django.urls import path

from jianlian.urls import urlpatterns as product_urls


def plain_org_units(request):
    from jianlian.hierarchy.models import OrgUnit
    from tenants.models import Tenant

    if not request.user.is_authenticated:
        return JsonResponse({"error": "UNAUTHENTICATED"}, status=401)
    units = list(OrgUnit.objects.filter(level="member").select_related("parent").order_by("tree_id", "lft")[:50])
    slugs = dict(Tenant.objects.filter(org_unit__in=units).values_list("org_unit_id", "slug"))
    return JsonResponse({"orgUnits": [
        {"id": u.pk, "name": u.name, "shortName": u.short_name, "level": u.level, "unitType": u.unit_type,
         "divisionCode": u.division_code, "parent": {"name": u.parent.name} if u.parent else None,
         "tenantSlug": slugs.get(u.pk)}
        for u in units
    ]}, json_dumps_params={"ensure_ascii": False})


# Before the product's patterns: their last one, the workbench, answers every other path.
urlpatterns = [path("plain/org-units/", plain_org_units), *product_urls]
