from django.utils.translation import gettext_lazy as _

from jianlian.marketplace.manifest import Change, Manifest, PermissionSpec, RoleSpec

MANIFEST = Manifest(
    key="payslips",
    name_zh="工资条",
    name_en="Payslips",
    version="1.0.0",
    category="administrative",
    publisher_level="province",
    description_zh="每月从 Excel 导入工资表（列映射按单位保存，逐行指出错误），加密保存到人；发布即通知，查看需再次输入密码，"
                   "本人确认或提出疑问；可撤回更正。只有本人和薪资办看得到。",
    description_en="Monthly payroll import from Excel (column mapping saved per tenant, per-row errors), sealed per "
                   "person; publishing notifies everyone, viewing asks for the password again, each person confirms "
                   "or raises a question; batches can be withdrawn and corrected. Only the person and the payroll "
                   "office ever see a payslip.",
    permissions=[PermissionSpec("payslips.manage", _("管理工资条（薪资办）"))],
    default_roles=[RoleSpec("payroll_office", "薪资办", "Payroll office", ("platform.use", "payslips.manage"))],
    error_codes={
        "PAYSLIPS_UNKNOWN_STAFF": "A row's staff number is not an active staff member of the tenant.",
        "PAYSLIPS_DUPLICATE_ROW": "A staff number appears twice in the workbook.",
        "PAYSLIPS_NAME_MISMATCH": "A row's name does not match the staff number's person.",
        "PAYSLIPS_BAD_AMOUNT": "A pay item is not an amount (at most two decimals).",
        "PAYSLIPS_BAD_MONTH": "The month is not written as YYYY-MM.",
        "PAYSLIPS_WRONG_STATE": "The batch or payslip is not in a state that allows this (e.g. publish twice, confirm unread).",
        "PAYSLIPS_GRANT_EXPIRED": "Viewing a payslip needs a fresh password grant (re-authenticate).",
    },
    todo_sources=["modules.payslips.todo_source.open_questions"],
    demo="modules.payslips.demo.seed",
    graphql="modules.payslips.schema",
    changelog=[Change("1.0.0", "首个版本：Excel 导入与列映射、加密存储、发布通知、二次验证查看、确认与疑问、撤回更正。",
                      "First release: Excel import with a column mapping, sealed storage, publishing with notices, "
                      "password re-check to view, confirm or question, withdraw and correct.")],
)
