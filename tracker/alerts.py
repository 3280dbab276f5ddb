"""The alerts module: rules over a user's episodes and medicines -> alerts.

Each rule is a small function that repeats, in plain words, when published patient
guidance says a cramp is worth a doctor's attention, and names that guidance in its
docstring. It never names a cause or a disease. Where the guidance gives no number,
the threshold is the app's own (an app setting, said so in the alert) and every
threshold can be changed per user on the profile.
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import profile_for

from .days import last_days_start, local_day
from .models import (
    LEVEL_ORDER,
    Activity,
    Alert,
    AlertLevel,
    AlertRule,
    Episode,
    Medication,
    MedicationKind,
    Relief,
    ReliefHelped,
    Symptom,
)

logger = logging.getLogger(__name__)

RECENT = "recent"  # the window key of rules over a trailing window ending today

# Thresholds the sources give a number for; the rest are the app's own choice.
FROM_GUIDANCE = {"prolonged_minutes", "medication_window_days"}

THRESHOLD_LABELS = {
    "lookback_days": "Days back that single cramps are checked for warning signs",
    "prolonged_minutes": "A cramp longer than this many minutes is flagged",
    "statin_intensity": "On a statin, pain from this level (0-10) is flagged",
    "medication_window_days": "Days before and after starting a medicine that are compared",
    "medication_recent_days": "Medicines started within this many days are checked",
    "claudication_episodes": "Cramps while walking, eased by rest, that are flagged",
    "claudication_days": "... within this many days",
    "frequent_per_7_days": "Cramps in 7 days counted as frequent",
    "frequent_per_30_days": "Cramps in 30 days counted as frequent",
    "escalating_days": "Days in each period compared for getting worse",
    "escalating_min_earlier": "Cramps the earlier period needs before comparing",
    "escalating_ratio": "Times as many cramps as before counted as getting worse",
    "escalating_intensity_rise": "Rise in average pain (points) counted as getting worse",
    "sleep_episodes": "Cramps during sleep that are flagged",
    "sleep_days": "... within this many days",
    "not_helped_count": "Cramps where self-care did not help that are flagged",
    "not_helped_of_last": "... among this many last cramps where something was tried",
}

WARNING_SIGNS = [
    Symptom.SWELLING,
    Symptom.REDNESS_WARMTH,
    Symptom.SKIN_COLOR_CHANGE,
    Symptom.DARK_URINE,
    Symptom.WEAKNESS,
    Symptom.NUMBNESS_TINGLING,
]
STATIN_SIGNS = [Symptom.WEAKNESS, Symptom.DARK_URINE]


@dataclass
class Finding:
    rule: str
    key: str
    level: str
    message: str
    reason: str
    episodes: list[Episode] = field(default_factory=list)


@dataclass
class Situation:
    """What the rules look at: the user's recent episodes and medicines, as of `now`."""

    now: datetime
    zone: ZoneInfo
    limits: dict
    episodes: list[Episode]  # newest first
    medications: list[Medication]

    @property
    def today(self) -> date:
        return local_day(self.now, self.zone)

    def in_last_days(self, days: int, episodes=None) -> list[Episode]:
        start = last_days_start(self.today, days, self.zone)
        return [
            e
            for e in (self.episodes if episodes is None else episodes)
            if start <= e.started_at <= self.now
        ]

    def day_of(self, episode: Episode) -> date:
        return local_day(episode.started_at, self.zone)

    def when(self, episode: Episode) -> str:
        return f"{episode.started_at.astimezone(self.zone):%a %d %b %H:%M}"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _signs(episode: Episode, wanted: list[str]) -> list[str]:
    return [Symptom(s).label.lower() for s in wanted if s in episode.symptoms]


def _app_setting(text: str) -> str:
    return (
        f"{text} No published guidance gives a number here: this is an app setting, "
        "which you can change on your profile."
    )


# --- the rules ----------------------------------------------------------------------------


