"""Who is knocking, and for how long they wait: the client address and the lockout's end.

django-axes locks the pair (username, client address); these two functions tell it the real
address behind our own proxies and tell the person when the pair opens again.
"""

import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from ipware import get_client_ip


def client_ip(request: HttpRequest) -> str | None:
    """The address of whoever connected, seen through TRUSTED_PROXY_COUNT proxies of our own.

    Each trusted proxy appends the address it saw to X-Forwarded-For, so the client is the
    entry that many places from the right; whatever a client wrote further left is its own
    claim and never trusted. With no trusted proxy (the default) the header is ignored.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        # ipware counts the proxies between client and the last one, whose address is
        # REMOTE_ADDR and not in the header; not strict, so extra left-hand entries are fine.
        ip, _ = get_client_ip(
            request,
            proxy_order="left-most",
            proxy_count=proxies - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if ip:
            return ip
    return request.META.get("REMOTE_ADDR")


def seconds_until_unlocked(request: HttpRequest, credentials: dict | None = None) -> int:
    """How long this (username, address) pair still waits: the last failure plus the cool-off."""
    attempts = AxesProxyHandler.get_implementation().get_user_attempts(request, credentials)
    last = max(
        (found for qs in attempts if (found := qs.aggregate(last=Max("attempt_time"))["last"])),
        default=None,
    )
    cool_off = get_cool_off(request)  # settings.AXES_COOLOFF_TIME: always set here
    if last is None:  # locked by a rule that keeps no attempt: the whole cool-off
        return int(cool_off.total_seconds())
    return max(1, math.ceil((last + cool_off - timezone.now()).total_seconds()))
