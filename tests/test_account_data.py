"""Every row that is a person's: in "download all my data", and gone with the account
(accounts/services.py export_data and delete_account)."""

import json
from datetime import timedelta

import pytest
from axes.models import AccessFailureLog
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Q
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import importing, services
from accounts.models import AuditEvent, audit
from tests.factories import EpisodeFactory
from tracker import alerts, logbook
from tracker.models import Episode, Medication
from tracker.reports import sharing
from tracker.reports.summary import Period

User = get_user_model()

# Every model with a user or username field, and where its rows are in the download.
EXPORTED = {
    "auth.user": "account",
    "accounts.profile": "profile",
    "accounts.auditevent": "activity",
    "tracker.episode": "episodes",
    "tracker.medication": "medications",
    "tracker.alert": "alerts",
    "tracker.sharelink": "share_links",  # with its openings (ShareLinkOpening) inside
    "axes.accesslog": "log_ins",
    "axes.accessattempt": "lockout_counters",
    "axes.accessfailurelog": "failed_log_ins",
    "tracker.deletedepisode": "deleted_episodes",
    "accounts.apitoken": "api_keys",  # which keys exist; never the key, nor its hash
}
# ...and the ones left out of the download on purpose, with the reason. They are still
# deleted with the account (the deletion test covers every model of both lists).
NOT_EXPORTED = {
    "authtoken.token": "an API token is a secret: a downloaded file must not open the account",
    "knox.authtoken": "an API token is a secret, even hashed: it is revoked, not handed out",
    "admin.logentry": "a staff member's own edits in the admin, not the person's record",
    "accounts.usersession": "a live log-in: its key would open the account",
    "accounts.pendingimport": "a file the person uploaded and has not confirmed yet: theirs "
    "already, and forgotten within the hour",
}
# Models of apps that are not installed (DRF's token and knox's own, replaced by ApiToken).
EITHER_TOKEN_MODEL = {"authtoken.token", "knox.authtoken"}


def keyed_by_a_person(model) -> list:
    return [
        field
        for field in model._meta.concrete_fields
        if (field.is_relation and field.related_model is User) or field.name == "username"
    ]


def rows_of(model, user_id: int, username: str):
    """The model's rows that name this person, by key or by (any spelling of) username."""
    match = Q(pk__in=[])
    for field in keyed_by_a_person(model):
        if field.is_relation:
            match |= Q(**{field.attname: user_id})
        else:
            match |= Q(username__iexact=username)
    return model.objects.filter(match)


def models_keyed_by_a_person() -> dict:
    """Every table that names a person (a proxy model shares its table with the real one)."""
    return {
        m._meta.label_lower: m
        for m in apps.get_models()
        if not m._meta.proxy and keyed_by_a_person(m)
    }


def fill(user, password: str) -> dict:
    """A row of every kind for this person, made the way the app makes them."""
    name = user.username
    phone = f"{name}-phone"
    Client(HTTP_USER_AGENT=phone).post("/accounts/login/", {"username": name, "password": password})
    Client(HTTP_USER_AGENT=phone).post("/accounts/login/", {"username": name, "password": "x"})
    token = APIClient().post(
        "/api/v1/auth/token/", {"username": name, "password": password}, format="json"
    )
    assert token.status_code == 200
    # The failure log is off in settings; a row made as axes makes it, typed in capitals.
    AccessFailureLog.objects.create(
        username=name.upper(),
        ip_address="192.0.2.7",
        user_agent=phone,
        path_info="/accounts/login/",
    )
    episode = EpisodeFactory(user=user, symptoms=["swelling"], notes=f"{name}-note")
    Medication.objects.create(user=user, name=f"{name}-med", kind="other", started_on="2026-01-01")
    logbook.delete_episode(episode=EpisodeFactory(user=user))  # leaves its id behind
    alerts.evaluate(user=user)
    today = timezone.localdate()
    link, share_token = sharing.create_link(
        user=user, period=Period(today - timedelta(days=30), today), days=14, now=timezone.now()
    )
    opened = sharing.find_link(token=share_token, now=timezone.now())
    sharing.record_opening(link=opened, now=timezone.now(), what="page")
    audit(user, AuditEvent.What.CSV)
    importing.keep(user=user, content='{"episodes": []}')
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Episode),
        object_id=str(episode.id),
        object_repr=str(episode),
        action_flag=ADDITION,
    )
    return {"api_token": token.json()["token"], "share_token": share_token}


@pytest.fixture
def both(alice, bob):
    cache.clear()
    return {"alice": fill(alice, "alice-password-1"), "bob": fill(bob, "bob-password-1")}


def test_every_model_that_names_a_person_is_exported_or_left_out_for_a_reason():
    found = set(models_keyed_by_a_person())
    listed = set(EXPORTED) | set(NOT_EXPORTED)
    assert found - listed == set(), "put these in EXPORTED (and export_data) or NOT_EXPORTED"
    assert listed - found <= EITHER_TOKEN_MODEL, "these listed models no longer exist"
    assert set(EXPORTED).isdisjoint(NOT_EXPORTED)


def test_download_all_my_data_holds_every_kind_of_row_and_only_mine(both, alice):
    data = services.export_data(user=alice)
    for label, key in EXPORTED.items():
        assert data[key], f"{label} is missing from the download ({key})"
    (link,) = data["share_links"]
    assert [o["what"] for o in link["openings"]] == ["page"]
    assert [e["user_agent"] for e in data["log_ins"]] == ["alice-phone"]
    assert [e["failures"] for e in data["lockout_counters"]] == [1]
    assert [e["user_agent"] for e in data["failed_log_ins"]] == ["alice-phone"]
    text = json.dumps(data, default=str)
    assert "bob" not in text
    # Secrets stay out: the API token, the share token and its hash.
    assert both["alice"]["api_token"] not in text and both["alice"]["share_token"] not in text
    assert "token" not in text


def test_deleting_an_account_removes_every_row_that_names_the_person_and_nothing_else(
    both, alice, bob
):
    models = models_keyed_by_a_person()
    for label, model in models.items():
        assert rows_of(model, alice.pk, "alice").exists(), f"the test made no {label} row"
    services.delete_account(user=alice)
    for label, model in models.items():
        assert not rows_of(model, alice.pk, "alice").exists(), f"{label} rows survive"
        assert rows_of(model, bob.pk, "bob").exists(), f"{label}: bob's rows went too"


def test_deleting_from_the_page_also_forgets_the_log_in_history(both, alice):
    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": "alice-password-1"})
    response = client.post("/accounts/profile/delete/", {"password": "alice-password-1"})
    assert response.status_code == 302
    for model in (apps.get_model("axes", name) for name in ("AccessLog", "AccessAttempt")):
        assert not rows_of(model, alice.pk, "alice").exists()
