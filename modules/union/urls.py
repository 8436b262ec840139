from django.urls import path

from modules.union import views

urlpatterns = [
    path("steps/", views.steps, name="union-steps"),
    path("images/<str:kind>/<int:pk>", views.image, name="union-image"),
    path("welfare/<int:campaign_id>/export.xlsx", views.welfare_export, name="union-welfare-export"),
]
