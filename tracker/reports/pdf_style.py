"""The physician report's fonts, colours and text styles, shared by its pages."""

from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, TableStyle

# DejaVu ships with matplotlib and covers far more scripts than the PDF base fonts.
_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
pdfmetrics.registerFont(TTFont("DejaVu", str(_FONTS / "DejaVuSans.ttf")))
pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(_FONTS / "DejaVuSans-Bold.ttf")))

INK = colors.HexColor("#1b1f23")
MUTED = colors.HexColor("#4d5660")
LINE = colors.HexColor("#c9d1d9")
BRAND = colors.HexColor("#0f5c66")
LEVEL_COLOURS = {"urgent": "#b3261e", "soon": "#8a4600", "routine": "#0f5c66"}
DISCLAIMER = "Self-reported by the patient with Cramp tracker. Not a diagnosis."

# Page 1's body is 11 pt, so it reads at arm's length; tables and notes a little smaller.
BODY = ParagraphStyle("body", fontName="DejaVu", fontSize=11, leading=14, textColor=INK)
TABLE_TEXT = ParagraphStyle("table", parent=BODY, fontSize=9.5, leading=11.5)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8.5, leading=10.5, textColor=MUTED)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=7, leading=8.5)
TITLE = ParagraphStyle(
    "title", parent=BODY, fontName="DejaVu-Bold", fontSize=16, leading=20, textColor=BRAND
)
HEADING = ParagraphStyle(
    "heading",
    parent=BODY,
    fontName="DejaVu-Bold",
    fontSize=12,
    leading=15,
    spaceBefore=7,
    spaceAfter=3,
)


def p(text: str, style=BODY) -> Paragraph:
    """A paragraph of plain text: user text is escaped, never read as markup."""
    return Paragraph(escape(text), style)


def lined(font_size: float, header: bool = True) -> TableStyle:
    """A table with a rule under its header and hairlines between rows."""
    commands = [
        ("FONT", (0, 0), (-1, -1), "DejaVu", font_size),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    if header:
        commands += [
            ("FONT", (0, 0), (-1, 0), "DejaVu-Bold", font_size),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, BRAND),
        ]
    return TableStyle(commands)
