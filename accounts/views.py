import hashlib
import json
import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker.problems import problem_response
from tracker.reports import limits

from . import importing, services, tokens
from .forms import USERNAME_TAKEN, DeleteAccountForm, ImportForm, ProfileForm, SignUpForm
from .lockout import client_ip, seconds_until_unlocked
from .mail import email_is_delivered
from .models import AuditEvent, audit, profile_for

SIGNED_UP = "Welcome: your account is ready, and you are logged in."
INTERRUPTED = (
    "Something changed while the file was being imported, so the import stopped part way. "
    "Choose the file again: what is already saved stays as it is, and the rest is added."
)


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers after too many failed log-ins, on the page and in the API."""
    seconds = seconds_until_unlocked(request, credentials)
    minutes = math.ceil(seconds / 60)
    message = (
        "Too many failed log-ins for this account from your network. For your safety, "
        f"try again in {minutes} minute{pluralize(minutes)}."
    )
    if request.path.startswith("/api/"):
        response = problem_response(429, message, code="locked_out")
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _sign_up_wait(request) -> int | None:
    """Seconds this address waits before trying again, or None: a taken name is said plainly,
    so tries are counted per address (hashed: the count needs no address kept)."""
    address = hashlib.sha256((client_ip(request) or "").encode()).hexdigest()[:32]
    windows = [(3600, settings.SIGN_UP_LIMIT_PER_HOUR)]
    return limits.take(who=f"signup:{address}", now=timezone.now(), windows=windows)


def _too_many_sign_ups(request, wait: int):
    minutes = math.ceil(wait / 60)
    refused = (
        f"Too many sign-ups from your network: try again in {minutes} minute{pluralize(minutes)}."
    )
    kept = SignUpForm(initial={k: request.POST.get(k) for k in ["username", "email"]})
    response = render(
        request, "accounts/signup.html", {"form": kept, "refused": refused}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("quick_log")
    if request.method == "POST" and (wait := _sign_up_wait(request)):
        return _too_many_sign_ups(request, wait)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.sign_up(
            username=data["username"],
            password=data["password1"],
            email=data["email"],
            time_zone=data["time_zone"],
        )
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, SIGNED_UP)
            return redirect("quick_log")
        form.add_error("username", USERNAME_TAKEN)  # taken a moment ago, by another sign-up
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=profile_for(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Profile saved.")
        return redirect("profile")
    context = {
        "form": form,
        "email_is_delivered": email_is_delivered(),
        "api_tokens": tokens.live_for(request.user),
        "import_form": ImportForm(),
    }
    return render(request, "accounts/profile.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def import_data(request):
    """Checks an uploaded file and shows what importing it would do; saves nothing."""
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"]
        try:
            context["plan"] = importing.check(user=request.user, content=content)
        except importing.UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            if context["plan"].can_save:
                context["pending"] = importing.keep(user=request.user, content=content)
    return render(request, "accounts/import.html", context)


@login_required
@require_POST
def save_import(request, pending_id):
    """Imports the file the person just checked, checked again: things may have changed."""
    content = importing.take(user=request.user, pending_id=pending_id)
    if content is None:  # not theirs, already imported (a second press), or an hour old
        raise Http404
    plan = importing.check(user=request.user, content=content)
    if not plan.can_save:
        messages.error(request, "Something changed since the check, so nothing was saved.")
        return render(request, "accounts/import.html", {"form": ImportForm(), "plan": plan})
    if not importing.save(user=request.user, plan=plan):
        messages.error(request, INTERRUPTED)
        return redirect("import_data")
    messages.success(request, f"Imported {plan.what}.")
    return redirect("profile")


@login_required
@require_POST
def revoke_api_token(request, token_id):
    get_object_or_404(tokens.live_for(request.user), pk=token_id).delete()
    messages.success(request, "API key revoked: it no longer opens your data.")
    return redirect("profile")


@login_required
@require_POST
def log_out_everywhere(request):
    tokens.log_out_everywhere(user=request.user)
    logout(request)
    messages.success(request, "You are logged out on every device, and every API key is revoked.")
    return redirect("login")


class RevokesApiKeys:
    """A new password also revokes every API key, as it ends other sessions: a key taken
    along with the old password must stop working with it."""

    def form_valid(self, form):
        response = super().form_valid(form)
        tokens.revoke_all(user=form.user)
        return response


class PasswordChangeView(RevokesApiKeys, auth_views.PasswordChangeView):
    pass


class PasswordResetConfirmView(RevokesApiKeys, auth_views.PasswordResetConfirmView):
    pass


@never_cache
@login_required
@require_GET
def export(request):
    data = services.export_data(user=request.user)
    audit(request.user, AuditEvent.What.DATA)
    filename = f"cramp-tracker-{timezone.localdate():%Y-%m-%d}.json"
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def activity(request):
    events = request.user.audit_events.all()[:200]
    return render(request, "accounts/activity.html", {"events": events})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.delete_account(user=user)
        messages.success(request, "Your account and all its data are deleted.")
        return redirect("login")
    return render(request, "accounts/delete.html", {"form": form})
