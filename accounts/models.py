import uuid
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS

ML_PER_FL_OZ = 29.5735


@cache
def time_zone_names() -> list[str]:
    return sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(f"Unknown time zone: {value}.")


class FluidUnit(models.TextChoices):
    ML = "ml", "millilitres (mL)"
    FL_OZ = "fl_oz", "US fluid ounces (fl oz)"


class Theme(models.TextChoices):
    SYSTEM = "system", "Like this phone"
    LIGHT = "light", "Light"
    DARK = "dark", "Dark"


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    # Optional, only for the top of the physician report.
    display_name = models.CharField("Name on reports", max_length=100, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        "Year of birth",
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    fluid_unit = models.CharField(max_length=5, choices=FluidUnit.choices, default=FluidUnit.ML)
    # Set on <html> by the server, so a dark page never flashes white while it loads.
    theme = models.CharField(
        "Colours",
        max_length=6,
        choices=Theme.choices,
        default=Theme.SYSTEM,
        help_text="\u201cLike this phone\u201d follows its dark mode, often on at night.",
    )
    email_alerts = models.BooleanField(
        default=False, help_text="E-mail me when a new alert says to see a doctor soon or today."
    )
    # Context a doctor would ask about, shown on the report; never used to diagnose.
    pregnant_or_recent_birth = models.BooleanField("Pregnant or gave birth recently", default=False)
    kidney_disease = models.BooleanField("Kidney disease or dialysis", default=False)
    diabetes = models.BooleanField("Diabetes", default=False)
    liver_disease = models.BooleanField("Liver disease", default=False)
    # The user's own alert thresholds (a doctor may ask for others); keys of ALERT_THRESHOLDS.
    alert_thresholds = models.JSONField(default=dict, blank=True)
    # Every save of an episode adds one; the pattern rules note the count they last ran at.
    # Different: something changed that the alerts have not seen (tracker.alerts.of).
    changes = models.PositiveBigIntegerField(default=0)
    alerts_checked_changes = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"Profile of {self.user}"

    def context(self) -> list[str]:
        """What the person ticked of the health context, for the report: never a diagnosis."""
        names = ["pregnant_or_recent_birth", "kidney_disease", "diabetes", "liver_disease"]
        return [self._meta.get_field(n).verbose_name for n in names if getattr(self, n)]

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """Days and hours are the user's own: a cramp at 23:30 belongs to that evening."""
        return zoneinfo.ZoneInfo(self.time_zone)


def profile_for(user) -> Profile:
    """Every user has a profile; users made outside sign-up (admin, shell) get one on first use."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        profile, _ = Profile.objects.get_or_create(user=user)
        return profile


def lock_person(user) -> None:
    """Holds the person's row until the transaction ends, so that their deletes and alert
    runs take turns instead of interleaving (SQLite already lets one writer in at a time)."""
    from django.contrib.auth import get_user_model

    people = get_user_model().objects.select_for_update()
    list(people.filter(pk=user.pk).values_list("pk"))


def zone_for(user) -> zoneinfo.ZoneInfo:
    return profile_for(user).zone


class AuditEvent(models.Model):
    """Something that let the user's data leave the app: they can see each one, with time."""

    class What(models.TextChoices):
        PDF = "pdf", "Physician report (PDF) downloaded"
        CSV = "csv", "Spreadsheet (CSV) downloaded"
        FHIR = "fhir", "FHIR export downloaded"
        DATA = "data", "All my data downloaded"
        SHARE_LINK_MADE = "share_made", "Share link made"
        SHARE_OPENED = "share_opened", "Share link opened"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="audit_events"
    )
    at = models.DateTimeField(default=timezone.now)
    what = models.CharField(max_length=20, choices=What.choices)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "-at"])]

    def __str__(self):
        return f"{self.get_what_display()} at {self.at:%Y-%m-%d %H:%M}"


def audit(user, what: str, detail: str = "") -> None:
    AuditEvent.objects.create(user=user, what=what, detail=detail)


class ApiToken(AbstractAuthToken):
    """An API key the person can see and revoke. knox keeps only a hash of the key (digest)
    and its first characters (token_key); the key itself is shown once, when it is made."""

    # A short public id for lists and revoke URLs, instead of knox's digest primary key.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    name = models.CharField(max_length=100, blank=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name or 'API key'} of {self.user}"


class UserSession(AbstractBaseSession):
    """Django's database session with its owner's id, so "log out everywhere" can find and end
    every session of one person (the stock table only holds them encoded)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="sessions"
    )

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore


class PendingImport(models.Model):
    """A file the person uploaded to import, kept between the preview and their "Import":
    in the database, so any app server can finish it. Deleted once saved, and an hour on."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    content = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Import waiting since {self.created_at:%Y-%m-%d %H:%M}"
