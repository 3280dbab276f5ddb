"""Schemathesis over the live /api/schema/ with all its checks: positive and negative data,
then stateful sequences along the schema's links, a fixed seed and a bounded number of
examples. Any request the schema allows is accepted, any it forbids refused, and every
answer is what the schema says."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from accounts import tokens
from accounts.services import register
from config.wsgi import application
from tests.factories import EpisodeFactory
from tests.wsgi import keep_the_test_connection  # noqa: F401 (a fixture)

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


@pytest.fixture
def token(db, keep_the_test_connection):  # noqa: F811
    user = register(username="fuzz", password="fuzz-password-123", time_zone="Asia/Kolkata")
    EpisodeFactory(user=user, symptoms=["swelling"])
    return tokens.issue(user=user)[1]


@schema.parametrize()
@BOUNDED
def test_every_generated_request_gets_the_answer_the_schema_promises(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})


def test_stateful_sequences_along_the_links_keep_the_contract(token):
    machine = schema.as_state_machine()

    class Sequences(machine):
        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Bearer {token}"}}

    run = settings(BOUNDED, max_examples=10, stateful_step_count=6)(Sequences.TestCase)
    run().runTest()
