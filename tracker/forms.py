import uuid
from datetime import date, datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import BaseTemporalField
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import ML_PER_FL_OZ, FluidUnit

from . import periods
from .days import wall_clock_to_instant
from .models import (
    WARNING_SIGNS,
    Activity,
    Episode,
    FluidLoss,
    Hydration,
    Medication,
    Relief,
    ReliefHelped,
    Side,
    Site,
    Symptom,
)


class MinutesSecondsWidget(forms.MultiWidget):
    template_name = "tracker/widgets/minutes_seconds.html"

    def __init__(self, attrs=None):
        number = {"inputmode": "numeric", "min": "0", "class": "short"}
        super().__init__([forms.NumberInput(number), forms.NumberInput({**number, "max": "59"})])

    def decompress(self, value):
        return list(divmod(value, 60)) if value else [None, None]


class MinutesSecondsField(forms.MultiValueField):
    """How long it lasted, typed as minutes and seconds, kept as seconds."""

    widget = MinutesSecondsWidget

    def __init__(self, **kwargs):
        fields = [
            forms.IntegerField(min_value=0, max_value=1440),
            forms.IntegerField(min_value=0, max_value=59),
        ]
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or all(part is None for part in data_list):
            return None
        minutes, seconds = (part or 0 for part in data_list)
        return minutes * 60 + seconds


