from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import EpisodeFactory


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("intensity", 11),
        ("duration_seconds", 0),
        ("duration_seconds", 86_401),
        ("fluid_ml", 10_001),
    ],
)
def test_the_database_itself_refuses_out_of_range_values(alice, field, value):
    episode = EpisodeFactory(user=alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(episode).objects.filter(pk=episode.pk).update(**{field: value})


def test_full_clean_applies_every_rule(alice):
    episode = EpisodeFactory.build(
        user=alice,
        intensity=12,
        started_at=datetime.now(UTC) + timedelta(minutes=6),
        symptoms=["swelling", "swelling", "itch"],
        relief="stretching",
        notes="n" * 2001,
    )
    with pytest.raises(ValidationError) as raised:
        episode.full_clean()
    assert set(raised.value.message_dict) == {
        "intensity",
        "started_at",
        "symptoms",
        "relief",
        "notes",
    }


def test_a_start_four_minutes_ahead_is_a_phone_clock_not_an_error(alice):
    episode = EpisodeFactory.build(user=alice, started_at=datetime.now(UTC) + timedelta(minutes=4))
    episode.full_clean()


@pytest.mark.parametrize(
    ("seconds", "shown"), [(45, "45 s"), (60, "1 min"), (95, "1 min 35 s"), (3720, "1 h 2 min")]
)
def test_duration_reads_as_a_person_says_it(seconds, shown):
    assert EpisodeFactory.build(duration_seconds=seconds).duration_display == shown


def test_ended_at_is_start_plus_duration():
    episode = EpisodeFactory.build(
        started_at=datetime(2026, 1, 1, 23, 59, tzinfo=UTC), duration_seconds=120
    )
    assert episode.ended_at == datetime(2026, 1, 2, 0, 1, tzinfo=UTC)


def test_labels_follow_the_stored_choices():
    episode = EpisodeFactory.build(symptoms=["numbness_tingling"], relief=["drink_electrolytes"])
    assert episode.symptom_labels() == ["Numbness or tingling"]
    assert episode.relief_labels() == ["Drink / electrolytes"]


def test_an_episode_is_registered_in_the_admin():
    from django.contrib import admin

    from tracker.models import Episode

    assert admin.site.is_registered(Episode)
