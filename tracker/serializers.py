import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .alerts.signs import EPISODE_CHECKS
from .models import Alert, Episode, FluidLoss, Medication, Relief, Symptom

UUID_FORM = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


# The JSON type each kind of field takes, most specific first. DRF alone would turn 0 into
# "0" for a text field, "5" into 5 and "yes" into true, none of which the schema allows.
JSON_TYPES = (
    (serializers.BooleanField, (bool,), "true or false"),
    (serializers.IntegerField, (int,), "a whole number"),
    (serializers.FloatField, (int, float), "a number"),
    ((serializers.ListField, serializers.MultipleChoiceField), (list,), "a list"),
    (
        (
            serializers.CharField,
            serializers.ChoiceField,
            serializers.DateField,
            serializers.DateTimeField,
            serializers.UUIDField,
        ),
        (str,),
        "a string",
    ),
)


def json_type_error(field: serializers.Field, value) -> str | None:
    """What is wrong with the JSON type of `value` for `field`, or None."""
    if value is None:
        return None  # the field's allow_null decides
    for kinds, types, name in JSON_TYPES:
        if isinstance(field, kinds):
            wrong_bool = isinstance(value, bool) and bool not in types
            return None if isinstance(value, types) and not wrong_bool else f"Must be {name}."
    return None