def red_flag(s: Situation) -> Iterator[Finding]:
    """Warning signs with a cramp: urgent.

    Swelling, redness or warmth, skin colour change, dark urine: MedlinePlus "Muscle cramps",
    Mayo Clinic "Muscle cramp", NHS "Leg cramps". Weakness, numbness or tingling: MSD Manual
    (consumer edition) "Muscle Cramps", NHS "Leg cramps".
    """
    for episode in s.in_last_days(s.limits["lookback_days"]):
        signs = _signs(episode, WARNING_SIGNS)
        if signs:
            yield Finding(
                AlertRule.RED_FLAG,
                str(episode.id),
                AlertLevel.URGENT,
                f"A cramp came with {_and(signs)}.",
                f"On {s.when(episode)} you noted {_and(signs)} with a "
                f"{episode.get_site_display().lower()} cramp. The NHS, MedlinePlus, Mayo Clinic "
                "and the MSD Manual advise getting cramps checked when they come with swelling, "
                "redness, skin changes, dark urine, weakness or numbness.",
                [episode],
            )


def prolonged(s: Situation) -> Iterator[Finding]:
    """A cramp longer than 10 minutes: urgent when self-care did not help, soon otherwise.

    NHS "Leg cramps": a cramp usually lasts from a few seconds to 10 minutes; see a GP if one
    lasts longer than 10 minutes and does not ease.
    """
    limit = s.limits["prolonged_minutes"]
    for episode in s.in_last_days(s.limits["lookback_days"]):
        if episode.duration_seconds > limit * 60:
            not_eased = episode.relief_helped == ReliefHelped.NO
            yield Finding(
                AlertRule.PROLONGED,
                str(episode.id),
                AlertLevel.URGENT if not_eased else AlertLevel.SOON,
                f"A cramp lasted {episode.duration_display}"
                f"{' and did not ease' if not_eased else ''}.",
                f"On {s.when(episode)} a {episode.get_site_display().lower()} cramp lasted "
                f"{episode.duration_display}. The NHS says a cramp usually lasts up to 10 minutes "
                f"and one lasting longer than {limit} minutes that does not ease needs a doctor.",
                [episode],
            )


def medicine_key(medicine: Medication) -> str:
    """The window of an alert about a medicine itself, rather than about one episode."""
    return f"medicine:{medicine.id}"


def medication(s: Situation) -> Iterator[Finding]:
    """Cramps and medicines.

    On a statin, a cramp with weakness, dark urine or severe pain: urgent (Mayo Clinic, statin
    FAQ: serious muscle pain, weakness or dark urine needs care right away). Cramps that began
    or became more frequent within 30 days after starting a medicine: soon (MSD Manual,
    consumer edition, "Muscle Cramps").
    """
    statins = [m for m in s.medications if m.kind == MedicationKind.STATIN]
    for episode in s.in_last_days(s.limits["lookback_days"]):
        taking = [m for m in statins if m.taken_on(s.day_of(episode))]
        signs = _signs(episode, STATIN_SIGNS)
        severe = episode.intensity >= s.limits["statin_intensity"]
        if taking and (signs or severe):
            what = _and(signs + ([f"pain {episode.intensity}/10"] if severe else []))
            yield Finding(
                AlertRule.MEDICATION,
                f"episode:{episode.id}",
                AlertLevel.URGENT,
                f"A cramp with {what} while taking {taking[0].name}.",
                f"On {s.when(episode)} you noted {what} while taking {taking[0].name}, a statin. "
                "Mayo Clinic advises care right away for serious muscle pain, weakness or dark "
                "urine on a statin.",
                [episode],
            )
    window = timedelta(days=s.limits["medication_window_days"])
    recent = s.today - timedelta(days=s.limits["medication_recent_days"])
    for medicine in s.medications:
        if not recent <= medicine.started_on <= s.today:
            continue
        start = medicine.started_on
        before = [e for e in s.episodes if start - window <= s.day_of(e) < start]
        after = [e for e in s.episodes if start <= s.day_of(e) < start + window]
        if after and len(after) > len(before):
            days = window.days
            yield Finding(
                AlertRule.MEDICATION,
                medicine_key(medicine),
                AlertLevel.SOON,
                f"More cramps since you started {medicine.name}.",
                f"You logged {len(after)} cramp(s) in the {days} days from starting "
                f"{medicine.name} "
                f"on {start:%d %b %Y}, and {len(before)} in the {days} days before. The MSD Manual "
                "advises seeing a doctor about cramps that began after starting a new medicine.",
                after,
            )


