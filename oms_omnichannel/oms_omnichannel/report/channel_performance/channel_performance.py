# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import add_days, date_diff, getdate, today

from oms_omnichannel.channels.stats import order_rows
from oms_omnichannel.core.analytics import by_channel, change_percent
from oms_omnichannel.permissions import report_channels


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	to_date = getdate(filters.to_date or today())
	from_date = getdate(filters.from_date or add_days(to_date, -29))
	if from_date > to_date:
		frappe.throw(_("From Date must be on or before To Date"), title=_("Invalid Period"))
	days = date_diff(to_date, from_date) + 1
	channels = report_channels([filters.sales_channel] if filters.sales_channel else None)
	current = by_channel(order_rows(from_date, to_date, channels))
	previous = by_channel(order_rows(add_days(from_date, -days), add_days(from_date, -1), channels))
	channel_info = {
		c.name: c for c in frappe.get_all("Sales Channel", fields=["name", "channel_type", "currency"])
	}
	data = []
	for channel in sorted(set(current) | set(previous)):
		now, before = current.get(channel), previous.get(channel)
		data.append(
			{
				"sales_channel": channel,
				"channel_type": channel_info[channel].channel_type if channel in channel_info else None,
				"currency": channel_info[channel].currency if channel in channel_info else None,
				"orders": now.orders if now else 0,
				"revenue": float(now.revenue) if now else 0,
				"average_order_value": float(now.average_order_value) if now else 0,
				"cancellation_rate": now.cancellation_rate if now else 0,
				"return_rate": now.return_rate if now else 0,
				"average_rating": now.average_rating if now else None,
				"previous_orders": before.orders if before else 0,
				"previous_revenue": float(before.revenue) if before else 0,
				"revenue_change": change_percent(now.revenue if now else 0, before.revenue if before else 0),
			}
		)
	return columns(), data, None, chart(data), summary(data)


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
	if not data:
		return None
	return {
		"data": {
			"labels": [row["sales_channel"] for row in data],
			"datasets": [
				{"name": _("Revenue"), "values": [row["revenue"] for row in data]},
				{"name": _("Revenue (previous period)"), "values": [row["previous_revenue"] for row in data]},
			],
		},
		"type": "bar",
		"colors": ["#2563eb", "#94a3b8"],
		"fieldtype": "Currency",
	}


def summary(data):
	orders = sum(row["orders"] for row in data)
	revenue = sum(row["revenue"] for row in data)
	return [
		{"value": orders, "label": _("Orders"), "datatype": "Int", "indicator": "blue"},
		{"value": revenue, "label": _("Revenue"), "datatype": "Currency", "indicator": "green"},
		{"value": len(data), "label": _("Channels with Orders"), "datatype": "Int", "indicator": "gray"},
	]
