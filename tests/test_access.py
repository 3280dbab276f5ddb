"""Who gets what at every URL, built from the URLconf itself: a new URL without a row here
fails the first test, and every row is then checked for anonymous, the owner, another
user, and a share link's holder."""

import json
import re
import uuid
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts import importing, tokens
from tests.factories import EpisodeFactory
from tracker import alerts
from tracker.models import Alert, Episode, Medication
from tracker.reports import sharing
from tracker.reports.summary import Period

LOGIN = "login"  # a redirect to the log-in page

# name: (method, path template, anonymous, owner, another user, share-link holder)
# {episode}, {medication}, {alert}, {link}, {api_key} are the owner's; {token} is the share token
# (anonymous and the others get a made-up one on share URLs).
ACCESS = {
    "quick_log": ("GET", "/", LOGIN, 200, 200, LOGIN),
    "log_past": ("GET", "/episodes/new/", LOGIN, 200, 200, LOGIN),
    "edit_episode": ("GET", "/episodes/{episode}/edit/", LOGIN, 200, 404, LOGIN),
    "delete_episode": ("POST", "/episodes/{episode}/delete/", LOGIN, 302, 404, LOGIN),
    "history": ("GET", "/history/", LOGIN, 200, 200, LOGIN),
    "emergency": ("GET", "/emergency/", 200, 200, 200, 200),
    "offline": ("GET", "/offline/", 200, 200, 200, 200),
    "offline_quick_log": ("GET", "/offline/quick-log/", LOGIN, 200, 200, LOGIN),
    "service_worker": ("GET", "/sw.js", 200, 200, 200, 200),
    "alerts": ("GET", "/alerts/", LOGIN, 200, 200, LOGIN),
    "alert_settings": ("GET", "/alerts/settings/", LOGIN, 200, 200, LOGIN),
    "acknowledge_alert": ("POST", "/alerts/{alert}/acknowledge/", LOGIN, 302, 404, LOGIN),
    "medications": ("GET", "/medicines/", LOGIN, 200, 200, LOGIN),
    "edit_medication": ("GET", "/medicines/{medication}/edit/", LOGIN, 200, 404, LOGIN),
    "delete_medication": ("POST", "/medicines/{medication}/delete/", LOGIN, 302, 404, LOGIN),
    "trends": ("GET", "/trends/", LOGIN, 200, 200, LOGIN),
    "chart_image": ("GET", "/trends/charts/weekly.svg", LOGIN, 200, 200, LOGIN),
    "physician_pdf": ("GET", "/reports/physician.pdf", LOGIN, 200, 200, LOGIN),
    "episodes_csv": ("GET", "/reports/episodes.csv", LOGIN, 200, 200, LOGIN),
    "fhir_json": ("GET", "/reports/fhir.json", LOGIN, 200, 200, LOGIN),
    "share_links": ("GET", "/reports/share/", LOGIN, 200, 200, LOGIN),
    "revoke_share_link": ("POST", "/reports/share/{link}/revoke/", LOGIN, 302, 404, LOGIN),
    "shared_report": ("GET", "/share/{token}/", 404, 200, 200, 200),
    "shared_pdf": ("GET", "/share/{token}/physician.pdf", 404, 200, 200, 200),
    "shared_chart": ("GET", "/share/{token}/charts/weekly.svg", 404, 200, 200, 200),
    "signup": ("GET", "/accounts/signup/", 200, 302, 302, 200),
    "login": ("GET", "/accounts/login/", 200, 302, 302, 200),
    "logout": ("POST", "/accounts/logout/", 302, 302, 302, 302),
    "password_change": ("GET", "/accounts/password/", LOGIN, 200, 200, LOGIN),
    "password_change_done": ("GET", "/accounts/password/done/", LOGIN, 200, 200, LOGIN),
    "password_reset": ("GET", "/accounts/password/reset/", 200, 200, 200, 200),
    "password_reset_done": ("GET", "/accounts/password/reset/sent/", 200, 200, 200, 200),
    "password_reset_confirm": ("GET", "/accounts/password/reset/MQ/made-up/", 200, 200, 200, 200),
    "password_reset_complete": ("GET", "/accounts/password/reset/done/", 200, 200, 200, 200),
    "profile": ("GET", "/accounts/profile/", LOGIN, 200, 200, LOGIN),
    "export": ("GET", "/accounts/profile/export.json", LOGIN, 200, 200, LOGIN),
    "activity": ("GET", "/accounts/profile/activity/", LOGIN, 200, 200, LOGIN),
    "delete_account": ("GET", "/accounts/profile/delete/", LOGIN, 200, 200, LOGIN),
    "import_data": ("GET", "/accounts/profile/import/", LOGIN, 200, 200, LOGIN),
    "save_import": ("POST", "/accounts/profile/import/{pending}/", LOGIN, 200, 404, LOGIN),
    "revoke_api_token": (
        "POST",
        "/accounts/profile/api-keys/{api_key}/revoke/",
        LOGIN,
        302,
        404,
        LOGIN,
    ),
    "log_out_everywhere": ("POST", "/accounts/profile/log-out-everywhere/", LOGIN, 302, 302, LOGIN),
    "api_register": ("GET", "/api/v1/accounts/", 405, 405, 405, 405),
    "api_token": ("GET", "/api/v1/auth/token/", 405, 405, 405, 405),
    "api-token-list": ("GET", "/api/v1/auth/tokens/", 401, 200, 200, 401),
    "api-token-detail": ("DELETE", "/api/v1/auth/tokens/{api_key}/", 401, 204, 404, 401),
    "api_log_out_everywhere": ("POST", "/api/v1/auth/log-out-everywhere/", 401, 204, 204, 401),
    "api_csrf": ("GET", "/api/v1/csrf/", 401, 200, 200, 401),
    "api_report_summary": ("GET", "/api/v1/reports/summary/", 401, 200, 200, 401),
    "api_physician_pdf": ("GET", "/api/v1/reports/physician.pdf", 401, 200, 200, 401),
    "api_episodes_csv": ("GET", "/api/v1/reports/episodes.csv", 401, 200, 200, 401),
    "api_fhir_json": ("GET", "/api/v1/reports/fhir.json", 401, 200, 200, 401),
    "episode-list": ("GET", "/api/v1/episodes/", 401, 200, 200, 401),
    "episode-detail": ("GET", "/api/v1/episodes/{episode}/", 401, 200, 404, 401),
    # No body: no episodes, refused.
    "episode-batch": ("POST", "/api/v1/episodes/batch/", 401, 400, 400, 401),
    "medication-list": ("GET", "/api/v1/medications/", 401, 200, 200, 401),
    "medication-detail": ("GET", "/api/v1/medications/{medication}/", 401, 200, 404, 401),
    "alert-list": ("GET", "/api/v1/alerts/", 401, 200, 200, 401),
    "alert-detail": ("GET", "/api/v1/alerts/{alert}/", 401, 200, 404, 401),
    "alert-acknowledge": ("POST", "/api/v1/alerts/{alert}/acknowledge/", 401, 200, 404, 401),
    "schema": ("GET", "/api/schema/", 200, 200, 200, 200),
    "api_docs": ("GET", "/api/docs/", 200, 200, 200, 200),
}


