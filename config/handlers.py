"""API calls that carry a key skip the middleware only pages and log-in need.

Sessions, CSRF, log-in from the session, messages, static files and the log-in lockout
belong to pages and the log-in forms. A call with `Authorization: Bearer` (or `Token`) is
authenticated by its key alone (DRF never falls back to the session once a key is sent),
reads no cookie and shows no message; skipping them saves a fifth of a create's time. The
headers every answer carries (security, CSP, frame options, no-store) stay.
"""

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

PAGES_ONLY = {
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
}
KEY_SCHEMES = {"bearer", "token"}
# Log-in by password and sign-up: the lockout's middleware answers for them.
WITH_EVERYTHING = ("/api/v1/auth/token/", "/api/v1/accounts/")


class KeyedApiHandler(WSGIHandler):
    """Django's WSGI handler with the middleware of settings.MIDDLEWARE less PAGES_ONLY."""

    def load_middleware(self, is_async=False):
        everything = settings.MIDDLEWARE
        settings.MIDDLEWARE = [name for name in everything if name not in PAGES_ONLY]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = everything


def is_keyed_api_call(environ: dict) -> bool:
    path = environ.get("PATH_INFO", "")
    scheme = environ.get("HTTP_AUTHORIZATION", "").split(None, 1)[:1]
    return (
        path.startswith("/api/v1/")
        and not path.startswith(WITH_EVERYTHING)
        and bool(scheme)
        and scheme[0].lower() in KEY_SCHEMES
    )


def application_for(pages: WSGIHandler):
    """The WSGI application: keyed API calls to the lighter handler, the rest to `pages`."""
    keyed = KeyedApiHandler()

    def application(environ, start_response):
        handler = keyed if is_keyed_api_call(environ) else pages
        return handler(environ, start_response)

    return application
