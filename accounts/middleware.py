from django.utils import timezone

from .models import zone_for


class UserTimeZoneMiddleware:
    """Shows and reads times in the signed-in user's time zone (UTC until they choose one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            timezone.activate(zone_for(request.user))
        try:
            return self.get_response(request)
        finally:
            # API views may activate a token user's zone; never leak it to the next request.
            timezone.deactivate()
