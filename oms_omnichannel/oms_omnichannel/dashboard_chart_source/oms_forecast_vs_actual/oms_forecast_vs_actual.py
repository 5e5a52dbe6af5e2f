# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt
"""Units ordered per week against the stored demand forecast (OMS Demand Forecast), of the channels
the user may see: the weeks behind show what customers ordered, the current week both (ordered so
far and forecast), the weeks ahead the forecast with its interval. Units, never money.

Not cached per chart (Frappe's `cache_source`): each user sees only the channels they may see."""

from __future__ import annotations

from datetime import date, timedelta

import frappe
from frappe.utils import getdate, today

from oms_omnichannel.analytics.report_scope import channel_condition, permitted_channels
from oms_omnichannel.core import forecast as fc
from oms_omnichannel.utils import check_arguments

WEEKS_BEHIND = 8
WEEKS_AHEAD = 8


@frappe.whitelist()
@check_arguments
@frappe.read_only()
def get(
	chart_name: str | None = None,
	chart: str | None = None,
	no_cache: int | None = None,
	filters: str | dict | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: str | None = None,
	refresh: int | None = None,
) -> dict:
	frappe.has_permission("OMS Order", "read", throw=True)
	this_week = fc.week_start(getdate(today()))
	weeks = [this_week + timedelta(weeks=k) for k in range(-WEEKS_BEHIND, WEEKS_AHEAD)]
	channels = permitted_channels()
	actual = ordered_units(weeks[0], this_week + timedelta(weeks=1), channels)
	forecast = forecast_units(this_week, weeks[-1], channels)
	return {
		"labels": [week.strftime("%Y-%m-%d") for week in weeks],
		"datasets": [
			{
				"name": frappe._("Ordered"),
				"values": [actual.get(w, 0.0) if w <= this_week else 0.0 for w in weeks],
			},
			{"name": frappe._("Forecast"), "values": [forecast.get(w, (0.0, 0.0, 0.0))[0] for w in weeks]},
			{
				"name": frappe._("Forecast (upper 80%)"),
				"values": [forecast.get(w, (0.0, 0.0, 0.0))[2] for w in weeks],
			},
		],
	}


def ordered_units(since: date, until: date, channels: list[str] | None) -> dict[date, float]:
	"""{week start: units ordered} in [since, until): submitted orders less what was cancelled,
	merged orders left out (their lines live on in the order they went into), as the forecast counts."""
	if channels == []:
		return {}
	params = {"since": since, "until": until}
	# safe-sql: channel_condition is a constant clause whose channels are parameters
	rows = frappe.db.sql(
		f"""select date_sub(date(o.order_datetime), interval weekday(o.order_datetime) day) as week,
			sum(oi.qty - ifnull(oi.cancelled_qty, 0))
		from `tabOMS Order` o
		join `tabOMS Order Item` oi on oi.parent = o.name and oi.parenttype = 'OMS Order'
		where o.docstatus = 1 and o.status != 'Merged'
			and o.order_datetime >= %(since)s and o.order_datetime < %(until)s
			{channel_condition("o.sales_channel", channels, params)}
		group by week""",
		params,
	)
	return {getdate(week): float(qty or 0) for week, qty in rows}


def forecast_units(since: date, until: date, channels: list[str] | None) -> dict[date, tuple]:
	"""{week start: (forecast, lower, upper)} summed over items: the all-channel series for a user
	who sees every channel, else the series of their channels."""
	if channels == []:
		return {}
	params = {"since": since, "until": until}
	if channels is None:
		scope = " and (f.sales_channel is null or f.sales_channel = '')"
	else:
		scope = channel_condition("f.sales_channel", channels, params)
	# safe-sql: the scope is a constant clause; channels are parameters
	rows = frappe.db.sql(
		f"""select f.week_start, sum(f.forecast_qty), sum(f.`lower`), sum(f.`upper`)
		from `tabOMS Demand Forecast` f
		where f.week_start >= %(since)s and f.week_start <= %(until)s {scope}
		group by f.week_start""",
		params,
	)
	return {getdate(week): (float(q or 0), float(lo or 0), float(hi or 0)) for week, q, lo, hi in rows}
