from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import EpisodeFactory
from tracker.models import Episode


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


# --- the insert compiled once -------------------------------------------------------------


def _stored(episode_id) -> dict:
    from django.db import connection

    columns = [f.column for f in Episode._meta.local_concrete_fields if f.column != "id"]
    with connection.cursor() as cursor:  # as the database holds it, not as the ORM reads it
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM tracker_episode WHERE id = %s",  # noqa: S608
            [Episode._meta.pk.get_db_prep_value(episode_id, connection)],
        )
        return dict(zip(columns, cursor.fetchone(), strict=True))


def test_a_saved_episode_is_stored_as_djangos_own_insert_stores_it(alice):
    from unittest import mock

    from django.db import models

    values = {
        "started_at": datetime(2026, 11, 20, 22, 15, tzinfo=UTC),
        "time_zone": "Europe/Berlin",
        "duration_seconds": 95,
        "site": "inner_thigh",
        "side": "right",
        "intensity": 7,
        "activity": "exercise",
        "activity_detail": "5 km run, ünïcode 🏃",
        "hydration": "low",
        "fluid_ml": 750,
        "symptoms": ["knot", "twitching"],
        "recent_fluid_loss": True,
        "fluid_loss": ["sweating"],
        "relief": ["stretching"],
        "relief_helped": None,
        "notes": "line one\nline 'two'",
    }
    # Django's compiler is not asked: the SQL it compiled once is used.
    with mock.patch.object(models.Model, "_do_insert", side_effect=AssertionError):
        saved = Episode.objects.create(user=alice, **values)
    [through_django] = Episode.objects.bulk_create([Episode(user=alice, **values)])
    ours, theirs = _stored(saved.id), _stored(through_django.id)
    for moment in ("created_at", "updated_at"):
        assert ours.pop(moment) is not None and theirs.pop(moment) is not None
    assert ours == theirs
    assert not saved._state.adding and saved._state.db == "default"


def test_an_insert_out_of_the_ordinary_goes_through_django_and_still_signals(alice):
    from django.db.models import Value
    from django.db.models.signals import post_save

    heard = []

    def listener(sender, instance, created, **kwargs):
        heard.append(created)

    post_save.connect(listener, sender=Episode)
    try:
        episode = EpisodeFactory.build(user=alice)
        episode.notes = Value("set by an expression")
        episode.save()
    finally:
        post_save.disconnect(listener, sender=Episode)
    assert heard == [True]
    assert Episode.objects.get(id=episode.id).notes == "set by an expression"
