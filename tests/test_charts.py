"""The report's charts read at a glance (tracker/reports/charts.py): text big enough on a
phone, no label on a bar or on another label, and colours that people with the common
kinds of colour blindness still tell apart."""

import itertools
import math
import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from tracker.models import Relief, Site
from tracker.reports import charts

# A 390 px phone shows a chart 358 px wide: the page keeps 16 px each side (app.css `main`);
# tests/browser/test_charts_browser.py checks that this still holds.
SHOWN_PX = 358
MIN_TEXT_PX = 11
FIRST_WEEK = date(2026, 8, 31)  # a Monday


def summary(weeks: int = 13, per_week: int = 2) -> dict:
    """A report summary as tracker.reports.summary gives it, every site in every week."""
    weekly = []
    for n in range(weeks):
        by_site = {site: per_week + (n + i) % 3 for i, site in enumerate(Site.values)}
        weekly.append(
            {
                "week_start": str(FIRST_WEEK + timedelta(weeks=n)),
                "by_site": by_site,
                "count": sum(by_site.values()),
                "mean_intensity": 3 + n % 6,
                "mean_duration_seconds": 60 + 40 * (n % 9),
            }
        )
    count = sum(w["count"] for w in weekly)
    return {
        "from": str(FIRST_WEEK),
        "to": str(FIRST_WEEK + timedelta(weeks=weeks, days=-1)),
        "weekly": weekly,
        "count": count,
        "mean_intensity": 5.0 if count else None,
        "longest_duration_seconds": 400 if count else None,
        "night_count": count // 3,
        "by_weekday_hour": [[(d * 24 + h) % 5 * (count > 0) for h in range(24)] for d in range(7)],
        "relief": {
            m: {"tried": 6 * (count > 0), "helped": 3 * (count > 0), "partly": count > 0}
            for m in Relief.values
        },
    }


def medicine(name: str, started_on: date):
    return SimpleNamespace(name=name, started_on=started_on)


STATIN = medicine("Atorvastatin 20 mg", date(2026, 9, 20))
CASES = {
    "nine weeks, a label each before": (summary(9), []),
    "a quarter with three medicines": (
        summary(13),
        [
            STATIN,
            medicine("Furosemide", date(2026, 9, 21)),  # the next day: stacked, not on top
            medicine("Prednisolone (a short course after the flare)", date(2026, 10, 30)),
        ],
    ),
    "a year with eight medicines": (
        summary(53, per_week=1),
        [medicine(f"Medicine {n}", FIRST_WEEK + timedelta(days=3 + 40 * n)) for n in range(8)],
    ),
    "a wide-script name": (summary(13), [medicine("アトルバスタチン" * 5, date(2026, 10, 1))]),
    "nothing logged": (summary(0), [STATIN]),
}


def drawn(s: dict, medications) -> list[charts.Chart]:
    return [charts.draw(name, s, medications) for name in charts.CHARTS]


# --- text size ------------------------------------------------------------------------------


def svg_text_sizes(svg: str) -> tuple[float, list[float]]:
    """The SVG's width in its own units, and the size in those units of every text in it.

    matplotlib draws text as glyph paths, each text under `scale(s -s)` with s the font
    size over 100 (its text-to-path scale); the comment before it holds the text."""
    width = float(re.search(r'viewBox="0 0 ([\d.]+) [\d.]+"', svg).group(1))
    sizes = [float(s) * 100 for s in re.findall(r"scale\(([\d.]+) -[\d.]+\)", svg)]
    return width, sizes


@pytest.mark.parametrize("case", CASES)
def test_every_text_is_at_least_11_px_when_a_phone_shows_the_chart(case):
    for chart in drawn(*CASES[case]):
        svg = charts.to_bytes(chart.figure, "svg").decode()
        width, sizes = svg_text_sizes(svg)
        assert sizes, f"{chart.name}: no text found, the parser is out of date"
        smallest_px = min(sizes) * SHOWN_PX / width
        assert smallest_px >= MIN_TEXT_PX, f"{chart.name}: {smallest_px:.1f} px"


def test_the_size_parser_reads_what_matplotlib_writes():
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 1))
    figure.text(0.1, 0.5, "x", fontsize=7)
    figure.text(0.5, 0.5, "y", fontsize=13)
    width, sizes = svg_text_sizes(charts.to_bytes(figure, "svg").decode())
    assert width == 144 and sorted(sizes) == pytest.approx([7, 13])


# --- nothing overlaps -----------------------------------------------------------------------


