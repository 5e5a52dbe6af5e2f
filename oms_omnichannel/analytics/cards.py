"""Number Cards that a standard Document Type card cannot express."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import fmt_money, today

from oms_omnichannel.analytics.report_scope import (
	channel_condition,
	end_of,
	permitted_channels,
	permitted_locations,
)
from oms_omnichannel.utils import check_arguments


@frappe.whitelist()
@check_arguments
@frappe.read_only()
def revenue_today(filters: str | dict | None = None) -> str:
	"""Today's revenue in the reporting currency (OMS Settings), of the channels the user may see.
	Orders in other currencies are not converted (no exchange rates are kept): they are left out."""
	frappe.has_permission("OMS Order", "read", throw=True)
	currency = frappe.db.get_single_value("OMS Settings", "default_currency")
	if not currency:
		return _("Set a Default Currency in OMS Settings")
	return fmt_money(revenue_on(today(), currency, permitted_channels()), currency=currency)


def revenue_on(day, currency: str, channels: list[str] | None) -> float:
	if channels == []:
		return 0.0
	params = {"from": day, "to": end_of(day), "currency": currency, "out": ("Cancelled", "Merged")}
	# safe-sql: channel_condition adds ' and <column> in %(channels)s' with a constant column; the channels are a parameter
	return float(
		frappe.db.sql(
			f"""select ifnull(sum(o.grand_total), 0) from `tabOMS Order` o
			where o.docstatus = 1 and o.status not in %(out)s and o.currency = %(currency)s
				and o.order_datetime >= %(from)s and o.order_datetime < %(to)s
				{channel_condition("o.sales_channel", channels, params)}""",
			params,
		)[0][0]
	)


@frappe.whitelist()
@check_arguments
@frappe.read_only()
def low_stock(filters: str | dict | None = None) -> int:
	"""Item and location pairs whose available stock is at or below their reorder level (where one is
	set), at the locations the user may see: what the Low Stock and Reorder report lists."""
	frappe.has_permission("OMS Stock Balance", "read", throw=True)
	return low_stock_count(permitted_locations())


def low_stock_count(locations: list[str] | None) -> int:
	if locations == []:
		return 0
	params: dict = {"status": "Available"}
	return int(
		# safe-sql: channel_condition is a constant clause whose locations are parameters
		frappe.db.sql(
			f"""select count(*) from `tabOMS Stock Balance` b
			where b.stock_status = %(status)s and b.reorder_level > 0
				and b.available_qty <= b.reorder_level
				{channel_condition("b.location", locations, params, key="locations")}""",
			params,
		)[0][0]
	)