class LocalDateTimeField(forms.DateTimeField):
    """A time typed as the person's clock showed it, in their time zone.

    Django refuses both the hour skipped in spring and the hour repeated in autumn; a cramp
    at 02:30 on the night the clocks go back is real, so only the skipped hour is refused.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            typed = value
        else:
            try:
                typed = parse_datetime(value.strip())
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
            typed = typed or BaseTemporalField.to_python(self, value)
        if timezone.is_aware(typed):
            return typed
        zone = timezone.get_current_timezone()
        try:
            moment = wall_clock_to_instant(typed, zone)
        except OverflowError:  # year 1 or 9999: no instant a computer's clock can hold
            raise ValidationError(
                "Choose a time between 1900 and now.", code="out_of_range"
            ) from None
        if moment is None:
            raise ValidationError(
                f"Clocks in {zone} skipped from this hour to the next on "
                f"{typed:%d %B %Y} (daylight saving), so {typed:%H:%M} did not happen. "
                "Choose a time just before or after.",
                code="nonexistent",
            )
        return moment


def radios(choices, **kwargs):
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **kwargs)


def checkboxes(choices, **kwargs):
    return forms.MultipleChoiceField(
        choices=choices, widget=forms.CheckboxSelectMultiple, required=False, **kwargs
    )


class EpisodeForm(forms.ModelForm):
    """The quick log, the past-cramp form and the edit page: one form, the model's rules."""

    # A new id per rendered form: pressing Save twice, or a resend, never makes two episodes.
    episode_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    started_at = LocalDateTimeField(
        label="Started at",
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"
        ),
    )
    duration_seconds = MinutesSecondsField(label="How long")
    site = radios(Site.choices, label="Where")
    side = radios(Side.choices, label="Side")
    intensity = forms.TypedChoiceField(
        label="How bad (0 = no pain, 10 = worst)",
        choices=[(n, str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    activity = radios(Activity.choices, label="What were you doing")
    hydration = radios(Hydration.choices, label="How much have you drunk today")
    fluid_ml = forms.DecimalField(
        label="Fluid so far", required=False, min_value=0, max_digits=7, decimal_places=1
    )
    warning_signs = checkboxes(
        [(sign.value, sign.label) for sign in WARNING_SIGNS], label="Any of these?"
    )
    symptoms = checkboxes(
        [(s.value, s.label) for s in Symptom if s not in WARNING_SIGNS],
        label="Anything else you noticed",
    )
    fluid_loss = checkboxes(FluidLoss.choices, label="In the last day, did you have")
    relief = checkboxes(Relief.choices, label="What did you try")
    relief_helped = forms.ChoiceField(
        label="Did it help",
        choices=[("", "Not sure")] + ReliefHelped.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Episode
        fields = [f for f in Episode.LOGGED_FIELDS if f != "recent_fluid_loss"]
        labels = {"activity_detail": "Details (optional)"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, fluid_unit=FluidUnit.ML, **kwargs):
        super().__init__(*args, **kwargs)
        self.fluid_unit = fluid_unit
        unit = "fl oz" if fluid_unit == FluidUnit.FL_OZ else "mL"
        self.fields["fluid_ml"].label = f"Fluid so far ({unit}, optional)"
        if self.instance.fluid_ml is not None and fluid_unit == FluidUnit.FL_OZ:
            self.initial["fluid_ml"] = round(Decimal(self.instance.fluid_ml / ML_PER_FL_OZ), 1)
        if self.instance.symptoms and not self.is_bound:
            signs = [s for s in self.instance.symptoms if s in WARNING_SIGNS]
            self.initial["warning_signs"] = signs
            self.initial["symptoms"] = [s for s in self.instance.symptoms if s not in signs]
        if not self.instance._state.adding:
            # An episode keeps its id for life: an edit has no id field to send or forge.
            del self.fields["episode_id"]
            where = self.instance.zone_label
            self.fields["started_at"].help_text = f"The time in {where}, where it happened."
        elif not self.is_bound:
            self.initial.setdefault("episode_id", uuid.uuid4())

    @property
    def ml_per_unit(self) -> float:
        """How many mL one unit typed in the fluid field is (the page's script needs it too)."""
        return ML_PER_FL_OZ if self.fluid_unit == FluidUnit.FL_OZ else 1

    def clean_fluid_ml(self) -> int | None:
        amount = self.cleaned_data["fluid_ml"]
        if amount is None:
            return None
        if self.fluid_unit == FluidUnit.FL_OZ:
            amount = amount * Decimal(str(ML_PER_FL_OZ))
        return int(amount.to_integral_value())

    def clean_relief_helped(self) -> str | None:
        return self.cleaned_data["relief_helped"] or None

    def clean(self):
        cleaned = super().clean()
        # The warning signs (asked on their own, always in view) and the rest, as one set.
        chosen = {*cleaned.get("symptoms", []), *cleaned.get("warning_signs", [])}
        cleaned["symptoms"] = [value for value in Symptom.values if value in chosen]
        return cleaned

    def clean_fluid_loss(self) -> list[str]:
        return [value for value in FluidLoss.values if value in self.cleaned_data["fluid_loss"]]

    def clean_relief(self) -> list[str]:
        return [value for value in Relief.values if value in self.cleaned_data["relief"]]

    def episode_fields(self) -> dict:
        """The cleaned values under the model's names, for the logbook functions."""
        fields = {name: self.cleaned_data[name] for name in self._meta.fields}
        fields["recent_fluid_loss"] = bool(fields["fluid_loss"])
        if "episode_id" in self.fields and self.cleaned_data.get("episode_id"):
            fields["id"] = self.cleaned_data["episode_id"]
        return fields


class MedicationForm(forms.ModelForm):
    class Meta:
        model = Medication
        fields = ["name", "kind", "started_on", "stopped_on"]
        labels = {
            "started_on": "Started on",
            "stopped_on": "Stopped on (leave empty if still taking it)",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "stopped_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class AlertThresholdsForm(forms.Form):
    """The person's own alert thresholds, one field per key of settings.ALERT_THRESHOLDS,
    each within the bounds alerts.THRESHOLD_RANGES gives (never looser than a source)."""

    def __init__(self, *args, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings

        from .alerts import FROM_GUIDANCE, THRESHOLD_LABELS, THRESHOLD_RANGES

        for key, default in settings.ALERT_THRESHOLDS.items():
            origin = "from published guidance" if key in FROM_GUIDANCE else "app setting"
            lowest, highest, why = THRESHOLD_RANGES[key]
            bound = f" {why}" if why else ""
            self.fields[key] = forms.IntegerField(
                label=THRESHOLD_LABELS[key],
                min_value=lowest,
                max_value=highest,
                initial=current[key],
                help_text=f"Default {default} ({origin}); from {lowest} to {highest}.",
                error_messages={
                    "max_value": f"At most {highest}.{bound}",
                    "min_value": f"At least {lowest}.{bound}",
                },
                widget=forms.NumberInput(attrs={"class": "short", "inputmode": "numeric"}),
            )

    def clean(self):
        cleaned = super().clean()
        count, of_last = cleaned.get("not_helped_count"), cleaned.get("not_helped_of_last")
        if count and of_last and count > of_last:
            self.add_error("not_helped_count", f"At most the {of_last} cramps looked at.")
        return cleaned


def check_period(form: forms.Form, start: date | None, end: date | None) -> None:
    """The rules every report period follows (periods.problems); errors go on the form's
    `start` and `end`. A date the field already refused is not judged again."""
    if form.errors:
        return
    for name, message in periods.problems(start, end).items():
        form.add_error(name, message)


class ReportPeriodForm(forms.Form):
    """A report's period: the last 30, 90 or 365 days, or custom dates (both included)."""

    days = forms.TypedChoiceField(
        label="Period",
        choices=[(30, "30 days"), (90, "90 days"), (365, "1 year")],
        coerce=int,
        required=False,
    )
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data=None, *, today: date, default_days: int = periods.DEFAULT_DAYS):
        # The query string says `from` and `to`, as the API does; Python cannot name a field `from`.
        if data is not None:
            data = {
                "days": data.get("days", ""),
                "start": data.get("from", ""),
                "end": data.get("to", ""),
            }
        super().__init__(data)
        self.today, self.default_days = today, default_days

    def clean(self):
        cleaned = super().clean()
        check_period(self, cleaned.get("start"), cleaned.get("end"))
        return cleaned

    def errors_by_parameter(self) -> dict:
        """The errors under the names the query string uses."""
        names = {"start": "from", "end": "to"}
        return {names.get(field, field): list(errors) for field, errors in self.errors.items()}

    def period(self) -> periods.Period:
        """The chosen period; the default (the last 90 days) until the form is valid."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("start"):
            return periods.Period(data["start"], data["end"])
        return periods.last_days(self.today, data.get("days") or self.default_days)


class ShareLinkForm(forms.Form):
    start = forms.DateField(
        label="From", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label="To", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    expires_in_days = forms.IntegerField(
        label="Link works for (days)",
        min_value=1,
        max_value=90,
        initial=14,
        widget=forms.NumberInput(attrs={"class": "short", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        check_period(self, cleaned.get("start"), cleaned.get("end"))
        return cleaned
