"""The supervision app's stable error codes."""

from jianlian.core.error_codes import register

for _code, _description in [
    ("INVALID_FORMULA", "The formula cannot be parsed or names an unknown data element or category."),
    ("INVALID_CODE", "A code must be 2-60 lowercase letters, digits, dots or underscores."),
    ("CODE_TAKEN", "Another data element, indicator or rule already has that code."),
    ("INVALID_PERIOD", "Not a period (YYYY-MM, YYYYQn or YYYY)."),
    ("INVALID_VALUE", "The value is not a number of the data element's type."),
    ("UNKNOWN_UNIT", "No org unit has that code."),
    ("UNKNOWN_ELEMENT", "No data element has that code."),
    ("UNKNOWN_CATEGORY", "The data element has no such disaggregation option."),
    ("OUTLIER_COMMENT_REQUIRED", "The value is outside the element's bounds and needs a comment."),
    ("DATA_LOCKED", "The unit's data for that period is submitted or approved and cannot change."),
    ("ILLEGAL_APPROVAL", "That approval step does not follow from the current state."),
    ("REASON_REQUIRED", "Unapproving needs a reason."),
    ("INVALID_IMPORT", "The import document cannot be read."),
    ("UNKNOWN_INDICATOR", "No indicator has that code."),
    ("INVALID_OPERATOR", "The comparison operator is not one of <, <=, ==, !=, >=, >."),
    ("UNKNOWN_DATA_SET", "No data set has that code."),
    ("NOT_ASSIGNED", "The data set is not assigned to the unit (by its level and unit type)."),
    ("PERIOD_LOCKED", "The data set's lock date for that period has passed and entry has not been reopened."),
    ("PERIOD_TYPE_CONFLICT", "A unit would report the same data element in data sets of two period types."),
    ("INVALID_DATE", "Not a date (YYYY-MM-DD), or a date in the past where a future one is needed."),
]:
    register(_code, _description)
