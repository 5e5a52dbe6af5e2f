# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import add_days, cint, date_diff

from oms_omnichannel.analytics.stock import VALUATION_RATES, Conditions, period, summed
from oms_omnichannel.core import forecast as fc

# group by -> (SQL key, label column); the key is chosen from this map, never from user text
GROUPS = {
	"Item": ("m.`item`", "MAX(m.`item_name`)"),
	"Category": ("IFNULL(m.`category`, '')", "NULL"),
	"Location": ("m.`location`", "NULL"),
}
DEFAULT_SLOW_AFTER_DAYS = 90


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	group_by = filters.get("group_by") or "Item"
	if group_by not in GROUPS:
		frappe.throw(_("Group By must be one of {0}").format(", ".join(GROUPS)), title=_("Invalid Filter"))
	data = get_data(filters, group_by)
	return columns(group_by), data, None, chart(data), summary(data)


def get_data(filters: frappe._dict, group_by: str) -> list[dict]:
	"""Per group: opening and closing stock value, what left Available by shipment or issue in the
	period (cost of goods shipped) and whether anything moved at all; turnover, days of inventory
	and flags per row from core.

	Only the ledger rows posted since the period began are read, never the whole history: an item
	x location's stock now is its balance rows' actual quantity (invariant 1: the sum of its
	ledger), so its stock when the period began is that less everything posted since, and at the
	period's end that plus what the period posted. An item x location without a ledger row by the
	period's end is left out (as the history read row by row would have left it)."""
	from_date, to_date = period(filters)
	period_days = date_diff(to_date, from_date) + 1
	slow_after = cint(filters.get("slow_after_days")) or DEFAULT_SLOW_AFTER_DAYS
	key, label = GROUPS[group_by]
	balances = (
		Conditions(filters)
		.equal("item", "b.`item`")
		.equal("category", "i.`category`")
		.locations("b.`location`")
	)
	moved = Conditions(filters).equal("item", "l.`item`").locations("l.`location`")
	# Every item x location with its balances, the movements since the period began (one read of
	# the ledger by date), each item's valuation rate once (VALUATION_RATES), the values per group.
	# A rate is one per item, so rate x summed quantity is exactly the sum of rate x quantity.
	# safe-sql: key and label are constant columns from GROUPS (group_by checked); Conditions hold constant clauses and parameters; VALUATION_RATES is a constant
	rows = frappe.db.sql(
		f"""SELECT {key} AS group_key, {label} AS group_label,
			SUM(m.`opening_qty` * m.`rate`) AS opening_value,
			SUM(m.`closing_qty` * m.`rate`) AS closing_value,
			SUM(m.`closing_qty`) AS closing_qty,
			SUM(m.`shipped_qty`) AS shipped_qty,
			SUM(m.`shipped_qty` * m.`rate`) AS cost_of_goods_shipped,
			SUM(m.`movements`) AS movements
		FROM (
			SELECT q.*, IFNULL(v.`rate`, 0) AS rate
			FROM (
				SELECT b.`item`, b.`location`, MAX(i.`item_name`) AS item_name, MAX(i.`category`) AS category,
					SUM(b.`actual_qty`) - IFNULL(MAX(p.`since_qty`), 0) AS opening_qty,
					SUM(b.`actual_qty`) - IFNULL(MAX(p.`since_qty`), 0) + IFNULL(MAX(p.`period_qty`), 0)
						AS closing_qty,
					IFNULL(MAX(p.`shipped_qty`), 0) AS shipped_qty,
					IFNULL(MAX(p.`movements`), 0) AS movements
				FROM `tabOMS Stock Balance` b
				JOIN `tabOMS Item` i ON i.`name` = b.`item`
				LEFT JOIN (
					SELECT l.`item`, l.`location`,
						SUM(l.`qty_change`) AS since_qty,
						SUM(CASE WHEN l.`posting_datetime` < %(until)s THEN l.`qty_change` ELSE 0 END)
							AS period_qty,
						SUM(CASE WHEN l.`posting_datetime` < %(until)s AND l.`stock_status` = 'Available'
							AND (l.`voucher_type` = 'OMS Shipment' OR se.`entry_type` = 'Issue')
							THEN -l.`qty_change` ELSE 0 END) AS shipped_qty,
						SUM(CASE WHEN l.`posting_datetime` < %(until)s THEN 1 ELSE 0 END) AS movements
					FROM `tabOMS Stock Ledger Entry` l
					LEFT JOIN `tabOMS Stock Entry` se
						ON l.`voucher_type` = 'OMS Stock Entry' AND se.`name` = l.`voucher_no`
					WHERE l.`posting_datetime` >= %(since)s {moved.sql()}
					GROUP BY l.`item`, l.`location`
				) p ON p.`item` = b.`item` AND p.`location` = b.`location`
				WHERE 1 = 1 {balances.sql()}
				GROUP BY b.`item`, b.`location`
				HAVING MAX(EXISTS (
					SELECT 1 FROM `tabOMS Stock Ledger Entry` x
					WHERE x.`item` = b.`item` AND x.`location` = b.`location`
						AND x.`stock_status` = b.`stock_status` AND x.`posting_datetime` < %(until)s
				))
			) q
			LEFT JOIN {VALUATION_RATES} v ON v.`item` = q.`item`
		) m
		GROUP BY group_key
		ORDER BY group_key""",
		{**balances.params, **moved.params, "since": from_date, "until": add_days(to_date, 1)},
		as_dict=True,
	)
	for row in rows:
		row.average_inventory_value = fc.average_inventory(
			float(row.opening_value or 0), float(row.closing_value or 0)
		)
		turnover = fc.inventory_turnover(float(row.cost_of_goods_shipped or 0), row.average_inventory_value)
		row.turnover = round(turnover, 2) if turnover is not None else None
		days = fc.days_of_inventory(period_days, turnover)
		row.days_of_inventory = round(days, 1) if days is not None else None
		row.flag = fc.movement_flag(
			moved=bool(row.movements),
			on_hand=float(row.closing_qty or 0),
			days_inventory=days,
			slow_after_days=slow_after,
		)
	if filters.get("flagged_only"):
		rows = [row for row in rows if row.flag]
	return rows


