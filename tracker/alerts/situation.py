"""What the rules look at, as plain values: no query is made from here on.

The bookkeeping (bookkeeping.py) fills a Situation from the database with a bounded number
of queries and rows; a test can build one by hand.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..days import last_days_start, local_day
from ..models import Episode, Medication


@dataclass(frozen=True)
class Source:
    """Published patient guidance a rule repeats, with where to read it."""

    name: str
    url: str


NHS_CRAMPS = Source('NHS, "Leg cramps"', "https://www.nhs.uk/conditions/leg-cramps/")
NHS_DVT = Source(
    'NHS, "Deep vein thrombosis"', "https://www.nhs.uk/conditions/deep-vein-thrombosis-dvt/"
)
MSD = Source(
    'MSD Manual, consumer edition, "Muscle Cramps"',
    "https://www.msdmanuals.com/home/brain-spinal-cord-and-nerve-disorders/"
    "symptoms-of-brain-spinal-cord-and-nerve-disorders/muscle-cramps",
)
MAYO = Source(
    'Mayo Clinic, "Muscle cramp"',
    "https://www.mayoclinic.org/diseases-conditions/muscle-cramp/symptoms-causes/syc-20350820",
)
MAYO_STATIN = Source(
    'Mayo Clinic, "Statin side effects"',
    "https://www.mayoclinic.org/diseases-conditions/high-blood-cholesterol/in-depth/"
    "statin-side-effects/art-20046013",
)
MEDLINEPLUS = Source(
    'MedlinePlus, "Muscle cramps"', "https://medlineplus.gov/ency/article/003193.htm"
)


@dataclass
class Finding:
    """What one rule found: one alert's worth, with every episode behind it, newest first."""

    rule: str
    level: str
    message: str
    reason: str
    episodes: list[Episode] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    @property
    def newest_episode_at(self) -> datetime | None:
        return max((e.started_at for e in self.episodes), default=None)


@dataclass
class Tally:
    """How many cramps, and how painful on average, in one stretch of days."""

    count: int = 0
    mean_intensity: float | None = None


@dataclass
class Situation:
    """A person's cramps and medicines as of `now`, cut to what the rules need.

    `flagged` holds the episodes of the look-back window that may carry a warning (newest
    first, at most a fixed number); `recent` the newest episodes of the pattern windows;
    `tallies` exact counts over whole windows, so that a long history costs no more rows.
    """

    now: datetime
    zone: ZoneInfo
    limits: dict
    flagged: list[Episode]
    recent: list[Episode]
    tried: list[Episode]  # the last few where something was tried, in the last 90 days
    medications: list[Medication]
    tallies: dict[str, Tally]
    first_logged: date | None = None  # the first day the person logged anything, or joined
    pregnant_or_recent_birth: bool = False
    medicine_tallies: dict = field(default_factory=dict)  # medicine id -> (before, after)

    @property
    def today(self) -> date:
        return local_day(self.now, self.zone)

    def window_start(self, days: int) -> datetime:
        return last_days_start(self.today, days, self.zone)

    def in_last_days(self, days: int, episodes: list[Episode]) -> list[Episode]:
        start = self.window_start(days)
        return [e for e in episodes if start <= e.started_at <= self.now]

    def day_of(self, episode: Episode) -> date:
        return local_day(episode.started_at, self.zone)

    def when(self, episode: Episode) -> str:
        """On the clock where it happened, as History shows it: 03:15 (Berlin) after a move."""
        return f"{episode.local_started_at:%a %d %b %H:%M}{episode.zone_note(self.zone)}"

    def taking(self, kind: str, episode: Episode) -> list[Medication]:
        day = self.day_of(episode)
        return [m for m in self.medications if m.kind == kind and m.taken_on(day)]
