"""API keys the person controls (django-rest-knox underneath): made by the token endpoint,
listed and revoked on the profile and through the API, all ended by a new password or by
"log out everywhere"."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from knox.settings import knox_settings

from .models import ApiToken, UserSession

# last_used is a date for the person, not an audit trail: one write an hour at most.
LAST_USED_EVERY = timedelta(hours=1)


def live_for(user, *, now: datetime | None = None) -> QuerySet[ApiToken]:
    """The person's keys that still open the API, newest first."""
    now = now or timezone.now()
    return ApiToken.objects.filter(Q(expiry__isnull=True) | Q(expiry__gt=now), user=user)


def issue(*, user, name: str = "") -> tuple[ApiToken, str]:
    """A new key (returned once, never stored); the person's expired keys are cleared here so
    the list never fills up with dead rows."""
    ApiToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    return ApiToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL, name=name)


def note_use(token: ApiToken, *, now: datetime) -> None:
    if token.last_used is None or now - token.last_used >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)


def revoke_all(*, user) -> int:
    """Ends every API key of the person, e.g. after a password change."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def log_out_everywhere(*, user) -> None:
    """Ends every API key and every browser session of the person, this one included."""
    revoke_all(user=user)
    UserSession.objects.filter(user=user).delete()
