"""Rules about patterns over many cramps. Counts come from the situation's tallies, which
cover whole windows; the episodes an alert lists are the newest of them.

Where no source gives a number (how many is "often", what is "getting worse"), the number
is an app setting and the alert says so.
"""

from collections.abc import Iterator
from datetime import timedelta

from ..models import Activity, AlertLevel, AlertRule, Relief, ReliefHelped
from .signs import _and, gather, on_a_statin
from .situation import MAYO, MEDLINEPLUS, MSD, NHS_CRAMPS, Finding, Situation

EASED = (ReliefHelped.YES, ReliefHelped.PARTLY)
NOT_HELPED_DAYS = 90
LISTED = 20  # episodes a pattern alert links; its words give the whole count


def app_setting(text: str) -> str:
    return (
        f"{text} No published guidance gives a number here: this is an app setting, "
        "which you can change in the alert settings."
    )


def eased_with_rest(episode) -> bool:
    return Relief.REST in episode.relief and episode.relief_helped in EASED


def unsaid_relief(episode) -> bool:
    """The person did not say whether anything helped: the walking rule must not need it."""
    return episode.relief_helped is None


def new_medicine_parts(s: Situation) -> list[tuple]:
    """Medicines started recently after which cramps came more often than before.

    Only where the person was already logging before the start: days before they began are
    not "no cramps", they are unknown.
    """
    window = timedelta(days=s.limits["medication_window_days"])
    recent = s.today - timedelta(days=s.limits["medication_recent_days"])
    parts = []
    for medicine in s.medications:
        start = medicine.started_on
        if not recent <= start <= s.today or medicine.id not in s.medicine_tallies:
            continue
        if s.first_logged is None or s.first_logged > start - window:
            continue
        before, after = s.medicine_tallies[medicine.id]
        if after and after > before:
            episodes = [e for e in s.recent if start <= s.day_of(e) < start + window]
            parts.append((medicine, before, after, episodes))
    return parts


def medication(s: Situation) -> Iterator[Finding]:
    """Cramps and medicines: one alert for both of the guidance's concerns.

    On a statin (signs.on_a_statin: Mayo Clinic). Cramps that began after starting a new
    medicine: soon (MSD Manual, "Muscle Cramps": call the doctor in 1 to 2 days).
    """
    window = s.in_last_days(s.limits["lookback_days"], s.flagged)
    statin = [(e, flag) for e in window if (flag := on_a_statin(e, s)) is not None]
    found = gather(AlertRule.MEDICATION, statin, s)
    parts = new_medicine_parts(s)
    if not parts:
        if found:
            yield found
        return
    days = s.limits["medication_window_days"]
    lines = [
        f"You logged {after} cramp(s) in the {days} days from starting {medicine.name} on "
        f"{medicine.started_on:%d %b %Y}, and {before} in the {days} days before."
        for medicine, before, after, _ in parts
    ]
    guidance = (
        "The MSD Manual advises seeing a doctor within a day or two about cramps that began "
        "after starting a new medicine."
    )
    names = _and([medicine.name for medicine, *_ in parts])
    episodes = [e for *_, listed in parts for e in listed]
    if found is None:
        message, reason, level = f"More cramps since you started {names}.", "", AlertLevel.SOON
        sources = [MSD]
    else:
        message, reason, level = found.message, found.reason + " ", found.level
        sources = [*found.sources, MSD]
        episodes = found.episodes + [e for e in episodes if e not in found.episodes]
    episodes.sort(key=lambda e: e.started_at, reverse=True)
    reason += " ".join([*lines, guidance])
    yield Finding(AlertRule.MEDICATION, level, message, reason, episodes, sources)


def claudication_pattern(s: Situation) -> Iterator[Finding]:
    """Cramps that come while walking: soon when they eased with rest, routine when the
    person did not say what helped.

    MSD Manual, "Muscle Cramps": call the doctor in 1 to 2 days about frequent leg cramps
    that come with walking and stop when walking stops. How many, in how many days, is an
    app setting.
    """
    days, needed = s.limits["claudication_days"], s.limits["claudication_episodes"]
    eased, unsaid = s.tallies["walking_eased"].count, s.tallies["walking_unsaid"].count
    if eased + unsaid < needed:
        return
    walking = [
        e
        for e in s.in_last_days(days, s.recent)
        if e.activity == Activity.WALKING and (eased_with_rest(e) or unsaid_relief(e))
    ]
    level = AlertLevel.SOON if eased else AlertLevel.ROUTINE
    told = f"{eased} eased with rest" if eased else "you did not say what helped"
    yield Finding(
        AlertRule.CLAUDICATION_PATTERN,
        level,
        f"{eased + unsaid} cramps while walking in {days} days ({told}).",
        "The MSD Manual advises seeing a doctor within a day or two about leg cramps that come "
        "with walking and stop when walking stops. "
        + app_setting(f"This app flags {needed} such cramps in {days} days."),
        walking[:LISTED],
        [MSD],
    )


