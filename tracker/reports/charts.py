"""Charts as pure functions: a summary in, a matplotlib Figure out (never pyplot, which keeps
global state a server cannot afford), then SVG for pages or PNG for the PDF.

Each chart comes with a text alternative and the table of numbers it draws.
"""

import io
import warnings
from dataclasses import dataclass
from datetime import date

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..models import Relief, Site

# A medicine's name is drawn as written: "$...$" must never be parsed as maths (a bad formula
# is a 500). Each Text reads this when it is made, tick labels at drawing time included, so
# it is set once for the process rather than per chart (a per-call rc_context races threads).
matplotlib.rcParams["text.parse_math"] = False
# A character the font lacks is drawn as a box; the warning would copy it into the logs.
warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)

# Okabe-Ito: told apart by people with the common kinds of colour blindness.
PALETTE = {
    Site.CALF: "#0072B2",
    Site.BACK_OF_THIGH: "#E69F00",
    Site.INNER_THIGH: "#009E73",
    Site.FRONT_OF_THIGH: "#CC79A7",
    Site.FOOT: "#56B4E9",
    Site.OTHER: "#7F7F7F",
}
INK, GRID, ACCENT = "#1b1f23", "#d0d7de", "#D55E00"
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@dataclass
class Chart:
    name: str
    title: str
    figure: Figure
    alt: str
    header: list[str]
    rows: list[list]


