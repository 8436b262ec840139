"""Certificates at /apps/learning/certificates/<attempt id>: the taker and learning managers,
signed in or holding a signed link (`createSignedLink`; a download cannot carry the bearer token)."""

from urllib.parse import quote

from django.http import HttpResponse

from jianlian.access.helpers import require_tenant
from jianlian.core.errors import DomainError, error_response
from jianlian.identity.signed_links import accepts_signed_link
from jianlian.marketplace.composition import app_view
from modules.learning import certificates


@accepts_signed_link
@app_view("learning")
def certificate(request, attempt_id: int):
    try:
        attempt = certificates.certified_attempt(request.user, attempt_id)
    except DomainError as e:
        return error_response(e.code, e.message, 404)
    pdf = certificates.render(attempt, issuer=require_tenant().name)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"合格证书-{attempt.exam.title}.pdf"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
