"""Orders meet stock: sourcing and reservation of an order's open lines, release, and the line
quantities the status machine reads."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_to_date, flt, now_datetime

from oms_omnichannel.core import sourcing
from oms_omnichannel.core.order_status import LineProgress
from oms_omnichannel.core.payment import UNPAID_PAYMENT_STATUSES
from oms_omnichannel.core.stock import fmt_qty
from oms_omnichannel.inventory import reservations
from oms_omnichannel.inventory.reservations import ReservationRequest
from oms_omnichannel.utils import domain_errors, get_settings, translated

VOUCHER = "OMS Order"
SELF_PICKUP = "Self Pickup"


def open_qty(row) -> float:
	"""What of a line still needs stock held for it."""
	return max(flt(row.qty) - flt(row.reserved_qty) - flt(row.shipped_qty) - flt(row.cancelled_qty), 0.0)


def line_progress(order) -> list[LineProgress]:
	"""Line quantities for the status machine. A non-stock line (a service) needs no reservation."""
	return [
		LineProgress(
			ordered=flt(row.qty),
			reserved=flt(row.reserved_qty)
			if is_stock_item(row.item)
			else max(flt(row.qty) - flt(row.shipped_qty), 0),
			shipped=flt(row.shipped_qty),
			delivered=flt(row.delivered_qty),
			cancelled=flt(row.cancelled_qty),
		)
		for row in order.items
	]


def is_stock_item(item: str) -> bool:
	return bool(frappe.get_cached_value("OMS Item", item, "is_stock_item"))


def offers_pickup(location: str | None) -> bool:
	"""The pickup-store rule, for the order form and order intake alike: a Self Pickup order is
	collected at a Stock Location that offers pickup."""
	return bool(location and frappe.get_cached_value("Stock Location", location, "can_pickup"))


def candidate_locations(order) -> list[str]:
	"""Locations allowed to fulfil the order, best first: the pickup store for Self Pickup."""
	if order.delivery_type == SELF_PICKUP and order.pickup_location:
		return [order.pickup_location]
	channel = frappe.get_cached_doc("Sales Channel", order.sales_channel)
	locations = channel.get_fulfilment_locations()
	if not locations:
		default = get_settings().default_source_location
		locations = [default] if default else []
	return locations


def load_candidates(
	names: list[str], free: dict[tuple[str, str], float], locations: dict
) -> list[sourcing.CandidateLocation]:
	"""Candidate locations with what each can still give (`free`: locked balances, less what
	orders served before this one took)."""
	candidates = []
	for position, name in enumerate(names):
		row = locations.get(name)
		if not row or row.disabled:
			continue
		has_coordinates = bool(row.latitude or row.longitude)
		candidates.append(
			sourcing.CandidateLocation(
				name=name,
				latitude=row.latitude if has_coordinates else None,
				longitude=row.longitude if has_coordinates else None,
				can_ship=bool(row.can_ship),
				can_pickup=bool(row.can_pickup),
				# the channel's order of its locations first, the location's own priority to break ties
				priority=position * 1000 + int(row.priority or 0),
				available={item: qty for (item, location), qty in free.items() if location == name},
			)
		)
	return candidates


def locations_by_name(names) -> dict:
	"""Stock Location attributes sourcing reads, by name (one query)."""
	if not names:
		return {}
	rows = frappe.db.sql(
		"""SELECT `name`, `latitude`, `longitude`, `can_ship`, `can_pickup`, `priority`, `disabled`
		FROM `tabStock Location` WHERE `name` IN %s""",
		(tuple(names),),
		as_dict=True,
	)
	return {row.name: row for row in rows}


def sourcing_rules() -> list[sourcing.SourcingRule]:
	"""Every rule that may apply (hook `oms_sourcing_rules`); the core decides per order."""
	rules = []
	for hook in frappe.get_hooks("oms_sourcing_rules"):
		rules += frappe.get_attr(hook)()
	return rules


def reserve_order(order, exclude_locations: tuple[str, ...] = ()) -> reservations.ReservationResult | None:
	"""Source and reserve every open stock line of the order; record the explanation."""
	return reserve_orders([order], exclude_locations).get(order.name)


def reserve_orders(
	orders: list, exclude_locations: tuple[str, ...] = ()
) -> dict[str, reservations.ReservationResult]:
	"""Source and reserve the open stock lines of several orders, first come first served.

	All balances the orders may take from are locked at once; each order is sourced against
	what is still free after the orders before it. Changes the in-memory orders (rows' reserved
	qty and location, sourcing text); the caller persists them. `exclude_locations` are skipped
	(a store that just rejected the lines).
	"""
	work = []
	for order in orders:
		rows = [row for row in order.items if open_qty(row) > 0 and is_stock_item(row.item)]
		if rows:
			names = [name for name in candidate_locations(order) if name not in exclude_locations]
			work.append((order, rows, names))
	if not work:
		return {}
	book = reservations.ReservationBook(
		(row.item, name, reservations.AVAILABLE)
		for _order, rows, names in work
		for row in rows
		for name in names
	)
	locations = locations_by_name({name for _order, _rows, names in work for name in names})
	items = sorted({row.item for _order, rows, _names in work for row in rows})
	categories = {item: frappe.get_cached_value("OMS Item", item, "category") for item in items}
	rules = sourcing_rules()
	allow_split = bool(get_settings().allow_split_across_locations)
	results = {}
	for order, rows, names in work:
		candidates = load_candidates(names, book.free, locations)
		plan = None
		if candidates:
			with domain_errors():
				plan = sourcing.source(
					[
						sourcing.OrderLine(row.name, row.item, open_qty(row), categories.get(row.item))
						for row in rows
					],
					delivery_of(order),
					candidates,
					rules,
					allow_split=allow_split,
				)
		requests = []
		for row in rows:
			preferred = [location for location, _qty in (plan.assignments.get(row.name, []) if plan else [])]
			order_of_locations = list(dict.fromkeys([*preferred, *[c.name for c in candidates]]))
			requests.append(ReservationRequest(row.item, open_qty(row), row.name, order_of_locations))
		result = book.reserve(
			VOUCHER,
			order.name,
			requests,
			sales_channel=order.sales_channel,
			allow_split=allow_split,
			expires_at=reservation_expiry(order),
		)
		for row in rows:
			taken = result.reserved.get(row.name, [])
			row.reserved_qty = flt(row.reserved_qty) + sum(qty for _location, qty in taken)
			if taken:
				row.fulfilment_location = taken[0][0]
		order.sourcing_explanation = explain(plan, result, order)
		results[order.name] = result
	book.write()
	return results


def delivery_of(order) -> sourcing.Delivery:
	return sourcing.Delivery(
		method_type=order.delivery_type or "Standard",
		latitude=order.shipping_latitude or None,
		longitude=order.shipping_longitude or None,
		postcode=order.shipping_postcode,
		region=order.shipping_region,
		order_value=flt(order.grand_total),
		channel=order.sales_channel,
		pickup_location=order.pickup_location if order.delivery_type == SELF_PICKUP else None,
	)


def explain(plan, result, order) -> str:
	lines = (
		[translated(m) for m in plan.explanation]
		if plan
		else [_("No location may fulfil this order's channel.")]
	)
	if plan:
		lines += [translated(m) for m in plan.passed_over.values()]
	by_name = {row.name: row for row in order.items}
	for line_id, qty in result.backorder.items():
		row = by_name.get(line_id)
		lines.append(
			_("Row {0}: {1} of {2} awaiting stock (backorder)").format(row.idx, fmt_qty(qty), row.item)
		)
	return "\n".join(lines)


def reservation_expiry(order):
	minutes = int(get_settings().reservation_expiry_minutes or 0)
	if minutes and order.payment_status in UNPAID_PAYMENT_STATUSES:
		return add_to_date(now_datetime(), minutes=minutes)
	return None


def release_order(order, final_status: str = "Released") -> float:
	"""Give back every open reservation of the order; rows' reserved qty goes to 0."""
	released = reservations.release(VOUCHER, order.name, final_status=final_status)
	for row in order.items:
		row.reserved_qty = 0
	return released


def refresh_reserved_quantities(order) -> None:
	"""Rows' reserved qty from the open reservations (after shipment, expiry, rejection)."""
	reserved = reservations.reserved_qty_by_line(VOUCHER, order.name)
	for row in order.items:
		row.reserved_qty = flt(reserved.get(row.name, 0))


def on_reservations_expired(voucher_type: str, voucher_no: str, released_qty: float) -> None:
	"""Hook: an unpaid order's reservations ran out; it goes back to Pending with a note."""
	if voucher_type != VOUCHER:
		return
	order = frappe.get_doc(VOUCHER, voucher_no)
	refresh_reserved_quantities(order)
	order.update_fulfilment_status(
		_("Reservation of {0} units expired: the order is still unpaid").format(fmt_qty(released_qty))
	)
