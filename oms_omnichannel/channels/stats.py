"""Per-channel sales figures read from orders (replica-safe reads only)."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, getdate, today

from oms_omnichannel.core.analytics import OrderRow, by_channel, change_percent


def order_rows(from_date, to_date, channels: list[str] | None = None) -> list[OrderRow]:
	Order = frappe.qb.DocType("OMS Order")
	Item = frappe.qb.DocType("OMS Order Item")
	query = (
		frappe.qb.from_(Order)
		.select(Order.name, Order.sales_channel, Order.status, Order.grand_total)
		.where(
			(Order.docstatus > 0)
			& (Order.order_datetime >= getdate(from_date))
			& (Order.order_datetime < add_days(getdate(to_date), 1))
		)
	)
	if channels:
		query = query.where(Order.sales_channel.isin(channels))
	orders = query.run(as_dict=True)
	if not orders:
		return []
	returned = set(
		frappe.qb.from_(Item)
		.select(Item.parent)
		.distinct()
		.where(Item.parent.isin([o.name for o in orders]) & (Item.returned_qty > 0))
		.run(pluck=True)
	)
	ratings = feedback_ratings([o.name for o in orders])
	return [
		OrderRow(o.sales_channel, o.status, o.grand_total or 0, o.name in returned, ratings.get(o.name))
		for o in orders
	]


def feedback_ratings(orders: list[str]) -> dict[str, float]:
	"""Ratings from Customer Feedback, once the Customers module provides it."""
	if not frappe.db.exists("DocType", "Customer Feedback"):
		return {}
	rows = frappe.get_all(
		"Customer Feedback",
		filters={"order": ("in", orders)},
		fields=["order", "rating"],
		ignore_permissions=True,
	)
	return {row.order: row.rating for row in rows if row.rating is not None}


def period_comparison(channels: list[str] | None = None, days: int = 30) -> dict[str, dict]:
	"""Last `days` days against the `days` before them, per channel."""
	end = getdate(today())
	start = add_days(end, -days + 1)
	previous_start, previous_end = add_days(start, -days), add_days(start, -1)
	current = by_channel(order_rows(start, end, channels))
	previous = by_channel(order_rows(previous_start, previous_end, channels))
	result = {}
	for channel in sorted(set(current) | set(previous) | set(channels or [])):
		now = current.get(channel)
		before = previous.get(channel)
		now_dict = now.as_dict() if now else None
		before_dict = before.as_dict() if before else None
		result[channel] = {
			"current": now_dict,
			"previous": before_dict,
			"orders_change": change_percent(now.orders if now else 0, before.orders if before else 0),
			"revenue_change": change_percent(now.revenue if now else 0, before.revenue if before else 0),
			"period": {
				"from": str(start),
				"to": str(end),
				"previous_from": str(previous_start),
				"previous_to": str(previous_end),
			},
		}
	return result


@frappe.whitelist()
def get_channel_stats(sales_channel: str, days: int = 30) -> dict:
	"""Dashboard of the Sales Channel form: this period against the one before."""
	frappe.has_permission("Sales Channel", "read", doc=sales_channel, throw=True)
	frappe.has_permission("OMS Order", "read", throw=True)
	frappe.read_only()
	return period_comparison([sales_channel], int(days)).get(sales_channel, {})
