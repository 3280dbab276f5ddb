"""Loading what the rules look at, and keeping one open alert per rule in line with them.

The cost of a run is bounded whatever the history: a fixed number of queries, each
returning at most a fixed number of rows (counts over whole windows are done by the
database).

When the rules run: saving a plain cramp only counts a change on the profile
(`logbook.record_episode`); the rules then run once, when the person's alerts are next
read through `of`, however many cramps came in between (a phone syncing 50 after a day
offline). A cramp that a single-cramp rule flags by itself runs them at once, in the
saving request, so its e-mail goes out without waiting for a read.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from accounts.mail import send_after_commit
from accounts.models import Profile, lock_person, profile_for

from ..days import local_day, local_midnight
from ..models import (
    LEVEL_ORDER,
    WARNING_SIGNS,
    Activity,
    Alert,
    AlertLevel,
    MedicationKind,
    Relief,
)
from . import patterns, signs
from .situation import Finding, Situation, Tally

logger = logging.getLogger(__name__)

FLAGGED_ROWS = 50  # single cramps one alert lists; its words count them all
RECENT_ROWS = 200

RULES = [
    signs.single_cramp_rules,
    patterns.medication,
    patterns.claudication_pattern,
    patterns.frequent,
    patterns.escalating,
    patterns.sleep_disruption,
    patterns.not_helped_by_self_care,
]


def thresholds_for(user) -> dict:
    """The app's thresholds with the person's own overrides on top."""
    own = profile_for(user).alert_thresholds or {}
    return {key: own.get(key, default) for key, default in settings.ALERT_THRESHOLDS.items()}


def _contains(field: str, value: str) -> Q:
    """A JSON list holding `value`, on SQLite and PostgreSQL alike (the lists hold enums)."""
    return Q(**{f"{field}__icontains": f'"{value}"'})


def _tallies(episodes, s: Situation) -> dict[str, Tally]:
    """Exact counts over whole windows, in one query."""
    limits = s.limits
    days = limits["escalating_days"]
    recent, earlier = s.window_start(days), s.window_start(2 * days)
    walking = Q(started_at__gte=s.window_start(limits["claudication_days"]), activity="walking")
    eased = _contains("relief", Relief.REST) & Q(relief_helped__in=patterns.EASED)
    windows = {
        "week": Q(started_at__gte=s.window_start(7)),
        "month": Q(started_at__gte=s.window_start(30)),
        "escalating_recent": Q(started_at__gte=recent),
        "escalating_earlier": Q(started_at__gte=earlier, started_at__lt=recent),
        "asleep": Q(
            started_at__gte=s.window_start(limits["sleep_days"]), activity=Activity.SLEEPING
        ),
        "walking_eased": walking & eased,
        "walking_unsaid": walking & Q(relief_helped__isnull=True),
    }
    widest = s.window_start(max(30, 2 * days, limits["sleep_days"], limits["claudication_days"]))
    compared = ("escalating_recent", "escalating_earlier")  # the only means a rule reads
    row = episodes.filter(started_at__gte=widest).aggregate(
        **{f"{name}_n": Count("id", filter=q) for name, q in windows.items()},
        **{f"{name}_mean": Avg("intensity", filter=windows[name]) for name in compared},
    )
    return {name: Tally(row[f"{name}_n"], row.get(f"{name}_mean")) for name in windows}


def may_be_flagged(s: Situation) -> Q:
    """Episodes a single-cramp rule could flag, so the database returns only those."""
    q = Q(duration_seconds__gt=s.limits["prolonged_minutes"] * 60) | Q(recent_fluid_loss=True)
    for sign in WARNING_SIGNS:
        q |= _contains("symptoms", sign)
    for medicine in s.medications:
        if medicine.kind in (MedicationKind.STATIN, MedicationKind.DIURETIC):
            taken = Q(started_at__gte=local_midnight(medicine.started_on, s.zone))
            if medicine.stopped_on:
                stop = local_midnight(medicine.stopped_on + timedelta(days=1), s.zone)
                taken &= Q(started_at__lt=stop)
            q |= taken
    return q


def _medicine_tallies(episodes, s: Situation) -> dict:
    """Cramps in the days before and after each recent medicine's start, in one query."""
    window = timedelta(days=s.limits["medication_window_days"])
    recent = s.today - timedelta(days=s.limits["medication_recent_days"])
    counts = {}
    for medicine in s.medications:
        if recent <= medicine.started_on <= s.today:
            start = local_midnight(medicine.started_on, s.zone)
            before = Q(started_at__gte=start - window, started_at__lt=start)
            after = Q(started_at__gte=start, started_at__lt=start + window)
            counts[f"b{medicine.id.hex}"] = Count("id", filter=before)
            counts[f"a{medicine.id.hex}"] = Count("id", filter=after)
    if not counts:
        return {}
    row = episodes.aggregate(**counts)
    return {
        m.id: (row[f"b{m.id.hex}"], row[f"a{m.id.hex}"])
        for m in s.medications
        if f"b{m.id.hex}" in row
    }