def _figure(height: float = 3.4) -> tuple[Figure, object]:
    figure = Figure(figsize=(5.0, height), layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(colors=INK, labelsize=10)
    return figure, axes


def _short(day: str) -> str:
    return f"{date.fromisoformat(day):%d %b}".lstrip("0")


def _tick_every(count: int) -> int:
    return max(1, count // 6)


def weekly_by_site(s: dict, medications=()) -> Chart:
    figure, axes = _figure()
    weeks = s["weekly"]
    positions = range(len(weeks))
    bottom = [0] * len(weeks)
    for site in Site:
        heights = [w["by_site"][site] for w in weeks]
        if any(heights):
            axes.bar(
                positions, heights, bottom=bottom, color=PALETTE[site], label=site.label, width=0.8
            )
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    starts = [date.fromisoformat(w["week_start"]) for w in weeks]
    for medicine in medications:
        later = [i for i, start in enumerate(starts) if start <= medicine.started_on]
        if later and medicine.started_on <= date.fromisoformat(s["to"]):
            axes.axvline(later[-1], color=ACCENT, linestyle="--", linewidth=1.5)
            axes.annotate(
                f"{medicine.name} started",
                (later[-1], max(bottom or [1])),
                color=ACCENT,
                fontsize=9,
                xytext=(3, 0),
                textcoords="offset points",
                va="top",
            )
    step = _tick_every(len(weeks))
    axes.set_xticks(list(positions)[::step], [_short(w["week_start"]) for w in weeks][::step])
    axes.set_ylabel("Cramps per week", color=INK, fontsize=9)
    axes.yaxis.get_major_locator().set_params(integer=True)
    if weeks:
        axes.legend(fontsize=9, frameon=False, ncols=2, loc="lower left", bbox_to_anchor=(0, 1.0))
    busiest = max(weeks, key=lambda w: w["count"], default=None)
    alt = f"Bar chart of cramps per week, {len(weeks)} weeks, coloured by where. " + (
        f"The busiest week began {_short(busiest['week_start'])} with {busiest['count']}."
        if busiest
        else "No cramps."
    )
    header = ["Week of"] + [site.label for site in Site] + ["All"]
    rows = [
        [_short(w["week_start"])] + [w["by_site"][site] for site in Site] + [w["count"]]
        for w in weeks
    ]
    return Chart("weekly", "Cramps per week, by where", figure, alt, header, rows)


def intensity_and_duration(s: dict) -> Chart:
    figure, axes = _figure()
    weeks = s["weekly"]
    positions = list(range(len(weeks)))
    axes.plot(
        positions,
        [w["mean_intensity"] for w in weeks],
        color="#0072B2",
        marker="o",
        markersize=3,
        label="Average pain (0-10)",
    )
    axes.set_ylim(0, 10)
    axes.set_ylabel("Pain (0-10)", color="#0072B2", fontsize=9)
    minutes = axes.twinx()
    minutes.plot(
        positions,
        [w["mean_duration_seconds"] / 60 for w in weeks],
        color=ACCENT,
        marker="s",
        markersize=3,
        linestyle="--",
        label="Average length (min)",
    )
    minutes.set_ylabel("Minutes", color=ACCENT, fontsize=9)
    minutes.set_ylim(bottom=0)
    minutes.spines[["top"]].set_visible(False)
    minutes.tick_params(labelsize=9)
    step = _tick_every(len(weeks))
    axes.set_xticks(positions[::step], [_short(w["week_start"]) for w in weeks][::step])
    handles = axes.get_legend_handles_labels()[0] + minutes.get_legend_handles_labels()[0]
    if weeks:
        axes.legend(
            handles=handles,
            fontsize=9,
            frameon=False,
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncols=1,
        )
    alt = (
        "Line chart of each week's average pain (solid) and average length in minutes (dashed). "
        f"Over the period the average pain was {s['mean_intensity']} and the longest cramp "
        f"{(s['longest_duration_seconds'] or 0) / 60:.1f} minutes."
    )
    header = ["Week of", "Cramps", "Average pain", "Average length (min)"]
    rows = [
        [
            _short(w["week_start"]),
            w["count"],
            w["mean_intensity"],
            round(w["mean_duration_seconds"] / 60, 1),
        ]
        for w in weeks
    ]
    return Chart("intensity", "Pain and length over time", figure, alt, header, rows)


def heat_map(s: dict) -> Chart:
    figure, axes = _figure(height=2.8)
    grid = s["by_weekday_hour"]
    image = axes.imshow(grid, aspect="auto", cmap="Blues", interpolation="nearest", vmin=0)
    axes.set_yticks(range(7), WEEKDAYS)
    axes.set_xticks(range(0, 24, 3), [f"{h:02d}:00" for h in range(0, 24, 3)])
    axes.spines[["left", "bottom"]].set_visible(False)
    bar = figure.colorbar(image, ax=axes, fraction=0.04, pad=0.02)
    bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    bar.ax.tick_params(labelsize=9)
    bar.set_label("Cramps", fontsize=9)
    peak_day, peak_hour = max(
        ((d, h) for d in range(7) for h in range(24)), key=lambda dh: grid[dh[0]][dh[1]]
    )
    alt = (
        f"Heat map of cramps by weekday and hour of day (local time); {s['night_count']} of "
        f"{s['count']} were at night or in sleep. "
        + (f"Most: {WEEKDAYS[peak_day]} around {peak_hour:02d}:00." if s["count"] else "")
    )
    header = ["Day"] + [f"{h:02d}" for h in range(24)]
    rows = [[WEEKDAYS[d]] + grid[d] for d in range(7)]
    return Chart("heatmap", "When cramps come (weekday and hour)", figure, alt, header, rows)


def relief(s: dict) -> Chart:
    figure, axes = _figure(height=3.0)
    methods = [m for m in Relief if m != Relief.NONE and s["relief"][m]["tried"]]
    tried = [s["relief"][m]["tried"] for m in methods]
    helped = [s["relief"][m]["helped"] for m in methods]
    partly = [s["relief"][m]["partly"] for m in methods]
    y = range(len(methods))
    axes.barh(y, tried, color="#d0d7de", label="Tried")
    axes.barh(y, helped, color="#009E73", label="Helped")
    axes.barh(y, partly, left=helped, color="#56B4E9", label="Partly helped")
    axes.set_yticks(list(y), [m.label for m in methods])
    axes.invert_yaxis()
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.set_xlabel("Cramps", fontsize=9)
    if methods:
        axes.legend(fontsize=9, frameon=False, ncols=3, loc="lower right", bbox_to_anchor=(1, 1))
    alt = "Bar chart of what was tried and how often it helped. " + "; ".join(
        f"{m.label}: tried {t}, helped {h}, partly {p}"
        for m, t, h, p in zip(methods, tried, helped, partly, strict=True)
    )
    header = ["Tried", "Times", "Helped", "Partly"]
    rows = [[m.label, t, h, p] for m, t, h, p in zip(methods, tried, helped, partly, strict=True)]
    return Chart("relief", "What you tried and whether it helped", figure, alt, header, rows)


CHARTS = {
    "weekly": weekly_by_site,
    "intensity": intensity_and_duration,
    "heatmap": heat_map,
    "relief": relief,
}


def draw(name: str, s: dict, medications=()) -> Chart:
    if name == "weekly":
        return weekly_by_site(s, medications)
    return CHARTS[name](s)


def to_bytes(figure: Figure, fmt: str) -> bytes:
    """SVG (text kept as paths, so no font is needed to view it) or PNG at print resolution."""
    buffer = io.BytesIO()
    figure.savefig(
        buffer,
        format=fmt,
        dpi=200 if fmt == "png" else 72,
        metadata={"Date": None} if fmt == "svg" else None,
    )
    return buffer.getvalue()
