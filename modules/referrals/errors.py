"""The referrals app's stable error codes."""

from jianlian.core.error_codes import register

for _code, _description in [
    ("ILLEGAL_TRANSITION", "The referral cannot move from its status by that action."),
    ("REASON_REQUIRED", "Rejecting, returning or closing a referral needs a reason."),
    ("CONSENT_REQUIRED", "The patient's consent is required before a referral is submitted."),
    ("INVALID_ICD10", "Not an ICD-10 code (e.g. I21.9)."),
    ("INVALID_TARGET", "The target unit, department or doctor is not a valid receiver."),
    ("SLOT_FULL", "No slot is left on that day."),
    ("NO_SLOTS", "The department has published no slots for that day."),
    ("ATTACHMENT_TYPE", "Attachments must be PDF, JPEG or PNG."),
    ("ATTACHMENT_TOO_LARGE", "The attachment is larger than allowed."),
    ("INVALID_DATE", "The date is not valid here."),
]:
    register(_code, _description)
