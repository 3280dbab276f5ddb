from datetime import date

from django.test import Client

from tests.factories import EpisodeFactory
from tracker import alerts
from tracker.models import Alert, Medication


def test_the_home_page_shows_unseen_alerts_most_serious_first(alice_client, alice):
    for _ in range(4):
        EpisodeFactory(user=alice)  # frequent: routine
    EpisodeFactory(user=alice, symptoms=["weakness"])  # red flag: urgent
    alerts.evaluate(user=alice)
    html = alice_client.get("/").content.decode()
    banner = html[html.index("alert-banner") : html.index("</section>", html.index("alert-banner"))]
    assert "3 new alerts" in banner  # weakness, frequent, and sleep (the factory sleeps)
    assert banner.index("Seek care promptly, today:") < banner.index("came with warning signs")
    assert banner.index("came with warning") < banner.index("Bring this up at your next visit:")
    assert banner.index("Bring this up") < banner.index("cramps in the last 7 days")
    assert 'href="/alerts/"' in banner


def test_seen_alerts_leave_the_banner_but_stay_on_the_alerts_page(alice_client, alice):
    EpisodeFactory(user=alice, symptoms=["weakness"])
    alerts.evaluate(user=alice)
    alert = Alert.objects.get()
    assert alice_client.post(f"/alerts/{alert.id}/acknowledge/").status_code == 302
    assert "alert-banner" not in alice_client.get("/").content.decode()
    page = alice_client.get("/alerts/").content.decode()
    assert "you noted weakness" in page and "Seen " in page


def test_the_alerts_page_shows_the_reason_and_links_to_the_episodes(alice_client, alice):
    episode = EpisodeFactory(
        user=alice, duration_seconds=900, relief=["stretching"], relief_helped="no"
    )
    alerts.evaluate(user=alice)
    html = alice_client.get("/alerts/").content.decode()
    assert "Seek care promptly, today" in html
    assert "Why:" in html and "longer than 10 minutes" in html
    assert f'href="/episodes/{episode.id}/edit/"' in html
    assert (
        "NHS" in html and "MSD Manual" in html and "MedlinePlus" in html and "Mayo Clinic" in html
    )
    assert "app settings" in html


def test_alerts_pages_are_private(bob_client, alice):
    EpisodeFactory(user=alice, symptoms=["swelling"], notes="secret")
    alerts.evaluate(user=alice)
    alert = Alert.objects.get()
    assert "you noted swelling" not in bob_client.get("/alerts/").content.decode()
    assert bob_client.post(f"/alerts/{alert.id}/acknowledge/").status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    anonymous = Client()
    assert anonymous.get("/alerts/")["Location"].startswith("/accounts/login/")
    assert anonymous.post(f"/alerts/{alert.id}/acknowledge/")["Location"].startswith(
        "/accounts/login/"
    )


def test_alerts_pages_refuse_wrong_methods(alice_client, alice):
    EpisodeFactory(user=alice, symptoms=["swelling"])
    alerts.evaluate(user=alice)
    alert = Alert.objects.get()
    assert alice_client.post("/alerts/").status_code == 405
    assert alice_client.get(f"/alerts/{alert.id}/acknowledge/").status_code == 405


def test_alert_settings_save_only_what_differs_and_rerun_the_rules(alice_client, alice):
    EpisodeFactory(user=alice, duration_seconds=400)
    page = alice_client.get("/alerts/settings/").content.decode()
    assert "app setting" in page and "from published guidance" in page
    from django.conf import settings

    data = {key: value for key, value in settings.ALERT_THRESHOLDS.items()}
    data["prolonged_minutes"] = 5
    assert alice_client.post("/alerts/settings/", data).status_code == 302
    alice.profile.refresh_from_db()
    assert alice.profile.alert_thresholds == {"prolonged_minutes": 5}
    assert Alert.objects.get().rule == "prolonged"


def test_alert_settings_refuse_bad_numbers_and_change_nothing(alice_client, alice):
    from django.conf import settings

    data = {key: value for key, value in settings.ALERT_THRESHOLDS.items()}
    data.update(frequent_per_7_days="0", sleep_days="lots")
    response = alice_client.post("/alerts/settings/", data)
    assert response.status_code == 200
    assert {"frequent_per_7_days", "sleep_days"} <= set(response.context["form"].errors)
    alice.profile.refresh_from_db()
    assert alice.profile.alert_thresholds == {}


def test_medicines_can_be_added_edited_and_deleted(alice_client, alice):
    response = alice_client.post(
        "/medicines/", {"name": "Furosemide", "kind": "diuretic", "started_on": "2026-10-01"}
    )
    assert response.status_code == 302
    medicine = Medication.objects.get()
    assert (medicine.user, medicine.kind) == (alice, "diuretic")
    assert "Furosemide" in alice_client.get("/medicines/").content.decode()
    alice_client.post(
        f"/medicines/{medicine.id}/edit/",
        {
            "name": "Furosemide",
            "kind": "diuretic",
            "started_on": "2026-10-01",
            "stopped_on": "2026-11-01",
        },
    )
    medicine.refresh_from_db()
    assert medicine.stopped_on == date(2026, 11, 1)
    assert (
        "Delete Furosemide?"
        in alice_client.get(f"/medicines/{medicine.id}/delete/").content.decode()
    )
    alice_client.post(f"/medicines/{medicine.id}/delete/")
    assert not Medication.objects.exists()


def test_a_medicine_cannot_stop_before_it_starts(alice_client, alice):
    response = alice_client.post(
        "/medicines/",
        {"name": "X", "kind": "other", "started_on": "2026-10-01", "stopped_on": "2026-09-01"},
    )
    assert response.status_code == 200
    assert "before the start" in " ".join(response.context["form"].errors["stopped_on"])
    assert not Medication.objects.exists()


def test_another_users_medicine_is_a_404(bob_client, alice):
    medicine = Medication.objects.create(
        user=alice, name="Mine", kind="other", started_on=date(2026, 1, 1)
    )
    assert bob_client.get(f"/medicines/{medicine.id}/edit/").status_code == 404
    assert bob_client.post(f"/medicines/{medicine.id}/delete/").status_code == 404
    assert "Mine" not in bob_client.get("/medicines/").content.decode()
    assert Medication.objects.filter(id=medicine.id).exists()


def test_medicine_pages_need_log_in_and_the_right_method(alice_client, alice):
    medicine = Medication.objects.create(
        user=alice, name="Mine", kind="other", started_on=date(2026, 1, 1)
    )
    anonymous = Client()
    for path in [
        "/medicines/",
        f"/medicines/{medicine.id}/edit/",
        f"/medicines/{medicine.id}/delete/",
        "/alerts/settings/",
    ]:
        assert anonymous.get(path)["Location"].startswith("/accounts/login/"), path
    assert alice_client.put("/medicines/").status_code == 405
    assert alice_client.delete(f"/medicines/{medicine.id}/delete/").status_code == 405
