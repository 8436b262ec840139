from django.urls import path

from modules.drive import tus, views

urlpatterns = [
    path("tus/", tus.endpoint, name="drive-tus"),
    path("tus/<uuid:upload_id>", tus.upload, name="drive-tus-upload"),
    path("folders/<int:folder_id>/upload", views.plain_upload, name="drive-plain-upload"),
    path("versions/<int:version_id>/download", views.download, name="drive-download"),
    path("versions/<int:version_id>/preview", views.preview, name="drive-preview"),
]