def named_patterns(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's own admin: staff only, checked below
            yield from named_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield pattern.name, prefix + str(pattern.pattern)


def test_every_url_pattern_has_an_access_row():
    names = {name for name, _ in named_patterns()}
    assert None not in names, "every URL pattern needs a name to be listed here"
    assert names - set(ACCESS) == set(), "add a row to ACCESS for these URLs"
    assert set(ACCESS) - names == set(), "these rows name URLs that no longer exist"


@pytest.fixture
def world(alice, bob):
    cache.clear()
    episode = EpisodeFactory(user=alice, symptoms=["swelling"], notes="alice-secret-note")
    medication = Medication.objects.create(
        user=alice, name="AliceMed", kind="other", started_on=date(2026, 1, 1)
    )
    alerts.evaluate(user=alice)
    alert = Alert.objects.get(user=alice)
    today = timezone.localdate()
    link, token = sharing.create_link(
        user=alice, period=Period(today - timedelta(days=30), today), days=14, now=timezone.now()
    )
    api_key, _ = tokens.issue(user=alice, name="Alice's phone")
    ids = {
        "episode": episode.id,
        "medication": medication.id,
        "alert": alert.id,
        "link": link.id,
        "api_key": api_key.id,
        "pending": importing.keep(user=alice, content='{"episodes": []}').id,
    }
    return {"alice": alice, "bob": bob, "ids": ids, "token": token}


def client_for(who: str, world, api: bool) -> Client:
    client = Client()
    user = {"owner": world["alice"], "stranger": world["bob"]}.get(who)
    if user is not None:
        if api:
            client.defaults["HTTP_AUTHORIZATION"] = f"Token {tokens.issue(user=user)[1]}"
        else:
            client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["anonymous", "owner", "stranger", "share"])
