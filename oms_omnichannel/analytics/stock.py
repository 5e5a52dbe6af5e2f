"""Shared pieces of the stock reports: filter conditions (values only ever as parameters), the
locations a user may see, and item valuation rates."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_days, getdate, today

from oms_omnichannel.analytics import report_scope

STATUSES = ("Available", "Damaged", "Quarantine", "In Transit")

# Valuation: the weighted average cost of what was received (ledger rows in, with a rate, not
# cancellations). Shipments post their issues without a rate, so this is the rate that values
# stock on hand and cost of goods shipped alike. A correlated subquery on the outer query's item,
# computed once per item (MariaDB's subquery cache), from the ledger's valuation index alone
# (item, valuation_rate, qty_change, is_cancellation; OMS Stock Ledger Entry's on_doctype_update).
# The index is forced: left to itself the optimiser reads the item's rows through the (item,
# location, ...) index and the table, 38 s instead of 0.3 s for one location at 500,000 orders.
# (A derived table of every item's rate, joined on item, was re-read per row just as slowly.)
VALUATION_INDEX = "item_valuation_rate_qty_change_is_cancellation_index"
VALUATION_COLUMNS = ("item", "valuation_rate", "qty_change", "is_cancellation")
# safe-sql: the index name is a constant above; {item} is a column of the outer query (valuation_rate_sql)
VALUATION_RATE = f"""(
	SELECT SUM(r.`qty_change` * r.`valuation_rate`) / SUM(r.`qty_change`)
	FROM `tabOMS Stock Ledger Entry` r FORCE INDEX (`{VALUATION_INDEX}`)
	WHERE r.`item` = {{item}} AND r.`valuation_rate` > 0 AND r.`qty_change` > 0 AND r.`is_cancellation` = 0
)"""


# Every item's rate at once, for a report of many items: a derived table to join on `item`, read
# from an index that starts with the rate, so only rated rows (receipts) are read, however long
# the ledger: the correlated subquery above reads every ledger row of each item shown (0.75 s for
# one location at 1,000,000 orders). The index is forced, which also keeps MariaDB from splitting
# the derived table into a per-item lookup on the (item, ...) indexes.
RATED_INDEX = "valuation_rate_item_qty_change_is_cancellation_index"
RATED_COLUMNS = ("valuation_rate", "item", "qty_change", "is_cancellation")
# safe-sql: the index name is a constant above
VALUATION_RATES = f"""(
	SELECT r.`item`, SUM(r.`qty_change` * r.`valuation_rate`) / SUM(r.`qty_change`) AS rate
	FROM `tabOMS Stock Ledger Entry` r FORCE INDEX (`{RATED_INDEX}`)
	WHERE r.`valuation_rate` > 0 AND r.`qty_change` > 0 AND r.`is_cancellation` = 0
	GROUP BY r.`item`
)"""


def valuation_rate_sql(item_column: str) -> str:
	"""The valuation rate of the item in `item_column` (a column of the outer query, not user text)."""
	return VALUATION_RATE.format(item=item_column)


class Conditions:
	"""WHERE clauses with their parameters, built from report filters."""

	def __init__(self, filters: frappe._dict):
		self.filters = filters
		self.clauses: list[str] = []
		self.params: dict = {key: value for key, value in filters.items() if value not in (None, "")}

	def add(self, clause: str, **params) -> Conditions:
		self.clauses.append(clause)
		self.params.update(params)
		return self

	def equal(self, filter_name: str, column: str) -> Conditions:
		if self.filters.get(filter_name):
			self.clauses.append(f"{column} = %({filter_name})s")
		return self

	def locations(self, column: str) -> Conditions:
		"""The location filter, and the user's permitted locations when they are limited."""
		self.equal("location", column)
		permitted = permitted_locations()
		if permitted is not None:
			self.clauses.append(f"{column} IN %(permitted_locations)s")
			self.params["permitted_locations"] = tuple(permitted) or ("",)
		return self

	def sql(self, keyword: str = "AND") -> str:
		return "".join(f" {keyword} {clause}" for clause in self.clauses)


def permitted_locations(user: str | None = None) -> list[str] | None:
	"""Stock Locations the user's stock reports are limited to; None when not limited (the one
	rule: `report_scope.permitted_locations`)."""
	return report_scope.permitted_locations(user)


def period(filters: frappe._dict, default_days: int = 30):
	"""(from_date, to_date) of the filters, refusing a reversed period."""
	return report_scope.report_period(filters, default_days)[:2]


def summed(rows: list[dict], key: str) -> float:
	return sum(float(row.get(key) or 0) for row in rows)


def link_column(fieldname: str, label: str, doctype: str, width: int = 130) -> dict:
	return {"fieldname": fieldname, "label": label, "fieldtype": "Link", "options": doctype, "width": width}


def item_location_columns(category: bool = True) -> list[dict]:
	"""Item, its name (and category), location: the leading columns of the stock reports."""
	columns = [
		link_column("item", _("Item"), "OMS Item"),
		{"fieldname": "item_name", "label": _("Item Name"), "fieldtype": "Data", "width": 150},
	]
	if category:
		columns.append(link_column("category", _("Category"), "OMS Item Category", 110))
	return [*columns, link_column("location", _("Location"), "Stock Location")]


def bar_chart_by_location(data: list[dict], value, name: str, colour: str, fieldtype: str) -> dict | None:
	"""A bar per location of `value(row)` summed over the report's rows."""
	totals: dict[str, float] = {}
	for row in data:
		totals[row.location] = totals.get(row.location, 0) + value(row)
	if not totals:
		return None
	labels = sorted(totals)
	return {
		"data": {
			"labels": labels,
			"datasets": [{"name": name, "values": [totals[label] for label in labels]}],
		},
		"type": "bar",
		"colors": [colour],
		"fieldtype": fieldtype,
	}
