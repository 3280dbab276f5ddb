"""What any JSON body, however hostile, gets from the API: a 400, never a 500."""

import pytest

from tracker.models import Episode

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 100_000 + "1" + "}" * 100_000


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT])
@pytest.mark.parametrize("path", ["/api/v1/episodes/", "/api/v1/medications/", "/api/v1/accounts/"])
def test_json_nested_100000_levels_deep_gets_400(alice_api, path, body):
    response = alice_api.post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
    assert Episode.objects.count() == 0


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT])
def test_the_token_endpoint_answers_deep_json_with_400(anon_api, alice, body):
    response = anon_api.post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400


def test_deep_json_in_a_patch_changes_nothing(alice_api, alice):
    from tests.factories import EpisodeFactory

    episode = EpisodeFactory(user=alice, intensity=4)
    response = alice_api.patch(
        f"/api/v1/episodes/{episode.id}/", DEEP, content_type="application/json"
    )
    assert response.status_code == 400
    episode.refresh_from_db()
    assert episode.intensity == 4


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/x-www-form-urlencoded", "started_at=2026-11-01T07:15:00Z"),
        (
            "multipart/form-data; boundary=x",
            '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
        ),
        ("text/plain", "{}"),
    ],
)
def test_a_body_that_is_not_json_gets_415_and_changes_nothing(alice_api, content_type, body):
    response = alice_api.post("/api/v1/episodes/", body, content_type=content_type)
    assert response.status_code == 415
    assert Episode.objects.count() == 0
