"""What happens to an order as it moves through its life, for callers other than its form:
the OMS Order controller and order intake both start fulfilment through here."""

from __future__ import annotations

from frappe import _

from oms_omnichannel.core.order_status import OrderStatus
from oms_omnichannel.orders import fulfilment, holds

S = OrderStatus


def start_fulfilment(
	orders: list,
	previous_orders: dict[str, int] | None = None,
	*,
	locks_last: bool = False,
	balances: dict | None = None,
) -> fulfilment.PlannedReservations | None:
	"""What submitting does, for one order or a batch: Pending, the automatic holds, then stock
	reserved for the orders not held (under one set of locks, first come first served) and the
	status that follows. Changes the in-memory orders; the caller writes them.

	`previous_orders` gives, by order name, its customer's earlier orders (order intake counts
	them for a whole batch); without it the hold rules count them in the database.

	`locks_last`: the reservations are planned on balances read without locks and returned, for
	the caller to settle as the last step of its transaction (`PlannedReservations.settle`);
	`balances`, when given, are the ones to plan on (as a settle found them)."""
	previous_orders = previous_orders or {}
	rules = holds.hold_rules() if orders else ()  # read once for the batch
	for order in orders:
		order.set_status(S.PENDING.value, _("Order submitted"), persist=False)
		holds.apply_automatic_holds(
			order, persist=False, previous_orders=previous_orders.get(order.name), rules=rules
		)
	ready = [order for order in orders if order.status != S.ON_HOLD.value]
	planned = None
	if locks_last:
		planned = fulfilment.plan_reservations(ready, balances)
	else:
		fulfilment.reserve_orders(ready)
	for order in ready:
		order.update_fulfilment_status(_("Stock reserved"), persist=False)
	return planned
