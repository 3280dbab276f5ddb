"""Alert rules running while the same person deletes: the run must not fail or be lost."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import EpisodeFactory
from tracker import alerts, logbook
from tracker.models import Alert

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_alert_run_and_a_delete_at_the_same_time_both_succeed(alice, monkeypatch):
    """The run reads the episodes; the delete lands before the run writes its alerts.

    The run pauses right after reading (when it has decided which episodes its alerts
    list) until the delete finished or, if the delete has to wait for the run, briefly.
    """
    doomed = EpisodeFactory(user=alice, symptoms=["swelling"])
    EpisodeFactory(user=alice, symptoms=["weakness"], started_at=timezone.now() - timedelta(days=1))
    read, deleted = threading.Event(), threading.Event()
    real_findings = alerts.findings
    errors = []

    def findings_then_pause(**kwargs):
        found = real_findings(**kwargs)
        if threading.current_thread().name == "rules":
            read.set()
            deleted.wait(timeout=2)  # a delete that queues behind the run never finishes first
        return found

    monkeypatch.setattr(alerts, "findings", findings_then_pause)

    def run_rules():
        try:
            alerts.evaluate(user=alice)
        except Exception as error:  # what would otherwise be logged and lost
            errors.append(error)
        finally:
            connection.close()

    def delete():
        read.wait(timeout=10)
        try:
            logbook.delete_episode(episode=doomed)
            deleted.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=run_rules, name="rules"), threading.Thread(target=delete)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert not alice.episodes.filter(id=doomed.id).exists()
    listed = set(
        Alert.episodes.through.objects.filter(alert__user=alice).values_list("episode", flat=True)
    )
    assert doomed.id not in listed
    assert set(alice.alerts.filter(closed_at__isnull=True).values_list("rule", flat=True)) == {
        "red_flag"
    }
    # What is open is what a fresh run finds: nothing was left half done.
    assert alerts.evaluate(user=alice) == []
