"""Excel import of questions, in the style of the staff import (jianlian.org.importer, whose
sheet reader this reuses): every row is checked first and each problem is named by row and
column in Chinese with a stable code; `dry_run` writes nothing; `all_or_nothing` writes nothing
when any row is wrong, `valid_only` writes the good rows and reports the others."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from jianlian.org.importer import MODES, Row, open_workbook, sheet_rows
from modules.learning.models import Difficulty, Kind, Question
from modules.learning.questions import build

SHEET = N_("题目")
COLUMNS = (
    ("kind", N_("题型"), True), ("stem", N_("题干"), True), ("options", N_("选项"), False), ("answer", N_("答案"), True),
    ("topic", N_("知识点"), True), ("difficulty", N_("难度"), False), ("explanation", N_("解析"), False),
)
KINDS = {"单选": Kind.SINGLE, "单选题": Kind.SINGLE, "多选": Kind.MULTIPLE, "多选题": Kind.MULTIPLE, "判断": Kind.TRUE_FALSE,
         "判断题": Kind.TRUE_FALSE, "填空": Kind.FILL, "填空题": Kind.FILL, "简答": Kind.SHORT, "简答题": Kind.SHORT}
DIFFICULTIES = {"": Difficulty.MEDIUM, "易": Difficulty.EASY, "简单": Difficulty.EASY, "中": Difficulty.MEDIUM,
                "中等": Difficulty.MEDIUM, "难": Difficulty.HARD, "困难": Difficulty.HARD}
TRUTH = {"对": True, "正确": True, "是": True, "√": True, "错": False, "错误": False, "否": False, "×": False}
_LINES = re.compile(r"[\n|｜]+")


@dataclass
class Report:
    dry_run: bool
    mode: str
    applied: bool = False
    rows: int = 0
    created: int = 0
    errors: list = field(default_factory=list)
    columns: tuple = COLUMNS

    def error(self, row: Row, key: str, code: str, message) -> None:
        header = dict((k, h) for k, h, _r in self.columns)[key]
        text = _g("第%(row)s行「%(column)s」列：%(message)s") % {"row": row.number, "column": _g(header), "message": message}
        self.errors.append({"row": row.number, "column": header, "column_letter": row.letters.get(key, ""),
                            "field": key, "code": code, "message": text})


def _answer(kind: str, text: str, options: list[str]):
    """The key written in a cell (A / ABD / 对 / 一空一组，多个可接受答案用 | 分开、各空用 ; 分开)."""
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        letters = [c for c in text.upper() if not c.isspace() and c not in ",，、"]
        if not letters or not all("A" <= c <= "Z" for c in letters):
            raise DomainError("INVALID_QUESTION", _("答案须为选项字母，如 A 或 ABD。"), "answer")
        picks = [ord(c) - ord("A") for c in letters]
        return picks[0] if kind == Kind.SINGLE and len(picks) == 1 else picks
    if kind == Kind.TRUE_FALSE:
        if text not in TRUTH:
            raise DomainError("INVALID_QUESTION", _("判断题的答案须为 对 或 错。"), "answer")
        return TRUTH[text]
    if kind == Kind.FILL:
        return [[t for t in (x.strip() for x in blank.split("|")) if t] for blank in re.split(r"[;；]", text) if blank.strip()]
    return text


def _question(row: Row, actor_id) -> Question:
    v = row.values
    kind = KINDS.get(v.get("kind", ""))
    if kind is None:
        raise DomainError("INVALID_QUESTION", _("题型须为 单选、多选、判断、填空 或 简答。"), "kind")
    difficulty = DIFFICULTIES.get(v.get("difficulty", ""))
    if difficulty is None:
        raise DomainError("INVALID_QUESTION", _("难度须为 易、中 或 难。"), "difficulty")
    options = [o.strip() for o in _LINES.split(v.get("options", "")) if o.strip()]
    options = [re.sub(r"^[A-Ha-h][.、．:：)）]\s*", "", o) for o in options]  # "A. 洗手" → "洗手"
    return build(kind=kind, stem=v.get("stem", ""), options=options, answer=_answer(kind, v.get("answer", ""), options),
                 topic=v.get("topic", ""), difficulty=difficulty, explanation=v.get("explanation", ""), actor_id=actor_id)


def read(data: bytes, sheet: str = SHEET, columns=COLUMNS) -> list[Row]:
    wb = open_workbook(data)
    try:
        ws = wb[sheet] if sheet in wb.sheetnames else wb.worksheets[0]
        return sheet_rows(ws, columns)
    finally:
        wb.close()


def run(data: bytes, *, build, save, dry_run: bool, mode: str, sheet: str = SHEET, columns=COLUMNS,
        fallback: str = "answer") -> Report:
    """The row engine: read the sheet, `build(row)` each row (a DomainError names the cell by its
    field, else `fallback`), then unless dry_run, or any error under all_or_nothing, `save(good)`
    in one transaction; `save` returns how many it created."""
    if mode not in MODES:
        raise DomainError("INVALID", _("导入方式须为 all_or_nothing 或 valid_only。"), "mode")
    rows = read(data, sheet, columns)
    report = Report(dry_run=dry_run, mode=mode, rows=len(rows), columns=columns)
    keys = {k for k, _h, _r in columns}
    good = []
    for row in rows:
        try:
            good.append((row, build(row)))
        except DomainError as e:
            report.error(row, e.field if e.field in keys else fallback, e.code, e.message)
    if dry_run or not good or (report.errors and mode == "all_or_nothing"):
        return report
    with transaction.atomic():
        report.created = save(good)
    report.applied = True
    return report


def import_questions(actor, data: bytes, *, dry_run: bool = False, mode: str = "all_or_nothing") -> Report:
    """Check every row, then (unless dry_run, or any error under all_or_nothing) add the good rows
    in one transaction with one audit record. Who: `learning.manage` (checked by the caller)."""
    def save(good) -> int:
        Question.objects.bulk_create([q for _row, q in good])
        audit.record("learning.import_questions", actor=actor, object_type="learning.question",
                     after={"created": len(good), "rows": len(good)})
        return len(good)

    return run(data, build=lambda row: _question(row, getattr(actor, "pk", None)), save=save, dry_run=dry_run, mode=mode)


def template() -> bytes:
    """An empty workbook with the headers and two example rows."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([h + ("*" if r else "") for _k, h, r in COLUMNS])
    ws.append(["单选", "七步洗手法的第一步是？", "A. 内\nB. 外\nC. 夹", "A", "院感", "易", ""])
    ws.append(["判断", "手套可以代替洗手。", "", "错", "院感", "易", "戴手套前后都要洗手。"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