def frequent(s: Situation) -> Iterator[Finding]:
    """Cramps that happen often: routine.

    Mayo Clinic, "Muscle cramp" (cramps that happen often) and MedlinePlus, "Muscle cramps"
    (cramps that keep coming back). How many is "often" is an app setting.
    """
    week, month = s.tallies["week"].count, s.tallies["month"].count
    per_week, per_month = s.limits["frequent_per_7_days"], s.limits["frequent_per_30_days"]
    if week < per_week and month < per_month:
        return
    days = 7 if week >= per_week else 30
    yield Finding(
        AlertRule.FREQUENT,
        AlertLevel.ROUTINE,
        f"{week} cramps in the last 7 days, {month} in the last 30.",
        "Mayo Clinic and MedlinePlus advise talking to a doctor when cramps happen often or "
        "keep coming back. "
        + app_setting(f"This app counts {per_week} in 7 days or {per_month} in 30 days as often."),
        s.in_last_days(days, s.recent)[:LISTED],
        [MAYO, MEDLINEPLUS],
    )


def escalating(s: Situation) -> Iterator[Finding]:
    """Cramps getting more frequent or more painful: routine.

    MedlinePlus, "Muscle cramps" (cramps that are severe or keep coming back) and Mayo Clinic,
    "Muscle cramp" (severe discomfort). Both periods need enough cramps to compare (at least
    2 in each, by default): one cramp after a quiet month is not a trend. What counts as
    getting worse is an app setting.
    """
    days, needed = s.limits["escalating_days"], s.limits["escalating_min_earlier"]
    recent, earlier = s.tallies["escalating_recent"], s.tallies["escalating_earlier"]
    if earlier.count < needed or recent.count < needed:
        return
    more = recent.count >= s.limits["escalating_ratio"] * earlier.count
    rise = recent.mean_intensity - earlier.mean_intensity
    worse = rise >= s.limits["escalating_intensity_rise"]
    if not (more or worse):
        return
    change = []
    if more:
        change.append(
            f"{recent.count} cramps in the last {days} days against {earlier.count} "
            f"in the {days} before"
        )
    if worse:
        change.append(f"average pain up {rise:.1f} points")
    said = _and(change)
    yield Finding(
        AlertRule.ESCALATING,
        AlertLevel.ROUTINE,
        "Your cramps are getting " + ("more frequent" if more else "more painful") + ".",
        f"{said[0].upper()}{said[1:]}. MedlinePlus and Mayo Clinic advise talking to a doctor "
        "about cramps that are severe or keep coming back. "
        + app_setting(
            f"This app compares the last {days} days with the {days} before and counts "
            f"{s.limits['escalating_ratio']} times as many cramps, or pain up "
            f"{s.limits['escalating_intensity_rise']} points, as getting worse."
        ),
        s.in_last_days(days, s.recent)[:LISTED],
        [MEDLINEPLUS, MAYO],
    )


def sleep_disruption(s: Situation) -> Iterator[Finding]:
    """Cramps that keep waking the person: routine.

    NHS, "Leg cramps": see a GP if cramps disturb your sleep. How many is an app setting.
    """
    days, needed = s.limits["sleep_days"], s.limits["sleep_episodes"]
    count = s.tallies["asleep"].count
    if count < needed:
        return
    asleep = [e for e in s.in_last_days(days, s.recent) if e.activity == Activity.SLEEPING]
    yield Finding(
        AlertRule.SLEEP_DISRUPTION,
        AlertLevel.ROUTINE,
        f"{count} cramps during sleep in the last {days} days.",
        "The NHS advises seeing a GP when cramps disturb your sleep. "
        + app_setting(f"This app flags {needed} in {days} days."),
        asleep[:LISTED],
        [NHS_CRAMPS],
    )


def not_helped_by_self_care(s: Situation) -> Iterator[Finding]:
    """Stretching and other self-care not helping: routine.

    MedlinePlus, "Muscle cramps": call a provider when cramps do not go away with stretching;
    Mayo Clinic: when they do not improve with self-care. Only the last 90 days count, and
    how many is an app setting.
    """
    last = s.in_last_days(NOT_HELPED_DAYS, s.tried)[: s.limits["not_helped_of_last"]]
    not_helped = [e for e in last if e.relief_helped == ReliefHelped.NO]
    if len(not_helped) < s.limits["not_helped_count"]:
        return
    yield Finding(
        AlertRule.NOT_HELPED_BY_SELF_CARE,
        AlertLevel.ROUTINE,
        f"What you tried did not help {len(not_helped)} of the last {len(last)} times.",
        "MedlinePlus and Mayo Clinic advise talking to a doctor when cramps do not get better "
        "with stretching or other self-care. "
        + app_setting(
            f"This app flags {s.limits['not_helped_count']} of the last "
            f"{s.limits['not_helped_of_last']} in {NOT_HELPED_DAYS} days."
        ),
        not_helped,
        [MEDLINEPLUS, MAYO],
    )
