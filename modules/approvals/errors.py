"""The approvals app's stable error codes."""

from jianlian.core.error_codes import register

for _code, _description in [
    ("INVALID_FORM_SCHEMA", "The form definition is not a valid JSON Schema of the supported kinds."),
    ("INVALID_FLOW", "The flow definition is malformed (unknown node type, missing branch, bad rule)."),
    ("TEMPLATE_NOT_STARTABLE", "The template is disabled or the caller is not in its audience."),
    ("TASK_NOT_PENDING", "The task was already decided (by this person or another approver of the node)."),
    ("INSTANCE_NOT_RUNNING", "The approval is finished or withdrawn; no further step is possible."),
    ("INVALID_RETURN_TARGET", "The node to return to is not an earlier node of this approval."),
    ("URGE_TOO_SOON", "The approval was urged a short while ago."),
    ("APPROVER_REQUIRED", "This node lets the submitter choose approvers, and none were chosen."),
    ("INVALID_APPROVER", "The chosen person cannot take this task (not a member, or already on it)."),
    ("FIELD_NOT_EDITABLE", "The field is read-only or hidden at this node."),
    ("TEMPLATE_KEY_TAKEN", "Another template of the tenant has this key."),
    ("COLLECTION_CLOSED", "The daily collection form is not open now, or was already filled in today."),
]:
    register(_code, _description)
