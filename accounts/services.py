from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Profile, profile_for

User = get_user_model()


@transaction.atomic
def register(*, username: str, password: str, email: str = "", time_zone: str = "UTC"):
    """Creates the user and their profile together: no user is ever without one."""
    user = User.objects.create_user(username=username, password=password, email=email)
    Profile.objects.create(user=user, time_zone=time_zone)
    return user


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
    }


@transaction.atomic
def delete_account(*, user) -> None:
    """Removes the user and, by cascade, every row that belongs to them."""
    user.delete()
