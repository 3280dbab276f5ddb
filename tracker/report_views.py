"""The Trends page, the physician report, the exports, and share links for a doctor."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import AuditEvent, audit, profile_for

from .forms import ReportPeriodForm, ShareLinkForm
from .periods import Period
from .reports import documents, exports, limits, report, sharing
from .reports.cache import chart_for
from .reports.charts import CHARTS


def _period_form(request) -> ReportPeriodForm:
    return ReportPeriodForm(request.GET, today=timezone.localdate())


def _bad_period(form: ReportPeriodForm) -> JsonResponse:
    return JsonResponse(form.errors_by_parameter(), status=400)


def _too_many(who: str, *, fhir: bool = False) -> JsonResponse | None:
    """429 with Retry-After once `who` (an owner or a share link) used up its exports."""
    wait = limits.take(who=who, now=timezone.now())
    if wait is None:
        return None
    detail = f"Too many downloads in a short time: try again in {wait} seconds."
    if fhir:
        response = _fhir_refusal(429, exports.operation_outcome("throttled", {"": [detail]}))
    else:
        response = JsonResponse({"detail": detail}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _fhir_refusal(status: int, outcome: dict) -> JsonResponse:
    """A refused FHIR export answers in FHIR: a client reads the OperationOutcome."""
    return JsonResponse(outcome, status=status, content_type=exports.FHIR_JSON)


def _download(content, content_type: str, filename: str) -> HttpResponse:
    """An attachment; `content` may be an iterator, which is then streamed, not held."""
    kind = HttpResponse if isinstance(content, bytes | str) else StreamingHttpResponse
    response = kind(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filename(stem: str, period, extension: str) -> str:
    return f"{stem}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{extension}"


@never_cache
@login_required
@require_GET
def trends(request):
    form = _period_form(request)
    period = form.period()
    query = urlencode({"from": period.start, "to": period.end})
    context = documents.page(report.build(user=request.user, period=period, now=timezone.now()))
    return render(
        request,
        "tracker/trends.html",
        {
            **context,
            "form": form,
            "period": period,
            "query": query,
            "chart_base": "/trends/charts/",
        },
    )


@never_cache
@login_required
@require_GET
def chart_image(request, name):
    form = _period_form(request)
    if name not in CHARTS:
        raise Http404
    if not form.is_valid():
        return _bad_period(form)
    chart = chart_for(request.user, name, form.period(), "svg")
    return HttpResponse(chart["image"], content_type="image/svg+xml")


@never_cache
@login_required
@require_GET
def physician_pdf(request):
    form = _period_form(request)
    if not form.is_valid():
        return _bad_period(form)
    if refused := _too_many(f"user:{request.user.pk}"):
        return refused
    period = form.period()
    pdf = documents.physician_pdf(
        report.build(user=request.user, period=period, now=timezone.now())
    )
    audit(request.user, AuditEvent.What.PDF, f"{period.start} to {period.end}")
    return _download(pdf, "application/pdf", _filename("cramp-report", period, "pdf"))


@never_cache
@login_required
@require_GET
def episodes_csv(request):
    form = _period_form(request)
    if not form.is_valid():
        return _bad_period(form)
    if refused := _too_many(f"user:{request.user.pk}"):
        return refused
    period = form.period()
    rows = documents.episodes_csv(request.user, period)
    audit(request.user, AuditEvent.What.CSV, f"{period.start} to {period.end}")
    return _download(rows, "text/csv; charset=utf-8", _filename("cramps", period, "csv"))


@never_cache
@login_required
@require_GET
def fhir_json(request):
    form = _period_form(request)
    if not form.is_valid():
        return _fhir_refusal(400, exports.operation_outcome("invalid", form.errors_by_parameter()))
    if refused := _too_many(f"user:{request.user.pk}", fhir=True):
        return refused
    period = form.period()
    bundle = documents.fhir_bundle(request.user, period, timezone.now())
    audit(request.user, AuditEvent.What.FHIR, f"{period.start} to {period.end}")
    return _download(bundle, exports.FHIR_JSON, _filename("cramps-fhir", period, "json"))


# --- share links: the owner's side ---------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def share_links(request):
    today = timezone.localdate()
    default = ReportPeriodForm(None, today=today).period()
    initial = {"start": default.start, "end": default.end, "expires_in_days": sharing.DEFAULT_DAYS}
    form = ShareLinkForm(request.POST or None, initial=initial)
    new_url = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _, token = sharing.create_link(
            user=request.user,
            period=Period(data["start"], data["end"]),
            days=data["expires_in_days"],
            now=timezone.now(),
        )
        audit(request.user, AuditEvent.What.SHARE_LINK_MADE, f"{data['start']} to {data['end']}")
        # Shown on this answer only: the token is not stored, so it cannot be shown again.
        new_url = request.build_absolute_uri(f"/share/{token}/")
        form = ShareLinkForm(initial=initial)
    links = request.user.share_links.prefetch_related("openings")
    context = {"form": form, "links": links, "new_url": new_url, "now": timezone.now()}
    if new_url:
        context["qr_code"] = sharing.qr_code(new_url)
    return render(request, "tracker/share_links.html", context)


@login_required
@require_POST
def revoke_share_link(request, link_id):
    link = get_object_or_404(request.user.share_links, id=link_id)
    sharing.revoke(link=link, now=timezone.now())
    messages.success(request, "The link no longer works.")
    return redirect("share_links")


# --- share links: the doctor's side (no log-in) ------------------------------------------


def shared(what: str | None, *, limited: bool = False):
    """Opens the link or 404s; no caching, no referrer, the owner's time zone.

    Opening the page or the PDF (`what`) is recorded for the owner; the page's own chart
    images (`what=None`) are not counted again. A `limited` view counts against the link's
    export limit, and a refused request is not recorded as an opening."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, token, *args, **kwargs):
            now = timezone.now()
            link = sharing.find_link(token=token, now=now)
            if link is None:
                raise Http404
            response = _too_many(f"link:{link.pk}") if limited else None
            if response is None:
                if what:
                    sharing.record_opening(link=link, now=now, what=what)
                timezone.activate(profile_for(link.user).zone)
                response = view(request, link, *args, **kwargs)
            response["Cache-Control"] = "no-store"
            response["Referrer-Policy"] = "no-referrer"
            return response

        return require_GET(wrapper)

    return decorate


@shared("page")
def shared_report(request, link):
    period = link.period
    context = documents.page(report.build(user=link.user, period=period, now=timezone.now()))
    return render(
        request,
        "tracker/shared_report.html",
        {
            **context,
            "period": period,
            "chart_base": f"/share/{request.resolver_match.kwargs['token']}/charts/",
        },
    )


@shared("pdf", limited=True)
def shared_pdf(request, link):
    period = link.period
    pdf = documents.physician_pdf(report.build(user=link.user, period=period, now=timezone.now()))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{_filename("cramp-report", period, "pdf")}"'
    )
    return response


@shared(None)
def shared_chart(request, link, name):
    if name not in CHARTS:
        raise Http404
    chart = chart_for(link.user, name, link.period, "svg")
    return HttpResponse(chart["image"], content_type="image/svg+xml")