@pytest.mark.parametrize("name", sorted(ACCESS))
def test_access(world, name, who):
    method, template, *expected = ACCESS[name]
    expected = dict(zip(["anonymous", "owner", "stranger", "share"], expected, strict=True))[who]
    token = world["token"] if who != "anonymous" else "made-up-token-" + uuid.uuid4().hex
    path = template.format(token=token, **world["ids"])
    client = client_for(who, world, api=path.startswith("/api/"))
    response = client.generic(method, path)
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/login/"
        ), path
    else:
        assert response.status_code == expected, (path, response.status_code)


def test_django_admin_is_for_staff_only(world):
    assert client_for("owner", world, api=False).get("/admin/").status_code == 302
    assert Client().get("/admin/tracker/episode/").status_code == 302


LIST_PAGES = [
    "/",
    "/history/",
    "/alerts/",
    "/medicines/",
    "/trends/",
    "/reports/share/",
    "/reports/episodes.csv",
    "/reports/fhir.json",
    "/accounts/profile/export.json",
]
LIST_APIS = [
    "/api/v1/episodes/",
    "/api/v1/medications/",
    "/api/v1/alerts/",
    "/api/v1/reports/summary/",
]


def test_lists_never_hold_another_users_rows(world):
    alice = world["alice"]
    marks = [
        "alice-secret-note",
        "AliceMed",
        str(world["ids"]["episode"]),
        str(world["ids"]["alert"]),
        str(world["ids"]["link"]),
    ]
    bob_pages = client_for("stranger", world, api=False)
    bob_api = client_for("stranger", world, api=True)
    for path in LIST_PAGES:
        body = bob_pages.get(path).getvalue().decode()  # some stream
        assert not [m for m in marks if m in body], path
    for path in LIST_APIS:
        body = bob_api.get(path).content.decode()
        assert not [m for m in marks if m in body], path
        assert re.search(r'"count":\s*0', body) or path.endswith("summary/"), path
    assert bob_api.get("/api/v1/reports/summary/").json()["count"] == 0
    assert alice.episodes.count() == 1


# --- writes carrying another person's ids ---------------------------------------------------
# Every URL that accepts a write, with a body that the write accepts. Each is sent by the
# owner with Bob's ids slipped into every id-like field (hidden inputs and JSON bodies): the
# write may go ahead, but nothing of Bob's may change and nothing may change hands.
EPISODE_FORM = {
    "started_at": "2026-11-01T07:15:00",
    "duration_seconds_0": "1",
    "duration_seconds_1": "5",
    "site": "foot",
    "side": "right",
    "intensity": "2",
    "activity": "walking",
    "hydration": "high",
}
EPISODE_JSON = {
    "started_at": "2026-11-01T07:15:00+01:00",
    "duration_seconds": 65,
    "site": "foot",
    "side": "right",
    "intensity": 2,
    "activity": "walking",
    "hydration": "high",
}
MEDICATION = {"name": "Renamed", "kind": "other", "started_on": "2026-02-01"}
SHARE = {"start": "2026-01-01", "end": "2026-01-31", "expires_in_days": "7"}
PASSWORD = {
    "old_password": "alice-password-1",
    "new_password1": "a-new-long-password-9",
    "new_password2": "a-new-long-password-9",
}
PROFILE = {"display_name": "A", "time_zone": "Europe/Berlin", "fluid_unit": "ml"}

