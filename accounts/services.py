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


SIGNED_UP = (
    "If that username was free, your account is ready: log in below. If you already had an "
    "account with that name, log in with its password."
)


def sign_up(*, username: str, password: str, email: str = "", time_zone: str = "UTC"):
    """Creates the account if the name is free, and returns None if it was not.

    The caller answers the same either way (SIGNED_UP), so sign-up cannot be used to learn
    who has an account; a taken name costs the same password hashing as a new one.
    """
    if User.objects.filter(username__iexact=username).exists():
        make_password(password)
        return None
    try:
        return register(username=username, password=password, email=email, time_zone=time_zone)
    except IntegrityError:  # the same name sent twice at once
        return None


def export_data(*, user) -> dict:
    """Everything the app holds about the user, in the API's own field names."""
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
            "email_alerts": profile.email_alerts,
            "alert_thresholds": profile.alert_thresholds,
        },
        "episodes": EpisodeSerializer(user.episodes.order_by("started_at"), many=True).data,
        "medications": MedicationSerializer(user.medications.all(), many=True).data,
        "alerts": AlertSerializer(user.alerts.order_by("created_at"), many=True).data,
        "activity": [
            {"at": e.at.isoformat(), "what": e.what, "detail": e.detail}
            for e in user.audit_events.order_by("at")
        ],
        # Which API keys exist, never the keys (the server only holds their hashes).
        "api_keys": [
            {"name": t.name, "created": t.created, "expiry": t.expiry, "last_used": t.last_used}
            for t in user.auth_token_set.order_by("created")
        ],
    }


@transaction.atomic
def delete_account(*, user) -> None:
    """Removes the user and, by cascade, every row that belongs to them."""
    user.delete()
