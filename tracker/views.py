import json
import re
from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from accounts.models import profile_for

from . import alerts, logbook
from .filters import EpisodeFilter
from .forms import AlertThresholdsForm, EpisodeForm, MedicationForm
from .models import Medication

HISTORY_PAGE = 25  # cramps a page; "Older" and "Newer" move between pages


def _get_episode_for_user(request, episode_id):
    """The signed-in user's episode, or 404 for anyone else's (never a 403 that confirms it)."""
    return get_object_or_404(request.user.episodes, id=episode_id)


def _form(request, **kwargs) -> EpisodeForm:
    return EpisodeForm(
        request.POST or None, fluid_unit=profile_for(request.user).fluid_unit, **kwargs
    )


# What a repeat cramp copies from the last one, so "It stopped" can save it at once.
REPEATED_CHOICES = ["site", "side", "intensity", "activity", "hydration"]
# The first cramp asks only where and which side: the rest starts at a middle answer the
# person sees and can change (a judgement call: a blank would cost three more taps).
FIRST_CRAMP_CHOICES = {"intensity": 5, "activity": "resting", "hydration": "normal"}


def _last_choices(user) -> dict:
    """The last cramp's choices: the usual answer, preselected (empty on the first cramp)."""
    last = user.episodes.only(*REPEATED_CHOICES).first()
    return {name: getattr(last, name) for name in REPEATED_CHOICES} if last else {}


