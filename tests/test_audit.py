import re

from django.test import Client

from accounts.models import AuditEvent
from tests.factories import EpisodeFactory


def test_each_export_and_share_opening_is_recorded_and_shown(alice_client, alice, bob):
    EpisodeFactory(user=alice)
    alice_client.get("/reports/physician.pdf", {"from": "2026-01-01", "to": "2026-01-31"})
    alice_client.get("/reports/episodes.csv")
    alice_client.get("/reports/fhir.json")
    alice_client.get("/accounts/profile/export.json")
    html = alice_client.post(
        "/reports/share/", {"start": "2026-01-01", "end": "2026-01-31", "expires_in_days": "3"}
    ).content.decode()
    (path,) = re.findall(r'href="http://testserver(/share/[^"]+/)"', html)
    Client().get(path)
    Client().get(path + "physician.pdf")
    assert list(AuditEvent.objects.order_by("at", "id").values_list("what", flat=True)) == [
        "pdf",
        "csv",
        "fhir",
        "data",
        "share_made",
        "share_opened",
        "share_opened",
    ]
    assert AuditEvent.objects.get(what="pdf").detail == "2026-01-01 to 2026-01-31"
    page = alice_client.get("/accounts/profile/activity/").content.decode()
    assert page.count("Share link opened") == 2 and "Physician report (PDF) downloaded" in page
    assert "Share link" not in Client().get("/accounts/profile/activity/").content.decode()
    from django.test import Client as Other

    other = Other()
    other.force_login(bob)
    assert "downloaded" not in other.get("/accounts/profile/activity/").content.decode()
