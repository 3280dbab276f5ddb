"""One report: everything the Trends page, the PDF and a share link show for one period.

Built once per request from one read of the profile, and holding only its period: the
medicines taken in it, the episodes in it that met a warning rule, and the patterns as they
stood at its end.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from accounts.models import profile_for

from ..days import local_day
from ..models import Medication
from ..periods import Period
from . import attention
from .cache import attention_for, data_version, summary_for
from .questions import questions
from .summary import key_figures


@dataclass(frozen=True)
class Owner:
    """Who the report is about, as they chose to say on their profile."""

    name: str
    age: int | None
    context: list[str]  # health context they ticked: pregnancy, kidney disease, ...


@dataclass(frozen=True)
class Report:
    period: Period
    zone: ZoneInfo
    made: datetime
    summary: dict  # the numbers (summary.py) with `flagged_episodes` and the warning counts
    medications: list[Medication]
    questions: list[str]
    owner: Owner
    attention: attention.Attention
    version: str  # the data's fingerprint: charts drawn for it are reused
    user: object = field(repr=False, compare=False)

    @property
    def flagged(self) -> list[attention.FlaggedEpisode]:
        return self.attention.flagged

    @property
    def alerts(self) -> list[attention.Pattern]:
        """The pattern rules as they stood at the period's end."""
        return self.attention.patterns

    @property
    def logged_note(self) -> str:
        """Which days of the period (and of the one before) the person was logging."""
        s, before = self.summary, self.summary["previous"]
        if s["days_logged"]:
            first, last = (date.fromisoformat(s[k]) for k in ("logged_from", "logged_to"))
            note = (
                f"Days logged: {first:%d %b %Y} to {last:%d %b %Y} "
                f"({s['days_logged']} of {s['days']})"
            )
        else:
            note = "No day of this period was logged"
        if not before["days_logged"]:
            return note + f"; the {before['days']} days before were not logged."
        return note + f"; the {before['days']} days before: {before['days_logged']} logged."

    @property
    def key_figures(self) -> list[tuple[str, str, str, str]]:
        s = self.summary
        return [
            *key_figures(s),
            ("With warning signs", str(s["with_warning_signs"]), "", ""),
            ("Met a warning rule", str(len(s["flagged_episodes"])), "", ""),
        ]


def build(*, user, period: Period, now: datetime) -> Report:
    profile = profile_for(user)  # the one read; the rest use the user's cached profile
    zone, today = profile.zone, local_day(now, profile.zone)
    version = data_version(user)
    numbers = summary_for(user, period, version, today)
    found = attention_for(user, period, now, version, profile)
    medications = list(period.taken_in(user.medications.all()))
    age = today.year - profile.birth_year if profile.birth_year else None
    return Report(
        period=period,
        zone=zone,
        made=now,
        summary={
            **numbers,
            "flagged_episodes": [e.as_json() for e in found.flagged],
            "with_warning_signs": found.with_warning_signs,
        },
        medications=medications,
        questions=questions(numbers, medications),
        owner=Owner(profile.display_name, age, profile.context()),
        attention=found,
        version=version,
        user=user,
    )
