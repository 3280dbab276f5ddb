"""E-mail that goes where it should (accounts/mail.py, the e-mail settings, alert e-mails)."""

import logging
import socket
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.utils import timezone

from config import settings as project_settings
from tests.factories import EpisodeFactory
from tests.test_security import PRODUCTION, run_with
from tracker import alerts
from tracker.models import Alert

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def alice_wants_mail(alice):
    alice.email = "alice@example.org"
    alice.save()
    alice.profile.email_alerts = True
    alice.profile.save()
    return alice


def urgent_cramp(**overrides) -> dict:
    """A cramp with a warning sign: the rules open an urgent alert, which is mailed."""
    started = timezone.now() - timedelta(hours=1)
    return {
        "started_at": started.isoformat(),
        "duration_seconds": 95,
        "site": "calf",
        "side": "left",
        "intensity": 6,
        "activity": "resting",
        "hydration": "normal",
        "symptoms": ["swelling"],
        **overrides,
    }


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses, with the address in its message, as real ones do."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(f"relay refused {email_messages[0].to[0]}")


@pytest.fixture
def silent_mail_server():
    """A mail server that takes the connection and then never says a word."""
    server = socket.create_server(("127.0.0.1", 0))
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


# --- settings and the deploy check ---------------------------------------------------------


def test_production_sends_by_smtp_not_to_the_console_by_default():
    code = "from django.conf import settings as s; print(s.EMAIL_BACKEND)"
    result = run_with(PRODUCTION, "shell", "--no-imports", "-c", code)
    assert result.stdout.strip() == SMTP, result.stderr


def test_check_deploy_fails_when_alert_emails_would_be_lost():
    no_server = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_EMAIL_HOST"}
    for env in (
        no_server,
        {**PRODUCTION, "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
    ):
        result = run_with(env, "check", "--deploy")
        assert result.returncode != 0
        assert "accounts.E001" in result.stderr and "DJANGO_EMAIL_HOST" in result.stderr


def test_check_deploy_passes_with_alert_emails_turned_off_and_no_server():
    no_server = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_EMAIL_HOST"}
    result = run_with({**no_server, "DJANGO_ALERT_EMAILS": "0"}, "check", "--deploy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_mail_server_has_a_timeout_shorter_than_a_worker_has():
    # gunicorn's default worker timeout is 30 s; a hung server must give up well before.
    assert 0 < project_settings.EMAIL_TIMEOUT <= 15


# --- sending -----------------------------------------------------------------------------


def test_an_alert_mail_waits_until_the_save_has_committed(
    alice_wants_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        EpisodeFactory(
            user=alice_wants_mail,
            started_at=timezone.now() - timedelta(hours=1),
            symptoms=["swelling"],
        )
        alerts.evaluate(user=alice_wants_mail)
        assert mail.outbox == []  # a rolled-back save must not have mailed anyone
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.org"]


@override_settings(EMAIL_BACKEND="tests.test_mail.RefusingBackend")
def test_a_refusing_mail_server_never_fails_a_saved_cramp_nor_logs_the_address(
    alice_wants_mail, alice_api, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        response = alice_api.post("/api/v1/episodes/", urgent_cramp(), format="json")
    assert response.status_code == 201
    assert alice_wants_mail.episodes.count() == 1 and Alert.objects.filter(user=alice_wants_mail)
    assert "An e-mail could not be sent: ConnectionRefusedError" in caplog.text
    assert "alice" not in caplog.text


def test_a_mail_server_that_never_answers_never_fails_a_saved_cramp(
    alice_wants_mail, alice_client, silent_mail_server, caplog, django_capture_on_commit_callbacks
):
    with (
        override_settings(
            EMAIL_BACKEND=SMTP,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=silent_mail_server,
            EMAIL_TIMEOUT=1,
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = alice_client.post(
            "/api/v1/episodes/", urgent_cramp(), content_type="application/json"
        )
    assert response.status_code == 201
    assert alice_wants_mail.episodes.count() == 1
    # smtplib gives up after EMAIL_TIMEOUT and reports the silent server as gone.
    assert "An e-mail could not be sent: SMTPServerDisconnected" in caplog.text
    assert "alice" not in caplog.text


@override_settings(ALERT_EMAILS=False)
def test_with_alert_emails_off_nothing_is_mailed_and_the_profile_does_not_offer_them(
    alice_wants_mail, alice_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post("/api/v1/episodes/", urgent_cramp(), content_type="application/json")
    assert Alert.objects.filter(user=alice_wants_mail).exists() and mail.outbox == []
    assert 'name="email_alerts"' not in alice_client.get("/accounts/profile/").content.decode()


# --- the profile says when e-mail cannot be sent --------------------------------------------

CANNOT_SEND = "This server cannot send e-mail yet"


def test_the_profile_says_when_this_server_cannot_send_email(alice_wants_mail, alice_client):
    page = alice_client.get("/accounts/profile/").content.decode()  # tests: the locmem backend
    assert CANNOT_SEND in page and 'name="email_alerts"' in page


@override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="mail.example.org")
def test_the_profile_says_nothing_of_the_kind_when_a_mail_server_is_set_up(
    alice_wants_mail, alice_client
):
    assert CANNOT_SEND not in alice_client.get("/accounts/profile/").content.decode()


@override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="mail.example.org")
def test_the_profile_says_when_the_account_has_no_address(alice, alice_client):
    page = alice_client.get("/accounts/profile/").content.decode()
    assert "Your account has no e-mail address" in page and CANNOT_SEND not in page
