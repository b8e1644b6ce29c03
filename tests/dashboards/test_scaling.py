"""The scaling trend: an SVG drawn on the server with a text equivalent, and the route that serves it."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import render_template_string

from teamops import charts
from teamops.charts import ScalingPoint
from tests.dashboards.conftest import tables

POINTS = [ScalingPoint(date(2026, 1, 5), 3), ScalingPoint(date(2026, 2, 2), 5), ScalingPoint(date(2026, 3, 2), 7)]


def test_scores_are_placed_by_date_on_a_fixed_0_to_10_axis():
    dots = charts.layout(POINTS)
    assert [d.x for d in dots] == [charts.LEFT, charts.LEFT + charts.PLOT_WIDTH / 2,
                                   charts.LEFT + charts.PLOT_WIDTH]  # 28 days apart each: evenly spaced
    assert charts.y_of(10) == charts.TOP and charts.y_of(0) == charts.TOP + charts.PLOT_HEIGHT
    assert dots[0].y > dots[1].y > dots[2].y  # higher scores sit higher


def test_uneven_dates_are_spaced_by_time():
    dots = charts.layout([ScalingPoint(date(2026, 1, 1), 2), ScalingPoint(date(2026, 1, 11), 2),
                          ScalingPoint(date(2026, 4, 11), 2)])
    assert dots[1].x - dots[0].x < (dots[2].x - dots[1].x) / 5


def test_svg_is_an_accessible_image_without_style_attributes_or_script():
    svg = str(charts.scaling_svg(POINTS, "Scaling scores for case MOS-1", "scaling-7"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and 'aria-labelledby="scaling-7-title scaling-7-desc"' in svg
    assert '<title id="scaling-7-title">Scaling scores for case MOS-1</title>' in svg
    assert ('<desc id="scaling-7-desc">3 scaling scores from 5 January 2026 to 2 March 2026: first 3, latest 7 '
            "out of 10 (up 4 overall); lowest 3, highest 7.</desc>") in svg
    assert "style=" not in svg and "<script" not in svg
    assert svg.count("<circle") == 3 and svg.count("<polyline") == 1
    assert ">5 Jan 2026<" in svg and ">2 Mar 2026<" in svg


def test_one_score_is_a_single_dot_with_its_date():
    svg = str(charts.scaling_svg([(date(2026, 2, 2), 4)]))
    assert svg.count("<circle") == 1 and "<polyline" not in svg
    assert "One scaling score: 4 out of 10 on 2 February 2026." in svg


def test_no_scores_no_chart():
    assert str(charts.scaling_svg([])) == ""
    assert charts.describe([]) == "No scaling scores have been recorded for this case."


def test_labels_are_escaped():
    svg = str(charts.scaling_svg(POINTS, 'Case <b>"x"</b>', "p"))
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def test_points_in_any_order_are_drawn_by_date():
    assert charts.as_points([(date(2026, 3, 1), 1), (date(2026, 1, 1), 9)])[0] == ScalingPoint(date(2026, 1, 1), 9)


def test_macro_gives_the_chart_and_a_table_of_the_same_scores(app):
    with app.test_request_context():
        html = render_template_string(
            '{% from "dashboards/_scaling.html" import scaling_trend %}{{ scaling_trend(points, "Scores") }}',
            points=POINTS)
    assert 'role="img"' in html
    assert tables(html)[0][1:] == [["5 January 2026", "3"], ["2 February 2026", "5"], ["2 March 2026", "7"]]
    with app.test_request_context():
        empty = render_template_string(
            '{% from "dashboards/_scaling.html" import scaling_trend %}{{ scaling_trend([]) }}')
    assert "No scaling scores have been recorded" in empty and "<svg" not in empty


@pytest.fixture
def scored_case(org, supervision):
    case = supervision.case(org["worker"], "CP", date(2026, 1, 5), ref="MOS-77")
    supervision.record(org["worker"], org["team_manager"], date(2026, 2, 2), cases=[case], scaling=4)
    supervision.record(org["worker"], org["team_manager"], date(2026, 1, 12), cases=[case], scaling=2)
    supervision.record(org["worker"], org["team_manager"], date(2026, 3, 2), cases=[case], scaling=None)
    supervision.record(org["worker"], org["team_manager"], date(2026, 3, 9), kind="group", cases=[case], scaling=6)
    return case


def test_scaling_points_come_from_the_case_discussions(scored_case):
    assert charts.scaling_points(scored_case.id) == [
        ScalingPoint(date(2026, 1, 12), 2), ScalingPoint(date(2026, 2, 2), 4), ScalingPoint(date(2026, 3, 9), 6)]


def test_scaling_page_and_fragment(as_role, scored_case):
    client = as_role("team_manager")
    page = client.get(f"/dashboard/case/{scored_case.id}/scaling")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Scaling trend for case MOS-77" in html
    assert f'aria-labelledby="scaling-{scored_case.id}-title scaling-{scored_case.id}-desc"' in html
    assert [row[1] for row in tables(html)[0][1:]] == ["2", "4", "6"]
    fragment = client.get(f"/dashboard/case/{scored_case.id}/scaling", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and text.lstrip().startswith('<div class="teamops-scaling"')
    assert not re.search(r"\sstyle=", text)


@pytest.mark.parametrize(("role", "status"), [
    ("worker", 200), ("team_manager", 200), ("service_manager", 200), ("qait", 200),
    ("south_manager", 403), ("south_worker", 403), ("yj_worker", 403), ("admin", 403),
])
def test_scaling_access_follows_the_case(as_role, scored_case, role, status):
    response = as_role(role).get(f"/dashboard/case/{scored_case.id}/scaling")
    assert response.status_code == status
    if status == 403:
        assert "MOS-77" not in response.get_data(as_text=True)


def test_scaling_of_an_unknown_case_is_404(as_role):
    assert as_role("team_manager").get("/dashboard/case/999999/scaling").status_code == 404