def situation(*, user, now: datetime) -> Situation:
    profile = profile_for(user)
    limits, zone = thresholds_for(user), profile.zone
    episodes = user.episodes.filter(started_at__lte=now)
    s = Situation(now, zone, limits, [], [], [], list(user.medications.all()), {})
    s.pregnant_or_recent_birth = profile.pregnant_or_recent_birth
    s.tallies = _tallies(episodes, s)
    lookback = s.window_start(limits["lookback_days"])
    s.flagged = list(episodes.filter(may_be_flagged(s), started_at__gte=lookback)[:FLAGGED_ROWS])
    widest = max(
        30,
        2 * limits["escalating_days"],
        limits["sleep_days"],
        limits["claudication_days"],
        limits["medication_recent_days"] + limits["medication_window_days"],
    )
    s.recent = list(episodes.filter(started_at__gte=s.window_start(widest))[:RECENT_ROWS])
    tried = episodes.filter(
        started_at__gte=s.window_start(patterns.NOT_HELPED_DAYS), relief_helped__isnull=False
    )
    s.tried = list(tried[: limits["not_helped_of_last"]])
    first = user.episodes.order_by("started_at").values_list("started_at", flat=True).first()
    s.first_logged = min(local_day(t, zone) for t in [user.date_joined, first] if t is not None)
    s.medicine_tallies = _medicine_tallies(episodes, s)
    return s


def findings(*, user, now: datetime) -> list[Finding]:
    s = situation(user=user, now=now)
    return [finding for rule in RULES for finding in rule(s)]


def evaluate(*, user, now: datetime | None = None) -> list[Alert]:
    """Brings the person's open alerts in line with what the rules find now.

    At most one open alert per rule: a new episode that meets it joins the open alert (and
    makes a seen one new again); an alert none of whose episodes meets its rule any more
    closes. Returns the alerts that are new to the person.
    """
    now = now or timezone.now()
    fresh = []
    with transaction.atomic():
        # Read and write in one turn: an episode deleted in between would leave an alert
        # pointing at nothing, and the whole run would fail.
        lock_person(user)
        # Read before the episodes: a save that lands after this is seen by the next read.
        seen = _changes(user)[0]
        wanted = {f.rule: f for f in findings(user=user, now=now)}
        open_alerts = {a.rule: a for a in user.alerts.filter(closed_at__isnull=True)}
        linked = _linked_episodes(open_alerts.values())
        for rule, alert in list(open_alerts.items()):
            # Closed when nothing meets the rule, and when none of its cramps still does: a
            # new cramp weeks later is a new occurrence, not the old alert carried on.
            still = rule in wanted and not linked.get(alert.id, set()).isdisjoint(
                e.id for e in wanted[rule].episodes
            )
            if not still:
                alert.closed_at = now
                alert.save(update_fields=["closed_at"])
                del open_alerts[rule]
        for rule, finding in wanted.items():
            if rule in open_alerts:
                alert = open_alerts[rule]
                if _join(alert, finding, linked.get(alert.id, set())):
                    fresh.append(alert)
            elif (alert := _open(user, finding, now)) is not None:
                fresh.append(alert)
        Profile.objects.filter(user=user).update(alerts_checked_changes=seen)
    _notify(user, fresh)
    return fresh


def _changes(user) -> tuple[int, int]:
    """(changes saved, changes the rules last ran at), fresh from the database."""
    profile_for(user)  # made on first use for people made outside sign-up
    found = Profile.objects.filter(user=user).values_list("changes", "alerts_checked_changes")
    return found.get()


def of(*, user) -> QuerySet[Alert]:
    """The person's alerts, open and closed, with the rules run first if anything changed
    since they last ran: the one way pages, the API, reports, share links and the export
    read alerts, so none of them can show alerts that miss the latest cramps."""
    changes, checked = _changes(user)
    if changes != checked:
        evaluate_safely(user=user)
    return user.alerts.all()


