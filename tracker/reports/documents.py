"""What each report holds for an owner and a period, for the pages, the PDF and the exports."""

from collections.abc import Iterator
from datetime import date, datetime

from django.db.models import Q

from accounts.models import profile_for

from .. import alerts
from . import exports, pdf
from .cache import chart_for, data_version, summary_for
from .charts import CHARTS
from .questions import questions
from .summary import Period, key_figures


def _alerts(owner, period: Period, zone) -> list:
    """The alerts about the period, open or closed: those with an episode in it (an alert
    about a medicine lists the cramps behind it). Nothing from another time reaches a report."""
    about = Q(episodes__in=period.filter(owner.episodes.all(), zone))
    return list(alerts.of(user=owner).filter(about).distinct().prefetch_related("episodes"))


def _owner(owner, today: date) -> dict:
    profile = profile_for(owner)
    age = today.year - profile.birth_year if profile.birth_year else None
    return {"name": profile.display_name, "age": age, "context": profile.context()}


def _episodes(owner, period: Period, zone):
    return period.filter(owner.episodes.all(), zone).order_by("started_at")


def _report(owner, period: Period, now: datetime) -> dict:
    """What every form of the report shares; the age is as of today, wherever it is shown."""
    zone = profile_for(owner).zone
    version = data_version(owner)
    s = summary_for(owner, period, version)
    medications = list(period.taken_in(owner.medications.all()))
    return {
        "zone": zone,
        "version": version,
        "summary": s,
        "alerts": _alerts(owner, period, zone),
        "medications": medications,
        "questions": questions(s, medications),
        "owner": _owner(owner, now.astimezone(zone).date()),
    }


def page(owner, period: Period, now: datetime) -> dict:
    """Everything the Trends page and a shared report page show."""
    report = _report(owner, period, now)
    charts = [chart_for(owner, name, period, "svg", report["version"]) for name in CHARTS]
    return {**report, "key_figures": key_figures(report["summary"]), "charts": charts}


def physician_pdf(owner, period: Period, now: datetime) -> bytes:
    report = _report(owner, period, now)
    return pdf.physician_pdf(
        s=report["summary"],
        owner=report["owner"],
        alerts=report["alerts"],
        medications=report["medications"],
        questions=report["questions"],
        episodes=list(
            _episodes(owner, period, report["zone"]).order_by("-started_at")[: pdf.MAX_ROWS]
        ),
        zone=report["zone"],
        charts_png={
            name: chart_for(owner, name, period, "png", report["version"])["image"]
            for name in ("weekly", "heatmap")
        },
        now=now,
    )


def episodes_csv(owner, period: Period) -> Iterator[str]:
    zone = profile_for(owner).zone
    return exports.episodes_csv(_episodes(owner, period, zone), zone)


def fhir_bundle(owner, period: Period, now: datetime) -> Iterator[str]:
    zone = profile_for(owner).zone
    return exports.fhir_bundle(_episodes(owner, period, zone), zone, now)
