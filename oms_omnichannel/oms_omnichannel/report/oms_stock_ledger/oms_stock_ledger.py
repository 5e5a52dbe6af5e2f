# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import add_days

from oms_omnichannel.analytics.stock import Conditions, item_location_columns, period, summed


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	data = get_data(filters)
	return columns(), data, None, None, summary(data)


def get_data(filters: frappe._dict) -> list[dict]:
	"""Movements of the period, each with the balance after it for its item x location x status.
	The voucher type filter applies after the running sum, so it hides rows but never skews it.

	Only the rows posted since the period began are read, never the whole history: the balance
	after a row is the stored balance (invariant 1: the sum of its ledger) less what was posted
	after that row, i.e. the stored balance, less everything posted since the period began, plus
	the running sum (window functions) up to the row. Rows after the period count in those sums
	and are left out of what is shown. The ledger is read first (STRAIGHT_JOIN): starting from
	the items would read every item's history."""
	from_date, to_date = period(filters)
	since_key = key_conditions(filters, "l.")
	outer = Conditions(filters).equal("voucher_type", "t.`voucher_type`")
	params = {**since_key.params, "since": from_date, "until": add_days(to_date, 1)}
	# safe-sql: Conditions hold constant clauses with %(name)s placeholders; filter values are parameters
	return frappe.db.sql(
		f"""SELECT t.* FROM (
			SELECT l.`name`, l.`posting_datetime`, l.`item`, i.`item_name`, l.`location`, l.`stock_status`,
				l.`voucher_type`, l.`voucher_no`, l.`is_cancellation`,
				CASE WHEN l.`qty_change` > 0 THEN l.`qty_change` ELSE 0 END AS in_qty,
				CASE WHEN l.`qty_change` < 0 THEN -l.`qty_change` ELSE 0 END AS out_qty,
				IFNULL(b.`actual_qty`, 0)
					- SUM(l.`qty_change`) OVER (PARTITION BY l.`item`, l.`location`, l.`stock_status`)
					+ SUM(l.`qty_change`) OVER (
						PARTITION BY l.`item`, l.`location`, l.`stock_status`
						ORDER BY l.`posting_datetime`, l.`name`
						ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
					) AS balance_qty,
				l.`valuation_rate`, l.`remarks`
			FROM `tabOMS Stock Ledger Entry` l
			STRAIGHT_JOIN `tabOMS Item` i ON i.`name` = l.`item`
			LEFT JOIN `tabOMS Stock Balance` b ON b.`item` = l.`item` AND b.`location` = l.`location`
				AND b.`stock_status` = l.`stock_status`
			WHERE l.`posting_datetime` >= %(since)s {since_key.sql()}
		) t
		WHERE t.`posting_datetime` < %(until)s {outer.sql()}
		ORDER BY t.`posting_datetime`, t.`name`""",
		{**params, **outer.params},
		as_dict=True,
	)


def key_conditions(filters: frappe._dict, alias: str) -> Conditions:
	"""Filters on the running balance's key (item, location, status), on `alias` ledger rows."""
	return (
		Conditions(filters)
		.equal("item", f"{alias}`item`")
		.equal("stock_status", f"{alias}`stock_status`")
		.locations(f"{alias}`location`")
	)


def columns() -> list[dict]:
	return [
		{"fieldname": "posting_datetime", "label": _("Posted At"), "fieldtype": "Datetime", "width": 160},
		*item_location_columns(category=False),
		{"fieldname": "stock_status", "label": _("Status"), "fieldtype": "Data", "width": 90},
		{
			"fieldname": "in_qty",
			"label": _("In", context="stock movement"),
			"fieldtype": "Float",
			"width": 90,
		},
		{
			"fieldname": "out_qty",
			"label": _("Out", context="stock movement"),
			"fieldtype": "Float",
			"width": 90,
		},
		{
			"fieldname": "balance_qty",
			"label": _("Balance"),
			"fieldtype": "Float",
			"width": 100,
			"disable_total": True,
		},
		{
			"fieldname": "valuation_rate",
			"label": _("Valuation Rate"),
			"fieldtype": "Currency",
			"width": 110,
			"disable_total": True,
		},
		{
			"fieldname": "voucher_type",
			"label": _("Voucher Type"),
			"fieldtype": "Link",
			"options": "DocType",
			"width": 130,
		},
		{
			"fieldname": "voucher_no",
			"label": _("Voucher"),
			"fieldtype": "Dynamic Link",
			"options": "voucher_type",
			"width": 150,
		},
		{"fieldname": "is_cancellation", "label": _("Cancellation"), "fieldtype": "Check", "width": 90},
		{"fieldname": "remarks", "label": _("Remarks"), "fieldtype": "Data", "width": 180},
	]


def summary(data: list[dict]) -> list[dict]:
	received, issued = summed(data, "in_qty"), summed(data, "out_qty")
	return [
		{"value": len(data), "label": _("Movements"), "datatype": "Int", "indicator": "gray"},
		{
			"value": received,
			"label": _("In", context="stock movement"),
			"datatype": "Float",
			"indicator": "green",
		},
		{
			"value": issued,
			"label": _("Out", context="stock movement"),
			"datatype": "Float",
			"indicator": "red",
		},
		{"value": received - issued, "label": _("Net Change"), "datatype": "Float", "indicator": "blue"},
	]
