"""The report through the API: the summary numbers and the three exports, with a key.

Thin views over tracker/reports (which owns what a report says); the exports share the
pages' per-person limit and audit trail.
"""

from datetime import date

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import AuditEvent, audit

from .api import InUserTimeZone
from .api_schema import TOO_MANY
from .forms import ReportPeriodForm
from .periods import DEFAULT_DAYS, MAX_DAYS, fill_in
from .reports import documents, exports, limits, report
from .serializers import ReportSummarySerializer

PERIOD_PARAMETERS = [
    OpenApiParameter(
        "from",
        OpenApiTypes.DATE,
        description=f"First day included, 1900-01-01 or later. Default: {DEFAULT_DAYS - 1} "
        "days before `to` (so 90 days in all), but not before 1900-01-01.",
    ),
    OpenApiParameter(
        "to",
        OpenApiTypes.DATE,
        description="Last day included, 9000-12-31 at the latest, not before `from`, at most "
        f"{MAX_DAYS - 1} days after it. Default: today, or {DEFAULT_DAYS - 1} days after `from` if "
        "that is earlier (and never before `from`).",
    ),
]


def period_query(query, today: date) -> dict:
    """`from` and `to` with the missing one filled in, as documented in PERIOD_PARAMETERS."""
    filled = {"from": query.get("from", ""), "to": query.get("to", "")}
    # Only a missing end is filled in; one that is there but wrong is the form's to name.
    start = _day(filled["from"]) if not filled["to"] else None
    end = _day(filled["to"]) if not filled["from"] else None
    first, last = fill_in(start, end, today)
    return {
        "from": filled["from"] or (str(first) if first else ""),
        "to": filled["to"] or (str(last) if last else ""),
    }


def _day(text) -> date | None:
    try:
        return date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None  # the form names what is wrong with it


def requested_period(request):
    form = ReportPeriodForm(
        period_query(request.query_params, timezone.localdate()), today=timezone.localdate()
    )
    if not form.is_valid():
        raise serializers.ValidationError(form.errors_by_parameter())
    return form.period()


class ReportSummaryView(InUserTimeZone, APIView):
    """The report's numbers as JSON, in the user's time zone."""

    @extend_schema(
        summary="The numbers behind the physician report",
        parameters=PERIOD_PARAMETERS,
        responses=ReportSummarySerializer,
    )
    def get(self, request):
        period = requested_period(request)
        return Response(report.build(user=request.user, period=period, now=timezone.now()).summary)


class ExportView(InUserTimeZone, APIView):
    """One export as a download; the subclasses say which."""

    content_type = stem = extension = ""
    what = None

    def perform_content_negotiation(self, request, force=False):
        # Whatever Accept says, the answer is the file (or a problem in JSON).
        return super().perform_content_negotiation(request, force=True)

    def get(self, request):
        period = requested_period(request)
        wait = limits.take(who=f"user:{request.user.pk}", now=timezone.now())
        if wait is not None:
            raise Throttled(wait, f"Too many downloads in a short time: try again in {wait} s.")
        content = self.content(request.user, period)
        audit(request.user, self.what, f"{period.start} to {period.end}")
        # A str or bytes is sent whole; an iterator (CSV, FHIR) is streamed, not held.
        kind = HttpResponse if isinstance(content, bytes | str) else StreamingHttpResponse
        response = kind(content, content_type=self.content_type)
        name = f"{self.stem}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{self.extension}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response


FHIR_BUNDLE = {
    "type": "object",
    "description": "A FHIR R4 Bundle of Observations, one per episode.",
    "properties": {
        "resourceType": {"type": "string", "enum": ["Bundle"]},
        "type": {"type": "string"},
        "entry": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
    },
    "required": ["resourceType", "type"],
    "additionalProperties": True,
}


def export_schema(operation_id: str, media_type: str, body, description: str):
    return extend_schema(
        operation_id=operation_id,
        summary=description,
        description="Counts against the same download limit as the pages' exports.",
        parameters=PERIOD_PARAMETERS,
        responses={
            (200, media_type): OpenApiResponse(body, description),
            429: TOO_MANY,
        },
    )


class PhysicianPdfView(ExportView):
    content_type, stem, extension = "application/pdf", "cramp-report", "pdf"
    what = AuditEvent.What.PDF

    @export_schema(
        "reports_physician_pdf", "application/pdf", OpenApiTypes.BINARY, "The physician report"
    )
    def get(self, request):
        return super().get(request)

    def content(self, user, period):
        return documents.physician_pdf(report.build(user=user, period=period, now=timezone.now()))


class EpisodesCsvView(ExportView):
    content_type, stem, extension = "text/csv; charset=utf-8", "cramps", "csv"
    what = AuditEvent.What.CSV

    @export_schema(
        "reports_episodes_csv", "text/csv", OpenApiTypes.STR, "One row per episode, UTF-8"
    )
    def get(self, request):
        return super().get(request)

    def content(self, user, period):
        return documents.episodes_csv(user, period)


OPERATION_OUTCOME = {
    "type": "object",
    "description": "A FHIR R4 OperationOutcome: why the export was refused, one issue per "
    "message; `expression` names the query parameter as `http.<name>`.",
    "properties": {
        "resourceType": {"type": "string", "enum": ["OperationOutcome"]},
        "issue": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "severity": {"type": "string"},
                    "code": {"type": "string"},
                    "details": {"type": "object", "properties": {"text": {"type": "string"}}},
                    "expression": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["severity", "code"],
            },
        },
    },
    "required": ["resourceType", "issue"],
}
# What a refused FHIR export answers with: the issue type for each status.
FHIR_REFUSALS = {400: "invalid", 429: "throttled"}


class FhirJsonView(ExportView):
    content_type = exports.FHIR_JSON
    stem, extension = "cramps-fhir", "json"
    what = AuditEvent.What.FHIR

    @extend_schema(
        operation_id="reports_fhir_json",
        summary="A FHIR R4 Bundle of Observations",
        description="Counts against the same download limit as the pages' exports. A bad "
        "period or too many downloads answers a FHIR OperationOutcome.",
        parameters=PERIOD_PARAMETERS,
        responses={
            (200, "application/fhir+json"): OpenApiResponse(
                FHIR_BUNDLE, "A FHIR R4 Bundle of Observations"
            ),
            (400, "application/fhir+json"): OpenApiResponse(
                OPERATION_OUTCOME,
                "The period is not valid: one issue per bad parameter (an empty parameter "
                "is refused before the export is reached, as problem details).",
            ),
            (429, "application/fhir+json"): OpenApiResponse(
                OPERATION_OUTCOME, "Too many downloads in a short time: wait `Retry-After`."
            ),
        },
    )
    def get(self, request):
        return super().get(request)

    def handle_exception(self, exc):
        """A FHIR client reads an OperationOutcome, not problem details, when refused."""
        response = super().handle_exception(exc)
        if response.status_code in FHIR_REFUSALS:
            problem = response.data
            errors = problem.get("errors") or {"": [problem["detail"]]}
            response.data = exports.operation_outcome(FHIR_REFUSALS[response.status_code], errors)
            response.content_type = exports.FHIR_JSON
        return response

    def content(self, user, period):
        return documents.fhir_bundle(user, period, timezone.now())
