"""The audience charts are SVG drawn on the server that a screen reader can read: a title, an
aria-label and a hidden list with every figure, a viewBox and width 100% (no fixed width to
scroll sideways at 390 px), and a bar's height in proportion to its views."""

import re
from datetime import date, timedelta

from desk import charts


def test_a_bar_chart_says_its_figures_in_words():
    days = [(date(2026, 12, 1) + timedelta(days=n), views) for n, views in enumerate([0, 40, 80])]
    svg = str(charts.bar_chart(days, title="Views per day"))
    assert '<svg viewBox="0 0 600 200" width="100%" role="img"' in svg
    assert "<title>Views per day</title>" in svg
    assert 'aria-label="Views per day: Tue 1 Dec 0; Wed 2 Dec 40; Thu 3 Dec 80"' in svg
    assert '<figcaption class="visually-hidden"><ul><li>Tue 1 Dec: 0</li>' in svg
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert heights[0] == 0 and heights[1] * 2 == heights[2]
    assert "<title>Thu 3 Dec: 80 views</title>" in svg


def test_the_axis_tops_at_a_round_number():
    assert [charts._nice_top(n) for n in (0, 1, 3, 7, 30, 51, 999)] == [1, 1, 5, 10, 50, 100, 1000]


def test_headlines_in_a_chart_are_escaped():
    svg = str(charts.bar_chart([(date(2026, 1, 1), 1)], title="<script>alert(1)</script>"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_a_sparkline_is_a_labelled_line():
    svg = str(charts.sparkline([0, 5, 10], title="Views a day"))
    assert 'aria-label="Views a day: 0, 5, 10"' in svg and "<polyline" in svg
