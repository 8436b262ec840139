from django.urls import path

from modules.announcements import views

urlpatterns = [path("attachments/<int:attachment_id>", views.download, name="announcements-attachment")]