def fluid_loss(s: Situation) -> Iterator[Finding]:
    """A cramp after heavy sweating, vomiting or diarrhoea: soon.

    MSD Manual (consumer edition) "Muscle Cramps": cramps after heavy fluid loss are a reason
    to see a doctor.
    """
    for episode in s.in_last_days(s.limits["lookback_days"]):
        if episode.recent_fluid_loss:
            yield Finding(
                AlertRule.FLUID_LOSS,
                str(episode.id),
                AlertLevel.SOON,
                "A cramp after heavy sweating, vomiting or diarrhoea.",
                f"On {s.when(episode)} you had a cramp after losing a lot of fluid. The MSD Manual "
                "advises seeing a doctor about cramps that follow heavy fluid loss.",
                [episode],
            )


def claudication_pattern(s: Situation) -> Iterator[Finding]:
    """Leg pain that comes on with walking and eases with rest, repeatedly: soon.

    MSD Manual (consumer edition) "Muscle Cramps": leg pain that comes on with walking and
    stops with rest is a warning sign. How many times, in how many days, is an app setting.
    """
    days = s.limits["claudication_days"]
    eased = {ReliefHelped.YES, ReliefHelped.PARTLY}
    matching = [
        e
        for e in s.in_last_days(days)
        if e.activity == Activity.WALKING and Relief.REST in e.relief and e.relief_helped in eased
    ]
    if len(matching) >= s.limits["claudication_episodes"]:
        yield Finding(
            AlertRule.CLAUDICATION_PATTERN,
            RECENT,
            AlertLevel.SOON,
            f"Pain while walking that eased with rest, {len(matching)} times in {days} days.",
            "The MSD Manual advises seeing a doctor about leg pain that comes on with walking "
            "and stops with rest. "
            + _app_setting(
                f"This app flags {s.limits['claudication_episodes']} such cramps in {days} days."
            ),
            matching,
        )


def frequent(s: Situation) -> Iterator[Finding]:
    """Cramps that happen often: routine.

    Mayo Clinic "Muscle cramp" (cramps that happen often) and MedlinePlus "Muscle cramps"
    (cramps that keep coming back). How many is "often" is an app setting.
    """
    week, month = s.in_last_days(7), s.in_last_days(30)
    per_week, per_month = s.limits["frequent_per_7_days"], s.limits["frequent_per_30_days"]
    if len(week) >= per_week or len(month) >= per_month:
        yield Finding(
            AlertRule.FREQUENT,
            RECENT,
            AlertLevel.ROUTINE,
            f"{len(week)} cramps in the last 7 days, {len(month)} in the last 30.",
            "Mayo Clinic and MedlinePlus advise talking to a doctor when cramps happen often or "
            "keep coming back. "
            + _app_setting(
                f"This app counts {per_week} in 7 days or {per_month} in 30 days as often."
            ),
            week if len(week) >= per_week else month,
        )