def drawn_texts(figure, renderer) -> list:
    """Every text drawn: tick labels only at ticks within the axis (matplotlib keeps, but
    does not draw, labels for ticks beyond it)."""
    ticks, shown = set(), []
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                ticks |= {id(tick.label1), id(tick.label2)}
                if low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    shown += [tick.label1, tick.label2]
    shown += [t for t in figure.findobj(Text) if id(t) not in ticks]
    return [
        (t.get_text(), t.get_window_extent(renderer))
        for t in shown
        if t.get_visible() and t.get_text().strip() and t.get_window_extent(renderer).width
    ]


def boxes(chart: charts.Chart):
    """The drawn extents of every visible text, every bar and every medicine marker."""
    FigureCanvasAgg(chart.figure).draw()
    renderer = chart.figure.canvas.get_renderer()
    bars, markers = [], []
    for axes in chart.figure.axes:
        bars += [p.get_window_extent(renderer) for p in axes.patches if isinstance(p, Rectangle)]
        markers += [
            line.get_window_extent(renderer)
            for line in axes.lines
            if isinstance(line, Line2D) and line.get_linestyle() == "None"
        ]
    texts = drawn_texts(chart.figure, renderer)
    return texts, [b for b in bars if b.width and b.height], markers


def overlap(a, b, slack: float = 0.5) -> bool:
    """More than touching: the boxes share an area wider and taller than `slack` pixels."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > slack and min(a.y1, b.y1) - max(a.y0, b.y0) > slack


@pytest.mark.parametrize("case", CASES)
def test_no_label_overlaps_another_label_a_bar_or_a_medicine_marker(case):
    for chart in drawn(*CASES[case]):
        texts, bars, markers = boxes(chart)
        assert texts
        for (one, a), (other, b) in itertools.combinations(texts, 2):
            assert not overlap(a, b), f"{chart.name}: {one!r} on {other!r}"
        for text, box in texts:
            assert not any(overlap(box, bar) for bar in bars), f"{chart.name}: {text!r} on a bar"
            assert not any(overlap(box, m) for m in markers), f"{chart.name}: {text!r} on a marker"
        for marker in markers:
            assert not any(overlap(marker, bar) for bar in bars), f"{chart.name}: marker on a bar"
        for a, b in itertools.combinations(markers, 2):
            assert not overlap(a, b), f"{chart.name}: two medicine markers on each other"
        width, height = chart.figure.bbox.width, chart.figure.bbox.height
        for text, box in texts:  # nothing cut off at the edge of the image
            assert box.x0 >= -1 and box.y0 >= -1 and box.x1 <= width + 1 and box.y1 <= height + 1, (
                f"{chart.name}: {text!r} runs off the chart"
            )


def test_medicine_starts_are_markers_named_in_a_legend_not_words_on_the_bars():
    s, medications = CASES["a quarter with three medicines"]
    chart = charts.weekly_by_site(s, medications)
    legends = [t.get_text() for legend in chart.figure.legends for t in legend.get_texts()]
    assert "Atorvastatin 20 mg, from 20 Sep" in legends and "Furosemide, from 21 Sep" in legends
    in_plot = [t.get_text() for t in chart.figure.axes[0].texts]
    assert not any("Atorvastatin" in text for text in in_plot)
    markers = [line for line in chart.figure.axes[0].lines if line.get_linestyle() == "None"]
    assert len({line.get_marker() for line in markers}) == 3  # one shape each
    # 20 Sep is the seventh day of the week of 14 Sep (bar 2, from 1.5 to 2.5).
    assert markers[0].get_xdata()[0] == pytest.approx(1.5 + 6.5 / 7)
    assert "Atorvastatin 20 mg started 20 Sep 2026 (dashed line)." in chart.alt


def test_quiet_weeks_are_drawn_empty_not_left_out():
    s = summary(13)
    s["weekly"] = [s["weekly"][0], s["weekly"][3]]  # the summary lists weeks with cramps only
    weekly = charts.weekly_by_site(s, [STATIN])
    bars = [p for p in weekly.figure.axes[0].patches if p.get_height()]
    centres = {p.get_x() + p.get_width() / 2 for p in bars}
    assert centres == {0, 3}  # the second logged week stands three weeks after the first
    assert weekly.figure.axes[0].get_xlim()[1] > 12  # and the period runs on to its end
    assert "13 weeks" in weekly.alt and len(weekly.rows) == 2
    intensity = charts.intensity_and_duration(s)
    pain = intensity.figure.axes[0].lines[0].get_ydata()
    assert len(pain) == 13 and pain[1] is None and pain[3] == s["weekly"][1]["mean_intensity"]


def test_a_medicine_started_outside_the_chart_is_not_drawn():
    s, _ = CASES["a quarter with three medicines"]
    chart = charts.weekly_by_site(s, [medicine("Old", date(2020, 1, 1))])
    assert not [line for line in chart.figure.axes[0].lines if line.get_linestyle() == "None"]
    assert "Old" not in chart.alt and not chart.figure.legends[1:]


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Magnesium", "Magnesium"),
        ("  Vitamin\tB  complex ", "Vitamin B complex"),
        ("Prednisolone (a short course after the flare)", "Prednisolone (a short course…"),
        ("アトルバスタチン" * 5, "アトルバスタチンアトルバスタ…"),
    ],
)
def test_a_long_name_is_cut_to_fit_the_legend(name, shown):
    assert charts._legend_name(name) == shown


# --- colours --------------------------------------------------------------------------------


def linear(hex_colour: str) -> list[float]:
    """sRGB (IEC 61966-2-1) to linear light."""
    values = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in values]


def lab(rgb: list[float]) -> tuple[float, float, float]:
    """Linear sRGB to CIE L*a*b* (D65 white)."""
    r, g, b = rgb
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e_2000(one, other) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal, 2005)."""
    (l1, a1, b1), (l2, a2, b2) = one, other
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1, a2 = a1 * (1 + g), a2 * (1 + g)
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = (math.degrees(math.atan2(b, a)) % 360 for a, b in ((a1, b1), (a2, b2)))
    dh = 0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_hue = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    h_mean = h1 + h2 if c1 * c2 == 0 else (h1 + h2) / 2 + (180 if abs(h1 - h2) > 180 else 0)
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_mean, 1 + 0.015 * c_mean * t
    r_t = -2 * math.sqrt(c_mean**7 / (c_mean**7 + 25**7))
    r_t *= math.sin(math.radians(60 * math.exp(-((((h_mean % 360) - 275) / 25) ** 2))))
    dl, dc, dh = (l2 - l1) / s_l, (c2 - c1) / s_c, d_hue / s_h
    return math.sqrt(dl**2 + dc**2 + dh**2 + r_t * dc * dh)


