"""Every stable error code, with what it means. Codes are part of the API contract (the GraphQL
`ErrorCode` enum is built from this registry): add, never rename or remove.

Modules register their own codes from their manifests with `register`.
"""

from __future__ import annotations

REGISTRY: dict[str, str] = {}


def is_registered(code: str) -> bool:
    return code in REGISTRY


def register(code: str, description: str) -> str:
    if not code.isupper() or not code.replace("_", "").isalnum():
        raise ValueError(f"error codes are UPPER_SNAKE_CASE: {code!r}")
    REGISTRY.setdefault(code, description)
    return code


for _code, _description in [
    # input
    ("INVALID", "The value is not valid."),
    ("REQUIRED", "A required value is missing."),
    ("TOO_LONG", "The value is longer than allowed."),
    ("INVALID_ID", "A global ID is malformed or of the wrong type."),
    ("INVALID_CHARACTER", "A text contains a NUL byte or another character that is not allowed."),
    ("INVALID_NAME", "A name is empty or too long."),
    ("INVALID_ID_NUMBER", "Not a valid GB 11643 citizen identity number."),
    ("INVALID_MOBILE", "Not a valid mainland mobile number."),
    ("INVALID_DIVISION_CODE", "Not a valid GB/T 2260 division code."),
    ("INVALID_CREDIT_CODE", "Not a valid GB 32100 unified social credit code."),
    ("INVALID_SLUG", "Not a valid tenant slug."),
    ("RESERVED_SLUG", "The slug is reserved by the platform."),
    ("INVALID_PAGINATION", "`first` is out of range or the cursor is malformed."),
    # authentication and authorisation (top-level errors)
    ("UNAUTHENTICATED", "No valid session or bearer token."),
    ("PERMISSION_DENIED", "The caller may not do this (whether the object exists is not said)."),
    ("NOT_FOUND", "The object does not exist or the caller may not see it."),
    # identity
    ("INVALID_CREDENTIALS", "Wrong account or password."),
    ("ACCOUNT_LOCKED", "Too many failed sign-ins; the message says when to retry."),
    ("ACCOUNT_NOT_ACTIVATED", "The account was pre-registered and not yet activated."),
    ("ACCOUNT_DISABLED", "The account is disabled."),
    ("WEAK_PASSWORD", "The new password does not meet the password rules."),
    ("MOBILE_TAKEN", "The mobile number is registered to another account."),
    ("ID_NUMBER_TAKEN", "The ID number is registered to another account."),
    ("USERNAME_TAKEN", "The username is taken."),
    ("NOT_PREREGISTERED", "No pending account matches this ID number and mobile."),
    ("ALREADY_ACTIVATED", "The account is already active."),
    ("CODE_TOO_FREQUENT", "An activation code was sent less than a minute ago."),
    ("CODE_EXPIRED", "The activation code expired or was used up."),
    ("CODE_INVALID", "The activation code is wrong."),
    ("INVALID_LINK_PATH", "No signed link can be made for this path (not a page that accepts signed links)."),
    ("LINK_EXPIRED", "A signed link is expired, altered, or for another person, tenant or path."),
    # access
    ("UNKNOWN_PERMISSION", "A permission code that no app defines."),
    ("PATIENT_DATA_FORBIDDEN", "An aggregates-only role cannot hold a patient-data permission."),
    ("ROLE_NOT_GRANTABLE", "The role is neither the platform's nor an installed app's in this tenant."),
    ("UNIT_OUTSIDE_TENANT", "A role is granted only at a unit of the tenant's own subtree."),
    ("NOT_A_MEMBER", "The person has no active membership in this tenant."),
    ("ALREADY_GRANTED", "The person already holds this role at this unit."),
    ("LAST_ROLE_ADMIN", "The last grant that lets anyone manage the tenant's roles cannot be revoked."),
    # hierarchy
    ("INVALID_LEVEL", "Unknown organisation level."),
    ("INVALID_UNIT_TYPE", "Unknown unit type, or one that does not fit the level."),
    ("LEVEL_VIOLATION", "The level may not sit under that parent."),
    ("DIVISION_LEVEL_MISMATCH", "The division code is of another level."),
    ("DIVISION_PREFIX_MISMATCH", "The division code does not start with the parent's."),
    ("DIVISION_CODE_NOT_APPLICABLE", "Only health authorities carry a division code."),
    ("DIVISION_CODE_TAKEN", "Another authority has this division code."),
    ("CREDIT_CODE_TAKEN", "Another unit has this credit code."),
    ("SAME_PARENT", "The unit is already under that parent."),
    ("CYCLE", "A unit cannot move under itself or its own subtree."),
    # tenants
    ("TENANT_NOT_FOUND", "No tenant by that name."),
    ("TENANT_ACCESS_DENIED", "The caller is not a member of the tenant."),
    ("TENANT_SUSPENDED", "The tenant is suspended; its data is kept."),
    ("TENANT_ARCHIVED", "The tenant is archived."),
    ("TENANT_NOT_READY", "The tenant is still being provisioned."),
    ("TENANT_EXISTS", "The unit already has a tenant."),
    ("INVALID_TENANT_NODE", "Only community lead units and standalone hospitals become tenants."),
    ("SLUG_TAKEN", "Another tenant has this slug."),
    ("INVALID_METHOD", "Unknown tenant creation method."),
    ("INVALID_STATUS", "Unknown tenant status."),
    ("INVALID_TRANSITION", "The tenant cannot move from its status to that one."),
    ("TEMPLATE_MISSING", "The tenant template schema does not exist yet."),
    ("TEMPLATE_STALE", "The tenant template is behind the code's migrations."),
    # the cross-tenant bus
    ("BUS_UNKNOWN_RECEIVER", "A bus message names a receiver (tenant schema) that does not exist."),
    ("BUS_NOT_IN_TRANSACTION", "A bus message must be sent inside the transaction of the write that causes it."),
    ("BUS_INVALID_SENDER", "The tenant template cannot send bus messages."),
    ("BUS_INVALID_TYPE", "A bus message type is not of the form app.event."),
    ("BUS_INVALID_CONVERSATION", "A bus conversation key is longer than allowed."),
    ("BUS_INVALID_PAYLOAD", "A bus message payload cannot be encoded as JSON."),
    ("BUS_MESSAGE_NOT_FOUND", "No bus message has that id."),
    ("BUS_MESSAGE_NOT_DEAD", "The bus message is neither dead-lettered nor stalled, so it cannot be replayed."),
    # the demo seed
    ("DEMO_IN_PRODUCTION", "Demo data is never generated or shown in production."),
    ("INVALID_SCALE", "The demo seed's scale is out of range."),
    ("STAFF_TOO_FEW", "The demo seed needs at least one person per unit."),
    # GraphQL protocol
    ("GRAPHQL_PARSE_FAILED", "The document is not valid GraphQL syntax."),
    ("GRAPHQL_VALIDATION_FAILED", "The document does not validate against the schema."),
    ("QUERY_TOO_DEEP", "The document nests deeper than allowed."),
    ("QUERY_TOO_COSTLY", "The document's estimated cost is over the limit."),
    ("TOO_MANY_ALIASES", "The document uses more aliases than allowed."),
    ("TOO_MANY_MUTATIONS", "The document runs more mutations than allowed."),
    ("PERSISTED_QUERY_NOT_FOUND", "No persisted document has that id."),
    ("PERSISTED_QUERY_REQUIRED", "This server only runs persisted documents."),
    # HTTP framing of the GraphQL endpoint (jianlian.api.http)
    ("BAD_REQUEST", "The request is not a well-formed GraphQL-over-HTTP request (HTTP 400)."),
    ("UNSUPPORTED_MEDIA_TYPE", "The request body is not JSON (HTTP 415); form posts are refused."),
    ("PAYLOAD_TOO_LARGE", "The request body is over the upload limit (HTTP 413)."),
    ("CSRF_FAILED", "A cookie-session request without a valid CSRF token or from another origin (HTTP 403)."),
    ("BATCH_TOO_LARGE", "A batched request holds more operations than allowed."),
    ("PERSISTED_QUERY_HASH_MISMATCH", "The document's text does not match the persisted-query hash sent with it."),
    ("INVALID_CHARACTERS", "A string holds a NUL character or a lone Unicode surrogate."),
    ("INTROSPECTION_DISABLED", "Schema introspection needs a sign-in on this server."),
    ("INTERNAL_ERROR", "An unexpected error; it was reported to the operators."),
]:
    register(_code, _description)