@login_required
@require_http_methods(["GET", "POST"])
def log_episode(request, past=False):
    """The quick log (home, with the timer) and "log a past cramp" (times typed in)."""
    last = _last_choices(request.user)
    initial = {
        "started_at": timezone.localtime().replace(microsecond=0),
        **(last or FIRST_CRAMP_CHOICES),
    }
    form = _form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _, created = logbook.record_episode(user=request.user, fields=form.episode_fields())
        except ValidationError as error:
            form.add_error(None, error.message_dict["id"])
        except logbook.EpisodeDeleted as deleted:
            form.add_error(None, deleted.message)
        else:
            # Save pressed twice, or the page resent: the first one is kept, nothing doubles.
            messages.success(
                request, "Cramp saved." if created else "That cramp was already saved."
            )
            return redirect("history")
    template = "tracker/log_past.html" if past else "tracker/quick_log.html"
    unseen = alerts.of(user=request.user).filter(
        closed_at__isnull=True, acknowledged_at__isnull=True
    )
    return render(
        request,
        template,
        {
            "form": form,
            "past": past,
            "repeat": bool(last),
            "unseen_alerts": alerts.sort_by_seriousness(unseen),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_episode(request, episode_id):
    episode = _get_episode_for_user(request, episode_id)
    # Shown and typed on the clock where the cramp happened, which may not be today's zone.
    with timezone.override(episode.zone):
        form = _form(request, instance=episode)
        if request.method == "POST" and form.is_valid():
            logbook.update_episode(episode=episode, fields=form.episode_fields())
            messages.success(request, "Changes saved.")
            return redirect("history")
        return render(request, "tracker/edit.html", {"form": form, "episode": episode})


@login_required
@require_http_methods(["GET", "POST"])
def delete_episode(request, episode_id):
    episode = _get_episode_for_user(request, episode_id)
    if request.method == "POST":
        logbook.delete_episode(episode=episode)
        messages.success(request, "Cramp deleted.")
        return redirect("history")
    return render(request, "tracker/delete.html", {"episode": episode})


@login_required
@require_http_methods(["GET"])
def history(request):
    if request.GET.get("saved"):  # the page's script saved through the API, then came here
        messages.success(request, "Cramp saved.")
    filters = EpisodeFilter(request.GET, queryset=request.user.episodes.all())
    episodes = filters.qs if filters.is_valid() else request.user.episodes.none()
    page = Paginator(episodes, HISTORY_PAGE).get_page(request.GET.get("page"))
    flags = alerts.warning_flags(user=request.user, episodes=page)
    for episode in page:
        episode.warning = flags.get(episode.id)
    days = [
        (day, list(items)) for day, items in groupby(page, key=lambda e: e.local_started_at.date())
    ]
    return render(request, "tracker/history.html", {"filters": filters, "page": page, "days": days})


@require_http_methods(["GET"])
@cache_control(private=True, max_age=86_400)  # no personal data: the phone keeps it for offline
def emergency(request):
    return render(request, "emergency.html")


# The service worker keeps these two for when there is no network, so they hold nothing
# personal and say so: no-cache (stored, always revalidated), never the default no-store.
@require_http_methods(["GET"])
@cache_control(private=True, no_cache=True)
def offline(request):
    """What the service worker shows for a page it has no copy of."""
    return render(request, "offline.html")


@login_required
@require_http_methods(["GET"])
@cache_control(private=True, no_cache=True)
def offline_quick_log(request):
    """The quick log as the service worker keeps it for offline use: the timer and an empty
    form, without the alerts, the last cramp's choices or the messages of the live page."""
    form = _form(request, initial=FIRST_CRAMP_CHOICES)  # not personal: the same for everyone
    return render(request, "tracker/quick_log.html", {"form": form, "shell": True})


@require_http_methods(["GET"])
@cache_control(no_cache=True)
def service_worker(request):
    """Served from the root, so it may control every page of the app."""
    script = (settings.BASE_DIR / "static" / "js" / "sw.js").read_text()
    return HttpResponse(_with_static_urls(script), content_type="application/javascript")


_STATIC_FILE = re.compile(r'"/static/([^"]+)"')


def _with_static_urls(script: str) -> str:
    """The files' URLs as the pages ask for them (hashed in production), so the copies the
    worker keeps are the ones an offline page needs; a new release then also changes the
    worker, which makes the browser install it and fetch the new files."""
    return _STATIC_FILE.sub(lambda match: json.dumps(static(match.group(1))), script)


# --- alerts -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def alert_list(request):
    user_alerts = alerts.of(user=request.user).prefetch_related("episodes")
    current = alerts.sort_by_seriousness(a for a in user_alerts if a.closed_at is None)
    earlier = [a for a in user_alerts if a.closed_at is not None][:50]
    return render(
        request,
        "tracker/alerts.html",
        {"current": current, "earlier": earlier, "thresholds": alerts.thresholds_for(request.user)},
    )


@login_required
@require_http_methods(["POST"])
def acknowledge_alert(request, alert_id):
    alert = get_object_or_404(alerts.of(user=request.user), id=alert_id, closed_at__isnull=True)
    alerts.acknowledge(alert=alert)
    messages.success(request, "Marked as seen. It stays on this page while it applies.")
    return redirect("alerts")


@login_required
@require_http_methods(["GET", "POST"])
def alert_settings(request):
    profile = profile_for(request.user)
    form = AlertThresholdsForm(request.POST or None, current=alerts.thresholds_for(request.user))
    if request.method == "POST" and form.is_valid():
        profile.alert_thresholds = {
            key: value
            for key, value in form.cleaned_data.items()
            if value != settings.ALERT_THRESHOLDS[key]
        }
        profile.save(update_fields=["alert_thresholds"])
        alerts.evaluate_safely(user=request.user)
        messages.success(request, "Alert settings saved.")
        return redirect("alerts")
    return render(request, "tracker/alert_settings.html", {"form": form})


# --- medicines ----------------------------------------------------------------------------


def _get_medication_for_user(request, medication_id):
    return get_object_or_404(request.user.medications, id=medication_id)


@login_required
@require_http_methods(["GET", "POST"])
def medication_list(request):
    form = MedicationForm(request.POST or None, instance=Medication(user=request.user))
    if request.method == "POST" and form.is_valid():
        logbook.save_medication(medication=form.instance)
        messages.success(request, f"{form.instance.name} added.")
        return redirect("medications")
    return render(
        request,
        "tracker/medications.html",
        {"form": form, "medications": request.user.medications.all()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_medication(request, medication_id):
    medication = _get_medication_for_user(request, medication_id)
    form = MedicationForm(request.POST or None, instance=medication)
    if request.method == "POST" and form.is_valid():
        logbook.save_medication(medication=form.instance)
        messages.success(request, "Changes saved.")
        return redirect("medications")
    return render(request, "tracker/medication_edit.html", {"form": form, "medication": medication})


@login_required
@require_http_methods(["GET", "POST"])
def delete_medication(request, medication_id):
    medication = _get_medication_for_user(request, medication_id)
    if request.method == "POST":
        logbook.delete_medication(medication=medication)
        messages.success(request, f"{medication.name} deleted.")
        return redirect("medications")
    return render(request, "tracker/medication_delete.html", {"medication": medication})