def note_new_episodes(*, user, episodes) -> None:
    """After new cramps are saved: the rules run now only when one of them is flagged by a
    single-cramp rule on its own (warning signs, too long, fluid loss), which needs no
    query, or could meet the statin rule and the person has a statin on record (one query,
    for those cramps only); everything else waits for the next read of the alerts (`of`)."""
    s = Situation(timezone.now(), profile_for(user).zone, thresholds_for(user), [], [], [], [], {})
    s.pregnant_or_recent_birth = profile_for(user).pregnant_or_recent_birth
    if any(signs.flagged_alone(episode, s) for episode in episodes) or (
        any(signs.could_be_statin_sign(episode, s) for episode in episodes)
        and user.medications.filter(kind=MedicationKind.STATIN).exists()
    ):
        evaluate_safely(user=user)


def evaluate_safely(*, user) -> None:
    """Runs the rules after a save; a fault in them must never lose the saved episode."""
    try:
        evaluate(user=user)
    except Exception:
        logger.exception("Alert rules failed after a save")


def _linked_episodes(alerts) -> dict:
    through = Alert.episodes.through.objects.filter(alert__in=[a.id for a in alerts])
    linked: dict = {}
    for alert_id, episode_id in through.values_list("alert_id", "episode_id"):
        linked.setdefault(alert_id, set()).add(episode_id)
    return linked


def _open(user, finding: Finding, now: datetime) -> Alert | None:
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                user=user,
                rule=finding.rule,
                level=finding.level,
                message=finding.message,
                reason=finding.reason,
                sources=_sources(finding),
                newest_episode_at=finding.newest_episode_at,
                created_at=now,
            )
    except IntegrityError:  # a concurrent save opened the same alert a moment ago
        return None
    alert.episodes.add(*finding.episodes)
    return alert


def _sources(finding: Finding) -> list[dict]:
    return [{"name": source.name, "url": source.url} for source in finding.sources]


def _join(alert: Alert, finding: Finding, linked: set) -> bool:
    """Keeps an open alert current; True when a new episode joined it (it is new again)."""
    wanted = {e.id for e in finding.episodes}
    joined = bool(wanted - linked)
    fields = {
        "level": finding.level,
        "message": finding.message,
        "reason": finding.reason,
        "sources": _sources(finding),
        "newest_episode_at": finding.newest_episode_at,
    }
    if joined and alert.acknowledged_at is not None:
        fields["acknowledged_at"] = None
    changed = [name for name, value in fields.items() if getattr(alert, name) != value]
    for name in changed:
        setattr(alert, name, fields[name])
    if changed:
        alert.save(update_fields=changed)
    if linked - wanted:
        alert.episodes.remove(*(linked - wanted))
    if joined:
        alert.episodes.add(*(wanted - linked))
    return joined


def _notify(user, alerts: list[Alert]) -> None:
    """E-mail about new urgent or soon alerts, if the person asked; no health details in it."""
    serious = [a for a in alerts if a.level in (AlertLevel.URGENT, AlertLevel.SOON)]
    wanted = settings.ALERT_EMAILS and user.email and profile_for(user).email_alerts
    if not serious or not wanted:
        return
    most = min(serious, key=lambda a: LEVEL_ORDER[a.level])
    send_after_commit(
        subject="Cramp tracker: a new alert",
        message=f"You have {len(serious)} new alert(s) in Cramp tracker. The most serious says: "
        f"{most.advice}.\n\nOpen the Alerts page in the app to see why.\n\n"
        "If you have chest pain, trouble breathing, or a leg that is suddenly swollen, red, "
        "warm and painful, call your local emergency number now.",
        to=user.email,
    )


def acknowledge(*, alert: Alert, now: datetime | None = None) -> Alert:
    """Marks an alert seen; acknowledging twice keeps the first time."""
    if alert.acknowledged_at is None:
        alert.acknowledged_at = now or timezone.now()
        alert.save(update_fields=["acknowledged_at"])
    return alert


def sort_by_seriousness(alerts) -> list[Alert]:
    return sorted(alerts, key=lambda a: (LEVEL_ORDER[a.level], -a.created_at.timestamp()))


def warning_flags(*, user, episodes) -> dict:
    """Episode id -> the warning signs noted with it, read by the red-flag rule itself (not a
    copy of it): History marks these cramps. Only the person's health context is loaded."""
    profile = profile_for(user)
    s = Situation(timezone.now(), profile.zone, {}, [], [], [], [], {})
    s.pregnant_or_recent_birth = profile.pregnant_or_recent_birth
    return {e.id: flag for e in episodes if (flag := signs.warning_signs(e, s)) is not None}