class StrictJSON:
    """A serializer mixin: in an API request each field takes only the JSON type the schema
    names. Without a request in its context (the import of a spreadsheet, whose cells are all
    text) DRF's own conversions stand."""

    def to_internal_value(self, data):
        if isinstance(data, dict) and "request" in self.context:
            errors = {
                name: [error]
                for name, field in self.fields.items()
                if not field.read_only
                and name in data
                and (error := json_type_error(field, data[name]))
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class ChoiceSetField(serializers.MultipleChoiceField):
    """A set of enum values on the wire as a JSON list, kept in the enum's order."""

    def __init__(self, choices_enum, **kwargs):
        self.in_order = list(choices_enum.values)  # the enum builds the list on each read
        super().__init__(choices=choices_enum.choices, required=False, **kwargs)

    def to_internal_value(self, data):
        chosen = super().to_internal_value(data)
        return [value for value in self.in_order if value in chosen]

    def to_representation(self, value):
        return list(value)


@extend_schema_field(
    {
        "type": "string",
        "format": "date-time",
        # RFC 3339 already requires the offset; the pattern says it to lenient validators.
        "pattern": r"(Z|z|[+-]\d{2}:?\d{2})$",
    }
)
class OffsetDateTimeField(serializers.DateTimeField):
    """A time that says where on Earth it was read: a bare 07:15 could be any of 26 zones."""

    default_error_messages = {
        "no_offset": "Give the time with its UTC offset, as in 2026-11-01T07:15:00+01:00 "
        "or 2026-11-01T06:15:00Z."
    }

    def to_internal_value(self, value):
        try:
            parsed = parse_datetime(value.strip()) if isinstance(value, str) else None
        except ValueError:
            parsed = None  # DRF names what is wrong with it
        if parsed is not None and timezone.is_naive(parsed):
            self.fail("no_offset")
        moment = super().to_internal_value(value)
        # Keep the offset it was sent with: it tells where the clock that read it was.
        return moment.astimezone(parsed.tzinfo) if parsed is not None else moment


class CanonicalUUIDField(serializers.UUIDField):
    """Only the 8-4-4-4-12 form the schema's `format: uuid` names; DRF alone would also take
    32 bare hex digits, braces or a urn:uuid: prefix, which the schema does not promise."""

    def to_internal_value(self, data):
        if not (isinstance(data, str) and UUID_FORM.fullmatch(data)):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class EpisodeSerializer(StrictJSON, serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: OffsetDateTimeField,
    }

    id = CanonicalUUIDField(
        required=False,
        help_text="Optional on create (a UUID the client chose, so a resend is safe). Send "
        "the same id again and the stored episode is returned (200) instead of a second one; "
        "an id you deleted answers 410.",
    )
    symptoms = ChoiceSetField(Symptom)
    fluid_loss = ChoiceSetField(
        FluidLoss, help_text="Which fluid loss, if any; any value also sets recent_fluid_loss."
    )
    relief = ChoiceSetField(Relief)

    class Meta:
        model = Episode
        fields = ["id", *Episode.LOGGED_FIELDS, "time_zone", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        # The rules the schema cannot state, in words beside each field.
        extra_kwargs = {
            "started_at": {
                "help_text": "When it started, with its UTC offset "
                "(2026-11-01T07:15:00+01:00). 1900 or later, at most 5 minutes in the future."
            },
            "relief_helped": {
                "allow_blank": False,
                "help_text": "Whether the relief tried helped; null when not said.",
            },
            "fluid_ml": {"help_text": "Fluid drunk so far today, in mL; null when not said."},
            "duration_seconds": {"help_text": "How long it lasted, in seconds (at most a day)."},
            "time_zone": {
                "help_text": "Where it happened (IANA name). Optional on create: by default "
                "the user's zone, or the offset of started_at when that is not the user's."
            },
        }

    # What ModelSerializer builds from the model on each use, built once a process: the
    # fields were half the cost of checking an episode, the validators (none: the model's
    # constraints are not unique-togethers) a tenth of the rest.
    _built = None
    _validators_built = None

    def get_validators(self):
        if type(self)._validators_built is None:
            type(self)._validators_built = super().get_validators()
        return list(type(self)._validators_built)

    def get_fields(self):
        # A shallow copy (DRF's deep copy builds each field anew, a third of what was left):
        # binding sets only the copy's own name and parent, and no field changes the lists
        # and dicts it shares with the others when it checks a value.
        if type(self)._built is None:
            type(self)._built = super().get_fields()
        fields = {name: _shallow_copy(field) for name, field in type(self)._built.items()}
        if self.instance is not None:
            fields["id"].read_only = True  # an episode keeps its id for life
            fields["time_zone"].read_only = True  # and the place it happened
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # In the zone it happened in: 03:15 in Berlin stays 03:15+01:00 after a move.
        started_at = OffsetDateTimeField(default_timezone=instance.zone)
        data["started_at"] = started_at.to_representation(instance.started_at)
        return data


def _shallow_copy(field: serializers.Field) -> serializers.Field:
    """copy.copy, without the pickling protocol it goes through: a fifth of the cost."""
    copied = object.__new__(type(field))
    copied.__dict__.update(field.__dict__)
    return copied


BATCH_MOST = 100


class EpisodeBatchSerializer(serializers.Serializer):
    """Up to 100 episodes in one request. Each is checked on its own, as POST
    /api/v1/episodes/ checks one, and refused on its own: one bad episode does not hold up
    the rest, so the list's items are described only as objects here."""

    episodes = serializers.ListField(
        child=serializers.DictField(),
        min_length=1,
        max_length=BATCH_MOST,
        help_text="Each an episode as for POST /api/v1/episodes/, with its own id so a "
        "resend of the batch is safe.",
    )


class BatchOutcomeSerializer(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True, help_text="The id sent, when it was one")
    outcome = serializers.ChoiceField(
        choices=["created", "already_stored", "deleted", "refused"],
        help_text="created (201 alone), already_stored (200: sent before), deleted (410: "
        "you deleted this id, drop it) or refused (400: `errors` says why)",
    )
    episode = EpisodeSerializer(
        required=False, help_text="As stored: only when created or already stored"
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field name -> messages, when refused; empty otherwise",
    )


class BatchResultSerializer(serializers.Serializer):
    results = BatchOutcomeSerializer(many=True, help_text="One per episode sent, in order")


class MedicationSerializer(StrictJSON, serializers.ModelSerializer):
    class Meta:
        model = Medication
        fields = ["id", "name", "kind", "started_on", "stopped_on"]
        extra_kwargs = {
            "started_on": {"help_text": "From 1900-01-01 to a year from today."},
            "stopped_on": {
                "help_text": "The last day taken, not before `started_on`, at most a year from "
                "today; null while still taken."
            },
        }

    def validate(self, attrs):
        # The model's own rule (a medicine stops after it starts), for whole and partial updates.
        current = (
            {f: getattr(self.instance, f) for f in self.Meta.fields[1:]} if self.instance else {}
        )
        try:
            Medication(**{**current, **attrs}).clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return attrs


class SourceSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField()


class AlertSerializer(serializers.ModelSerializer):
    episodes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True, help_text="The guidance behind it")

    class Meta:
        model = Alert
        fields = [
            "id",
            "rule",
            "level",
            "message",
            "reason",
            "episodes",
            "sources",
            "created_at",
            "acknowledged_at",
        ]
        read_only_fields = fields


def _key_number_fields() -> dict:
    return {
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "days": serializers.IntegerField(),
        "logged_from": serializers.DateField(
            allow_null=True,
            help_text="The first day of the period the person was logging (their first cramp "
            "or account), null if none",
        ),
        "logged_to": serializers.DateField(
            allow_null=True, help_text="The last day logged: the period's end, or today"
        ),
        "days_logged": serializers.IntegerField(help_text="Days from logged_from to logged_to"),
        "count": serializers.IntegerField(
            allow_null=True, help_text="Null for a previous period with no day logged"
        ),
        "per_week": serializers.FloatField(
            allow_null=True, help_text="Over the days logged; null when no day was logged"
        ),
        "median_duration_seconds": serializers.FloatField(allow_null=True),
        "longest_duration_seconds": serializers.IntegerField(allow_null=True),
        "mean_intensity": serializers.FloatField(allow_null=True),
        "highest_intensity": serializers.IntegerField(allow_null=True),
    }


class WeekSerializer(serializers.Serializer):
    week_start = serializers.DateField(
        help_text="The Monday the week starts, in the user's time zone"
    )
    count = serializers.IntegerField()
    by_site = serializers.DictField(child=serializers.IntegerField())
    mean_intensity = serializers.FloatField()
    mean_duration_seconds = serializers.FloatField()


class FlaggedEpisodeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    started_at = serializers.DateTimeField(help_text="On the clock where it happened")
    rules = serializers.ListField(
        child=serializers.CharField(),
        help_text="The single-cramp warning rules it met, most serious first: "
        + ", ".join(EPISODE_CHECKS)
        + " (the `rule` of an alert)",
    )


class ReliefCountSerializer(serializers.Serializer):
    tried = serializers.IntegerField()
    helped = serializers.IntegerField()
    partly = serializers.IntegerField()


# Built with type() because the contract's field is called `from`, a Python keyword.
KeyNumbersSerializer = type("KeyNumbers", (serializers.Serializer,), _key_number_fields())
ReportSummarySerializer = type(
    "ReportSummary",
    (serializers.Serializer,),
    {
        **_key_number_fields(),
        "time_zone": serializers.CharField(),
        "by_site": serializers.DictField(child=serializers.IntegerField()),
        "by_side": serializers.DictField(child=serializers.IntegerField()),
        "by_activity": serializers.DictField(child=serializers.IntegerField()),
        "by_hydration": serializers.DictField(child=serializers.IntegerField()),
        "by_weekday_hour": serializers.ListField(
            child=serializers.ListField(child=serializers.IntegerField()),
            help_text="7 rows (Monday first) of 24 hours, local time",
        ),
        "night_count": serializers.IntegerField(),
        "night_share": serializers.FloatField(allow_null=True),
        "relief": serializers.DictField(child=ReliefCountSerializer()),
        "weekly": WeekSerializer(many=True),
        "previous": KeyNumbersSerializer(help_text="The same numbers for the period just before"),
        "flagged_episodes": FlaggedEpisodeSerializer(
            many=True, help_text="Every episode of the period that met a warning rule"
        ),
        "with_warning_signs": serializers.IntegerField(
            help_text="How many episodes of the period came with warning signs"
        ),
    },
)
