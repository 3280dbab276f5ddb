"""E-mail that goes where it should: whether it can reach anyone, and sending it safely."""

import logging
from functools import partial

from django.conf import settings
from django.core import checks
from django.core.mail import send_mail
from django.db import transaction

logger = logging.getLogger(__name__)

# Backends that keep the message on this machine: fine for development, lost for a person.
NOT_DELIVERED = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def email_is_delivered() -> bool:
    """Whether a mail sent now can reach a person: a backend that sends, to a named server."""
    if settings.EMAIL_BACKEND in NOT_DELIVERED:
        return False
    return settings.EMAIL_BACKEND != SMTP or bool(settings.EMAIL_HOST)


def send_safely(*, subject: str, message: str, to: str) -> None:
    """Sends one mail and never lets a mail fault escape into the page that caused it.

    A slow or absent server is bounded by EMAIL_TIMEOUT; the log says what failed, never to
    whom (a server's refusal often names the address).
    """
    try:
        send_mail(subject, message, from_email=None, recipient_list=[to])
    except Exception as error:  # any backend, any failure: the page answers as usual
        logger.warning("An e-mail could not be sent: %s", type(error).__name__)


def send_after_commit(*, subject: str, message: str, to: str) -> None:
    """Sends once the saving transaction has committed: a rolled-back save mails nobody."""
    transaction.on_commit(partial(send_safely, subject=subject, message=message, to=to))


@checks.register("email", deploy=True)
def check_email_is_delivered(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Alert e-mails and password reset links need a real mail server in production."""
    if not settings.ALERT_EMAILS or email_is_delivered():
        return []
    return [
        checks.Error(
            "Alert e-mails are on but no mail server is configured, so they would be lost.",
            hint="Set DJANGO_EMAIL_HOST (and DJANGO_EMAIL_BACKEND if not SMTP), "
            "or DJANGO_ALERT_EMAILS=0 to turn alert e-mails off.",
            id="accounts.E001",
        )
    ]