# Machado, Oliveira and Fernandes (2009), severity 1: full dichromacy, on linear RGB.
DICHROMACY = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}


def seen(hex_colour: str, vision: str | None) -> tuple[float, float, float]:
    rgb = linear(hex_colour)
    if vision:
        rows = DICHROMACY[vision]
        rgb = [min(1, max(0, sum(m * v for m, v in zip(row, rgb, strict=True)))) for row in rows]
    return lab(rgb)


@pytest.mark.parametrize(
    ("one", "other", "expected"),
    [  # from Sharma, Wu and Dalal's test data for CIEDE2000
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
        ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
        ((90.9257, -0.5406, -0.9208), (88.6381, -0.8985, -0.7239), 1.5381),
    ],
)
def test_the_colour_difference_formula_matches_the_published_test_data(one, other, expected):
    assert delta_e_2000(one, other) == pytest.approx(expected, abs=1e-4)
    assert lab(linear("#ffffff")) == pytest.approx((100, 0, 0), abs=0.01)


# A chart's colours next to each other: every site's bars and the medicine markers.
SITE_COLOURS = {**{site.label: colour for site, colour in charts.PALETTE.items()}}
SITE_COLOURS["medicine started"] = charts.MEDICINE


@pytest.mark.parametrize("vision", [None, *DICHROMACY])
@pytest.mark.parametrize(
    ("palette", "apart"),
    [(SITE_COLOURS, {None: 20, "any": 10}), (charts.RELIEF_COLOURS, {None: 20, "any": 10})],
    ids=["sites", "relief"],
)
def test_every_pair_of_chart_colours_is_told_apart(palette, apart, vision):
    """CIEDE2000 of 20 or more reads as different colours at a glance; as simulated for
    each kind of dichromacy (the strongest colour blindness) every pair stays 10 apart."""
    least = apart[None] if vision is None else apart["any"]
    for (one, a), (other, b) in itertools.combinations(palette.items(), 2):
        difference = delta_e_2000(seen(a, vision), seen(b, vision))
        assert difference >= least, f"{one} and {other} as seen with {vision}: {difference:.1f}"


@pytest.mark.parametrize("vision", [None, *DICHROMACY])
def test_every_site_colour_stands_out_from_the_white_card(vision):
    for name, colour in SITE_COLOURS.items():
        assert delta_e_2000(seen(colour, vision), seen("#ffffff", vision)) >= 20, name


def test_every_chart_is_drawn_on_white_so_it_reads_on_a_light_or_a_dark_page():
    for chart in drawn(*CASES["a quarter with three medicines"]):
        assert chart.figure.get_facecolor() == (1, 1, 1, 1)
