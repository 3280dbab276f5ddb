"""Password reset by e-mail: Django's views with our templates (accounts/urls.py)."""

import re

import pytest
from django.core import mail
from django.test import Client, override_settings

RESET = "/accounts/password/reset/"


@pytest.fixture
def alice_with_email(alice):
    alice.email = "alice@example.org"
    alice.save()
    return alice


def reset_link() -> str:
    (message,) = mail.outbox
    return re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body)[1]


def test_the_log_in_page_offers_a_reset(client, db):
    assert f'href="{RESET}"' in client.get("/accounts/login/").content.decode()


def test_the_reset_page_is_ours_not_the_admins(client, db):
    page = client.get(RESET).content.decode()
    assert "Reset password · Cramp tracker" in page and "Django administration" not in page


def test_a_reset_mails_a_link_that_sets_a_new_password_once(client, alice_with_email):
    response = client.post(RESET, {"email": "Alice@Example.org"})
    assert response.status_code == 302 and response["Location"] == f"{RESET}sent/"
    assert mail.outbox[0].to == ["alice@example.org"]
    assert mail.outbox[0].subject == "Cramp tracker: choose a new password"
    link = reset_link()

    form = client.get(link, follow=True)
    # Django swaps the token out of the address before the form is shown.
    assert form.redirect_chain[-1][0].endswith("/set-password/")
    assert "Choose a new password" in form.content.decode()
    new = {"new_password1": "a-fresh-phrase-42", "new_password2": "a-fresh-phrase-42"}
    done = client.post(form.redirect_chain[-1][0], new)
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/done/"

    alice_with_email.refresh_from_db()
    assert alice_with_email.check_password("a-fresh-phrase-42")
    again = Client().get(link, follow=True).content.decode()
    assert "expired or was already used" in again


def test_an_unknown_address_answers_the_same_and_mails_nobody(client, alice_with_email):
    response = client.post(RESET, {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == f"{RESET}sent/"
    assert mail.outbox == []


def test_a_bad_address_is_named_and_nothing_is_sent(client, alice_with_email):
    response = client.post(RESET, {"email": "not-an-address"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert mail.outbox == []


def test_mismatched_new_passwords_are_refused_and_change_nothing(client, alice_with_email):
    client.post(RESET, {"email": "alice@example.org"})
    form_url = client.get(reset_link(), follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "one-phrase-1", "new_password2": "other-2"})
    assert response.status_code == 200
    assert "The two password fields didn" in response.content.decode()
    alice_with_email.refresh_from_db()
    assert alice_with_email.check_password("alice-password-1")


def test_a_made_up_link_is_refused(client, alice_with_email):
    page = client.get(f"{RESET}MQ/made-up-token/", follow=True).content.decode()
    assert "expired or was already used" in page and "new_password1" not in page


@override_settings(EMAIL_BACKEND="tests.test_mail.RefusingBackend")
def test_a_refusing_mail_server_still_answers_the_same(client, alice_with_email, caplog):
    response = client.post(RESET, {"email": "alice@example.org"})
    assert response.status_code == 302 and response["Location"] == f"{RESET}sent/"
    assert "An e-mail could not be sent: ConnectionRefusedError" in caplog.text
    assert "alice" not in caplog.text


def test_a_new_password_by_reset_revokes_every_api_key(client, alice_with_email):
    from accounts import tokens

    tokens.issue(user=alice_with_email, name="phone")
    client.post(RESET, {"email": "alice@example.org"})
    form = client.get(reset_link(), follow=True)
    new = {"new_password1": "a-fresh-phrase-42", "new_password2": "a-fresh-phrase-42"}
    client.post(form.redirect_chain[-1][0], new)
    assert list(tokens.live_for(alice_with_email)) == []
