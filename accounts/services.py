from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction

from .models import Profile, profile_for

User = get_user_model()


@transaction.atomic
def register(*, username: str, password: str, email: str = "", time_zone: str = "UTC"):
    """Creates the user and their profile together: no user is ever without one."""
    user = User.objects.create_user(username=username, password=password, email=email)
    Profile.objects.create(user=user, time_zone=time_zone)
    return user


def sign_up(*, username: str, password: str, email: str = "", time_zone: str = "UTC"):
    """Creates the account if the name is free, and returns None if it was not.

    The sign-up page then says the name is taken; the API answers the same either way, as
    its v1 contract promises, and a taken name costs the same password hashing as a new one.
    """
    if User.objects.filter(username__iexact=username).exists():
        make_password(password)
        return None
    try:
        return register(username=username, password=password, email=email, time_zone=time_zone)
    except IntegrityError:  # the same name sent twice at once
        return None


def export_data(*, user) -> dict:
    """Everything the app holds about the user, in the API's own field names.

    API tokens are left out: they are secrets, and a download must not be a key to the
    account. tests/test_account_data.py lists every model and fails when one is forgotten.
    """
    from tracker import alerts
    from tracker.serializers import AlertSerializer, EpisodeSerializer, MedicationSerializer

    profile = profile_for(user)
    return {
        "account": {
            "username": user.username,
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
        },
        "profile": {
            "display_name": profile.display_name,
            "birth_year": profile.birth_year,
            "time_zone": profile.time_zone,
            "fluid_unit": profile.fluid_unit,
            "theme": profile.theme,
            "email_alerts": profile.email_alerts,
            "alert_thresholds": profile.alert_thresholds,
        },
        "episodes": EpisodeSerializer(user.episodes.order_by("started_at"), many=True).data,
        "medications": MedicationSerializer(user.medications.all(), many=True).data,
        "alerts": AlertSerializer(alerts.of(user=user).order_by("created_at"), many=True).data,
        "activity": [
            {"at": e.at.isoformat(), "what": e.what, "detail": e.detail}
            for e in user.audit_events.order_by("at")
        ],
        "share_links": _share_links(user),
        **_log_in_history(user),
        "api_keys": _api_keys(user),
        # Ids of deleted episodes, kept so a resend from another phone cannot bring one back.
        "deleted_episodes": [
            {"id": str(d.episode_id), "deleted_at": d.deleted_at.isoformat()}
            for d in user.deleted_episodes.order_by("deleted_at")
        ],
    }


def _share_links(user) -> list[dict]:
    """Each link with its period and every opening; not the token's hash, which opens nothing."""
    links = user.share_links.order_by("created_at").prefetch_related("openings")
    return [
        {
            "id": str(link.id),
            "starts_on": link.starts_on.isoformat(),
            "ends_on": link.ends_on.isoformat(),
            "created_at": link.created_at.isoformat(),
            "expires_at": link.expires_at.isoformat(),
            "revoked_at": link.revoked_at.isoformat() if link.revoked_at else None,
            "openings": [
                {"at": o.opened_at.isoformat(), "what": o.what}
                for o in sorted(link.openings.all(), key=lambda o: o.opened_at)
            ],
        }
        for link in links
    ]


def _lockout_logs(user):
    """django-axes keeps its log-in records by the typed name, with no key to the user; names
    are unique whatever their case (sign_up), so every spelling of this one is theirs."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return [
        model.objects.filter(username__iexact=user.username)
        for model in (AccessLog, AccessAttempt, AccessFailureLog)
    ]


def _log_in_history(user) -> dict:
    log_ins, attempts, failures = _lockout_logs(user)

    def where(entry) -> dict:
        return {"ip_address": entry.ip_address, "user_agent": entry.user_agent}

    return {
        "log_ins": [
            {
                "at": e.attempt_time.isoformat(),
                "logged_out_at": e.logout_time.isoformat() if e.logout_time else None,
                **where(e),
            }
            for e in log_ins.order_by("attempt_time")
        ],
        # Failed log-ins counted towards a lockout in the last hour, per address...
        "lockout_counters": [
            {"last_at": e.attempt_time.isoformat(), "failures": e.failures_since_start, **where(e)}
            for e in attempts.order_by("attempt_time")
        ],
        # ...and each failed log-in, where the failure log is on (AXES_ENABLE_ACCESS_FAILURE_LOG).
        "failed_log_ins": [
            {"at": e.attempt_time.isoformat(), **where(e)}
            for e in failures.order_by("attempt_time")
        ],
    }


def _api_keys(user) -> list[dict]:
    """Which API keys exist, never the keys (the server only holds their hashes)."""
    return [
        {"name": t.name, "created": t.created, "expiry": t.expiry, "last_used": t.last_used}
        for t in user.auth_token_set.order_by("created")
    ]


@transaction.atomic
def delete_account(*, user) -> None:
    """Removes the user, by cascade every row that points to them, and the log-in records
    that only name them (django-axes)."""
    for records in _lockout_logs(user):
        records.delete()
    user.delete()
