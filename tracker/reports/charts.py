"""Charts as pure functions: a summary in, a matplotlib Figure out (never pyplot, which keeps
global state a server cannot afford), then SVG for pages or PNG for the PDF.

Each chart comes with a text alternative and the table of numbers it draws.
"""

import io
import math
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import date, timedelta

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

# Okabe-Ito: told apart by people with the common kinds of colour blindness
# (tests/test_charts.py measures every pair, as seen and as simulated for each kind).
PALETTE = {
    Site.CALF: "#0072B2",
    Site.BACK_OF_THIGH: "#E69F00",
    Site.INNER_THIGH: "#009E73",
    Site.FRONT_OF_THIGH: "#CC79A7",
    Site.FOOT: "#56B4E9",
    Site.OTHER: "#000000",
}
INK, ACCENT = "#1b1f23", "#D55E00"  # ACCENT: Okabe-Ito's vermillion
# Medicine starts: vermillion lines, each medicine its own marker shape, named in the legend.
MEDICINE, MEDICINE_MARKERS = ACCENT, ["v", "D", "s", "^", "P", "X", "o", "*"]
RELIEF_COLOURS = {"tried": "#d0d7de", "helped": "#009E73", "partly": "#56B4E9"}
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
# Every text in points. A chart is 5 in (360 pt) wide and shown about 358 px wide on a
# 390 px phone (the page keeps 16 px each side), so 11.5 pt draws at 11.4 px: at least 11.
TEXT_PT = 11.5
WIDTH_IN = 5.0
# At most this many dates under a chart, so they never run into each other.
MAX_DATE_TICKS = 5
# A medicine's name in the legend, in character widths (an East Asian one counts two).
NAME_WIDTH = 28


@dataclass
class Chart:
    name: str
    title: str
    figure: Figure
    alt: str
    header: list[str]
    rows: list[list]


def _figure(height: float = 3.4) -> tuple[Figure, object]:
    # A white card on a light or a dark page: the page shows the image on white (pages.css).
    figure = Figure(figsize=(WIDTH_IN, height), layout="constrained", facecolor="white")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(colors=INK, labelsize=TEXT_PT)
    return figure, axes


def _short(day: str) -> str:
    return f"{date.fromisoformat(day):%d %b}".lstrip("0")


def _tick_every(count: int) -> int:
    return max(1, math.ceil(count / MAX_DATE_TICKS))


def _legend_name(name: str) -> str:
    """A medicine's name cut to fit the legend, whatever script it is written in."""
    shown, width = "", 0
    for c in " ".join(name.split()):
        width += 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if width > NAME_WIDTH:
            return shown.rstrip() + "…"
        shown += c
    return shown


def _every_week(s: dict) -> list[dict]:
    """The summary's weeks with the quiet ones put back (the summary lists only weeks with a
    cramp), from the first week with one to the period's last: a gap reads as a gap."""
    logged = {date.fromisoformat(w["week_start"]): w for w in s["weekly"]}
    if not logged:
        return []
    last = date.fromisoformat(s["to"])
    weeks, start = [], min(logged)
    while start <= last:
        quiet = {
            "week_start": start.isoformat(),
            "by_site": dict.fromkeys(Site.values, 0),
            "count": 0,
            "mean_intensity": None,
            "mean_duration_seconds": None,
        }
        weeks.append(logged.get(start, quiet))
        start += timedelta(days=7)
    return weeks


def _week_position(day: date, starts: list[date]) -> float | None:
    """Where a day falls on the bar axis: bar i spans i - 0.5 to i + 0.5, a day a seventh."""
    if not starts or not starts[0] <= day < starts[-1] + timedelta(days=7):
        return None
    week = max(i for i, start in enumerate(starts) if start <= day)
    return week - 0.5 + ((day - starts[week]).days + 0.5) / 7


def _medicine_starts(axes, medications, starts: list[date], top: float) -> list:
    """A dashed line at each start within the chart and a marker above the bars, raised a
    step when it would sit on the one before; the name goes in the legend, not on the bars."""
    handles, placed = [], []
    dated = sorted(medications, key=lambda m: m.started_on)
    for n, medicine in enumerate(dated):
        x = _week_position(medicine.started_on, starts)
        if x is None:
            continue
        level = sum(1 for earlier in placed if abs(earlier - x) < 0.6)
        placed.append(x)
        axes.axvline(x, color=MEDICINE, linestyle="--", linewidth=1.2, zorder=1)
        (handle,) = axes.plot(
            [x],
            [top * (1.08 + 0.09 * level)],
            linestyle="none",
            marker=MEDICINE_MARKERS[n % len(MEDICINE_MARKERS)],
            markersize=8,
            color=MEDICINE,
            label=f"{_legend_name(medicine.name)}, from {medicine.started_on:%d %b}".lstrip("0"),
        )
        handles.append(handle)
    return handles


