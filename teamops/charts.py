"""Small charts drawn on the server as inline SVG: no charting JavaScript, nothing for the CSP to allow.

The scaling trend (Signs of Safety, R-SUP-9) plots a case's scaling scores (0 to 10) against the date of the
supervision that gave them, time to scale. A score means something only on its question (what 0 and 10
mean for the case), so each question is a series of its own: its own line, colour, marker shape and dash,
named in a key, and never joined to another question's scores; scores given before questions were asked for
are one more series, "question not recorded". The SVG is an image with a title and a description for screen
readers; pages also show the same scores as a table per question (templates/dashboards/_scaling.html),
because a picture alone is not an equivalent. Colours and sizes are SVG presentation attributes, since the
CSP forbids style attributes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from markupsafe import Markup
from sqlalchemy import select

from teamops.extensions import db
from teamops.records.labels import QUESTION_NOT_RECORDED
from teamops.records.models import CaseDiscussion

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 34, 14, 12, 36
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
SCALE_TOP = 10
GRID_SCORES = (0, 5, 10)
LINE_COLOUR, GRID_COLOUR, TEXT_COLOUR = "#1d70b8", "#b1b4b6", "#505a5f"
# Each series' colour (GOV.UK's blue, red, green, purple and pink: each at least 3:1 on white), marker and dash,
# in turn, so that two series differ in shape and dash as well as colour (WCAG 1.4.1).
SERIES_COLOURS = (LINE_COLOUR, "#d4351c", "#00703c", "#4c2c92", "#d53880")
MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = ("", "6 4", "2 3", "8 3 2 3")
SWATCH_WIDTH, SWATCH_HEIGHT = 28, 12


class ScalingPoint(NamedTuple):
    held_on: date
    score: int
    question: str | None = None  # what 0 and 10 mean; None for a score given before questions were asked


@dataclass(frozen=True)
class Series:
    """The scores given on one question (or with none recorded), oldest first, and how they are drawn."""

    question: str | None
    points: list[ScalingPoint]
    colour: str = LINE_COLOUR
    marker: str = "circle"
    dash: str = ""

    @property
    def label(self) -> str:
        return self.question or QUESTION_NOT_RECORDED.capitalize()

    @property
    def swatch(self) -> Markup:
        """A small picture of the series' line and marker, for the key beside the chart."""
        middle_x, middle_y = SWATCH_WIDTH / 2, SWATCH_HEIGHT / 2
        return Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
            'aria-hidden="true" focusable="false">{line}{marker}</svg>'
        ).format(w=SWATCH_WIDTH, h=SWATCH_HEIGHT, line=_line(self, [(1, middle_y), (SWATCH_WIDTH - 1, middle_y)]),
                 marker=_marker(self, middle_x, middle_y))


def scaling_points(case_id: int) -> list[ScalingPoint]:
    """Every scaling score recorded for the case, with its question, oldest first (one query)."""
    rows = db.session.execute(
        select(CaseDiscussion.held_on, CaseDiscussion.scaling, CaseDiscussion.scaling_question)
        .where(CaseDiscussion.case_id == case_id, CaseDiscussion.scaling.is_not(None))
        .order_by(CaseDiscussion.held_on, CaseDiscussion.id)
    ).tuples()
    return [ScalingPoint(held_on, score, question) for held_on, score, question in rows if score is not None]


def as_points(items: Iterable[Any]) -> list[ScalingPoint]:
    """Accepts ScalingPoints, or (date, score) pairs or (date, score, question) triples, in any order; returns
    them by date."""
    points = [ScalingPoint(*item) for item in items]
    return sorted(points, key=lambda p: p.held_on)


def series_of(items: Iterable[Any]) -> list[Series]:
    """The scores grouped by question, the question first asked first; each series drawn its own way."""
    grouped: dict[str | None, list[ScalingPoint]] = {}
    for point in as_points(items):
        grouped.setdefault(point.question or None, []).append(point)
    return [Series(question, points, SERIES_COLOURS[n % len(SERIES_COLOURS)], MARKERS[n % len(MARKERS)],
                   DASHES[n % len(DASHES)]) for n, (question, points) in enumerate(grouped.items())]


def _short(day: date) -> str:
    return day.strftime("%-d %b %Y")


def _long(day: date) -> str:
    return day.strftime("%-d %B %Y")


def describe(points: list[ScalingPoint]) -> str:
    """One series in words, for the chart's <desc> and for anyone who cannot see it."""
    if not points:
        return "No scaling scores have been recorded for this case."
    if len(points) == 1:
        return f"One scaling score: {points[0].score} out of 10 on {_long(points[0].held_on)}."
    scores = [p.score for p in points]
    change = scores[-1] - scores[0]
    trend = "no change overall" if change == 0 else f"{'up' if change > 0 else 'down'} {abs(change)} overall"
    return (f"{len(points)} scaling scores from {_long(points[0].held_on)} to {_long(points[-1].held_on)}: "
            f"first {scores[0]}, latest {scores[-1]} out of 10 ({trend}); lowest {min(scores)}, "
            f"highest {max(scores)}.")


