from datetime import date, timedelta

import django_filters
from django.core.validators import MaxValueValidator, MinValueValidator

from .days import local_midnight
from .models import Episode, Site

# Beyond these a local midnight cannot be turned into UTC; nobody logs cramps there anyway.
SENSIBLE_DAYS = [MinValueValidator(date(1900, 1, 1)), MaxValueValidator(date(9000, 12, 31))]


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

    def filter_from(self, queryset, name, value):
        return queryset.filter(started_at__gte=local_midnight(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(started_at__lt=local_midnight(value + timedelta(days=1)))
