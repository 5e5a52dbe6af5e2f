"""Report charts: a trend of one period is drawn as a bar (Frappe Charts cannot draw a one-point line)."""

from oms_omnichannel.analytics.charts import line_type


def test_a_trend_of_one_period_is_a_bar_and_of_more_a_line():
	assert line_type(["2026-12-07"]) == "bar"
	assert line_type([]) == "bar"
	assert line_type(["2026-11-30", "2026-12-07"]) == "line"
