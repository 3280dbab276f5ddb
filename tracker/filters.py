import django_filters
from django.core.validators import MaxValueValidator, MinValueValidator

from .models import Episode, Site
from .periods import EARLIEST_DAY, LATEST_DAY, Period

SENSIBLE_DAYS = [MinValueValidator(EARLIEST_DAY), MaxValueValidator(LATEST_DAY)]


class EpisodeFilter(django_filters.FilterSet):
    """`from` and `to` are calendar days in the user's time zone, both included."""

    site = django_filters.ChoiceFilter(choices=Site.choices, label="Where")

    class Meta:
        model = Episode
        fields = ["site"]

    # `from` is a Python keyword, so these two are named through the class namespace.
    locals()["from"] = django_filters.DateFilter(
        method="filter_from",
        label="From",
        validators=SENSIBLE_DAYS,
        help_text="First day included (YYYY-MM-DD)",
    )
    locals()["to"] = django_filters.DateFilter(
        method="filter_to",
        label="To",
        validators=SENSIBLE_DAYS,
        help_text="Last day included (YYYY-MM-DD)",
    )

    # The bounds of a one-day period, in the active time zone (the user's).
    def filter_from(self, queryset, name, value):
        return queryset.filter(started_at__gte=Period(value, value).starts_at(None))

    def filter_to(self, queryset, name, value):
        return queryset.filter(started_at__lt=Period(value, value).ends_before(None))
