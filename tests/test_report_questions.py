from datetime import date

from tracker.models import Medication
from tracker.reports.questions import questions


def numbers(**overrides):
    empty = {"tried": 0, "helped": 0, "partly": 0}
    s = {
        "from": "2026-09-01",
        "to": "2026-11-29",
        "days": 90,
        "count": 10,
        "night_share": 0.2,
        "median_duration_seconds": 60,
        "by_activity": {"exercise": 1},
        "by_site": {"calf": 3, "foot": 3, "inner_thigh": 4},
        "relief": {"stretching": dict(empty), "none": dict(empty)},
        "previous": {"count": 9, "days": 90, "median_duration_seconds": 55},
    }
    s.update(overrides)
    return s


def test_an_unremarkable_period_asks_nothing():
    assert questions(numbers()) == []


def test_mostly_at_night():
    (asked,) = questions(numbers(night_share=0.5))
    assert "Most of my cramps come at night or in my sleep (50%)" in asked


def test_more_cramps_and_longer_ones_than_before():
    asked = questions(
        numbers(
            count=15,
            median_duration_seconds=90,
            previous={"count": 10, "days": 90, "median_duration_seconds": 60},
        )
    )
    assert any("I had 15 cramps in these 90 days against 10" in q for q in asked)
    assert any("lasting longer lately (typically 1.5 min against 1.0 min" in q for q in asked)


def test_a_medicine_started_in_or_just_before_the_period():
    started = Medication(name="Furosemide", kind="diuretic", started_on=date(2026, 8, 15))
    older = Medication(name="Old", kind="other", started_on=date(2020, 1, 1))
    asked = questions(numbers(), [started, older])
    assert asked == [
        "I started Furosemide on 15 Aug 2026. Could it have anything to do with my cramps?"
    ]


def test_self_care_that_rarely_helps_and_a_site_that_dominates():
    relief = {
        "stretching": {"tried": 4, "helped": 1, "partly": 0},
        "none": {"tried": 0, "helped": 0, "partly": 0},
    }
    asked = questions(numbers(relief=relief, by_site={"calf": 8, "foot": 2}))
    assert "Stretching rarely helped. What else could I try?" in asked
    assert any("Most of my cramps are in the calf" in q for q in asked)
