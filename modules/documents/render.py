"""The document rendered three ways, from its fields (never stored):

- `.docx` for the drafters: the red-header template `templates/red_header.docx` filled by
  `docxtpl` (Jinja tags in a Word file). `build_template()` wrote that file (python-docx); run it
  again after changing the layout: `python -c "from modules.documents.render import build_template; build_template()"`.
- PDF for readers: drawn with reportlab's built-in CID font STSong-Light (Chinese without font
  files, no LibreOffice or other converter: `make run` installs reportlab from requirements.lock).
- the reader's copy: that PDF with a diagonal watermark (name and time) stamped on every page
  with pypdf, so a leaked copy names who opened it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

TEMPLATE = Path(__file__).parent / "templates" / "red_header.docx"
RED = (0xC0, 0x00, 0x00)
FONT = "STSong-Light"


@dataclass
class Sheet:
    """What a rendering shows."""

    issuer: str
    title: str
    number: str = ""
    main_to: str = ""
    copy_to: str = ""
    paragraphs: list[str] = field(default_factory=list)
    signed_on: date | None = None

    @property
    def date_text(self) -> str:
        d = self.signed_on or date.today()
        return f"{d.year}年{d.month}月{d.day}日"


def paragraphs(body: str) -> list[str]:
    return [p.strip() for p in (body or "").splitlines() if p.strip()]


# --- .docx ------------------------------------------------------------------------------------

def build_template(path: Path = TEMPLATE) -> None:
    """Write the default red-header template (a developer's tool; the result is committed)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    doc = Document()

    def para(text, *, size=16, bold=False, color=None, align=None, indent=False):
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        run = p.add_run(text)
        run.font.size, run.bold = Pt(size), bold
        run.font.name = "仿宋"
        if color:
            run.font.color.rgb = RGBColor(*color)
        return p

    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    para("{{ issuer }}文件", size=28, bold=True, color=RED, align=center)
    para("{{ number }}", align=center)
    para("━" * 22, size=14, color=RED, align=center)
    para("{{ title }}", size=22, bold=True, align=center)
    para("{{ main_to }}：")
    para("{%p for p in paragraphs %}", size=10)
    para("{{ p }}", indent=True)
    para("{%p endfor %}", size=10)
    para("{{ issuer }}", align=right)
    para("{{ date_text }}", align=right)
    para("{%p if copy_to %}", size=10)
    para("抄送：{{ copy_to }}", size=14)
    para("{%p endif %}", size=10)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)


def render_docx(sheet: Sheet) -> bytes:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(TEMPLATE)
    tpl.render({"issuer": sheet.issuer, "number": sheet.number, "title": sheet.title, "main_to": sheet.main_to,
                "paragraphs": sheet.paragraphs, "copy_to": sheet.copy_to, "date_text": sheet.date_text},
               autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


# --- PDF --------------------------------------------------------------------------------------

def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def render_pdf(sheet: Sheet) -> bytes:
    """The document as an A4 PDF: red header and rule, number, title, addressees, body, issuer, date, cc."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer
    from xml.sax.saxutils import escape

    font = _font()
    red = colors.Color(*(c / 255 for c in RED))
    base = ParagraphStyle("body", fontName=font, fontSize=15, leading=26, wordWrap="CJK")
    styles = {
        "head": ParagraphStyle("head", parent=base, fontSize=30, leading=40, alignment=TA_CENTER, textColor=red),
        "number": ParagraphStyle("number", parent=base, alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=base, fontSize=21, leading=32, alignment=TA_CENTER),
        "body": ParagraphStyle("text", parent=base, firstLineIndent=30),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
    }
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm, topMargin=30 * mm,
                            bottomMargin=30 * mm, title=sheet.title, author=sheet.issuer)
    e = escape
    story = [Paragraph(e(f"{sheet.issuer}文件"), styles["head"]), Spacer(1, 6 * mm)]
    if sheet.number:
        story.append(Paragraph(e(sheet.number), styles["number"]))
    story += [HRFlowable(width="100%", thickness=2, color=red, spaceBefore=2 * mm, spaceAfter=8 * mm),
              Paragraph(e(sheet.title), styles["title"]), Spacer(1, 6 * mm)]
    if sheet.main_to:
        story.append(Paragraph(e(f"{sheet.main_to}："), base))
    story += [Paragraph(e(p), styles["body"]) for p in sheet.paragraphs]
    story += [Spacer(1, 10 * mm), Paragraph(e(sheet.issuer), styles["right"]), Paragraph(e(sheet.date_text), styles["right"])]
    if sheet.copy_to:
        story += [Spacer(1, 10 * mm), HRFlowable(width="100%", thickness=0.6, color=colors.black),
                  Paragraph(e(f"抄送：{sheet.copy_to}"), base)]
    doc.build(story)
    return out.getvalue()


def _watermark_page(text: str, width: float, height: float) -> bytes:
    from reportlab.lib import colors
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(width, height))
    c.setFont(_font(), 20)
    c.setFillColor(colors.Color(0.55, 0.55, 0.55, alpha=0.25))
    c.translate(width / 2, height / 2)
    c.rotate(35)
    for row in range(-4, 5):
        for col in (-1, 0, 1):
            c.drawCentredString(col * 260, row * 110, text)
    c.save()
    return out.getvalue()


def watermark(pdf: bytes, text: str) -> bytes:
    """`pdf` with `text` (the reader's name and the time) across every page."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    stamps: dict[tuple[float, float], object] = {}
    for page in writer.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        if size not in stamps:
            stamps[size] = PdfReader(io.BytesIO(_watermark_page(text, *size))).pages[0]
        page.merge_page(stamps[size])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