# name: (method, path template, body, whether JSON, the owner's expected status)
WRITES = {
    "quick_log": ("POST", "/", EPISODE_FORM, False, 200),  # Bob's id: refused
    "log_past": ("POST", "/episodes/new/", EPISODE_FORM, False, 200),
    "edit_episode": ("POST", "/episodes/{episode}/edit/", EPISODE_FORM, False, 302),
    "delete_episode": ("POST", "/episodes/{episode}/delete/", {}, False, 302),
    "alert_settings": ("POST", "/alerts/settings/", dict(settings.ALERT_THRESHOLDS), False, 302),
    "acknowledge_alert": ("POST", "/alerts/{alert}/acknowledge/", {}, False, 302),
    "medications": ("POST", "/medicines/", MEDICATION, False, 302),
    "edit_medication": ("POST", "/medicines/{medication}/edit/", MEDICATION, False, 302),
    "delete_medication": ("POST", "/medicines/{medication}/delete/", {}, False, 302),
    "share_links": ("POST", "/reports/share/", SHARE, False, 200),
    "revoke_share_link": ("POST", "/reports/share/{link}/revoke/", {}, False, 302),
    "signup": ("POST", "/accounts/signup/", {}, False, 302),
    "login": ("POST", "/accounts/login/", {}, False, 302),
    "logout": ("POST", "/accounts/logout/", {}, False, 302),
    "password_change": ("POST", "/accounts/password/", PASSWORD, False, 302),
    "password_reset": ("POST", "/accounts/password/reset/", {"email": "a@example.com"}, False, 302),
    # A made-up reset link: the page says the link is not valid, whatever the body holds.
    "password_reset_confirm": (
        "POST",
        "/accounts/password/reset/MQ/made-up/",
        PASSWORD,
        False,
        200,
    ),
    "profile": ("POST", "/accounts/profile/", PROFILE, False, 302),
    "import_data": ("POST", "/accounts/profile/import/", {}, False, 200),  # no file: refused
    "save_import": ("POST", "/accounts/profile/import/{pending}/", {}, False, 200),
    "revoke_api_token": ("POST", "/accounts/profile/api-keys/{api_key}/revoke/", {}, False, 302),
    "log_out_everywhere": ("POST", "/accounts/profile/log-out-everywhere/", {}, False, 302),
    "api-token-detail": ("DELETE", "/api/v1/auth/tokens/{api_key}/", {}, True, 204),
    "api_log_out_everywhere": ("POST", "/api/v1/auth/log-out-everywhere/", {}, True, 204),
    "delete_account": (
        "POST",
        "/accounts/profile/delete/",
        {"password": "alice-password-1"},
        False,
        302,
    ),
    "api_register": (
        "POST",
        "/api/v1/accounts/",
        {"username": "carol", "password": "c-long-pw-77"},
        True,
        201,
    ),
    "api_token": (
        "POST",
        "/api/v1/auth/token/",
        {"username": "alice", "password": "alice-password-1"},
        True,
        200,
    ),
    "episode-list": ("POST", "/api/v1/episodes/", EPISODE_JSON, True, 400),  # Bob's id: refused
    # `episodes` becomes a list of Bob's ids, not episodes: refused whole. Bob's id inside an
    # episode is refused on its own: test_api_episode_batch.py.
    "episode-batch": ("POST", "/api/v1/episodes/batch/", {"episodes": [EPISODE_JSON]}, True, 400),
    "episode-detail": ("PUT", "/api/v1/episodes/{episode}/", EPISODE_JSON, True, 200),
    "episode-detail-patch": ("PATCH", "/api/v1/episodes/{episode}/", {"intensity": 3}, True, 200),
    "episode-detail-delete": ("DELETE", "/api/v1/episodes/{episode}/", {}, True, 204),
    "medication-list": ("POST", "/api/v1/medications/", MEDICATION, True, 201),
    "medication-detail": ("PUT", "/api/v1/medications/{medication}/", MEDICATION, True, 200),
    "medication-detail-patch": (
        "PATCH",
        "/api/v1/medications/{medication}/",
        {"name": "X"},
        True,
        200,
    ),
    "medication-detail-delete": ("DELETE", "/api/v1/medications/{medication}/", {}, True, 204),
    "alert-acknowledge": ("POST", "/api/v1/alerts/{alert}/acknowledge/", {}, True, 200),
}
WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]


