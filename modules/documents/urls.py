from django.urls import path

from modules.documents import views

urlpatterns = [
    path("outgoing/<int:doc_id>/pdf", views.outgoing_pdf, name="documents-outgoing-pdf"),
    path("outgoing/<int:doc_id>/docx", views.outgoing_docx, name="documents-outgoing-docx"),
    path("incoming/<int:doc_id>/pdf", views.incoming_pdf, name="documents-incoming-pdf"),
]
