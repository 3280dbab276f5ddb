"""Schemathesis over the live /api/schema/ with all its checks: positive and negative data,
then stateful sequences, on a fixed seed and a bounded number of examples. A request the
schema allows is accepted, one it forbids is refused, and every answer is as documented."""

import re
from datetime import date

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from hypothesis import HealthCheck, settings
from knox.crypto import hash_token
from schemathesis import GenerationMode

from accounts.models import ApiToken
from accounts.services import register
from config.wsgi import application
from tests.factories import EpisodeFactory
from tests.wsgi import keep_the_test_connection  # noqa: F401 (a fixture)
from tracker.zones import validate_zone_name

USERNAME, PASSWORD = "fuzz", "fuzz-password-123"
# A fixed key: schemathesis may ask the auth provider for it before the fixture has run.
KEY = "f" * 64
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], deterministic=True
)
BOUNDED = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


@schema.auth()
class BearerKey:
    """Known to schemathesis as the API's auth, so its ignored-auth check can take it away."""

    def get(self, case, context):
        return KEY

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def token(db, keep_the_test_connection):  # noqa: F811
    user = register(username=USERNAME, password=PASSWORD, time_zone="Asia/Kolkata")
    EpisodeFactory(user=user, symptoms=["swelling"])
    ApiToken(user=user, digest=hash_token(KEY), token_key=KEY[:8], expiry=None).save()


def follow_the_described_rules(case) -> None:
    """Positive data keeps the rules the schema can only describe in words (a start not in
    the future, a known time zone, a medicine dated 1900 to a year ahead and stopping after
    it starts, a password that is not common nor like the username, Django's e-mail check,
    the period's order and length) and logs in as the one person there is; negative data is
    left as generated."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    body = case.body if isinstance(case.body, dict) else {}
    if "started_at" in body and not "1900" <= body["started_at"][:4] <= "2025":
        body["started_at"] = "2025-06-01T07:15:00+02:00"
    if "time_zone" in body:
        body["time_zone"] = _or_instead(validate_zone_name, body["time_zone"], "Europe/Berlin")
    for day in ("started_on", "stopped_on"):
        if body.get(day) and not "1900" <= body[day][:4] <= "2025":
            body[day] = "2025-06-01"
    if body.get("stopped_on") and body.get("started_on", "9999") > body["stopped_on"]:
        body["stopped_on"] = body.get("started_on")
    if case.operation.path == "/api/v1/auth/token/":
        body.update(username=USERNAME, password=PASSWORD)
    elif "password" in body:
        person = get_user_model()(username=body.get("username", ""), email=body.get("email", ""))
        body["password"] = _or_instead(
            lambda password: validate_password(password, user=person),
            body["password"],
            "a-sound-password-9",
        )
        # `\w` is any alphabet's letter to Python, which checks it, and may be less to a generator.
        if not re.fullmatch(r"[\w.@+-]+", str(body.get("username"))):
            body["username"] = "fuzzer"
        if "email" in body:
            body["email"] = _or_instead(validate_email, body["email"], "fuzz@example.org")
    _keep_the_period_in_order(case.query or {})


def _or_instead(rule, value, instead):
    try:
        rule(value)
    except ValidationError:
        return instead
    return value


def _keep_the_period_in_order(query: dict) -> None:
    for name in ("from", "to"):
        if name in query and not "1900" <= str(query[name])[:4] <= "8999":
            query[name] = "2026-01-01"
    if "from" in query and "to" in query:
        start, end = sorted([str(query["from"]), str(query["to"])])
        if (date.fromisoformat(end) - date.fromisoformat(start)).days >= 3660:
            end = start
        query.update({"from": start, "to": end})


@schema.parametrize()
@BOUNDED
def test_every_generated_request_gets_the_answer_the_schema_promises(case, token):
    follow_the_described_rules(case)
    case.call_and_validate()


def test_stateful_sequences_keep_the_contract(token):
    class Sequences(schema.as_state_machine()):
        def before_call(self, case):
            follow_the_described_rules(case)

    Sequences.TestCase.settings = settings(BOUNDED, max_examples=10, stateful_step_count=6)
    Sequences.TestCase().runTest()
