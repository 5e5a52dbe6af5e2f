# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import cint, getdate, today

from oms_omnichannel.analytics.charts import line_type
from oms_omnichannel.analytics.forecasting import HISTORY_WEEKS, demand_rows
from oms_omnichannel.core import forecast as fc
from oms_omnichannel.core.analytics import change_percent

DEFAULTS = {"history_weeks": 52, "horizon_weeks": 12, "moving_average_weeks": 4}
LIMITS = {"history_weeks": HISTORY_WEEKS, "horizon_weeks": 52, "moving_average_weeks": 26}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	settings = {
		key: min(max(cint(filters.get(key)) or value, 1), LIMITS[key]) for key, value in DEFAULTS.items()
	}
	this_week = fc.week_start(getdate(today()))
	history = weekly_history(filters, this_week)
	result = fc.forecast(history, settings["horizon_weeks"])
	holdout = min(settings["horizon_weeks"], len(history) // 4)
	check = fc.backtest(history, holdout) if holdout else None
	data = rows(history, result, this_week, settings)
	return columns(), data, None, chart(data), summary(history, result, check, settings)


def weekly_history(filters: frappe._dict, this_week) -> list[float]:
	"""Weekly demand of the filtered items and channel (aggregated in SQL), from the first week
	with demand in the last three years to the last complete week."""
	since = this_week - timedelta(weeks=HISTORY_WEEKS)
	quantities = {
		getdate(week): float(qty or 0)
		for week, qty in demand_rows(
			since,
			this_week,
			items=[filters.item] if filters.get("item") else None,
			category=filters.get("category"),
			sales_channel=filters.get("sales_channel"),
		)
	}
	weeks_with_demand = [week for week, qty in quantities.items() if qty]
	if not weeks_with_demand:
		return []
	return fc.weekly_series(quantities, min(weeks_with_demand), this_week - timedelta(weeks=1))


def rows(history: list[float], result: fc.Forecast, this_week, settings: dict) -> list[dict]:
	averages = fc.moving_average(history, settings["moving_average_weeks"])
	week_on_week = fc.growth_rates(history, 1)
	year_on_year = fc.growth_rates(history, fc.WEEKS_PER_YEAR)
	first = this_week - timedelta(weeks=len(history))
	shown = range(max(len(history) - settings["history_weeks"], 0), len(history))
	# every row carries every column: Frappe's total row skips the columns a dict row lacks
	blank = dict.fromkeys(
		("demand", "moving_average", "growth_week", "growth_year", "forecast", "lower", "upper")
	)
	data = [
		{
			**blank,
			"week_start": first + timedelta(weeks=t),
			"demand": history[t],
			"moving_average": round(averages[t], 2) if averages[t] is not None else None,
			"growth_week": week_on_week[t],
			"growth_year": year_on_year[t],
		}
		for t in shown
	]
	for k, value in enumerate(result.values):
		data.append(
			{
				**blank,
				"week_start": this_week + timedelta(weeks=k),
				"forecast": round(value, 2),
				"lower": round(result.lower[k], 2),
				"upper": round(result.upper[k], 2),
			}
		)
	return data


def columns() -> list[dict]:
	no_total = {"disable_total": True}
	return [
		{"fieldname": "week_start", "label": _("Week"), "fieldtype": "Date", "width": 110},
		{"fieldname": "demand", "label": _("Ordered Qty"), "fieldtype": "Float", "width": 110},
		{
			"fieldname": "moving_average",
			"label": _("Moving Average"),
			"fieldtype": "Float",
			"width": 120,
			**no_total,
		},
		{
			"fieldname": "growth_week",
			"label": _("Week on Week %"),
			"fieldtype": "Percent",
			"width": 120,
			**no_total,
		},
		{
			"fieldname": "growth_year",
			"label": _("Year on Year %"),
			"fieldtype": "Percent",
			"width": 120,
			**no_total,
		},
		{"fieldname": "forecast", "label": _("Forecast"), "fieldtype": "Float", "width": 100},
		{"fieldname": "lower", "label": _("Lower (80%)"), "fieldtype": "Float", "width": 100, **no_total},
		{"fieldname": "upper", "label": _("Upper (80%)"), "fieldtype": "Float", "width": 100, **no_total},
	]


def chart(data: list[dict]) -> dict | None:
	"""History, forecast and its interval in one line chart; the forecast starts from the last
	week of history so the two lines join."""
	if not data:
		return None
	last_actual = max((t for t, row in enumerate(data) if row["demand"] is not None), default=None)

	def series(key):
		values = [row.get(key) for row in data]
		if key != "demand" and last_actual is not None:
			values[last_actual] = data[last_actual]["demand"]
		return values

	labels = [str(row["week_start"]) for row in data]
	return {
		"data": {
			"labels": labels,
			"datasets": [
				{"name": _("Ordered Qty"), "values": series("demand")},
				{"name": _("Forecast"), "values": series("forecast")},
				{"name": _("Lower (80%)"), "values": series("lower")},
				{"name": _("Upper (80%)"), "values": series("upper")},
			],
		},
		"type": line_type(labels),
		"colors": ["#2563eb", "#16a34a", "#cbd5e1", "#cbd5e1"],
		"lineOptions": {"regionFill": 0, "hideDots": 1},
		"axisOptions": {"xIsSeries": 1},
		"fieldtype": "Float",
	}


def summary(
	history: list[float], result: fc.Forecast, check: fc.Backtest | None, settings: dict
) -> list[dict]:
	recent, before = sum(history[-4:]), sum(history[-8:-4])
	return [
		{"value": result.method, "label": _("Method"), "datatype": "Data", "indicator": "blue"},
		{
			"value": check.mase if check else None,
			"label": _("Backtest MASE (last {0} weeks)").format(len(check.actual) if check else 0),
			"datatype": "Float",
			"indicator": "green" if check and check.mase is not None and check.mase < 1 else "orange",
		},
		{
			"value": check.baseline_mase if check else None,
			"label": _("Seasonal Naive MASE"),
			"datatype": "Float",
			"indicator": "gray",
		},
		{
			"value": round(sum(result.values), 2),
			"label": _("Forecast, next {0} weeks").format(settings["horizon_weeks"]),
			"datatype": "Float",
			"indicator": "blue",
		},
		{
			"value": change_percent(recent, before) if len(history) >= 8 else None,
			"label": _("Last 4 Weeks vs 4 Before"),
			"datatype": "Percent",
			"indicator": "gray",
		},
		{"value": len(history), "label": _("Weeks of History"), "datatype": "Int", "indicator": "gray"},
	]
