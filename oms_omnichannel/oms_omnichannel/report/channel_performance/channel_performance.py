# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _

from oms_omnichannel.analytics.report_scope import by_currency, money_summary, report_channels, report_period
from oms_omnichannel.channels.stats import channel_stats, channel_totals
from oms_omnichannel.core.analytics import OrderTotals, change_percent, stats_from_totals

MONEY = ("revenue", "previous_revenue")


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	from_date, to_date, previous_from, previous_to = report_period(filters)
	channels = report_channels(filters.sales_channel)
	current = channel_totals(from_date, to_date, channels)
	previous = channel_stats(previous_from, previous_to, channels)
	types = dict(frappe.get_all("Sales Channel", fields=["name", "channel_type"], as_list=True))
	data = []
	for key in sorted(set(current) | set(previous), key=lambda k: (k[1] or "", k[0] or "")):
		channel, currency = key
		now = stats_from_totals(current.get(key) or OrderTotals(0, 0, 0))
		before = previous.get(key)
		data.append(
			{
				"sales_channel": channel,
				"channel_type": types.get(channel),
				"currency": currency,
				"orders": now.orders,
				"cancelled": current[key].cancelled if key in current else 0,
				"revenue": float(now.revenue),
				"average_order_value": float(now.average_order_value),
				"cancellation_rate": now.cancellation_rate,
				"return_rate": now.return_rate,
				"average_rating": now.average_rating,
				"fulfilment_hours": now.fulfilment_hours,
				"previous_orders": before.orders if before else 0,
				"previous_revenue": float(before.revenue) if before else 0,
				"revenue_change": change_percent(now.revenue, before.revenue if before else 0),
			}
		)
	totals = by_currency(data, MONEY, ("orders", "cancelled", "previous_orders"))
	return columns(), data + total_rows(totals), None, chart(data), summary(data, totals)


def total_rows(totals: dict[str, dict]) -> list[dict]:
	"""One total per currency (the report's automatic total row would add currencies together)."""
	rows = []
	for currency, values in totals.items():
		kept = values["orders"] - values["cancelled"]
		stats = stats_from_totals(OrderTotals(values["orders"], values["cancelled"], values["revenue"]))
		rows.append(
			{
				"sales_channel": _("Total {0}").format(currency),
				"currency": currency,
				"orders": values["orders"],
				"revenue": float(stats.revenue),
				"average_order_value": float(stats.average_order_value) if kept else 0,
				"cancellation_rate": stats.cancellation_rate,
				"previous_orders": values["previous_orders"],
				"previous_revenue": values["previous_revenue"],
				"revenue_change": change_percent(values["revenue"], values["previous_revenue"]),
				"is_total_row": 1,
				"bold": 1,
			}
		)
	return rows


def columns():
	return [
		{
			"fieldname": "sales_channel",
			"label": _("Sales Channel"),
			"fieldtype": "Link",
			"options": "Sales Channel",
			"width": 180,
		},
		{"fieldname": "channel_type", "label": _("Type"), "fieldtype": "Data", "width": 120},
		{
			"fieldname": "currency",
			"label": _("Currency"),
			"fieldtype": "Link",
			"options": "Currency",
			"width": 80,
		},
		{"fieldname": "orders", "label": _("Orders"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "revenue",
			"options": "currency",
			"label": _("Revenue"),
			"fieldtype": "Currency",
			"width": 120,
		},
		{
			"fieldname": "average_order_value",
			"label": _("Avg Order Value"),
			"fieldtype": "Currency",
			"options": "currency",
			"width": 120,
		},
		{"fieldname": "cancellation_rate", "label": _("Cancelled %"), "fieldtype": "Percent", "width": 100},
		{"fieldname": "return_rate", "label": _("Returned %"), "fieldtype": "Percent", "width": 100},
		{
			"fieldname": "average_rating",
			"label": _("Avg Rating"),
			"fieldtype": "Float",
			"precision": 2,
			"width": 90,
		},
		{
			"fieldname": "fulfilment_hours",
			"label": _("Order to Ship (h)"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 110,
		},
		{
			"fieldname": "previous_orders",
			"label": _("Orders (previous period)"),
			"fieldtype": "Int",
			"width": 110,
		},
		{
			"fieldname": "previous_revenue",
			"label": _("Revenue (previous period)"),
			"fieldtype": "Currency",
			"options": "currency",
			"width": 130,
		},
		{"fieldname": "revenue_change", "label": _("Revenue Change %"), "fieldtype": "Percent", "width": 110},
	]


def chart(data):
	"""Orders per channel, this period and the one before (a count, comparable across currencies)."""
	if not data:
		return None
	return {
		"data": {
			"labels": [f"{row['sales_channel']} ({row['currency']})" for row in data],
			"datasets": [
				{"name": _("Orders"), "values": [row["orders"] for row in data]},
				{"name": _("Orders (previous period)"), "values": [row["previous_orders"] for row in data]},
			],
		},
		"type": "bar",
		"colors": ["#2563eb", "#94a3b8"],
	}


def summary(data, totals):
	return [
		{
			"value": sum(row["orders"] for row in data),
			"label": _("Orders"),
			"datatype": "Int",
			"indicator": "blue",
		},
		*money_summary(_("Revenue"), totals, "revenue"),
		{
			"value": len({row["sales_channel"] for row in data if row["orders"]}),
			"label": _("Channels with Orders"),
			"datatype": "Int",
			"indicator": "gray",
		},
	]
