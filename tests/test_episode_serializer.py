"""The serializer is the API's gate: whatever arrives, it answers valid or names the fields."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import logbook
from tracker.models import Activity, Hydration, Relief, ReliefHelped, Side, Site, Symptom
from tracker.serializers import EpisodeSerializer

NOW = datetime.now(UTC)
json_scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
)
anything = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=5)


def sometimes_valid(valid):
    return st.one_of(valid, valid, valid, anything)


fields = st.fixed_dictionaries(
    {},
    optional={
        "id": sometimes_valid(st.uuids().map(str)),
        "started_at": sometimes_valid(
            st.datetimes(
                min_value=datetime(1890, 1, 1),
                max_value=datetime(2200, 1, 1),
                timezones=st.just(UTC),
            ).map(lambda d: d.isoformat())
        ),
        "duration_seconds": sometimes_valid(st.integers(-10, 100_000)),
        "site": sometimes_valid(st.sampled_from(Site.values)),
        "side": sometimes_valid(st.sampled_from(Side.values)),
        "intensity": sometimes_valid(st.integers(-3, 13)),
        "activity": sometimes_valid(st.sampled_from(Activity.values)),
        "activity_detail": sometimes_valid(st.text(max_size=250)),
        "hydration": sometimes_valid(st.sampled_from(Hydration.values)),
        "fluid_ml": sometimes_valid(st.integers(-10, 12_000)),
        "symptoms": sometimes_valid(st.lists(st.sampled_from(Symptom.values + ["itch"]))),
        "recent_fluid_loss": sometimes_valid(st.booleans()),
        "relief": sometimes_valid(st.lists(st.sampled_from(Relief.values))),
        "relief_helped": sometimes_valid(st.sampled_from(ReliefHelped.values)),
        "notes": sometimes_valid(st.text(max_size=2100)),
    },
)


@pytest.mark.django_db
@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,  # the same examples on every run, so CI cannot flake
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=fields)
def test_the_serializer_either_accepts_a_valid_episode_or_names_the_bad_fields(alice, data):
    serializer = EpisodeSerializer(data=data)
    if not serializer.is_valid():
        assert set(serializer.errors) <= set(EpisodeSerializer.Meta.fields) | {"non_field_errors"}
        return
    clean = serializer.validated_data
    assert 1 <= clean["duration_seconds"] <= 86_400
    assert 0 <= clean["intensity"] <= 10
    assert clean["started_at"] <= datetime.now(UTC) + timedelta(minutes=5)
    assert clean["started_at"].year >= 1900
    assert clean["site"] in Site.values and clean["side"] in Side.values
    assert set(clean.get("symptoms", [])) <= set(Symptom.values)
    assert len(clean.get("notes", "")) <= 2000
    assert clean.get("fluid_ml") is None or 0 <= clean["fluid_ml"] <= 10_000
    # Whatever passed the gate, the database accepts: no constraint is stricter than the rules.
    episode, created = logbook.record_episode(user=alice, fields=clean)
    assert created or "id" in clean
    episode.delete()


valid_episodes = st.fixed_dictionaries(
    {
        "started_at": st.datetimes(
            min_value=datetime(1900, 1, 2), max_value=datetime(2026, 1, 1), timezones=st.just(UTC)
        ).map(lambda d: d.isoformat()),
        "duration_seconds": st.integers(1, 86_400),
        "site": st.sampled_from(Site.values),
        "side": st.sampled_from(Side.values),
        "intensity": st.integers(0, 10),
        "activity": st.sampled_from(Activity.values),
        "hydration": st.sampled_from(Hydration.values),
    },
    optional={
        "symptoms": st.lists(st.sampled_from(Symptom.values), unique=True),
        "relief": st.lists(st.sampled_from(Relief.values), unique=True),
        "relief_helped": st.sampled_from(ReliefHelped.values) | st.none(),
        "fluid_ml": st.integers(0, 10_000) | st.none(),
        "notes": st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=2000),
    },
)


@pytest.mark.django_db
@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=valid_episodes)
def test_every_episode_within_the_rules_is_accepted_and_reads_back_the_same(alice, data):
    serializer = EpisodeSerializer(data=data)
    assert serializer.is_valid(), serializer.errors
    episode, _ = logbook.record_episode(user=alice, fields=serializer.validated_data)
    stored = EpisodeSerializer(episode).data
    for name in ("duration_seconds", "site", "side", "intensity", "fluid_ml"):
        if name in data:
            assert stored[name] == data[name]
    assert stored["notes"] == data.get("notes", "").strip()  # edges trimmed, as on the form
    for name in ("symptoms", "relief"):
        assert sorted(stored[name]) == sorted(data.get(name, []))
    episode.delete()
