# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt
"""Orders, units, gross, discounts, net (gross - discounts: merchandise sold, before tax and
shipping) and average order value per day, week or month, channel and currency, against the
period of the same length right before. Cancelled, draft and merged orders are not sales."""

import frappe
from frappe import _

from oms_omnichannel.analytics.charts import line_type
from oms_omnichannel.analytics.report_scope import (
	PERIOD_BUCKETS,
	by_currency,
	channel_condition,
	choice,
	end_of,
	money_summary,
	period_bucket,
	report_channels,
	report_period,
)
from oms_omnichannel.core.analytics import average_order_value, cents, change_percent

NOT_SALES = ("Draft", "Merged", "Cancelled")
MONEY = ("gross", "discounts", "net")


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	from_date, to_date, previous_from, previous_to = report_period(filters)
	period = choice(filters.period, PERIOD_BUCKETS, "Day")
	channels = report_channels(filters.sales_channel)
	per_channel = bool(int(filters.get("group_by_channel", 1) or 0))
	data = [with_figures(row) for row in volume(from_date, to_date, channels, period, per_channel)]
	previous = {
		row.currency: with_figures(row) for row in volume(previous_from, previous_to, channels, None, False)
	}
	totals = by_currency(data, MONEY, ("orders", "units"))
	rows = data + total_rows(totals, previous)
	return columns(per_channel), rows, None, chart(data), summary(totals, previous)


def volume(from_date, to_date, channels, period: str | None, per_channel: bool) -> list:
	"""One GROUP BY: per period bucket (or the whole range), channel (optional) and currency."""
	if channels == []:
		return []
	params = {"from": from_date, "to": end_of(to_date), "not_sales": NOT_SALES}
	keys = ["o.currency"]
	if per_channel:
		keys.insert(0, "o.sales_channel")
	if period:
		keys.insert(0, period_bucket(period, "o.order_datetime"))
	select_keys = ", ".join(
		[
			*([f"{keys[0]} as period"] if period else []),
			*(["o.sales_channel"] if per_channel else []),
			"o.currency",
		]
	)
	# safe-sql: keys are constant columns and a bucket expression from PERIOD_BUCKETS (chosen by choice()); values are parameters
	return frappe.db.sql(
		f"""select {select_keys}, count(*) as orders, sum(o.total_qty) as units,
			sum(o.merchandise_value) as gross, sum(o.discount_total) as discounts
		from `tabOMS Order` o
		where o.docstatus = 1 and o.status not in %(not_sales)s
			and o.order_datetime >= %(from)s and o.order_datetime < %(to)s
			{channel_condition("o.sales_channel", channels, params)}
		group by {", ".join(keys)}
		order by {", ".join(keys)}""",
		params,
		as_dict=True,
	)


def with_figures(row) -> dict:
	gross, discounts = cents(row.gross), cents(row.discounts)
	return {
		**row,
		"orders": int(row.orders),
		"units": float(row.units or 0),
		"gross": float(gross),
		"discounts": float(discounts),
		"net": float(gross - discounts),
		"average_order_value": float(average_order_value(gross - discounts, int(row.orders))),
	}


def total_rows(totals: dict[str, dict], previous: dict[str, dict]) -> list[dict]:
	"""One total row per currency, against the previous period in that currency."""
	rows = []
	for currency in sorted(set(totals) | set(previous)):
		now = totals.get(currency) or dict.fromkeys((*MONEY, "orders", "units"), 0)
		before = previous.get(currency) or {}
		rows.append(
			{
				"period": _("Total {0}").format(currency),
				"currency": currency,
				"orders": now["orders"],
				"units": now["units"],
				"gross": float(cents(now["gross"])),
				"discounts": float(cents(now["discounts"])),
				"net": float(cents(now["net"])),
				"average_order_value": float(average_order_value(now["net"], now["orders"])),
				"previous_orders": before.get("orders", 0),
				"previous_net": before.get("net", 0),
				"net_change": change_percent(now["net"], before.get("net", 0)),
				"is_total_row": 1,
				"bold": 1,
			}
		)
	return rows


def columns(per_channel: bool):
	money = {"fieldtype": "Currency", "options": "currency", "width": 120}
	return [
		{"fieldname": "period", "label": _("Period"), "fieldtype": "Data", "width": 110},
		*(
			[
				{
					"fieldname": "sales_channel",
					"label": _("Sales Channel"),
					"fieldtype": "Link",
					"options": "Sales Channel",
					"width": 160,
				}
			]
			if per_channel
			else []
		),
		{
			"fieldname": "currency",
			"label": _("Currency"),
			"fieldtype": "Link",
			"options": "Currency",
			"width": 80,
		},
		{"fieldname": "orders", "label": _("Orders"), "fieldtype": "Int", "width": 80},
		{"fieldname": "units", "label": _("Units"), "fieldtype": "Float", "precision": 0, "width": 80},
		{"fieldname": "gross", "label": _("Gross"), **money},
		{"fieldname": "discounts", "label": _("Discounts"), **money},
		{"fieldname": "net", "label": _("Net"), **money},
		{"fieldname": "average_order_value", "label": _("Avg Order Value (net)"), **money},
		{
			"fieldname": "previous_orders",
			"label": _("Orders (previous period)"),
			"fieldtype": "Int",
			"width": 110,
		},
		{"fieldname": "previous_net", "label": _("Net (previous period)"), **money},
		{"fieldname": "net_change", "label": _("Net Change %"), "fieldtype": "Percent", "width": 100},
	]


def chart(data):
	"""Orders per period (bars) and net per period, one line per currency."""
	if not data:
		return None
	labels = sorted({str(row["period"]) for row in data})
	orders = dict.fromkeys(labels, 0)
	net: dict[str, dict] = {}
	for row in data:
		orders[str(row["period"])] += row["orders"]
		by_period = net.setdefault(row["currency"], dict.fromkeys(labels, 0))
		by_period[str(row["period"])] += row["net"]
	return {
		"data": {
			"labels": labels,
			"datasets": [
				{"name": _("Orders"), "chartType": "bar", "values": list(orders.values())},
				*(
					{
						"name": _("Net ({0})").format(currency),
						"chartType": line_type(labels),
						"values": list(values.values()),
					}
					for currency, values in sorted(net.items())
				),
			],
		},
		"type": "axis-mixed",
	}


def summary(totals, previous):
	return [
		{
			"value": sum(values["orders"] for values in totals.values()),
			"label": _("Orders"),
			"datatype": "Int",
			"indicator": "blue",
		},
		*money_summary(_("Net"), totals, "net"),
		*money_summary(_("Net, previous period"), previous, "net", indicator="gray"),
	]