@pytest.fixture
def bobs_world(world):
    """Bob's own episode, medicine, alert and share link, whose ids Alice will send."""
    bob = world["bob"]
    episode = EpisodeFactory(user=bob, symptoms=["swelling"], notes="bob-note")
    medication = Medication.objects.create(
        user=bob, name="BobMed", kind="statin", started_on=date(2025, 1, 1)
    )
    alerts.evaluate(user=bob)
    link, _ = sharing.create_link(
        user=bob, period=Period(date(2026, 1, 1), date(2026, 1, 31)), days=14, now=timezone.now()
    )
    ids = {
        "episode": episode.id,
        "medication": medication.id,
        "alert": Alert.objects.filter(user=bob).first().id,
        "link": link.id,
        "user": bob.id,
    }
    return world | {"bob_ids": ids}


def rows_of(user) -> dict:
    """Everything stored for a person, to compare before and after."""
    from accounts.models import Profile
    from tracker.models import Episode, ShareLink

    models = [Episode, Medication, Alert, ShareLink, Profile]
    rows = {m.__name__: sorted(m.objects.filter(user=user).values(), key=str) for m in models}
    rows["user"] = list(type(user).objects.filter(id=user.id).values())
    rows["alert_episodes"] = sorted(
        str(pk)
        for pk in Alert.episodes.through.objects.filter(alert__user=user).values_list(
            "episode_id", flat=True
        )
    )
    return rows


def with_foreign_ids(body: dict, ids: dict) -> dict:
    """The body with another person's ids under every name an id might be read from."""
    return {
        **body,
        "id": str(ids["episode"]),
        "pk": str(ids["medication"]),
        "episode_id": str(ids["episode"]),
        "medication_id": str(ids["medication"]),
        "alert_id": str(ids["alert"]),
        "link_id": str(ids["link"]),
        "user": ids["user"],
        "user_id": ids["user"],
        "owner": ids["user"],
        "episodes": [str(ids["episode"])],
    }


def test_every_write_url_has_a_row_with_foreign_ids(bobs_world):
    """A URL that answers a write with anything but 405 must be tried with Bob's ids below."""
    written = {name for name, (method, *_rest) in WRITES.items() if method != "GET"}
    paths = {row[1] for row in WRITES.values()}
    for name, (_, template, *_expected) in ACCESS.items():
        path = template.format(token=bobs_world["token"], **bobs_world["ids"])
        client = client_for("owner", bobs_world, api=path.startswith("/api/"))
        for method in WRITE_METHODS:
            if client.generic(method, path).status_code != 405:
                assert template in paths or name in written, (name, method)


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_write_with_another_persons_ids_changes_nothing_of_theirs(bobs_world, name):
    method, template, body, as_json, expected = WRITES[name]
    bob, alice = bobs_world["bob"], bobs_world["alice"]
    before = rows_of(bob)
    alice_ids = set(alice.episodes.values_list("id", flat=True))
    path = template.format(token=bobs_world["token"], **bobs_world["ids"])
    client = client_for("owner", bobs_world, api=path.startswith("/api/"))
    data = with_foreign_ids(body, bobs_world["bob_ids"])
    if as_json:
        response = client.generic(method, path, json.dumps(data), "application/json")
    else:
        response = client.post(path, data)
    assert response.status_code == expected, (path, response.content[:300])
    assert rows_of(bob) == before
    still_alices = set(Episode.objects.filter(user=alice).values_list("id", flat=True))
    assert not still_alices & set(Episode.objects.filter(user=bob).values_list("id", flat=True))
    assert alice_ids - still_alices <= {bobs_world["ids"]["episode"]}  # only a delete removes
