# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import getdate, today

from oms_omnichannel.analytics.forecasting import ALL_CHANNELS
from oms_omnichannel.analytics.stock import Conditions, bar_chart_by_location, item_location_columns, summed
from oms_omnichannel.core.forecast import days_of_cover, week_start
from oms_omnichannel.core.stock import reorder_check

AVAILABLE = "Available"


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	data = get_data(filters)
	return columns(), data, None, chart(data), summary(data)


def get_data(filters: frappe._dict) -> list[dict]:
	"""Available balances with their levels (the location's, else the item's), this week's stored
	all-channel forecast and the open Reorder Suggestion, in one query; the reorder decision and
	days of cover per row from core."""
	conditions = (
		Conditions(filters)
		.equal("item", "b.`item`")
		.equal("category", "i.`category`")
		.locations("b.`location`")
	)
	# safe-sql: Conditions holds constant clauses with %(name)s placeholders; filter values are parameters
	rows = frappe.db.sql(
		f"""SELECT b.`item`, i.`item_name`, i.`category`, b.`location`, b.`available_qty`,
			COALESCE(NULLIF(b.`safety_stock`, 0), i.`safety_stock`, 0) AS safety_stock,
			COALESCE(NULLIF(b.`reorder_level`, 0), i.`reorder_level`, 0) AS reorder_level,
			COALESCE(NULLIF(b.`reorder_qty`, 0), i.`reorder_qty`, 0) AS reorder_qty,
			f.`forecast_qty` AS weekly_forecast,
			s.`name` AS reorder_suggestion
		FROM `tabOMS Stock Balance` b
		JOIN `tabOMS Item` i ON i.`name` = b.`item`
		LEFT JOIN `tabOMS Demand Forecast` f ON f.`item` = b.`item` AND f.`week_start` = %(this_week)s
			AND IFNULL(f.`sales_channel`, '') = %(all_channels)s
		LEFT JOIN (
			SELECT `item`, `location`, MAX(`name`) AS name FROM `tabReorder Suggestion`
			WHERE `status` = 'Open' GROUP BY `item`, `location`
		) s ON s.`item` = b.`item` AND s.`location` = b.`location`
		WHERE b.`stock_status` = %(available)s AND i.`disabled` = 0 AND i.`is_stock_item` = 1
			{conditions.sql()}
		ORDER BY b.`item`, b.`location`""",
		{
			**conditions.params,
			"available": AVAILABLE,
			"all_channels": ALL_CHANNELS,
			"this_week": week_start(getdate(today())),
		},
		as_dict=True,
	)
	data = []
	for row in rows:
		decision = reorder_check(
			available=float(row.available_qty or 0),
			safety_stock=float(row.safety_stock or 0),
			reorder_level=float(row.reorder_level or 0),
			reorder_qty=float(row.reorder_qty or 0),
			open_suggestion_exists=bool(row.reorder_suggestion),
		)
		row.below_safety_stock = int(float(row.available_qty or 0) < float(row.safety_stock or 0))
		if not (decision.breached or row.below_safety_stock or filters.get("show_all")):
			continue
		row.reorder_level = decision.reorder_level
		row.suggested_qty = decision.suggested_qty
		row.daily_demand = float(row.weekly_forecast or 0) / 7
		cover = days_of_cover(float(row.available_qty or 0), row.daily_demand)
		row.days_of_cover = round(cover, 1) if cover is not None else None
		data.append(row)
	return data


def columns() -> list[dict]:
	return [
		*item_location_columns(),
		{"fieldname": "available_qty", "label": _("Available"), "fieldtype": "Float", "width": 90},
		{
			"fieldname": "safety_stock",
			"label": _("Safety Stock"),
			"fieldtype": "Float",
			"width": 100,
			"disable_total": True,
		},
		{
			"fieldname": "reorder_level",
			"label": _("Reorder Level"),
			"fieldtype": "Float",
			"width": 100,
			"disable_total": True,
		},
		{
			"fieldname": "below_safety_stock",
			"label": _("Below Safety Stock"),
			"fieldtype": "Check",
			"width": 90,
		},
		{"fieldname": "suggested_qty", "label": _("Suggested Qty"), "fieldtype": "Float", "width": 100},
		{
			"fieldname": "weekly_forecast",
			"label": _("Forecast This Week"),
			"fieldtype": "Float",
			"width": 110,
		},
		{
			"fieldname": "days_of_cover",
			"label": _("Days of Cover"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 100,
			"disable_total": True,
		},
		{
			"fieldname": "reorder_suggestion",
			"label": _("Open Reorder Suggestion"),
			"fieldtype": "Link",
			"options": "Reorder Suggestion",
			"width": 150,
		},
	]


def chart(data: list[dict]) -> dict | None:
	"""Lines below their reorder level, by location."""
	return bar_chart_by_location(
		[row for row in data if row.suggested_qty], lambda row: 1, _("Items to Reorder"), "#dc2626", "Int"
	)


def summary(data: list[dict]) -> list[dict]:
	covered = [row.days_of_cover for row in data if row.days_of_cover is not None]
	return [
		{
			"value": sum(1 for row in data if row.suggested_qty),
			"label": _("To Reorder"),
			"datatype": "Int",
			"indicator": "red",
		},
		{
			"value": sum(row.below_safety_stock for row in data),
			"label": _("Below Safety Stock"),
			"datatype": "Int",
			"indicator": "orange",
		},
		{
			"value": summed(data, "suggested_qty"),
			"label": _("Suggested Qty"),
			"datatype": "Float",
			"indicator": "blue",
		},
		{
			"value": min(covered) if covered else None,
			"label": _("Shortest Cover (days)"),
			"datatype": "Float",
			"indicator": "gray",
		},
		{
			"value": sum(1 for row in data if row.reorder_suggestion),
			"label": _("Open Suggestions"),
			"datatype": "Int",
			"indicator": "gray",
		},
	]
