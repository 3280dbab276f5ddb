"""Questions to ask your doctor, drawn from the numbers: prompts, never conclusions."""

from datetime import date, timedelta

from ..models import Activity, Relief, Site


def questions(s: dict, medications=()) -> list[str]:
    asked = []
    count, previous = s["count"], s["previous"]
    if count and s["night_share"] is not None and s["night_share"] >= 0.5:
        asked.append(
            f"Most of my cramps come at night or in my sleep ({round(s['night_share'] * 100)}%). "
            "What can I do about night cramps?"
        )
    if (previous["count"] or 0) >= 2 and count >= 1.5 * previous["count"]:
        asked.append(
            f"I had {count} cramps in these {s['days']} days against {previous['count']} in the "
            f"{previous['days']} before. What could be behind the increase?"
        )
    median, earlier = s["median_duration_seconds"], previous["median_duration_seconds"]
    if median and earlier and median >= 1.5 * earlier and median >= 60:
        asked.append(
            f"My cramps have been lasting longer lately (typically {median / 60:.1f} min against "
            f"{earlier / 60:.1f} min before). Is that worth looking into?"
        )
    start, end = date.fromisoformat(s["from"]), date.fromisoformat(s["to"])
    for medicine in medications:
        if start - timedelta(days=30) <= medicine.started_on <= end:
            asked.append(
                f"I started {medicine.name} on {medicine.started_on:%d %b %Y}. Could it have "
                "anything to do with my cramps?"
            )
    if count and s["by_activity"][Activity.EXERCISE] / count >= 0.4:
        asked.append(
            "Many of my cramps come with exercise. Should I change how I train or warm up?"
        )
    tried_no_help = [
        Relief(m).label.lower()
        for m, r in s["relief"].items()
        if m != Relief.NONE and r["tried"] >= 3 and (r["helped"] + r["partly"]) / r["tried"] < 0.5
    ]
    if tried_no_help:
        asked.append(
            f"{', '.join(tried_no_help).capitalize()} rarely helped. What else could I try?"
        )
    if count:
        site, most = max(s["by_site"].items(), key=lambda item: item[1])
        if most / count >= 0.6 and count >= 5:
            asked.append(
                f"Most of my cramps are in the {Site(site).label.lower()}. "
                "Could that point to anything?"
            )
    return asked
