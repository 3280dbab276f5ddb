"""Driving the whole app through WSGI (schemathesis, the generated client) inside a test."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@pytest.fixture
def keep_the_test_connection():
    """The WSGI app closes "old" connections around each request, which would close the
    test's own; Django's test client unhooks the same signal handlers for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