def describe_series(series: list[Series]) -> str:
    """The whole chart in words: each question's scores on their own, never compared with another's. Scores
    without any question read as they always did."""
    if not series:
        return describe([])
    if len(series) == 1 and series[0].question is None:
        return describe(series[0].points)
    parts = [f"{_named(each)}: {describe(each.points)}" for each in series]
    if len(series) == 1:
        return parts[0]
    return f"Scores on {len(series)} different questions, each its own line. " + " ".join(parts)


def _named(series: Series) -> str:
    return f"On the question “{series.question}”" if series.question else QUESTION_NOT_RECORDED.capitalize()


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    point: ScalingPoint


def layout(points: list[ScalingPoint]) -> list[Dot]:
    """Where each score sits: x by date (time to scale), y by score on a fixed axis from 0 to 10."""
    if not points:
        return []
    first, last = points[0].held_on, points[-1].held_on
    span = (last - first).days

    def x_of(day: date) -> float:
        if span == 0:
            return LEFT + PLOT_WIDTH / 2
        return round(LEFT + (day - first).days / span * PLOT_WIDTH, 1)

    return [Dot(x_of(p.held_on), y_of(p.score), p) for p in points]


def y_of(score: int) -> float:
    return round(TOP + (SCALE_TOP - score) / SCALE_TOP * PLOT_HEIGHT, 1)


def _svg_open(css_class: str, width: int, height: int, id_prefix: str, label: str, desc: str) -> Markup:
    """The opening of a chart: an image named by its title and described in words (the table equivalent is
    on the page as well)."""
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" width="{w}" height="{h}" '
        'viewBox="0 0 {w} {h}" role="img" aria-labelledby="{p}-title {p}-desc">'
        '<title id="{p}-title">{label}</title><desc id="{p}-desc">{desc}</desc>'
    ).format(cls=css_class, w=width, h=height, p=id_prefix, label=label, desc=desc)


def _grid_line(y: float, right: float, text: str, gap: int) -> Markup:
    """A horizontal grid line across the plot with its value at the left."""
    return Markup(
        '<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{c}" stroke-width="1"/>'
        '<text x="{tx}" y="{ty}" text-anchor="end" font-size="12" fill="{t}">{v}</text>'
    ).format(x1=LEFT, x2=right, y=y, c=GRID_COLOUR, tx=LEFT - gap, ty=y + 4, t=TEXT_COLOUR, v=text)


def _axis_text(x: float, y: float, anchor: str, text: str) -> Markup:
    return Markup('<text x="{x}" y="{y}" text-anchor="{a}" font-size="12" fill="{t}">{d}</text>').format(
        x=x, y=y, a=anchor, t=TEXT_COLOUR, d=text)


def scaling_svg(items: Iterable[Any], label: str = "Scaling scores", id_prefix: str = "scaling") -> Markup:
    """The trend as an inline SVG image, a line per question on one time axis (empty markup when there are
    no scores)."""
    points = as_points(items)
    if not points:
        return Markup("")
    dots = layout(points)
    series = series_of(points)
    parts = [_svg_open("teamops-scaling-chart", WIDTH, HEIGHT, id_prefix, label, describe_series(series))]
    parts.extend(_grid_line(y_of(score), WIDTH - RIGHT, str(score), 6) for score in GRID_SCORES)
    baseline = HEIGHT - BOTTOM + 20
    if dots[0].point.held_on == dots[-1].point.held_on:
        parts.append(_axis_text(dots[0].x, baseline, "middle", _short(dots[0].point.held_on)))
    else:
        parts.extend(_axis_text(dot.x, baseline, anchor, _short(dot.point.held_on))
                     for dot, anchor in ((dots[0], "start"), (dots[-1], "end")))
    at = {dot.point: dot for dot in dots}
    for each in series:
        placed = [at[point] for point in each.points]
        if len(placed) > 1:
            parts.append(_line(each, [(dot.x, dot.y) for dot in placed]))
        parts.extend(_marker(each, dot.x, dot.y) for dot in placed)
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _line(series: Series, places: list[tuple[float, float]]) -> Markup:
    dash = Markup(' stroke-dasharray="{d}"').format(d=series.dash) if series.dash else Markup("")
    return Markup(
        '<polyline points="{pts}" fill="none" stroke="{c}" stroke-width="3" stroke-linejoin="round" '
        'stroke-linecap="round"{dash}/>'
    ).format(pts=" ".join(f"{x},{y}" for x, y in places), c=series.colour, dash=dash)


