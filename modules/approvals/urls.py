from django.urls import path

from modules.approvals import views

urlpatterns = [path("export.xlsx", views.export, name="approvals-export")]
