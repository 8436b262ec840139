"""Validation of the national codes the platform stores.

- GB 11643-1999: citizen identity number (18 characters, ISO 7064 MOD 11-2 check character).
- GB/T 2260: administrative division code (6 digits: province, city, county pairs).
- GB 32100-2015: unified social credit code (18 characters, MOD 31 check character).
- Mainland mobile numbers (11 digits starting 1[3-9]).

Each validator raises Django's ValidationError with a stable code and a Chinese message, so the
same function serves model clean(), forms, GraphQL input and imports.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def id_number_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def validate_id_number(value: str) -> str:
    """Validate a GB 11643 identity number and return it normalised (upper-case X)."""
    v = normalize_id_number(value)
    if not _ID_RE.match(v):
        raise ValidationError(_("身份证号应为18位，前17位为数字，最后一位为数字或X。"), code="INVALID_ID_NUMBER")
    if v[:2] not in _PROVINCE_PREFIXES:
        raise ValidationError(_("身份证号的地区码无效。"), code="INVALID_ID_NUMBER")
    try:
        born = date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号中的出生日期无效。"), code="INVALID_ID_NUMBER") from None
    if born.year < 1900 or born > date.today():
        raise ValidationError(_("身份证号中的出生日期无效。"), code="INVALID_ID_NUMBER")
    if id_number_check_char(v[:17]) != v[17]:
        raise ValidationError(_("身份证号校验位不正确，请核对后重新输入。"), code="INVALID_ID_NUMBER")
    return v


def mask_id_number(value: str) -> str:
    """Show only the first 3 and last 4 characters, as hospitals print them."""
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


# Province-level prefixes of GB/T 2260 (mainland, Hong Kong, Macao, Taiwan).
_PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
_DIVISION_RE = re.compile(r"^\d{6}$")


def validate_division_code(value: str) -> str:
    """Shape of a GB/T 2260 code: six digits under a real province prefix."""
    v = (value or "").strip()
    if not _DIVISION_RE.match(v) or v[:2] not in _PROVINCE_PREFIXES:
        raise ValidationError(_("行政区划代码应为6位数字（GB/T 2260），且省级代码有效。"), code="INVALID_DIVISION_CODE")
    return v


def division_level(code: str) -> str:
    """'province' (XX0000), 'city' (XXYY00) or 'county' (XXYYZZ)."""
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "city"
    return "county"


_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_RE = re.compile(r"^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$")


def credit_code_check_char(first17: str) -> str:
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    """Validate a GB 32100 unified social credit code and return it upper-cased."""
    v = (value or "").strip().upper()
    if len(v) != 18 or not _CREDIT_RE.match(v):
        raise ValidationError(
            _("统一社会信用代码应为18位，由数字和大写字母组成（不含 I、O、Z、S、V）。"), code="INVALID_CREDIT_CODE"
        )
    if credit_code_check_char(v[:17]) != v[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对。"), code="INVALID_CREDIT_CODE")
    return v


_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_mobile(value: str) -> str:
    v = re.sub(r"[\s-]", "", value or "")
    if v.startswith("+86"):
        v = v[3:]
    elif v.startswith("0086"):
        v = v[4:]
    return v


def validate_mobile(value: str) -> str:
    """Validate a mainland mobile number and return its 11 digits."""
    v = normalize_mobile(value)
    if not _MOBILE_RE.match(v):
        raise ValidationError(_("手机号应为11位中国大陆手机号码，例如 13800138000。"), code="INVALID_MOBILE")
    return v


_SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
RESERVED_SLUGS = frozenset({"www", "api", "admin", "static", "media", "public", "graphql", "t", "app", "console"})


def validate_slug(value: str) -> str:
    """Tenant slugs become subdomains and schema names: 3–40 lower-case letters, digits, hyphens."""
    v = (value or "").strip()
    if not _SLUG_RE.match(v) or "--" in v:
        raise ValidationError(
            _("标识应为3至40位小写字母、数字或连字符，以字母开头，不以连字符结尾。"), code="INVALID_SLUG"
        )
    if v in RESERVED_SLUGS:
        raise ValidationError(_("该标识为系统保留，请换一个。"), code="RESERVED_SLUG")
    return v
