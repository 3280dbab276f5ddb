"""The physician report: page 1 a summary readable in a minute, then the most recent
episodes on at most DETAIL_PAGES pages, so ten years cost no more than one; the CSV has all.

Written with reportlab's platypus. Text from the user (names, notes) is escaped before it
reaches a Paragraph, whose markup would otherwise read it as tags.
"""

import io
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    Image,
    KeepInFrame,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..models import LEVEL_ORDER
from .summary import key_figures

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

# Pages of episodes after the summary page. A row is at least one line of CELL text and its
# padding, so no more than MAX_ROWS episodes can fit: the most the PDF ever reads.
DETAIL_PAGES = 5
_FRAME_WIDTH = A4[0] - 3 * cm - 12  # the margins and the frame's own padding
_FRAME_HEIGHT = A4[1] - 1.3 * cm - 1.6 * cm - 12
MAX_ROWS = DETAIL_PAGES * int(_FRAME_HEIGHT // (8.5 + 2 * 3))

BODY = ParagraphStyle("body", fontName="DejaVu", fontSize=8.5, leading=11, textColor=INK)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=7.5, leading=9.5, textColor=MUTED)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=7, leading=8.5)
TITLE = ParagraphStyle(
    "title", parent=BODY, fontName="DejaVu-Bold", fontSize=16, leading=20, textColor=BRAND
)
HEADING = ParagraphStyle(
    "heading",
    parent=BODY,
    fontName="DejaVu-Bold",
    fontSize=10,
    leading=13,
    spaceBefore=6,
    spaceAfter=3,
)


def _p(text: str, style=BODY) -> Paragraph:
    return Paragraph(escape(text), style)


def _key_numbers(s: dict) -> Table:
    rows = [
        ["", "This period", f"Previous {s['previous']['days']} days", "Change"],
        *key_figures(s),
    ]
    table = Table(rows, colWidths=[5.2 * cm, 3 * cm, 3.4 * cm, 2.2 * cm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "DejaVu", 8.5),
                ("FONT", (0, 0), (-1, 0), "DejaVu-Bold", 8.5),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, BRAND),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, LINE),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _chart(png: bytes, width: float) -> Image:
    image = Image(io.BytesIO(png))
    image.drawWidth, image.drawHeight = width, width * image.imageHeight / image.imageWidth
    return image


def _alerts(alerts) -> list:
    if not alerts:
        return [_p("None raised in the app for this period.", SMALL)]
    items = []
    for alert in sorted(alerts, key=lambda a: LEVEL_ORDER[a.level])[:4]:
        colour = LEVEL_COLOURS[alert.level]
        items.append(
            Paragraph(
                f'<font color="{colour}"><b>{escape(alert.advice)}:</b></font> '
                + escape(alert.message),
                BODY,
            )
        )
        items.append(_p(alert.reason, SMALL))
    if len(alerts) > 4:
        items.append(_p(f"And {len(alerts) - 4} more in the app.", SMALL))
    return items


def _first_page(*, s, owner, alerts, medications, questions, charts_png, made: date) -> list:
    who = [
        f"Period: {date.fromisoformat(s['from']):%d %b %Y} "
        f"to {date.fromisoformat(s['to']):%d %b %Y} "
        f"({s['days']} days, times in {s['time_zone']})"
    ]
    if owner.get("name"):
        who.insert(0, f"Name: {owner['name']}")
    if owner.get("age"):
        who.insert(1 if owner.get("name") else 0, f"Age: about {owner['age']}")
    if owner.get("context"):
        who.append("The patient noted: " + "; ".join(owner["context"]).lower())
    half = 8.7 * cm
    story = [
        _p("Muscle cramp record", TITLE),
        _p(" · ".join(who)),
        _p(f"{DISCLAIMER} Made {made:%d %b %Y}.", SMALL),
        Spacer(1, 4),
        _p("Key numbers", HEADING),
        _key_numbers(s),
        Spacer(1, 4),
        Table(
            [
                [
                    _p("Cramps per week, by where", HEADING),
                    _p("When they come (weekday and hour)", HEADING),
                ],
                [_chart(charts_png["weekly"], half), _chart(charts_png["heatmap"], half)],
            ],
            colWidths=[half + 0.3 * cm, half + 0.3 * cm],
            hAlign="LEFT",
            style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)],
        ),
        _p("Alerts raised by the app (each quotes the published guidance behind it)", HEADING),
        *_alerts(alerts),
        _p("Medicines", HEADING),
    ]
    if medications:
        for m in medications:
            stopped = f", stopped {m.stopped_on:%d %b %Y}" if m.stopped_on else ", still taking"
            story.append(
                _p(
                    f"{m.name}, {m.get_kind_display().lower()}: "
                    f"since {m.started_on:%d %b %Y}{stopped}"
                )
            )
    else:
        story.append(_p("None listed.", SMALL))
    story.append(_p("Questions to ask your doctor", HEADING))
    story += [_p(f"• {q}") for q in questions] or [_p("No particular pattern stood out.", SMALL)]
    return story


