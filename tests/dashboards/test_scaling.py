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


# Each question its own series (R-SUP-9, issue 9 item 12) ---------------------------------------------------

REMOVAL = "0 = the children must be removed, 10 = the case can close"
HOME = "0 = no safe adult at home, 10 = a full safety network"


def captions(html: str) -> list[str]:
    return [" ".join(c.split()) for c in re.findall(r'<caption class="govuk-table__caption[^"]*">(.*?)</caption>',
                                                    html, re.S)]


def chart(html: str) -> str:
    """The trend's own SVG (the key's small pictures are separate)."""
    svg = html[html.index('<svg xmlns="http://www.w3.org/2000/svg" class="teamops-scaling-chart"'):]
    return svg[:svg.index("</svg>")]


def test_two_questions_make_two_series_on_the_case_page(as_role, org, supervision):
    case = supervision.case(org["worker"], "CP", date(2025, 12, 1), ref="MOS-88")
    for held_on, score, question in ((date(2026, 1, 5), 3, REMOVAL), (date(2026, 2, 2), 5, REMOVAL),
                                     (date(2026, 3, 2), 2, HOME), (date(2026, 3, 30), 4, HOME)):
        supervision.record(org["worker"], org["team_manager"], held_on, cases=[case], scaling=score,
                           scaling_question=question)
    html = as_role("team_manager").get(f"/cases/{case.id}").get_data(as_text=True)
    svg = chart(html)
    assert svg.count("<polyline") == 2  # one line per question: never a line from one question to the other
    assert svg.count("<circle") == 2 and svg.count("<rect") == 2  # and each its own marker
    assert "Scores on 2 different questions, each its own line." in svg
    assert f"On the question “{REMOVAL}”: 2 scaling scores from 5 January 2026 to 2 February 2026" in svg
    figcaption = html[html.index("<figcaption>"):html.index("</figcaption>")]
    assert REMOVAL in figcaption and HOME in figcaption and figcaption.count("<li>") == 2  # the key
    scaling_captions = [c for c in captions(html) if c.startswith("Scaling scores for case MOS-88")]
    assert scaling_captions == [f"Scaling scores for case MOS-88, on the question “{REMOVAL}”, by date",
                                f"Scaling scores for case MOS-88, on the question “{HOME}”, by date"]
    by_question = [table[1:] for table in tables(html) if len(table[0]) == 2 and table[0][0] == "Supervision on"]
    assert by_question == [[["5 January 2026", "3"], ["2 February 2026", "5"]],
                           [["2 March 2026", "2"], ["30 March 2026", "4"]]]


def test_an_old_score_reads_question_not_recorded_in_a_series_of_its_own(as_role, org, supervision):
    case = supervision.case(org["worker"], "CP", date(2025, 12, 1), ref="MOS-89")
    supervision.record(org["worker"], org["team_manager"], date(2026, 1, 5), cases=[case], scaling=3)
    supervision.record(org["worker"], org["team_manager"], date(2026, 2, 2), cases=[case], scaling=6,
                       scaling_question=REMOVAL)
    client = as_role("team_manager")
    html = client.get(f"/dashboard/case/{case.id}/scaling", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Question not recorded" in html[html.index("<figcaption>"):html.index("</figcaption>")]
    assert "Scaling scores for case MOS-89, question not recorded, by date" in captions(html)
    assert "Question not recorded: One scaling score: 3 out of 10 on 5 January 2026." in html
    assert "<polyline" not in chart(html)  # one score each: two marks, no line between different questions


def test_series_differ_in_colour_marker_and_dash():
    points = [(date(2026, 1, 5), 3, "A"), (date(2026, 1, 6), 4, None), (date(2026, 1, 7), 5, "B"),
              (date(2026, 1, 8), 6, "A")]
    series = charts.series_of(points)
    assert [(s.question, [p.score for p in s.points]) for s in series] == [("A", [3, 6]), (None, [4]), ("B", [5])]
    assert len({(s.colour, s.marker, s.dash) for s in series}) == 3
    assert [s.label for s in series] == ["A", "Question not recorded", "B"]
    assert 'aria-hidden="true"' in str(series[0].swatch) and "<circle" in str(series[0].swatch)
