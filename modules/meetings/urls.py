from django.urls import path

from modules.meetings import views

urlpatterns = [path("calendar/<str:token>.ics", views.feed, name="meetings-calendar")]
