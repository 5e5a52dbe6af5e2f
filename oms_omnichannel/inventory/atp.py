"""Available to promise per item for a channel: what each location can sell, minus the channel's buffer."""

from __future__ import annotations

import frappe
from frappe.utils import flt

from oms_omnichannel.core import stock as stock_core
from oms_omnichannel.utils import get_settings


def channel_locations_and_buffer(sales_channel: str | None) -> tuple[list[str], stock_core.ChannelBuffer]:
	if not sales_channel:
		locations = frappe.get_all(
			"Stock Location",
			filters={"disabled": 0, "can_ship": 1},
			order_by="priority asc, name asc",
			pluck="name",
		)
		return locations, stock_core.ChannelBuffer()
	channel = frappe.get_cached_doc("Sales Channel", sales_channel)
	buffer = stock_core.ChannelBuffer(
		units=flt(channel.atp_buffer_qty),
		percent=100.0
		if channel.atp_allocation_percent in (None, "")
		else flt(channel.atp_allocation_percent),
	)
	locations = channel.get_fulfilment_locations()
	if channel.store_location and channel.store_location not in locations:
		locations = [channel.store_location, *locations]
	return locations, buffer


def get_atp(items: list[str], sales_channel: str | None = None) -> dict[str, dict]:
	"""{item: {"total": n, "locations": {location: n}}} for the channel's locations."""
	locations, buffer = channel_locations_and_buffer(sales_channel)
	result = {item: {"total": 0.0, "locations": {}} for item in items}
	if not items or not locations:
		return result
	balances = available_balances(items, locations)
	by_item: dict[str, dict[str, stock_core.Balance]] = {item: {} for item in items}
	for (item, location), balance in balances.items():
		by_item[item][location] = balance
	allow_backorders = bool(get_settings().allow_backorders)
	for item, per_location in by_item.items():
		answer = stock_core.atp(per_location, buffer, allow_backorders=allow_backorders)
		result[item] = {"total": answer.total, "locations": answer.per_location}
	return result


def available_balances(items: list[str], locations: list[str]) -> dict[tuple[str, str], stock_core.Balance]:
	"""Available-status balances of these items at these locations, read without locks (for
	ranking and promising; reservations re-check under locks)."""
	if not items or not locations:
		return {}
	Balance = frappe.qb.DocType("OMS Stock Balance")
	rows = (
		frappe.qb.from_(Balance)
		.select(Balance.item, Balance.location, Balance.actual_qty, Balance.reserved_qty)
		.where(
			Balance.item.isin(items)
			& Balance.location.isin(locations)
			& (Balance.stock_status == "Available")
		)
	).run(as_dict=True)
	return {(r.item, r.location): stock_core.Balance(flt(r.actual_qty), flt(r.reserved_qty)) for r in rows}
