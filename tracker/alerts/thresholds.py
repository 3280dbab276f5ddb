"""The alert thresholds a person may change, and how far.

A number taken from a source can only be made more cautious (the NHS's 10 minutes can be
set lower, never higher); a scale keeps its range (pain 0-10); the app's own numbers move
within sensible bounds.
"""

# Thresholds a source gives a number for; the rest are the app's own choice.
FROM_GUIDANCE = {"prolonged_minutes"}

LABELS = {
    "lookback_days": "Days back that single cramps are checked for warning signs",
    "prolonged_minutes": "A cramp longer than this many minutes is flagged",
    "statin_intensity": "On a statin, pain from this level (0-10) is flagged",
    "medication_window_days": "Days before and after starting a medicine that are compared",
    "medication_recent_days": "Medicines started within this many days are checked",
    "claudication_episodes": "Cramps while walking that are flagged",
    "claudication_days": "... within this many days",
    "frequent_per_7_days": "Cramps in 7 days counted as frequent",
    "frequent_per_30_days": "Cramps in 30 days counted as frequent",
    "escalating_days": "Days in each period compared for getting worse",
    "escalating_min_earlier": "Cramps each period needs before comparing",
    "escalating_ratio": "Times as many cramps as before counted as getting worse",
    "escalating_intensity_rise": "Rise in average pain (points) counted as getting worse",
    "sleep_episodes": "Cramps during sleep that are flagged",
    "sleep_days": "... within this many days",
    "not_helped_count": "Cramps where self-care did not help that are flagged",
    "not_helped_of_last": "... among this many last cramps where you said whether it helped",
}

# key: (lowest, highest, why the bound is there when a person reaches it)
RANGES = {
    "lookback_days": (7, 90, ""),
    "prolonged_minutes": (1, 10, "The NHS's limit is 10 minutes: you can set it lower only."),
    "statin_intensity": (1, 10, "Pain is rated from 0 to 10."),
    "medication_window_days": (7, 90, ""),
    "medication_recent_days": (30, 365, ""),
    "claudication_episodes": (1, 10, ""),
    "claudication_days": (7, 90, ""),
    "frequent_per_7_days": (2, 50, ""),
    "frequent_per_30_days": (4, 200, ""),
    "escalating_days": (7, 90, ""),
    "escalating_min_earlier": (2, 20, "Fewer than 2 cramps is not a trend."),
    "escalating_ratio": (2, 10, ""),
    "escalating_intensity_rise": (1, 10, "Pain is rated from 0 to 10."),
    "sleep_episodes": (1, 14, ""),
    "sleep_days": (7, 30, ""),
    "not_helped_count": (1, 10, ""),
    "not_helped_of_last": (1, 20, ""),
}
