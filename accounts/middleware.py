from django.utils import timezone
from django.utils.cache import patch_cache_control

from .models import zone_for


def signed_in(request) -> bool:
    """A keyed API call has no session user: DRF sets request.user only once it checked the
    key (config/handlers.py), and not at all for a path no view answers."""
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class UserTimeZoneMiddleware:
    """Shows and reads times in the signed-in user's time zone (UTC until they choose one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if signed_in(request):
            timezone.activate(zone_for(request.user))
        try:
            return self.get_response(request)
        finally:
            # API views may activate a token user's zone; never leak it to the next request.
            timezone.deactivate()


class PrivateByDefaultMiddleware:
    """Health data must not sit in a shared or browser cache: every answer to a signed-in
    user, and every share-link answer, says no-store unless the view chose otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if signed_in(request) and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response