def _marker(series: Series, x: float, y: float) -> Markup:
    """A score's mark: a circle, square, triangle or diamond of the series' colour."""
    if series.marker == "square":
        return Markup('<rect x="{x}" y="{y}" width="8" height="8" fill="{c}"/>').format(
            x=round(x - 4, 1), y=round(y - 4, 1), c=series.colour)
    if series.marker in ("triangle", "diamond"):
        corners = ([(x, y - 5.5), (x + 5, y + 4), (x - 5, y + 4)] if series.marker == "triangle"
                   else [(x, y - 5.5), (x + 5.5, y), (x, y + 5.5), (x - 5.5, y)])
        return Markup('<polygon points="{pts}" fill="{c}"/>').format(
            pts=" ".join(f"{round(cx, 1)},{round(cy, 1)}" for cx, cy in corners), c=series.colour)
    return Markup('<circle cx="{x}" cy="{y}" r="4.5" fill="{c}"/>').format(x=x, y=y, c=series.colour)


# The "% in timescale" trend (issue 13 item 4): twelve months, a line per team, service or the county, on a
# fixed axis from 0 to 100. A month with no figure leaves a gap (the line is not drawn across it). Pages show
# the same figures as a table.
TREND_WIDTH, TREND_HEIGHT = 640, 240
TREND_PLOT_WIDTH, TREND_PLOT_HEIGHT = TREND_WIDTH - LEFT - RIGHT, TREND_HEIGHT - TOP - BOTTOM
PERCENT_GRID = (0, 50, 100)


@dataclass(frozen=True)
class TrendLine:
    """One line of the trend: its name and a percentage (or None) per month, oldest first."""

    name: str
    values: list[float | None]


def trend_series(lines: list[TrendLine]) -> list[tuple[TrendLine, Series]]:
    """Each line with how it is drawn (colour, marker, dash in turn), for the chart and its key."""
    return [(line, Series(line.name, [], SERIES_COLOURS[n % len(SERIES_COLOURS)], MARKERS[n % len(MARKERS)],
                          DASHES[n % len(DASHES)])) for n, line in enumerate(lines)]


def _month(day: date) -> str:
    return day.strftime("%b %Y")


def describe_trend(months: list[date], lines: list[TrendLine], measure: str = "cases in timescale") -> str:
    """The chart in words: each line's first and latest figure, and the months it has."""
    if not months:
        return "No months to show."
    parts = []
    for line in lines:
        known = [(month, value) for month, value in zip(months, line.values, strict=True) if value is not None]
        if not known:
            parts.append(f"{line.name}: no figures.")
        elif len(known) == 1:
            parts.append(f"{line.name}: {known[0][1]}% in {_month(known[0][0])} only.")
        else:
            parts.append(f"{line.name}: {known[0][1]}% in {_month(known[0][0])}, {known[-1][1]}% in "
                         f"{_month(known[-1][0])}; figures for {len(known)} of {len(months)} months.")
    return f"Percentage of {measure}, {_month(months[0])} to {_month(months[-1])}. " + " ".join(parts)


def percent_trend_svg(months: list[date], lines: list[TrendLine], label: str, id_prefix: str = "trend",
                      measure: str = "cases in timescale") -> Markup:
    """The trend as an inline SVG image: months evenly along x, 0 to 100 % up y; ``measure`` names what the
    percentage counts, for the description."""
    if not months or not lines:
        return Markup("")
    step = TREND_PLOT_WIDTH / max(len(months) - 1, 1)

    def x_of(index: int) -> float:
        return round(LEFT + index * step, 1)

    def y_of_percent(value: float) -> float:
        return round(TOP + (100 - value) / 100 * TREND_PLOT_HEIGHT, 1)

    parts = [_svg_open("teamops-trend-chart", TREND_WIDTH, TREND_HEIGHT, id_prefix, label,
                       describe_trend(months, lines, measure))]
    parts.extend(_grid_line(y_of_percent(grid), TREND_WIDTH - RIGHT, f"{grid}%", 4) for grid in PERCENT_GRID)
    baseline = TREND_HEIGHT - BOTTOM + 20
    parts.extend(_axis_text(x_of(index), baseline, anchor, _month(months[index]))
                 for index, anchor in ((0, "start"), (len(months) - 1, "end")))
    for line, series in trend_series(lines):
        run: list[tuple[float, float]] = []
        for index, percent in enumerate([*line.values, None]):
            if percent is not None:
                run.append((x_of(index), y_of_percent(percent)))
                continue
            if len(run) > 1:
                parts.append(_line(series, run))
            parts.extend(_marker(series, x, y) for x, y in run)
            run = []
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
