import uuid
from datetime import UTC, datetime, time, timedelta
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from .periods import EARLIEST_DAY, Period
from .zones import validate_sent_offset, validate_zone_name, zone_label, zone_named

MAX_DURATION_SECONDS = 86_400
MAX_FLUID_ML = 10_000
MAX_NOTES_LENGTH = 2_000
# Phones' clocks drift; a start a few minutes ahead is a clock, further is a typo.
FUTURE_TOLERANCE = timedelta(minutes=5)


class Site(models.TextChoices):
    INNER_THIGH = "inner_thigh", "Inner thigh / groin"
    BACK_OF_THIGH = "back_of_thigh", "Back of thigh (hamstrings)"
    FRONT_OF_THIGH = "front_of_thigh", "Front of thigh (quadriceps)"
    CALF = "calf", "Calf"
    FOOT = "foot", "Foot"
    OTHER = "other", "Other"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both"


class Activity(models.TextChoices):
    RESTING = "resting", "Resting"
    SLEEPING = "sleeping", "Sleeping"
    EXERCISE = "exercise", "Exercise"
    WALKING = "walking", "Walking"
    STANDING_UP = "standing_up", "Standing up"
    SITTING = "sitting", "Sitting"
    OTHER = "other", "Other"


class Hydration(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"


class Symptom(models.TextChoices):
    NUMBNESS_TINGLING = "numbness_tingling", "Numbness or tingling"
    SWELLING = "swelling", "Swelling"
    REDNESS_WARMTH = "redness_warmth", "Redness or warmth"
    SKIN_COLOR_CHANGE = "skin_color_change", "Skin colour change"
    WEAKNESS = "weakness", "Weakness"
    VISIBLE_TWITCHING = "visible_twitching", "Visible twitching"
    KNOT = "knot", "Hard knot in the muscle"
    LIMITED_MOTION = "limited_motion", "Could not move it fully"
    CANNOT_WALK = "cannot_walk", "Could not put weight on the leg"
    DARK_URINE = "dark_urine", "Dark urine"
    # Context a doctor asks about; never used to say what causes a cramp.
    AFTER_FALL_OR_INJURY = "after_fall_or_injury", "After a fall or injury"
    FEVER = "fever", "Fever"
    BACK_PAIN_DOWN_LEG = "back_pain_down_leg", "Back pain spreading down the leg"
    URGE_TO_MOVE = "urge_to_move", "An urge to move the legs that eases with moving"


# Asked on every log, outside "More details": the signs the guidance says not to wait on.
WARNING_SIGNS = [
    Symptom.SWELLING,
    Symptom.REDNESS_WARMTH,
    Symptom.SKIN_COLOR_CHANGE,
    Symptom.NUMBNESS_TINGLING,
    Symptom.WEAKNESS,
    Symptom.DARK_URINE,
    Symptom.CANNOT_WALK,
]


class FluidLoss(models.TextChoices):
    VOMITING_DIARRHOEA = "vomiting_diarrhoea", "Vomiting or diarrhoea"
    HEAVY_SWEATING = "heavy_sweating", "Heavy sweating"


class Relief(models.TextChoices):
    STRETCHING = "stretching", "Stretching"
    MASSAGE = "massage", "Massage"
    HEAT = "heat", "Heat"
    ICE = "ice", "Ice"
    WALKING = "walking", "Walking it off"
    DRINK_ELECTROLYTES = "drink_electrolytes", "Drink / electrolytes"
    PAIN_RELIEVER = "pain_reliever", "Pain reliever"
    REST = "rest", "Rest"
    NONE = "none", "Nothing"


class ReliefHelped(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


EARLIEST_START = datetime.combine(EARLIEST_DAY, time.min, tzinfo=UTC)


def validate_start_time(value):
    if value > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError("The start cannot be more than 5 minutes in the future.")
    if value < EARLIEST_START:
        raise ValidationError("The start must be in 1900 or later.")
    validate_sent_offset(value)


@deconstructible
class ChoiceSetValidator:
    """Checks that a stored list holds only known choices, each once."""

    def __init__(self, choices):
        self.choices = choices

    def __call__(self, value):
        if not isinstance(value, list):
            raise ValidationError("Expected a list of choices.")
        unknown = [item for item in value if item not in self.choices.values]
        if unknown:
            raise ValidationError(f"Unknown choice: {', '.join(map(str, unknown))}.")
        if len(set(value)) != len(value):
            raise ValidationError("Each choice may appear only once.")

    def __eq__(self, other):
        return isinstance(other, ChoiceSetValidator) and self.choices is other.choices


@cache
def _insert_sql(using: str) -> str:
    """Django's own INSERT for one episode, without its values."""
    fields = list(Episode._meta.local_concrete_fields)
    query = InsertQuery(Episode)
    query.insert_values(fields, [Episode()])
    [(sql, params)] = query.get_compiler(using).as_sql()
    assert len(params) == len(fields) == sql.count("%s"), "one placeholder a column"
    return sql


class Episode(models.Model):
    # What a person logs, in the order the form, the API and the CSV show it.
    LOGGED_FIELDS = [
        "started_at",
        "duration_seconds",
        "site",
        "side",
        "intensity",
        "activity",
        "activity_detail",
        "hydration",
        "fluid_ml",
        "symptoms",
        "recent_fluid_loss",
        "fluid_loss",
        "relief",
        "relief_helped",
        "notes",
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="episodes"
    )
    started_at = models.DateTimeField(validators=[validate_start_time])
    # Where it happened: its wall-clock time stays true when the profile's zone changes.
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_zone_name])
    duration_seconds = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_SECONDS)]
    )
    site = models.CharField(max_length=20, choices=Site.choices)
    side = models.CharField(max_length=10, choices=Side.choices)
    intensity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text="0 = no pain, 10 = worst imaginable",
    )
    activity = models.CharField(max_length=20, choices=Activity.choices)
    activity_detail = models.CharField(max_length=200, blank=True)
    hydration = models.CharField(max_length=10, choices=Hydration.choices)
    fluid_ml = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(0),
            MaxValueValidator(MAX_FLUID_ML, "At most 10,000 mL (about 338 fl oz)."),
        ],
    )
    # Sets are stored as sorted JSON lists: the same on SQLite and PostgreSQL.
    symptoms = models.JSONField(default=list, blank=True, validators=[ChoiceSetValidator(Symptom)])
    recent_fluid_loss = models.BooleanField(
        default=False, help_text="Heavy sweating, vomiting or diarrhoea in the last day"
    )
    # Which fluid loss, so a report can tell sweating after exercise from a stomach bug;
    # recent_fluid_loss stays true whenever this holds anything (older clients send only it).
    fluid_loss = models.JSONField(
        default=list, blank=True, validators=[ChoiceSetValidator(FluidLoss)]
    )
    relief = models.JSONField(default=list, blank=True, validators=[ChoiceSetValidator(Relief)])
    relief_helped = models.CharField(  # noqa: DJ001 - the API contract says null, not ""
        max_length=10, choices=ReliefHelped.choices, null=True, blank=True
    )
    notes = models.TextField(
        max_length=MAX_NOTES_LENGTH, blank=True, validators=[MaxLengthValidator(MAX_NOTES_LENGTH)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "-started_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(intensity__gte=0, intensity__lte=10),
                name="episode_intensity_0_to_10",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    duration_seconds__gte=1, duration_seconds__lte=MAX_DURATION_SECONDS
                ),
                name="episode_duration_1s_to_1day",
            ),
            models.CheckConstraint(
                condition=models.Q(fluid_ml__isnull=True)
                | models.Q(fluid_ml__gte=0, fluid_ml__lte=MAX_FLUID_ML),
                name="episode_fluid_ml_0_to_10000",
            ),
        ]

    def __str__(self):
        return f"{self.get_site_display()} cramp at {self.started_at:%Y-%m-%d %H:%M}"

    def _do_insert(self, manager, using, fields, returning_fields, raw):
        """Model.save's INSERT, its SQL compiled by Django once a process instead of on each
        save: compiling it was a tenth of an API create (bench/RESULTS.md). Values are
        prepared as Django's compiler prepares them; anything unusual goes through Django."""
        every_column = self._meta.local_concrete_fields
        plain = (
            not returning_fields
            and not raw
            and len(fields) == len(every_column)
            and all(field is column for field, column in zip(fields, every_column, strict=True))
            and not any(hasattr(getattr(self, f.attname), "resolve_expression") for f in fields)
        )
        if not plain:
            return super()._do_insert(manager, using, fields, returning_fields, raw)
        connection = connections[using]
        params = [f.get_db_prep_save(f.pre_save(self, add=True), connection) for f in fields]
        with connection.cursor() as cursor:
            cursor.execute(_insert_sql(using), params)
        return []

    @property
    def ended_at(self):
        """When the cramp eased: reports and exports show the whole period."""
        return self.started_at + timedelta(seconds=self.duration_seconds)

    @property
    def zone(self):
        return zone_named(self.time_zone)

    @property
    def zone_label(self) -> str:
        """Berlin for Europe/Berlin: said beside a time kept from another zone."""
        return zone_label(self.time_zone)

    def zone_note(self, shown_in) -> str:
        """ " (Berlin)" after a time kept from another zone than the one the page is in."""
        return "" if self.time_zone == str(shown_in) else f" ({self.zone_label})"

    @property
    def local_started_at(self):
        """The start as the clock showed it where the cramp happened (03:15 stays 03:15)."""
        return self.started_at.astimezone(self.zone)

    @property
    def local_ended_at(self):
        return self.ended_at.astimezone(self.zone)

    @property
    def duration_display(self) -> str:
        """Minutes and seconds, the way a person says how long it lasted."""
        minutes, seconds = divmod(self.duration_seconds, 60)
        if minutes >= 60:
            hours, minutes = divmod(minutes, 60)
            return f"{hours} h {minutes} min"
        if minutes and seconds:
            return f"{minutes} min {seconds} s"
        return f"{minutes} min" if minutes else f"{seconds} s"

    def symptom_labels(self) -> list[str]:
        return [Symptom(value).label for value in self.symptoms]

    def relief_labels(self) -> list[str]:
        return [Relief(value).label for value in self.relief]


