"""Who gets what at every URL, built from the URLconf itself: a new URL without a row here
fails the first test, and every row is then checked for anonymous, the owner, another
user, and a share link's holder."""

import re
import uuid
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.factories import EpisodeFactory
from tracker import alerts
from tracker.models import Alert, Medication
from tracker.reports import sharing
from tracker.reports.summary import Period

LOGIN = "login"  # a redirect to the log-in page

# name: (method, path template, anonymous, owner, another user, share-link holder)
# {episode}, {medication}, {alert}, {link} are the owner's; {token} is the share token
# (anonymous and the others get a made-up one on share URLs).
ACCESS = {
    "quick_log": ("GET", "/", LOGIN, 200, 200, LOGIN),
    "log_past": ("GET", "/episodes/new/", LOGIN, 200, 200, LOGIN),
    "edit_episode": ("GET", "/episodes/{episode}/edit/", LOGIN, 200, 404, LOGIN),
    "delete_episode": ("POST", "/episodes/{episode}/delete/", LOGIN, 302, 404, LOGIN),
    "history": ("GET", "/history/", LOGIN, 200, 200, LOGIN),
    "emergency": ("GET", "/emergency/", 200, 200, 200, 200),
    "offline": ("GET", "/offline/", 200, 200, 200, 200),
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
    "profile": ("GET", "/accounts/profile/", LOGIN, 200, 200, LOGIN),
    "export": ("GET", "/accounts/profile/export.json", LOGIN, 200, 200, LOGIN),
    "activity": ("GET", "/accounts/profile/activity/", LOGIN, 200, 200, LOGIN),
    "delete_account": ("GET", "/accounts/profile/delete/", LOGIN, 200, 200, LOGIN),
    "api_register": ("GET", "/api/v1/accounts/", 405, 405, 405, 405),
    "api_token": ("GET", "/api/v1/auth/token/", 405, 405, 405, 405),
    "api_report_summary": ("GET", "/api/v1/reports/summary/", 401, 200, 200, 401),
    "episode-list": ("GET", "/api/v1/episodes/", 401, 200, 200, 401),
    "episode-detail": ("GET", "/api/v1/episodes/{episode}/", 401, 200, 404, 401),
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
    ids = {"episode": episode.id, "medication": medication.id, "alert": alert.id, "link": link.id}
    return {"alice": alice, "bob": bob, "ids": ids, "token": token}


def client_for(who: str, world, api: bool) -> Client:
    client = Client()
    user = {"owner": world["alice"], "stranger": world["bob"]}.get(who)
    if user is not None:
        if api:
            client.defaults["HTTP_AUTHORIZATION"] = (
                f"Token {Token.objects.get_or_create(user=user)[0].key}"
            )
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
