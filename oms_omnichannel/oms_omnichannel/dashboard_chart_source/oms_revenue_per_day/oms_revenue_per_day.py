# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt
"""Revenue per day, one line per currency: amounts in different currencies are never added.

Not cached per chart (Frappe's `cache_source`): each user sees only the channels they may see."""

import frappe
from frappe.utils import add_days, date_diff, getdate, today

from oms_omnichannel.analytics.report_scope import channel_condition, end_of, permitted_channels
from oms_omnichannel.utils import check_arguments

TIMESPAN_DAYS = {"Last Week": 7, "Last Month": 30, "Last Quarter": 91, "Last Year": 365}


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
	end = getdate(to_date or today())
	start = getdate(from_date) if from_date else add_days(end, -(TIMESPAN_DAYS.get(timespan, 30) - 1))
	start = max(start, add_days(end, -365))
	days = [add_days(start, offset) for offset in range(date_diff(end, start) + 1)]
	revenue = daily_revenue(start, end, permitted_channels())
	return {
		"labels": [day.strftime("%Y-%m-%d") for day in days],
		"datasets": [
			{"name": currency, "values": [float(by_day.get(day, 0)) for day in days]}
			for currency, by_day in sorted(revenue.items())
		],
	}


def daily_revenue(start, end, channels: list[str] | None) -> dict[str, dict]:
	"""{currency: {day: grand total of the orders kept}}."""
	if channels == []:
		return {}
	params = {"from": start, "to": end_of(end), "out": ("Cancelled", "Merged")}
	# safe-sql: channel_condition adds ' and <column> in %(channels)s' with a constant column; the channels are a parameter
	rows = frappe.db.sql(
		f"""select date(o.order_datetime), o.currency, sum(o.grand_total)
		from `tabOMS Order` o
		where o.docstatus = 1 and o.status not in %(out)s
			and o.order_datetime >= %(from)s and o.order_datetime < %(to)s
			{channel_condition("o.sales_channel", channels, params)}
		group by date(o.order_datetime), o.currency""",
		params,
	)
	result: dict[str, dict] = {}
	for day, currency, total in rows:
		result.setdefault(currency or "", {})[getdate(day)] = total
	return result
