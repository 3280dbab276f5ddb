"""What in a report's period needs a doctor's attention, found by the alert rules themselves.

Every episode of the period that meets a single-cramp rule (alerts.flags_of), and the pattern
rules as they stood at the end of the period: not the stored alerts, whose words are about
today. The rules speak to the person ("you noted"); the report speaks about them.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from .. import alerts
from ..alerts import patterns, signs
from ..alerts.bookkeeping import may_be_flagged  # the rules' own cut of what could be flagged
from ..days import local_day
from ..models import LEVEL_ORDER, AlertRule, Episode
from ..periods import Period

# The guidance's levels, as the doctor reads them (the person's wording tells them what to do).
LEVEL_WORDS = {"urgent": "urgent", "soon": "within days", "routine": "next visit"}
APP_SETTING_MARK = "¹"
# The rules' second person, said of the patient; the app-setting sentence becomes a mark,
# and the footnote says once what it means.
THIRD_PERSON = [
    (patterns.app_setting(""), APP_SETTING_MARK),
    ("You logged", "The patient logged"),
    ("since you started", "since starting"),
    ("you did not say", "the patient did not say"),
    ("Your cramps", "The patient's cramps"),
    ("What you tried", "What the patient tried"),
    ("disturb your sleep", "disturb sleep"),
    (", as set on your profile.", APP_SETTING_MARK + "."),
    (" is an app setting.", APP_SETTING_MARK + "."),
]
# Every rule but the single-cramp ones, which are listed cramp by cramp instead.
PATTERN_RULES = [rule for rule in alerts.RULES if rule is not signs.single_cramp_rules]


def about_the_patient(text: str) -> str:
    for said, instead in THIRD_PERSON:
        text = text.replace(said, instead)
    return text


class _RuleWords:
    """The rule's name and how soon, in words, for the page and the PDF."""

    rule: str
    level: str

    @property
    def what(self) -> str:
        return AlertRule(self.rule).label

    @property
    def level_words(self) -> str:
        return LEVEL_WORDS[self.level]


@dataclass(frozen=True)
class Reason(_RuleWords):
    """One warning rule an episode met: what was noted, and what the guidance says."""

    rule: str
    level: str
    noted: str
    guidance: str


@dataclass(frozen=True)
class FlaggedEpisode:
    id: UUID
    started_at: datetime  # on the clock where it happened
    when: str
    what: str
    reasons: tuple[Reason, ...]

    @property
    def rules(self) -> list[str]:
        return [reason.rule for reason in self.reasons]

    def as_json(self) -> dict:
        return {"id": str(self.id), "started_at": self.started_at.isoformat(), "rules": self.rules}


@dataclass(frozen=True)
class Pattern(_RuleWords):
    """A pattern rule's finding as of the end of the period, in the third person."""

    rule: str
    level: str
    message: str
    reason: str


@dataclass(frozen=True)
class Attention:
    flagged: list[FlaggedEpisode]
    patterns: list[Pattern]
    as_of: date  # the day the patterns stood on: the period's end, or today if earlier
    limits: dict  # the thresholds the rules used, for the report's footnote

    @property
    def newest_first(self) -> list[FlaggedEpisode]:
        return sorted(self.flagged, key=lambda e: e.started_at, reverse=True)

    @property
    def most_serious_first(self) -> list[FlaggedEpisode]:
        return sorted(self.newest_first, key=lambda e: LEVEL_ORDER[e.reasons[0].level])

    @property
    def guidance(self) -> list[str]:
        """What the guidance says about the flagged cramps, each sentence once."""
        return list(dict.fromkeys(r.guidance for e in self.flagged for r in e.reasons))

    @property
    def footnote(self) -> str:
        """The thresholds that are app settings, named once; the rest are the guidance's."""
        x = self.limits
        return (
            f"{APP_SETTING_MARK} App settings, not numbers from published guidance: frequent "
            f"is {x['frequent_per_7_days']} cramps in 7 days or {x['frequent_per_30_days']} in "
            f"30; getting worse, {x['escalating_ratio']} times as many, or pain up "
            f"{x['escalating_intensity_rise']} points, in {x['escalating_days']} days against "
            f"the {x['escalating_days']} before; disturbed sleep, {x['sleep_episodes']} in "
            f"{x['sleep_days']} days; with walking, {x['claudication_episodes']} in "
            f"{x['claudication_days']} days; self-care not helping, {x['not_helped_count']} of "
            f"the last {x['not_helped_of_last']}; severe pain on a statin, "
            f"{x['statin_intensity']}/10. A long cramp is one over {x['prolonged_minutes']} "
            "minutes (NHS: 10)."
        )

    @property
    def with_warning_signs(self) -> int:
        return sum(AlertRule.RED_FLAG in e.rules for e in self.flagged)


def _flagged(episode: Episode, s: alerts.Situation, zone: ZoneInfo) -> FlaggedEpisode | None:
    flags = alerts.flags_of(episode, s)
    if not flags:
        return None
    reasons = sorted(
        (
            Reason(
                rule, flag.level, about_the_patient(flag.noted), about_the_patient(flag.guidance)
            )
            for rule, flag in flags.items()
        ),
        key=lambda reason: LEVEL_ORDER[reason.level],
    )
    return FlaggedEpisode(
        id=episode.id,
        started_at=episode.local_started_at,
        when=f"{episode.local_started_at:%a %d %b %Y %H:%M}{episode.zone_note(zone)}",
        what=f"{episode.get_site_display()}, {episode.get_side_display().lower()}, "
        f"{episode.duration_display}, pain {episode.intensity}/10",
        reasons=tuple(reasons),
    )


def find(*, user, period: Period, zone: ZoneInfo, now: datetime) -> Attention:
    """A fixed number of queries however long the history: the rules' situation as of the
    period's end, and the period's episodes that a single-cramp rule could flag."""
    end = min(now, period.ends_before(zone) - timedelta(microseconds=1))
    s = alerts.situation(user=user, now=end)
    # Only the medicines taken in the period: the report names no others, and a cramp in
    # the period can only have come while taking one of these.
    s.medications = [m for m in s.medications if period.meets(m.started_on, m.stopped_on)]
    could_be = period.filter(user.episodes.filter(may_be_flagged(s)), zone)
    flagged = [f for e in could_be.order_by("started_at") if (f := _flagged(e, s, zone))]
    s.flagged = []  # each flagged cramp is listed once, above, not again inside a pattern
    found = [finding for rule in PATTERN_RULES for finding in rule(s)]
    found.sort(key=lambda finding: LEVEL_ORDER[finding.level])
    return Attention(
        flagged=flagged,
        patterns=[
            Pattern(f.rule, f.level, about_the_patient(f.message), about_the_patient(f.reason))
            for f in found
        ],
        as_of=local_day(end, zone),
        limits=dict(s.limits),
    )