class DeletedEpisode(models.Model):
    """The id of an episode its owner deleted (a tombstone): a resend still waiting on
    another phone must not bring it back. Keyed by the id, so nobody can reuse it."""

    episode_id = models.UUIDField(primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deleted_episodes"
    )
    deleted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"deleted episode {self.episode_id}"


class MedicationKind(models.TextChoices):
    STATIN = "statin", "Statin (for cholesterol)"
    DIURETIC = "diuretic", "Diuretic (water tablet)"
    STEROID = "steroid", "Steroid"
    OTHER = "other", "Other"


MEDICATION_DATES_AHEAD = timedelta(days=366)  # a planned start or stop, not more


class Medication(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="medications"
    )
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=MedicationKind.choices)
    started_on = models.DateField()
    stopped_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stopped_on__isnull=True)
                | models.Q(stopped_on__gte=models.F("started_on")),
                name="medication_stops_after_it_starts",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # A typo'd year (0001, 9999) would stretch every report and rule that reads the dates.
        latest = timezone.localdate() + MEDICATION_DATES_AHEAD
        far = {
            field: f"Give a date from {EARLIEST_DAY.year} to a year from today."
            for field in ("started_on", "stopped_on")
            if getattr(self, field) and not EARLIEST_DAY <= getattr(self, field) <= latest
        }
        if far:
            raise ValidationError(far)
        if self.stopped_on and self.started_on and self.stopped_on < self.started_on:
            raise ValidationError({"stopped_on": "The stop date cannot be before the start date."})

    def taken_on(self, day) -> bool:
        """Whether the medicine was being taken on that (local) day."""
        return self.started_on <= day and (self.stopped_on is None or day <= self.stopped_on)