def escalating(s: Situation) -> Iterator[Finding]:
    """Cramps getting more frequent or more painful: routine.

    MedlinePlus "Muscle cramps" (cramps that are severe or keep coming back) and Mayo Clinic
    "Muscle cramp" (severe discomfort). What counts as getting worse is an app setting; with
    too little earlier history nothing is compared.
    """
    days = s.limits["escalating_days"]
    recent = s.in_last_days(days)
    earlier_and_recent = s.in_last_days(2 * days)
    earlier = [e for e in earlier_and_recent if e not in recent]
    if len(earlier) < s.limits["escalating_min_earlier"] or not recent:
        return
    more = len(recent) >= s.limits["escalating_ratio"] * len(earlier)
    rise = mean(e.intensity for e in recent) - mean(e.intensity for e in earlier)
    worse = rise >= s.limits["escalating_intensity_rise"]
    if more or worse:
        change = []
        if more:
            change.append(
                f"{len(recent)} cramps in the last {days} days against {len(earlier)} "
                f"in the {days} before"
            )
        if worse:
            change.append(f"average pain up {rise:.1f} points")
        yield Finding(
            AlertRule.ESCALATING,
            RECENT,
            AlertLevel.ROUTINE,
            "Your cramps are getting " + ("more frequent" if more else "more painful") + ".",
            f"{_and(change)[0].upper()}{_and(change)[1:]}. MedlinePlus and Mayo Clinic advise "
            "talking to a doctor about cramps that are severe or keep coming back. "
            + _app_setting(
                f"This app compares the last {days} days with the {days} before and counts "
                f"{s.limits['escalating_ratio']} times as many cramps, or pain up "
                f"{s.limits['escalating_intensity_rise']} points, as getting worse."
            ),
            recent,
        )


def sleep_disruption(s: Situation) -> Iterator[Finding]:
    """Cramps that keep waking the user: routine.

    NHS "Leg cramps": see a GP if cramps disturb your sleep. How many nights is an app setting.
    """
    days = s.limits["sleep_days"]
    asleep = [e for e in s.in_last_days(days) if e.activity == Activity.SLEEPING]
    if len(asleep) >= s.limits["sleep_episodes"]:
        yield Finding(
            AlertRule.SLEEP_DISRUPTION,
            RECENT,
            AlertLevel.ROUTINE,
            f"{len(asleep)} cramps during sleep in the last {days} days.",
            "The NHS advises seeing a GP when cramps disturb your sleep. "
            + _app_setting(f"This app flags {s.limits['sleep_episodes']} in {days} days."),
            asleep,
        )


def not_helped_by_self_care(s: Situation) -> Iterator[Finding]:
    """Stretching and other self-care not helping: routine.

    MedlinePlus "Muscle cramps": call a provider when cramps do not go away with stretching;
    Mayo Clinic: when they do not improve with self-care. How many is an app setting.
    """
    tried = [e for e in s.episodes if e.relief and e.relief != [Relief.NONE]]
    last = tried[: s.limits["not_helped_of_last"]]
    not_helped = [e for e in last if e.relief_helped == ReliefHelped.NO]
    if len(not_helped) >= s.limits["not_helped_count"]:
        yield Finding(
            AlertRule.NOT_HELPED_BY_SELF_CARE,
            RECENT,
            AlertLevel.ROUTINE,
            f"What you tried did not help {len(not_helped)} of the last {len(last)} times.",
            "MedlinePlus and Mayo Clinic advise talking to a doctor when cramps do not get "
            "better with stretching or other self-care. "
            + _app_setting(
                f"This app flags {s.limits['not_helped_count']} of the last "
                f"{s.limits['not_helped_of_last']}."
            ),
            not_helped,
        )


RULES = [
    red_flag,
    prolonged,
    medication,
    fluid_loss,
    claudication_pattern,
    frequent,
    escalating,
    sleep_disruption,
    not_helped_by_self_care,
]

# --- running them -------------------------------------------------------------------------


def thresholds_for(user) -> dict:
    """The app's thresholds with the user's own overrides on top."""
    own = profile_for(user).alert_thresholds or {}
    return {key: own.get(key, default) for key, default in settings.ALERT_THRESHOLDS.items()}


def situation(*, user, now: datetime) -> Situation:
    limits = thresholds_for(user)
    zone = profile_for(user).zone
    days = max(
        limits["lookback_days"],
        30,
        2 * limits["escalating_days"],
        limits["claudication_days"],
        limits["sleep_days"],
        limits["medication_recent_days"] + limits["medication_window_days"],
    )
    start = last_days_start(local_day(now, zone), days + 1, zone)
    recent = list(user.episodes.filter(started_at__gte=start, started_at__lte=now))
    # "The last 5 where something was tried" may reach further back than any window.
    if len(recent) < 50:
        recent += list(user.episodes.filter(started_at__lt=start)[: 50 - len(recent)])
    return Situation(now, zone, limits, recent, list(user.medications.all()))


