"""An episode's time as the clock showed it where the cramp happened, for the pages."""

from django import template
from django.utils import dateformat, timezone

register = template.Library()


@register.filter
def wall_clock(episode, format_string: str = "H:i") -> str:
    """{{ episode|wall_clock:"H:i" }}: 03:15 for a cramp at 03:15 in Berlin, wherever the
    person is now (Django's own date filters would move it into the current zone)."""
    return dateformat.format(episode.local_started_at, format_string)


@register.filter
def zone_note(episode) -> str:
    """ " (Berlin)" when the cramp happened in another zone than the one the page is in."""
    return episode.zone_note(timezone.get_current_timezone_name())