class AlertLevel(models.TextChoices):
    URGENT = "urgent", "Seek care promptly, today"
    SOON = "soon", "See a doctor within a few days"
    ROUTINE = "routine", "Bring this up at your next visit"


LEVEL_ORDER = {AlertLevel.URGENT: 0, AlertLevel.SOON: 1, AlertLevel.ROUTINE: 2}
URGENT_FOR = timedelta(hours=48)
STALE_URGENT_ADVICE = "If you have not had this checked, see a doctor soon"


class AlertRule(models.TextChoices):
    RED_FLAG = "red_flag", "Warning signs"
    PROLONGED = "prolonged", "Long cramp"
    MEDICATION = "medication", "Medicine"
    FLUID_LOSS = "fluid_loss", "After fluid loss"
    CLAUDICATION_PATTERN = "claudication_pattern", "Pain when walking"
    FREQUENT = "frequent", "Frequent cramps"
    ESCALATING = "escalating", "Getting worse"
    SLEEP_DISRUPTION = "sleep_disruption", "Disturbed sleep"
    NOT_HELPED_BY_SELF_CARE = "not_helped_by_self_care", "Self-care not helping"


class Alert(models.Model):
    """A pattern a doctor should hear about, with the episodes and the rule behind it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts"
    )
    rule = models.CharField(max_length=30, choices=AlertRule.choices)
    level = models.CharField(max_length=10, choices=AlertLevel.choices)
    message = models.CharField(max_length=300)
    reason = models.TextField()
    episodes = models.ManyToManyField(Episode, related_name="alerts", blank=True)
    # The guidance behind it: a list of {"name": ..., "url": ...}, shown with links.
    sources = models.JSONField(default=list, blank=True)
    # The newest cramp behind it: "today" is only said while that cramp is recent.
    newest_episode_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "rule"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_alert_per_rule",
            )
        ]

    def __str__(self):
        return f"{self.get_rule_display()} ({self.level})"

    @property
    def advice(self) -> str:
        """What to do now, in the words of the level: the same sentence everywhere it is shown.

        "Today" only while the newest cramp behind it is recent; later it would be false.
        """
        if self.level == AlertLevel.URGENT and not self.is_recent(timezone.now()):
            return STALE_URGENT_ADVICE
        return AlertLevel(self.level).label

    def is_recent(self, now) -> bool:
        """Whether the newest cramp behind the alert is less than 48 hours old."""
        newest = self.newest_episode_at or self.created_at
        return now - newest < URGENT_FOR


class ShareLink(models.Model):
    """A read-only link to one period's report, for a doctor, that expires and can be revoked.

    Only a SHA-256 of the token is stored: the link itself is shown once, when it is made.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="share_period_in_order"
            )
        ]

    def __str__(self):
        return f"Share link {self.starts_on} to {self.ends_on}"

    @property
    def period(self) -> Period:
        """The days the link shows, and only those: a report holds nothing from other days."""
        return Period(self.starts_on, self.ends_on)

    def is_open(self, now) -> bool:
        """Whether the link still opens: not revoked and not expired."""
        return self.revoked_at is None and now < self.expires_at


class ShareLinkOpening(models.Model):
    """Each time a share link was opened: the owner sees every one beside the link."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="openings")
    opened_at = models.DateTimeField(default=timezone.now)
    what = models.CharField(max_length=10, choices=[("page", "Report page"), ("pdf", "PDF")])

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self):
        return f"{self.get_what_display()} opened {self.opened_at:%Y-%m-%d %H:%M}"


class ExportCount(models.Model):
    """Exports asked for by one owner or one share link in one window of time.

    In the database, not a per-process cache, so that every gunicorn worker counts the same
    requests; rows older than the longest window are deleted as new windows start.
    """

    who = models.CharField(max_length=60)  # "user:<pk>" or "link:<pk>", nothing personal
    window_seconds = models.PositiveIntegerField()
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["who", "window_seconds", "window_start"], name="one_count_per_window"
            )
        ]

    def __str__(self):
        return f"{self.who}: {self.count} in {self.window_seconds} s from {self.window_start}"