def columns(group_by: str) -> list[dict]:
	key_column = {
		"Item": {"fieldtype": "Link", "options": "OMS Item", "label": _("Item")},
		"Category": {"fieldtype": "Link", "options": "OMS Item Category", "label": _("Category")},
		"Location": {"fieldtype": "Link", "options": "Stock Location", "label": _("Location")},
	}[group_by]
	columns = [{"fieldname": "group_key", "width": 150, **key_column}]
	if group_by == "Item":
		columns.append(
			{"fieldname": "group_label", "label": _("Item Name"), "fieldtype": "Data", "width": 150}
		)
	no_total = {"disable_total": True}
	return [
		*columns,
		{"fieldname": "opening_value", "label": _("Opening Value"), "fieldtype": "Currency", "width": 120},
		{"fieldname": "closing_value", "label": _("Closing Value"), "fieldtype": "Currency", "width": 120},
		{
			"fieldname": "average_inventory_value",
			"label": _("Average Inventory"),
			"fieldtype": "Currency",
			"width": 130,
		},
		{"fieldname": "shipped_qty", "label": _("Shipped Qty"), "fieldtype": "Float", "width": 100},
		{
			"fieldname": "cost_of_goods_shipped",
			"label": _("Cost of Goods Shipped"),
			"fieldtype": "Currency",
			"width": 140,
		},
		{
			"fieldname": "turnover",
			"label": _("Turnover"),
			"fieldtype": "Float",
			"precision": 2,
			"width": 90,
			**no_total,
		},
		{
			"fieldname": "days_of_inventory",
			"label": _("Days of Inventory"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 110,
			**no_total,
		},
		{"fieldname": "movements", "label": _("Movements"), "fieldtype": "Int", "width": 90},
		{"fieldname": "flag", "label": _("Flag"), "fieldtype": "Data", "width": 100},
	]


def chart(data: list[dict]) -> dict | None:
	"""Cost of goods shipped against average inventory for the 20 biggest groups by shipments."""
	top = sorted(data, key=lambda row: -float(row.cost_of_goods_shipped or 0))[:20]
	if not top:
		return None
	return {
		"data": {
			"labels": [row.group_key for row in top],
			"datasets": [
				{
					"name": _("Cost of Goods Shipped"),
					"values": [float(r.cost_of_goods_shipped or 0) for r in top],
				},
				{
					"name": _("Average Inventory"),
					"values": [float(r.average_inventory_value or 0) for r in top],
				},
			],
		},
		"type": "bar",
		"colors": ["#2563eb", "#94a3b8"],
		"fieldtype": "Currency",
	}


def summary(data: list[dict]) -> list[dict]:
	cost = summed(data, "cost_of_goods_shipped")
	average = summed(data, "average_inventory_value")
	turnover = fc.inventory_turnover(cost, average)
	return [
		{"value": cost, "label": _("Cost of Goods Shipped"), "datatype": "Currency", "indicator": "blue"},
		{"value": average, "label": _("Average Inventory"), "datatype": "Currency", "indicator": "gray"},
		{
			"value": round(turnover, 2) if turnover is not None else None,
			"label": _("Turnover"),
			"datatype": "Float",
			"indicator": "green",
		},
		{
			"value": sum(1 for row in data if row.flag == fc.SLOW_MOVER),
			"label": _("Slow Movers"),
			"datatype": "Int",
			"indicator": "orange",
		},
		{
			"value": sum(1 for row in data if row.flag == fc.DEAD_STOCK),
			"label": _("Dead Stock"),
			"datatype": "Int",
			"indicator": "red",
		},
	]
