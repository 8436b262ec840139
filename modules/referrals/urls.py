from django.urls import path

from modules.referrals import views

urlpatterns = [
    path("<int:referral_id>/print/<str:form>/", views.print_form, name="referrals-print"),
    path("<int:referral_id>/fhir/", views.fhir_bundle, name="referrals-fhir"),
    path("attachments/<int:attachment_id>/", views.download_attachment, name="referrals-attachment"),
]
