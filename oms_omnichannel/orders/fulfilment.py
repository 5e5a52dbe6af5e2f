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
from oms_omnichannel.inventory.ledger import after_stock_change, queue_after_stock_change
from oms_omnichannel.inventory.locks import lock_balances, read_balances
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
	work = OrdersToSource(orders, exclude_locations)
	if not work.orders:
		return {}
	book = reservations.ReservationBook(work.keys)
	results = work.allocate(book)
	work.apply(results)
	book.write()
	return {name: result for name, (result, _explanation) in results.items()}


def plan_reservations(orders: list, balances: dict | None = None) -> PlannedReservations | None:
	"""What `reserve_orders` does, planned on the balances as read without locks: the in-memory
	orders are changed and the reservation rows written, but no balance is locked or moved until
	`PlannedReservations.settle`, which the caller runs as the last step of its transaction (the
	balance rows, which every order of a popular item needs, are then locked only for the
	moment before the commit). None when no order has a stock line to reserve.

	`balances`: rows read already (by a `settle` that found the stock moved), by key."""
	work = OrdersToSource(orders)
	if not work.orders:
		return None
	balances = balances or {}
	unread = [key for key in work.keys if key not in balances]
	book = reservations.ReservationBook(work.keys, balances={**read_balances(unread), **balances})
	results = work.allocate(book)
	work.apply(results)
	book.insert_reservations()
	return PlannedReservations(work, book, results)


class PlannedReservations:
	"""Reservations planned on unlocked balances, to be checked and settled under the locks."""

	def __init__(self, work: OrdersToSource, book: reservations.ReservationBook, results: dict):
		self.work, self.book, self.results = work, book, results
		self.current: dict | None = None

	def settle(self) -> bool:
		"""Lock the balances (share mode where the plan takes nothing: many orders waiting for
		the same item do not queue) and allocate again on what they hold now. When every order
		gets exactly what the plan gave it, move the balances and return True; else move
		nothing and return False, keeping the balances as they stand now in `current`: the
		caller rolls back (which lets go of the locks) and plans again on them."""
		taken = self.book.taken_keys()
		queue_after_stock_change(taken)  # before the locks: Redis is not waited for under them
		locked = lock_balances(self.work.keys, shared=set(self.work.keys) - set(taken))
		now = self.work.allocate(reservations.ReservationBook(self.work.keys, balances=locked))
		if now != self.results:
			self.current = locked
			return False
		self.book.move_balances(locked)
		after_stock_change(taken, queued=False)
		return True


class OrdersToSource:
	"""The open stock lines of several orders, with what sourcing them needs (read once), taken
	as they stand now: allocating again later gives the same requests."""

	def __init__(self, orders: list, exclude_locations: tuple[str, ...] = ()):
		self.orders = []
		for order in orders:
			rows = [
				(row, open_qty(row)) for row in order.items if open_qty(row) > 0 and is_stock_item(row.item)
			]
			if rows:
				names = [name for name in candidate_locations(order) if name not in exclude_locations]
				self.orders.append((order, rows, names))
		if not self.orders:
			return
		self.keys = list(
			dict.fromkeys(
				(row.item, name, reservations.AVAILABLE)
				for _order, rows, names in self.orders
				for row, _qty in rows
				for name in names
			)
		)
		self.locations = locations_by_name({name for _order, _rows, names in self.orders for name in names})
		items = sorted({row.item for _order, rows, _names in self.orders for row, _qty in rows})
		self.categories = {item: frappe.get_cached_value("OMS Item", item, "category") for item in items}
		self.rules = sourcing_rules()
		self.allow_split = bool(get_settings().allow_split_across_locations)

	def allocate(self, book: reservations.ReservationBook) -> dict[str, tuple]:
		"""{order: (ReservationResult, sourcing explanation)}, each order sourced and allocated
		against what the book still has free after the orders before it."""
		results = {}
		for order, rows, names in self.orders:
			candidates = load_candidates(names, book.free, self.locations)
			plan = None
			if candidates:
				with domain_errors():
					plan = sourcing.source(
						[
							sourcing.OrderLine(row.name, row.item, qty, self.categories.get(row.item))
							for row, qty in rows
						],
						delivery_of(order),
						candidates,
						self.rules,
						allow_split=self.allow_split,
					)
			requests = []
			for row, qty in rows:
				preferred = [
					location for location, _qty in (plan.assignments.get(row.name, []) if plan else [])
				]
				order_of_locations = list(dict.fromkeys([*preferred, *[c.name for c in candidates]]))
				requests.append(ReservationRequest(row.item, qty, row.name, order_of_locations))
			result = book.reserve(
				VOUCHER,
				order.name,
				requests,
				sales_channel=order.sales_channel,
				allow_split=self.allow_split,
				expires_at=reservation_expiry(order),
			)
			results[order.name] = (result, explain(plan, result, order))
		return results

	def apply(self, results: dict[str, tuple]) -> None:
		"""The rows' reserved quantity and location, and each order's sourcing explanation."""
		for order, rows, _names in self.orders:
			result, explanation = results[order.name]
			for row, _qty in rows:
				taken = result.reserved.get(row.name, [])
				row.reserved_qty = flt(row.reserved_qty) + sum(qty for _location, qty in taken)
				if taken:
					row.fulfilment_location = taken[0][0]
			order.sourcing_explanation = explanation


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
