"""The choice pills (templates/field.html): radios and checkboxes drawn as large chips."""

import re

import pytest

from tracker.models import MedicationKind


def pills(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="radio" name="{name}" value="([^"]*)"', html)


def test_the_medicine_kind_pills_have_no_blank_dashes(alice_client):
    html = alice_client.get("/medicines/").content.decode()
    assert "---------" not in html
    assert pills(html, "kind") == list(MedicationKind.values)


def test_a_medicine_sent_without_a_kind_is_refused_on_that_field(alice_client, alice):
    response = alice_client.post(
        "/medicines/", {"name": "Atorvastatin", "started_on": "2026-01-01"}
    )
    assert response.context["form"].errors["kind"] == ["This field is required."]
    assert not alice.medications.exists()
    assert "---------" not in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/", "/episodes/new/", "/accounts/profile/", "/medicines/", "/reports/share/"]
)
def test_no_form_page_shows_a_blank_dash_choice(alice_client, path):
    assert "---------" not in alice_client.get(path).content.decode()


def test_a_deliberate_blank_choice_with_words_stays(alice_client):
    # "Not sure" is the empty answer to "did it help", offered on purpose.
    assert "Not sure" in alice_client.get("/episodes/new/").content.decode()
