"""The workbench's catch-all route answers only what nothing else answers: a URL configuration
that adds views to the product's (the API benchmark's plain JSON view, a module's pages) must
reach them, not the workbench's HTML."""

from django.urls import resolve


def test_the_benchmark_plain_view_is_not_shadowed_by_the_workbench():
    from tests.bench.api_urls import plain_org_units

    assert resolve("/plain/org-units/", urlconf="tests.bench.api_urls").func is plain_org_units


def test_the_workbench_route_comes_last():
    from jianlian import urls

    assert urls.urlpatterns[-1].name == "workbench"
    assert resolve("/referrals/inbox").url_name == "workbench"
    assert resolve("/referrals/inbox", urlconf="tests.bench.api_urls").url_name == "workbench"
    assert resolve("/graphql/").url_name == "graphql"
