"""The physician report: page 1 a summary readable in a minute (pdf_first_page.py), then
what needs attention in full when page 1 had no room for all of it, then the most recent
episodes on at most DETAIL_PAGES pages, so ten years cost no more than one; the CSV has all.

Written with reportlab's platypus. Text from the user (names, notes) is escaped before it
reaches a Paragraph, whose markup would otherwise read it as tags.
"""

import io
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas
from reportlab.platypus import KeepInFrame, PageBreak, SimpleDocTemplate, Table

from ..models import FluidLoss
from . import pdf_first_page
from .pdf_style import CELL, DISCLAIMER, HEADING, MUTED, SMALL, lined, p
from .report import Report

# Pages of episodes after the summary page. A row is at least one line of CELL text and its
# padding, so no more than MAX_ROWS episodes can fit: the most the PDF ever reads.
DETAIL_PAGES = 5
_FRAME_WIDTH = A4[0] - 3 * cm - 12  # the margins and the frame's own padding
_FRAME_HEIGHT = A4[1] - 1.3 * cm - 1.6 * cm - 12
MAX_ROWS = DETAIL_PAGES * int(_FRAME_HEIGHT // (8.5 + 2 * 3))


def _fluid_loss(e) -> str:
    kinds = [FluidLoss(k).label for k in e.fluid_loss]
    return ", ".join(kinds) or ("Yes" if e.recent_fluid_loss else "-")


def _episode_table(episodes, zone) -> Table:
    header = [
        "Date and time",
        "Where",
        "Length",
        "Pain",
        "Doing",
        "Drunk",
        "Fluid loss",
        "Noticed",
        "Tried (helped?)",
        "Notes",
    ]
    rows = [[p(h, CELL) for h in header]]
    for e in episodes:
        tried = ", ".join(e.relief_labels()) or "-"
        if e.relief_helped:
            tried += f" ({e.get_relief_helped_display().lower()})"
        drunk = e.get_hydration_display() + (f", {e.fluid_ml} mL" if e.fluid_ml is not None else "")
        doing = e.get_activity_display() + (f": {e.activity_detail}" if e.activity_detail else "")
        cells = [
            f"{e.local_started_at:%a %d %b %Y %H:%M}{e.zone_note(zone)}",
            f"{e.get_site_display()}, {e.get_side_display().lower()}",
            e.duration_display,
            str(e.intensity),
            doing,
            drunk,
            _fluid_loss(e),
            ", ".join(e.symptom_labels()) or "-",
            tried,
            e.notes or "",
        ]
        rows.append([p(cell, CELL) for cell in cells])
    widths = [2.2, 2.1, 1.4, 0.8, 1.7, 1.5, 1.6, 2.1, 2.1, 2.0]
    table = Table(rows, repeatRows=1, colWidths=[w * cm for w in widths], hAlign="LEFT")
    table.setStyle(lined(7))
    return table


def _detail_heading(shown: int, total: int) -> list:
    if shown == total:
        return [p(f"Every cramp in the period ({total:,}), newest first", HEADING)]
    return [
        p(
            f"The {shown:,} most recent of the {total:,} cramps in the period, newest first",
            HEADING,
        ),
        p(
            f"The other {total - shown:,} are not printed here: the Spreadsheet (CSV) download "
            "on the Trends page holds every cramp of the period.",
            SMALL,
        ),
    ]


def _detail_pages(episodes, total: int, zone) -> list:
    """The episode table cut to at most DETAIL_PAGES pages, under a heading that says how
    many of how many it shows. The cut is made here, as the frames would make it."""
    if not episodes:
        return [p("No cramps were logged in this period.", SMALL)]
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


def physician_pdf(report: Report, *, episodes, charts_png: dict) -> bytes:
    """`episodes`: at most MAX_ROWS, newest first; the summary says how many there are."""
    made = report.made.astimezone(report.zone).date()
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
    first = pdf_first_page.first_page(report, charts_png)
    story = [KeepInFrame(A4[0] - 3 * cm, _FRAME_HEIGHT, first, mode="shrink"), PageBreak()]
    if pdf_first_page.has_more(report):
        story += [*pdf_first_page.attention_pages(report), PageBreak()]
    story += _detail_pages(episodes, report.summary["count"], report.zone)
    document.build(story, canvasmaker=_footer_canvas(made))
    return buffer.getvalue()
