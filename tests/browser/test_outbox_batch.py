"""The outbox sends what waited offline in batches: fifty cramps are one request."""

import json
import uuid

import pytest

from tests.browser.test_offline import log_in as log_in_as_olive
from tracker.models import Episode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page):
    log_in_as_olive(page)
    # The page sends what waits when it loads: let that finish before queueing more.
    page.wait_for_load_state("networkidle")
    page.wait_for_function("self.CrampOutbox !== undefined")


def queue(page, payloads: list[dict]) -> None:
    page.evaluate("(items) => Promise.all(items.map((item) => CrampOutbox.add(item)))", payloads)


def cramp(**overrides) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "started_at": "2026-11-20T22:15:00+01:00",
        "duration_seconds": 60,
        "site": "calf",
        "side": "left",
        "intensity": 5,
        "activity": "sleeping",
        "hydration": "normal",
        **overrides,
    }


def test_fifty_waiting_cramps_go_in_one_request_and_all_arrive_once(phone, user):
    log_in(phone)
    posts = []
    phone.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    waiting = [cramp() for _ in range(50)]
    queue(phone, waiting)
    result = phone.evaluate("CrampOutbox.flush()")
    assert result["sent"] == 50 and result["waiting"] == 0
    assert [url.split("/api/")[1] for url in posts] == ["v1/episodes/batch/"]
    assert set(map(str, Episode.objects.filter(user=user).values_list("id", flat=True))) == {
        c["id"] for c in waiting
    }
    assert phone.evaluate("CrampOutbox.flush()")["sent"] == 0  # nothing left to send twice


def test_a_refused_cramp_stays_on_the_phone_with_its_errors_and_the_rest_are_sent(phone, user):
    log_in(phone)
    good, bad = cramp(), cramp(intensity=11)
    queue(phone, [good, bad])
    result = phone.evaluate("CrampOutbox.flush()")
    assert result["answers"] == {good["id"]: 201, bad["id"]: 400}
    kept = phone.evaluate("CrampOutbox.all()")
    assert [item["id"] for item in kept] == [bad["id"]]
    assert "intensity" in json.loads(kept[0]["rejected"])["errors"]
    assert list(Episode.objects.values_list("intensity", flat=True)) == [5]


def test_a_hundred_and_twenty_waiting_cramps_go_in_two_requests(phone, user):
    log_in(phone)
    posts = []
    phone.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    queue(phone, [cramp() for _ in range(120)])
    assert phone.evaluate("CrampOutbox.flush()")["sent"] == 120
    assert len(posts) == 2
    assert Episode.objects.filter(user=user).count() == 120
