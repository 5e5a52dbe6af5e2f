# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _

from oms_omnichannel.analytics.stock import (
	VALUATION_RATES,
	Conditions,
	bar_chart_by_location,
	item_location_columns,
	summed,
)

IN_TRANSIT = "In Transit"


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	data = get_data(filters)
	return columns(), data, None, chart(data), summary(data)


def get_data(filters: frappe._dict) -> list[dict]:
	conditions = (
		Conditions(filters)
		.equal("item", "b.`item`")
		.equal("category", "i.`category`")
		.equal("stock_status", "b.`stock_status`")
		.locations("b.`location`")
	)
	if not filters.get("show_zero"):
		conditions.add("(b.`actual_qty` != 0 OR b.`reserved_qty` != 0 OR b.`incoming_qty` != 0)")
	# the balances, with every item's valuation rate (the ledger's rated rows, read once)
	# safe-sql: the valuation rates and Conditions are constant clauses with %(name)s placeholders; values are parameters
	return frappe.db.sql(
		f"""SELECT t.*, t.`actual_qty` * t.`valuation_rate` AS stock_value FROM (
			SELECT b.`item`, i.`item_name`, i.`category`, b.`location`, b.`stock_status`,
				b.`actual_qty`, b.`reserved_qty`, b.`available_qty`,
				CASE WHEN b.`stock_status` = %(in_transit)s THEN b.`actual_qty` ELSE 0 END AS in_transit_qty,
				b.`incoming_qty`,
				IFNULL(v.`rate`, 0) AS valuation_rate
			FROM `tabOMS Stock Balance` b
			JOIN `tabOMS Item` i ON i.`name` = b.`item`
			LEFT JOIN {VALUATION_RATES} v ON v.`item` = b.`item`
			WHERE 1 = 1 {conditions.sql()}
		) t
		ORDER BY t.`item`, t.`location`, t.`stock_status`""",
		{**conditions.params, "in_transit": IN_TRANSIT},
		as_dict=True,
	)


def columns() -> list[dict]:
	return [
		*item_location_columns(),
		{"fieldname": "stock_status", "label": _("Status"), "fieldtype": "Data", "width": 100},
		{"fieldname": "actual_qty", "label": _("Actual"), "fieldtype": "Float", "width": 100},
		{"fieldname": "reserved_qty", "label": _("Reserved"), "fieldtype": "Float", "width": 100},
		{"fieldname": "available_qty", "label": _("Available"), "fieldtype": "Float", "width": 100},
		{"fieldname": "in_transit_qty", "label": _("In Transit"), "fieldtype": "Float", "width": 100},
		{"fieldname": "incoming_qty", "label": _("Incoming"), "fieldtype": "Float", "width": 100},
		{
			"fieldname": "valuation_rate",
			"label": _("Valuation Rate"),
			"fieldtype": "Currency",
			"width": 110,
			"disable_total": True,
		},
		{"fieldname": "stock_value", "label": _("Value"), "fieldtype": "Currency", "width": 120},
	]


def chart(data: list[dict]) -> dict | None:
	"""Available quantity by location (of the rows shown)."""
	return bar_chart_by_location(
		data, lambda row: float(row.available_qty or 0), _("Available"), "#2563eb", "Float"
	)


def summary(data: list[dict]) -> list[dict]:
	return [
		{"value": summed(data, "actual_qty"), "label": _("Actual"), "datatype": "Float", "indicator": "blue"},
		{
			"value": summed(data, "reserved_qty"),
			"label": _("Reserved"),
			"datatype": "Float",
			"indicator": "orange",
		},
		{
			"value": summed(data, "available_qty"),
			"label": _("Available"),
			"datatype": "Float",
			"indicator": "green",
		},
		{
			"value": summed(data, "in_transit_qty"),
			"label": _("In Transit"),
			"datatype": "Float",
			"indicator": "gray",
		},
		{
			"value": summed(data, "stock_value"),
			"label": _("Stock Value"),
			"datatype": "Currency",
			"indicator": "blue",
		},
	]
