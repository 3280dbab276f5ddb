"""What each form of the report holds: the page, the PDF and the exports, for one period."""

from collections.abc import Iterator
from datetime import datetime

from accounts.models import profile_for

from ..periods import Period
from . import exports, pdf
from .cache import chart_for
from .charts import CHARTS
from .report import Report

PDF_CHARTS = ("weekly", "intensity")  # page 1: cramps per week, and the pain and length trend


def _episodes(owner, period: Period, zone):
    return period.filter(owner.episodes.all(), zone).order_by("started_at")


def page(report: Report) -> dict:
    """Everything the Trends page and a shared report page show."""
    charts = [chart_for(report.user, name, report.period, "svg", report.version) for name in CHARTS]
    return {"report": report, "summary": report.summary, "charts": charts}


def physician_pdf(report: Report) -> bytes:
    newest = _episodes(report.user, report.period, report.zone).order_by("-started_at")
    return pdf.physician_pdf(
        report,
        episodes=list(newest[: pdf.MAX_ROWS]),
        charts_png={
            name: chart_for(report.user, name, report.period, "png", report.version)["image"]
            for name in PDF_CHARTS
        },
    )


def episodes_csv(owner, period: Period) -> Iterator[str]:
    zone = profile_for(owner).zone
    return exports.episodes_csv(_episodes(owner, period, zone), zone)


def fhir_bundle(owner, period: Period, now: datetime) -> Iterator[str]:
    profile = profile_for(owner)
    return exports.fhir_bundle(
        _episodes(owner, period, profile.zone),
        profile.zone,
        now,
        name=profile.display_name,
        birth_year=profile.birth_year,
    )