def findings(*, user, now: datetime) -> list[Finding]:
    found = situation(user=user, now=now)
    return [finding for rule in RULES for finding in rule(found)]


def evaluate(*, user, now: datetime | None = None) -> list[Alert]:
    """Brings the user's open alerts in line with what the rules find now.

    Idempotent: at most one open alert per rule and window; one whose condition no longer
    holds (an episode deleted or changed, a window passed) is closed. Returns the new alerts.
    """
    now = now or timezone.now()
    wanted = {(f.rule, f.key): f for f in findings(user=user, now=now)}
    created = []
    with transaction.atomic():
        open_alerts = {
            (a.rule, a.window_key): a
            for a in user.alerts.filter(closed_at__isnull=True).prefetch_related("episodes")
        }
        for key, alert in open_alerts.items():
            if key not in wanted:
                alert.closed_at = now
                alert.save(update_fields=["closed_at"])
        for key, finding in wanted.items():
            if key in open_alerts:
                _refresh(open_alerts[key], finding)
            elif (alert := _open(user, finding, now)) is not None:
                created.append(alert)
    _notify(user, created)
    return created


def evaluate_safely(*, user) -> None:
    """Runs the rules after a save; a fault in them must never lose the saved episode."""
    try:
        evaluate(user=user)
    except Exception:
        logger.exception("Alert rules failed after a save")


def _open(user, finding: Finding, now: datetime) -> Alert | None:
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                user=user,
                rule=finding.rule,
                window_key=finding.key,
                level=finding.level,
                message=finding.message,
                reason=finding.reason,
                created_at=now,
            )
    except IntegrityError:  # a concurrent save opened the same alert a moment ago
        return None
    alert.episodes.set(finding.episodes)
    return alert


def _refresh(alert: Alert, finding: Finding) -> None:
    """Keeps an open alert's words and episodes current without making a new one."""
    changed = (alert.level, alert.message, alert.reason) != (
        finding.level,
        finding.message,
        finding.reason,
    )
    if changed:
        alert.level, alert.message, alert.reason = finding.level, finding.message, finding.reason
        alert.save(update_fields=["level", "message", "reason"])
    if {e.id for e in alert.episodes.all()} != {e.id for e in finding.episodes}:
        alert.episodes.set(finding.episodes)


def _notify(user, alerts: list[Alert]) -> None:
    """E-mail about new urgent or soon alerts, if the user asked; no health details in the mail."""
    serious = [a for a in alerts if a.level in (AlertLevel.URGENT, AlertLevel.SOON)]
    if not serious or not user.email or not profile_for(user).email_alerts:
        return
    most = min(serious, key=lambda a: LEVEL_ORDER[a.level])
    send_mail(
        subject="Cramp tracker: a new alert",
        message=f"You have {len(serious)} new alert(s) in Cramp tracker. The most serious says: "
        f"{most.advice}.\n\nOpen the Alerts page in the app to see why.\n\n"
        "If you have chest pain, trouble breathing, or a leg that is suddenly swollen, red, "
        "warm and painful, call your local emergency number now.",
        from_email=None,
        recipient_list=[user.email],
        fail_silently=True,
    )


def acknowledge(*, alert: Alert, now: datetime | None = None) -> Alert:
    """Marks an alert seen; acknowledging twice keeps the first time."""
    if alert.acknowledged_at is None:
        alert.acknowledged_at = now or timezone.now()
        alert.save(update_fields=["acknowledged_at"])
    return alert


def sort_by_seriousness(alerts) -> list[Alert]:
    return sorted(alerts, key=lambda a: (LEVEL_ORDER[a.level], -a.created_at.timestamp()))
