from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
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


class SitePolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the site's policy built once a process. No view here
    changes the policy or asks for a nonce, and building it anew for every answer cost a
    twentieth of an API create; an answer that does either goes through django-csp as is."""

    def process_response(self, request, response):
        own = any(
            self.get_policy_parts(request=request, response=response, report_only=ro)
            != PolicyParts()
            for ro in (False, True)
        )
        debug_page = settings.DEBUG and response.status_code in (404, 500)
        if own or debug_page:
            return super().process_response(request, response)
        for header, policy, exempt, excluded in _site_policies():
            applies = not getattr(response, exempt, False) and not (
                excluded and request.path_info.startswith(excluded)
            )
            if policy and applies and header not in response:
                response[header] = policy
        # As django-csp does: a nonce asked for after this point would not be in the header.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


@cache
def _site_policies() -> list[tuple[str, str, str, tuple]]:
    """(header, policy, the answer's exemption attribute, excluded path prefixes)."""
    return [
        (header, build_policy(report_only=ro), exempt, tuple(_excluded(name)))
        for header, ro, exempt, name in (
            (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        )
    ]


def _excluded(setting: str) -> list[str]:
    return (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or []


@receiver(setting_changed)
def _forget_site_policies(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policies.cache_clear()
