from django.urls import path

from modules.supervision import views

urlpatterns = [
    path("export/", views.export_dashboard, name="supervision-export"),
]
