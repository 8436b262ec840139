"""Plain HTTP pages of the referrals app: the printable paper forms (转出单 and 回转单, each with
its stub, after the national basic public-health service norms), the FHIR export and attachment
downloads. Served at /apps/referrals/… in a tenant; the marketplace gate and `access_referral`
decide who may open them."""

from urllib.parse import quote

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jianlian.core.errors import DomainError, error_response
from jianlian.identity.signed_links import accepts_signed_link
from jianlian.core.validators import mask_id_number
from jianlian.marketplace.composition import app_view
from modules.referrals import services
from modules.referrals.models import Attachment, Status

FORMS = {"outbound": gettext_lazy("双向转诊（转出）单"), "return": gettext_lazy("双向转诊（回转）单")}


def _referral(request, referral_id):
    try:
        return services.access_referral(request.user, referral_id), None
    except DomainError as e:
        return None, error_response(e.code, e.message, 404)


@accepts_signed_link
@app_view("referrals")
def print_form(request, referral_id: int, form: str):
    referral, refusal = _referral(request, referral_id)
    if refusal:
        return refusal
    if form not in FORMS:
        return error_response("NOT_FOUND", _("没有这种表单。"), 404)
    if form == "return" and referral.status != Status.COMPLETED:
        return error_response("ILLEGAL_TRANSITION", _("转诊完成后才有回转单。"), 409)
    return render(request, "referrals/print.html", {
        "r": referral, "form": form, "title": FORMS[form], "masked_id": mask_id_number(referral.patient_id_number or ""),
    })


@app_view("referrals")
def fhir_bundle(request, referral_id: int):
    from modules.referrals.fhir import bundle

    referral, refusal = _referral(request, referral_id)
    if refusal:
        return refusal
    return JsonResponse(bundle(referral), content_type="application/fhir+json", json_dumps_params={"ensure_ascii": False})


@accepts_signed_link
@app_view("referrals")
def download_attachment(request, attachment_id: int):
    att = Attachment.objects.filter(pk=attachment_id).first()
    referral, refusal = _referral(request, att.referral_id if att else 0)
    if refusal:
        return refusal
    response = HttpResponse(bytes(att.data), content_type=att.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(att.filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
