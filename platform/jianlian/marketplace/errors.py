"""The marketplace's stable error codes (part of the API contract: add, never rename)."""

from jianlian.core.error_codes import register

for _code, _description in [
    ("APP_NOT_FOUND", "No app by that key is on the shelf for this tenant."),
    ("APP_NOT_INSTALLED", "The app is not installed (or is disabled) in this tenant."),
    ("APP_ALREADY_INSTALLED", "The app is already installed in this tenant."),
    ("APP_MANDATED", "A higher level requires this app here; it cannot be uninstalled."),
    ("APP_REQUIRED_BY", "Other installed apps depend on this one."),
    ("APP_UP_TO_DATE", "The installed version is the current one."),
    ("APP_JOB_RUNNING", "Another install job for this app and tenant is still running."),
    ("PURGE_NOT_CONFIRMED", "Purging needs the app key typed as confirmation."),
    ("INVALID_MANIFEST", "The app manifest document is not valid; `field` names the bad field."),
    ("APP_KEY_TAKEN", "Another publisher's app has this key."),
    ("VERSION_NOT_NEWER", "A new version must be higher than the current one."),
    ("PERMISSION_NOT_HELD", "An installer cannot grant a permission they do not hold."),
    ("PERMISSION_NOT_REQUESTED", "The app did not request that permission."),
    ("INVALID_VISIBILITY", "A visibility target is unknown or outside the tenant."),
    ("URL_NOT_ALLOWED", "The URL points at a loopback, private or otherwise forbidden address."),
    ("INVALID_PUBLISHER", "Only the province, a city or a county can publish apps."),
    ("EXTERNAL_APP_NEEDS_CONSENT", "An external app is installed with installExternalApp (consent to its permissions), not as a job."),
    ("INSTALL_FAILED", "The install failed and was rolled back; the tenant is as it was."),
]:
    register(_code, _description)
