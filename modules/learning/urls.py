from django.urls import path

from modules.learning import views

urlpatterns = [path("certificates/<int:attempt_id>", views.certificate, name="learning-certificate")]
