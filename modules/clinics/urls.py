from django.urls import path

from modules.clinics import views

urlpatterns = [
    path("lobby/", views.lobby, name="clinics-lobby"),
    path("feed.json", views.feed, name="clinics-feed"),
]