def weekly_by_site(s: dict, medications=()) -> Chart:
    weeks = _every_week(s)
    starts = [date.fromisoformat(w["week_start"]) for w in weeks]
    shown = [m for m in medications if _week_position(m.started_on, starts) is not None]
    figure, axes = _figure(height=3.4 + 0.25 * len(shown))
    positions = range(len(weeks))
    bottom = [0] * len(weeks)
    for site in Site:
        heights = [w["by_site"][site] for w in weeks]
        if any(heights):
            axes.bar(
                positions,
                heights,
                bottom=bottom,
                color=PALETTE[site],
                label=site.label.split(" (")[0],  # the table below names the muscles
                width=0.8,
                zorder=2,
            )
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    top = max(bottom, default=0) or 1
    handles = _medicine_starts(axes, shown, starts, top)
    # Room above the tallest bar for the markers, so none sits on a bar.
    levels = max((h.get_ydata()[0] for h in handles), default=top)
    axes.set_ylim(0, max(top * 1.05, levels * 1.08))
    step = _tick_every(len(weeks))
    axes.set_xticks(list(positions)[::step], [_short(w["week_start"]) for w in weeks][::step])
    axes.set_ylabel("Cramps per week", color=INK, fontsize=TEXT_PT)
    axes.yaxis.get_major_locator().set_params(integer=True)
    sites = [h for h in axes.get_legend_handles_labels()[0] if h not in handles]
    if sites:
        figure.legend(
            handles=sites, loc="outside upper left", ncols=2, frameon=False, fontsize=TEXT_PT
        )
    if handles:
        figure.legend(
            handles=handles,
            loc="outside lower left",
            ncols=1,
            frameon=False,
            fontsize=TEXT_PT,
            title="Medicine started",
            title_fontsize=TEXT_PT,
            alignment="left",
        )
    busiest = max(weeks, key=lambda w: w["count"], default=None)
    alt = f"Bar chart of cramps per week, {len(weeks)} weeks, coloured by where. " + (
        f"The busiest week began {_short(busiest['week_start'])} with {busiest['count']}."
        if busiest
        else "No cramps."
    )
    alt += "".join(
        f" {medicine.name} started {medicine.started_on:%d %b %Y} (dashed line)."
        for medicine in shown
    )
    header = ["Week of"] + [site.label for site in Site] + ["All"]
    rows = [
        [_short(w["week_start"])] + [w["by_site"][site] for site in Site] + [w["count"]]
        for w in s["weekly"]
    ]
    return Chart("weekly", "Cramps per week, by where", figure, alt, header, rows)


def intensity_and_duration(s: dict) -> Chart:
    figure, axes = _figure()
    weeks = _every_week(s)  # a quiet week breaks the lines
    positions = list(range(len(weeks)))
    axes.plot(
        positions,
        [w["mean_intensity"] for w in weeks],
        color=PALETTE[Site.CALF],
        marker="o",
        markersize=4,
        label="Average pain (0-10)",
    )
    axes.set_ylim(0, 10)
    axes.set_ylabel("Pain (0-10)", color=PALETTE[Site.CALF], fontsize=TEXT_PT)
    minutes = axes.twinx()
    minutes.plot(
        positions,
        [w["mean_duration_seconds"] and w["mean_duration_seconds"] / 60 for w in weeks],
        color=ACCENT,
        marker="s",
        markersize=4,
        linestyle="--",
        label="Average length (min)",
    )
    minutes.set_ylabel("Minutes", color=ACCENT, fontsize=TEXT_PT)
    minutes.set_ylim(bottom=0)
    minutes.spines[["top"]].set_visible(False)
    minutes.tick_params(colors=INK, labelsize=TEXT_PT)
    step = _tick_every(len(weeks))
    axes.set_xticks(positions[::step], [_short(w["week_start"]) for w in weeks][::step])
    handles = axes.get_legend_handles_labels()[0] + minutes.get_legend_handles_labels()[0]
    if weeks:
        figure.legend(
            handles=handles, loc="outside upper left", ncols=1, frameon=False, fontsize=TEXT_PT
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
        for w in s["weekly"]
    ]
    return Chart("intensity", "Pain and length over time", figure, alt, header, rows)


def heat_map(s: dict) -> Chart:
    figure, axes = _figure(height=2.8)
    grid = s["by_weekday_hour"]
    image = axes.imshow(grid, aspect="auto", cmap="Blues", interpolation="nearest", vmin=0)
    axes.set_yticks(range(7), WEEKDAYS)
    axes.set_xticks(range(0, 24, 6), [f"{h:02d}:00" for h in range(0, 24, 6)])
    axes.set_xlabel("Hour of the day", color=INK, fontsize=TEXT_PT)
    axes.spines[["left", "bottom"]].set_visible(False)
    bar = figure.colorbar(image, ax=axes, fraction=0.04, pad=0.02)
    bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    bar.ax.tick_params(colors=INK, labelsize=TEXT_PT)
    bar.set_label("Cramps", color=INK, fontsize=TEXT_PT)
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
    axes.barh(y, tried, color=RELIEF_COLOURS["tried"], label="Tried")
    axes.barh(y, helped, color=RELIEF_COLOURS["helped"], label="Helped")
    axes.barh(y, partly, left=helped, color=RELIEF_COLOURS["partly"], label="Partly helped")
    axes.set_yticks(list(y), [m.label for m in methods])
    axes.invert_yaxis()
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.set_xlabel("Cramps", color=INK, fontsize=TEXT_PT)
    if methods:
        figure.legend(loc="outside upper left", ncols=3, frameon=False, fontsize=TEXT_PT)
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
