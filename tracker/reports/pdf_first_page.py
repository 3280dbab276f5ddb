"""Page 1 of the physician report, what a doctor reads in a minute, and the full list of
what needs attention when page 1 has no room for all of it. Third person throughout: the
doctor reads it, and nothing in it tells the patient what to do."""

import io
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.units import cm
from reportlab.platypus import Image, Paragraph, Spacer, Table

from .attention import FlaggedEpisode, Pattern
from .pdf_style import (
    DISCLAIMER,
    HEADING,
    LEVEL_COLOURS,
    SMALL,
    TABLE_TEXT,
    TITLE,
    lined,
    p,
)
from .report import Report

FLAGGED_ON_PAGE_ONE = 5  # the most serious; the rest follow on the pages after
PATTERNS_ON_PAGE_ONE = 3
# The list after page 1 stops here (newest first), so ten years fit on at most two pages;
# the summary's `flagged_episodes` (API) holds every one.
FLAGGED_LISTED = 30
_HALF = 8.7 * cm


def _day(iso: str) -> str:
    return f"{date.fromisoformat(iso):%d %b %Y}"


def _who(report: Report) -> list:
    s, owner = report.summary, report.owner
    named = [f"Name: {owner.name}"] if owner.name else []
    named += [f"Age: about {owner.age}"] if owner.age else []
    lines = [" · ".join(named)] if named else []
    if owner.context:
        lines.append("The patient noted: " + "; ".join(owner.context).lower() + ".")
    lines.append(
        f"Period: {_day(s['from'])} to {_day(s['to'])} "
        f"({s['days']} days, times in {s['time_zone']})."
    )
    return [p(line) for line in [*lines, report.logged_note]]


def _key_numbers(report: Report) -> Table:
    rows = [
        ["", "This period", f"Previous {report.summary['previous']['days']} days", "Change"],
        *report.key_figures,
    ]
    table = Table(rows, colWidths=[6 * cm, 3.4 * cm, 3.8 * cm, 2.4 * cm], hAlign="LEFT")
    table.setStyle(lined(9.5))
    table.setStyle([("ALIGN", (1, 0), (-1, -1), "RIGHT")])
    return table


def _level(level: str, words: str) -> Paragraph:
    return Paragraph(
        f'<font color="{LEVEL_COLOURS[level]}"><b>{escape(words)}</b></font>', TABLE_TEXT
    )


def attention_table(flagged: list[FlaggedEpisode]) -> list:
    """Date, what it was, the rules it met with what was noted, and the guidance's level;
    then each rule's plain reason, once."""
    rows = [[p(h, TABLE_TEXT) for h in ("Date", "What it was", "Warning rule met", "Level")]]
    for e in flagged:
        met = "<br/>".join(f"<b>{escape(r.what)}</b>: {escape(r.noted)}" for r in e.reasons)
        first = e.reasons[0]  # the most serious
        rows.append(
            [
                p(e.when, TABLE_TEXT),
                p(e.what, TABLE_TEXT),
                Paragraph(met, TABLE_TEXT),
                _level(first.level, first.level_words),
            ]
        )
    table = Table(rows, colWidths=[3.2 * cm, 4.2 * cm, 8 * cm, 2.4 * cm], hAlign="LEFT")
    table.setStyle(lined(9.5))
    reasons = dict.fromkeys(r.guidance for e in flagged for r in e.reasons)  # each once
    return [table, p("Why: " + " ".join(reasons), SMALL)]


def patterns_list(patterns: list[Pattern]) -> list:
    return [
        Paragraph(
            f'<b>{escape(x.what)}</b> (<font color="{LEVEL_COLOURS[x.level]}">'
            f"{escape(x.level_words)}</font>): {escape(x.message)} {escape(x.reason)}",
            TABLE_TEXT,
        )
        for x in patterns
    ]


def _needs_attention(report: Report) -> list:
    flagged, patterns = report.flagged, report.alerts
    story = [p("Needs attention", HEADING)]
    if flagged:
        story += attention_table(report.attention.most_serious_first[:FLAGGED_ON_PAGE_ONE])
    else:
        story.append(p("No cramp in this period met a warning rule.", TABLE_TEXT))
    as_of = f"{report.attention.as_of:%d %b %Y}"
    if patterns:
        story += [Spacer(1, 3), p(f"Patterns as they stood on {as_of}:", TABLE_TEXT)]
        story += patterns_list(patterns[:PATTERNS_ON_PAGE_ONE])
    else:
        story.append(p(f"No pattern rule was met as of {as_of}.", TABLE_TEXT))
    more = max(0, len(flagged) - FLAGGED_ON_PAGE_ONE) + max(0, len(patterns) - PATTERNS_ON_PAGE_ONE)
    if more:
        story.append(p(f"{more} more on page 2.", SMALL))
    return story


def has_more(report: Report) -> bool:
    return len(report.flagged) > FLAGGED_ON_PAGE_ONE or len(report.alerts) > PATTERNS_ON_PAGE_ONE


def _medicines(report: Report) -> list:
    if not report.medications:
        return [p("None listed.", SMALL)]
    lines = []
    for m in report.medications:
        until = f"stopped {m.stopped_on:%d %b %Y}" if m.stopped_on else "still taken"
        lines.append(
            p(f"{m.name}, {m.get_kind_display().lower()}: from {m.started_on:%d %b %Y}, {until}")
        )
    return lines


def _chart(png: bytes) -> Image:
    image = Image(io.BytesIO(png))
    image.drawWidth, image.drawHeight = _HALF, _HALF * image.imageHeight / image.imageWidth
    return image


def _charts(charts_png: dict) -> Table:
    return Table(
        [
            [p("Cramps per week, by where", HEADING), p("Pain and length over time", HEADING)],
            [_chart(charts_png["weekly"]), _chart(charts_png["intensity"])],
        ],
        colWidths=[_HALF + 0.3 * cm, _HALF + 0.3 * cm],
        hAlign="LEFT",
        style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)],
    )


def first_page(report: Report, charts_png: dict) -> list:
    made = report.made.astimezone(report.zone)
    questions = report.questions
    return [
        p("Muscle cramp record", TITLE),
        *_who(report),
        p(f"{DISCLAIMER} Made {made:%d %b %Y}.", SMALL),
        p("Key numbers", HEADING),
        _key_numbers(report),
        *_needs_attention(report),
        p("Medicines taken in the period", HEADING),
        *_medicines(report),
        _charts(charts_png),
        p("Questions to raise (suggested by the app from this record)", HEADING),
        *([p(f"• {q}") for q in questions] or [p("None drawn from the numbers.", SMALL)]),
        Spacer(1, 4),
        p(report.attention.footnote, SMALL),
    ]


def attention_pages(report: Report) -> list:
    """What needs attention in full, newest first, when page 1 shows only the first few."""
    flagged = report.attention.newest_first
    listed = flagged[:FLAGGED_LISTED]
    heading = f"Needs attention: every cramp in the period that met a warning rule ({len(flagged)})"
    if len(listed) < len(flagged):
        heading = (
            f"Needs attention: the {len(listed)} most recent of the {len(flagged):,} cramps "
            "in the period that met a warning rule"
        )
    story = [p(heading, HEADING)]
    if listed:
        story += attention_table(listed)
    if report.alerts:
        story.append(p(f"Patterns as they stood on {report.attention.as_of:%d %b %Y}", HEADING))
        story += patterns_list(report.alerts)
    return story
