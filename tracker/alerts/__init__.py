"""The alerts: rules over a person's episodes and medicines -> alerts.

Each rule repeats, in plain words, when published patient guidance says a cramp is worth a
doctor's attention, and names that guidance (situation.py holds the sources). It never
names a cause or a disease. signs.py: rules about single cramps; patterns.py: rules about
many; both pure, over a Situation. bookkeeping.py loads the Situation with a bounded cost
and keeps one open alert per rule. Read a person's alerts only through `of`, which runs the
rules first when anything changed since they last ran (a save only counts the change).
"""

from .bookkeeping import (
    RULES,
    acknowledge,
    evaluate,
    evaluate_safely,
    findings,
    note_new_episodes,
    of,
    situation,
    sort_by_seriousness,
    thresholds_for,
    warning_flags,
)
from .signs import flags_of
from .situation import Finding, Situation
from .thresholds import FROM_GUIDANCE
from .thresholds import LABELS as THRESHOLD_LABELS
from .thresholds import RANGES as THRESHOLD_RANGES

__all__ = [
    "FROM_GUIDANCE",
    "RULES",
    "THRESHOLD_LABELS",
    "THRESHOLD_RANGES",
    "Finding",
    "Situation",
    "acknowledge",
    "evaluate",
    "evaluate_safely",
    "findings",
    "flags_of",
    "note_new_episodes",
    "of",
    "situation",
    "sort_by_seriousness",
    "thresholds_for",
    "warning_flags",
]
