"""What each report holds for an owner and a period, for the pages, the PDF and the exports."""

from datetime import date, datetime

from django.db.models import Q

from accounts.models import profile_for

from . import exports, pdf
from .cache import chart_for, data_version, summary_for
from .charts import CHARTS
from .questions import questions
from .summary import Period, key_figures


def _alerts(owner, period: Period):
    """The alerts still open, and those raised during the period."""
    raised_in_period = Q(created_at__date__gte=period.start, created_at__date__lte=period.end)
    return list(
        owner.alerts.filter(Q(closed_at__isnull=True) | raised_in_period).prefetch_related(
            "episodes"
        )
    )


def _owner(owner, today: date) -> dict:
    profile = profile_for(owner)
    age = today.year - profile.birth_year if profile.birth_year else None
    return {"name": profile.display_name, "age": age}


def page(owner, period: Period) -> dict:
    """Everything the Trends page and a shared report page show."""
    version = data_version(owner)
    s = summary_for(owner, period, version)
    medications = list(owner.medications.all())
    return {
        "summary": s,
        "key_figures": key_figures(s),
        "charts": [chart_for(owner, name, period, "svg", version) for name in CHARTS],
        "alerts": _alerts(owner, period),
        "medications": medications,
        "questions": questions(s, medications),
        "owner": _owner(owner, period.end),
    }


def physician_pdf(owner, period: Period, now: datetime) -> bytes:
    zone = profile_for(owner).zone
    version = data_version(owner)
    s = summary_for(owner, period, version)
    medications = list(owner.medications.all())
    return pdf.physician_pdf(
        s=s,
        owner=_owner(owner, now.astimezone(zone).date()),
        alerts=_alerts(owner, period),
        medications=medications,
        questions=questions(s, medications),
        episodes=list(period.filter(owner.episodes.all(), zone).order_by("started_at")),
        zone=zone,
        charts_png={
            name: chart_for(owner, name, period, "png", version)["image"]
            for name in ("weekly", "heatmap")
        },
        now=now,
    )


def episodes_csv(owner, period: Period) -> str:
    zone = profile_for(owner).zone
    return exports.episodes_csv(
        period.filter(owner.episodes.all(), zone).order_by("started_at"), zone
    )


def fhir_bundle(owner, period: Period, now: datetime) -> dict:
    zone = profile_for(owner).zone
    episodes = period.filter(owner.episodes.all(), zone).order_by("started_at")
    return exports.fhir_bundle(episodes, zone, now)