def _episode_table(episodes, zone) -> Table:
    header = [
        "Date and time",
        "Where",
        "Length",
        "Pain",
        "Doing",
        "Noticed",
        "Tried (helped?)",
        "Notes",
    ]
    rows = [[_p(h, CELL) for h in header]]
    for e in episodes:
        tried = ", ".join(e.relief_labels()) or "-"
        if e.relief_helped:
            tried += f" ({e.get_relief_helped_display().lower()})"
        rows.append(
            [
                _p(f"{e.local_started_at:%a %d %b %Y %H:%M}{e.zone_note(zone)}", CELL),
                _p(f"{e.get_site_display()}, {e.get_side_display().lower()}", CELL),
                _p(e.duration_display, CELL),
                _p(str(e.intensity), CELL),
                _p(
                    e.get_activity_display()
                    + (f": {e.activity_detail}" if e.activity_detail else ""),
                    CELL,
                ),
                _p(", ".join(e.symptom_labels()) or "-", CELL),
                _p(tried, CELL),
                _p(e.notes or "", CELL),
            ]
        )
    table = Table(
        rows,
        repeatRows=1,
        colWidths=[2.5 * cm, 2.6 * cm, 1.8 * cm, 0.9 * cm, 2 * cm, 2.6 * cm, 2.6 * cm, 3 * cm],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, BRAND),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _detail_heading(shown: int, total: int) -> list:
    if shown == total:
        return [_p(f"Every cramp in the period ({total:,}), newest first", HEADING)]
    return [
        _p(
            f"The {shown:,} most recent of the {total:,} cramps in the period, newest first",
            HEADING,
        ),
        _p(
            f"The other {total - shown:,} are not printed here: the Spreadsheet (CSV) download "
            "on the Trends page holds every cramp of the period.",
            SMALL,
        ),
    ]


def _detail_pages(episodes, total: int, zone) -> list:
    """The episode table cut to at most DETAIL_PAGES pages, under a heading that says how
    many of how many it shows. The cut is made here, as the frames would make it."""
    if not episodes:
        return [_p("No cramps were logged in this period.", SMALL)]
    # Room for the longest heading it could have (shown has at most as many digits as total).
    reserve = sum(
        f.wrap(_FRAME_WIDTH, _FRAME_HEIGHT)[1] + f.getSpaceBefore() + f.getSpaceAfter()
        for f in _detail_heading(total - 1, total)
    )
    parts, rest, room = [], _episode_table(episodes, zone), _FRAME_HEIGHT - reserve - 1
    while rest is not None and len(parts) < DETAIL_PAGES:
        if rest.wrap(_FRAME_WIDTH, room)[1] <= room:
            parts.append(rest)
            rest = None
            continue
        split = rest.split(_FRAME_WIDTH, room)
        if len(split) < 2:
            break
        parts.append(split[0])
        rest, room = split[1], _FRAME_HEIGHT - 1
    shown = sum(len(part._cellvalues) - 1 for part in parts)  # each part repeats the header
    story = _detail_heading(shown, total)
    for n, part in enumerate(parts):
        story += [PageBreak()] if n else []
        story.append(part)
    return story


def _footer_canvas(made: date):
    class FooterCanvas(canvas.Canvas):
        """Writes "page X of Y" once the page count is known, at the end."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont("DejaVu", 7)
                self.setFillColor(MUTED)
                self.drawString(1.5 * cm, 1 * cm, f"{DISCLAIMER} Made {made:%d %b %Y}.")
                self.drawRightString(
                    A4[0] - 1.5 * cm, 1 * cm, f"Page {self._pageNumber} of {len(self._pages)}"
                )
                super().showPage()
            super().save()

    return FooterCanvas


def physician_pdf(
    *, s, owner: dict, alerts, medications, questions, episodes, zone, charts_png, now: datetime
) -> bytes:
    """`episodes`: at most MAX_ROWS, newest first; `s["count"]` says how many there are."""
    made = now.astimezone(zone).date()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.3 * cm,
        bottomMargin=1.6 * cm,
        title="Muscle cramp record",
        author="Cramp tracker",
    )
    first = _first_page(
        s=s,
        owner=owner,
        alerts=alerts,
        medications=medications,
        questions=questions,
        charts_png=charts_png,
        made=made,
    )
    story = [
        KeepInFrame(A4[0] - 3 * cm, _FRAME_HEIGHT, first, mode="shrink"),  # page 1 stays one
        PageBreak(),
        *_detail_pages(episodes, s["count"], zone),
    ]
    document.build(story, canvasmaker=_footer_canvas(made))
    return buffer.getvalue()
