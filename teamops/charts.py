"""Small charts drawn on the server as inline SVG: no charting JavaScript, nothing for the CSP to allow.

The scaling trend (Signs of Safety, R-SUP-9) plots a case's scaling scores (0 to 10) against the date of the
supervision that gave them, time to scale. The SVG is an image with a title and a description for screen
readers; pages also show the same scores as a table (templates/dashboards/_scaling.html), because a
picture alone is not an equivalent. Colours and sizes are SVG presentation attributes, since the CSP
forbids style attributes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from markupsafe import Markup
from sqlalchemy import select

from teamops.extensions import db
from teamops.records.models import CaseDiscussion

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 34, 14, 12, 36
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
SCALE_TOP = 10
GRID_SCORES = (0, 5, 10)
LINE_COLOUR, GRID_COLOUR, TEXT_COLOUR = "#1d70b8", "#b1b4b6", "#505a5f"


class ScalingPoint(NamedTuple):
    held_on: date
    score: int


def scaling_points(case_id: int) -> list[ScalingPoint]:
    """Every scaling score recorded for the case, oldest first (one query)."""
    rows = db.session.execute(
        select(CaseDiscussion.held_on, CaseDiscussion.scaling)
        .where(CaseDiscussion.case_id == case_id, CaseDiscussion.scaling.is_not(None))
        .order_by(CaseDiscussion.held_on, CaseDiscussion.id)
    ).tuples()
    return [ScalingPoint(held_on, score) for held_on, score in rows if score is not None]


def as_points(items: Iterable[Any]) -> list[ScalingPoint]:
    """Accepts ScalingPoints or (date, score) pairs, in any order; returns them by date."""
    points = [ScalingPoint(*item) for item in items]
    return sorted(points, key=lambda p: p.held_on)


def _short(day: date) -> str:
    return day.strftime("%-d %b %Y")


def _long(day: date) -> str:
    return day.strftime("%-d %B %Y")


def describe(points: list[ScalingPoint]) -> str:
    """The chart in words, for its <desc> and for anyone who cannot see it."""
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


def scaling_svg(items: Iterable[Any], label: str = "Scaling scores", id_prefix: str = "scaling") -> Markup:
    """The trend as an inline SVG image (empty markup when there are no scores)."""
    points = as_points(items)
    if not points:
        return Markup("")
    dots = layout(points)
    parts = [Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="teamops-scaling-chart" width="{w}" height="{h}" '
        'viewBox="0 0 {w} {h}" role="img" aria-labelledby="{p}-title {p}-desc">'
        '<title id="{p}-title">{label}</title><desc id="{p}-desc">{desc}</desc>'
    ).format(w=WIDTH, h=HEIGHT, p=id_prefix, label=label, desc=describe(points))]
    for score in GRID_SCORES:
        y = y_of(score)
        parts.append(Markup(
            '<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{c}" stroke-width="1"/>'
            '<text x="{tx}" y="{ty}" text-anchor="end" font-size="12" fill="{t}">{score}</text>'
        ).format(x1=LEFT, x2=WIDTH - RIGHT, y=y, c=GRID_COLOUR, tx=LEFT - 6, ty=y + 4, t=TEXT_COLOUR,
                 score=score))
    baseline = HEIGHT - BOTTOM + 20
    if dots[0].point.held_on == dots[-1].point.held_on:
        parts.append(Markup('<text x="{x}" y="{y}" text-anchor="middle" font-size="12" fill="{t}">{d}</text>')
                     .format(x=dots[0].x, y=baseline, t=TEXT_COLOUR, d=_short(dots[0].point.held_on)))
    else:
        for dot, anchor in ((dots[0], "start"), (dots[-1], "end")):
            parts.append(Markup('<text x="{x}" y="{y}" text-anchor="{a}" font-size="12" fill="{t}">{d}</text>')
                         .format(x=dot.x, y=baseline, a=anchor, t=TEXT_COLOUR, d=_short(dot.point.held_on)))
    if len(dots) > 1:
        parts.append(Markup(
            '<polyline points="{pts}" fill="none" stroke="{c}" stroke-width="3" stroke-linejoin="round" '
            'stroke-linecap="round"/>'
        ).format(pts=" ".join(f"{d.x},{d.y}" for d in dots), c=LINE_COLOUR))
    for dot in dots:
        parts.append(Markup('<circle cx="{x}" cy="{y}" r="4.5" fill="{c}"/>').format(x=dot.x, y=dot.y,
                                                                                    c=LINE_COLOUR))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
