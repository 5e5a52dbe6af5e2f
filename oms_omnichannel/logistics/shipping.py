"""Stock leaves with a shipment: a new shipment from what is reserved, then consume the order's
reservations, post the ledger issue, and move the order's shipped/delivered quantities and status.
OMS Shipment calls these."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt

from oms_omnichannel.core.order_status import OrderAction, OrderStatus
from oms_omnichannel.core.stock import fmt_qty
from oms_omnichannel.inventory import reservations
from oms_omnichannel.orders import fulfilment, holds


def check_can_ship(order) -> None:
	"""Ship only in a status the machine allows it in (core `can`), naming the holds in the way."""
	standing = holds.active_holds(order)
	if standing and order.status == OrderStatus.ON_HOLD.value:
		frappe.throw(
			_("Cannot ship {0}: it is on hold ({1})").format(
				frappe.bold(order.name), ", ".join(_(row.hold_type) for row in standing)
			),
			title=_("Order On Hold"),
		)
	order.check_allowed(OrderAction.SHIP)


def check_lines(order, rows) -> None:
	"""The shipment-line rule, for the shipment form and for `ship` alike: each row (`idx`,
	`order_item`, `qty`) names a line of the order (`OMSOrder.match_lines`, which fills in its
	item), ships more than 0, and no line ships more than is left of it."""
	order.match_lines(rows)
	lines = {row.name: row for row in order.items}
	shipping: dict[str, float] = {}
	for row in rows:
		if flt(row.qty) <= 0:
			frappe.throw(
				_("Row {0}: Quantity must be greater than 0").format(row.idx), title=_("Invalid Quantity")
			)
		line = lines[row.order_item]
		shipping[line.name] = shipping.get(line.name, 0) + flt(row.qty)
		left = flt(line.qty) - flt(line.cancelled_qty) - flt(line.shipped_qty)
		if shipping[line.name] > left:
			frappe.throw(
				_("Row {0}: cannot ship {1} of {2}; only {3} left to ship").format(
					row.idx, fmt_qty(shipping[line.name]), frappe.bold(line.item), fmt_qty(left)
				),
				title=_("More Than Ordered"),
			)


def ship(order, lines: dict[str, float], location: str, voucher: tuple[str, str]) -> None:
	"""Ship `lines` ({order line: qty}) of `order` from `location`; `voucher` is the shipment."""
	check_can_ship(order)
	check_lines(
		order,
		[
			frappe._dict(idx=idx, order_item=line_id, qty=qty)
			for idx, (line_id, qty) in enumerate(lines.items(), 1)
		],
	)
	by_name = {row.name: row for row in order.items}
	for line_id, qty in lines.items():
		row = by_name[line_id]
		if fulfilment.is_stock_item(row.item):
			reservations.consume(
				fulfilment.VOUCHER, order.name, line_id, location, flt(qty), issue_voucher=voucher
			)
		row.shipped_qty = flt(row.shipped_qty) + flt(qty)
	fulfilment.refresh_reserved_quantities(order)
	order.update_fulfilment_status(_("Shipped from {0} ({1})").format(location, voucher[1]))


def unship(order, lines: dict[str, float], location: str, voucher: tuple[str, str]) -> None:
	"""A shipment cancelled before it left: stock goes back on the shelf and is reserved again."""
	from oms_omnichannel.inventory.ledger import reverse_voucher

	reverse_voucher(*voucher)
	by_name = {row.name: row for row in order.items}
	for line_id, qty in lines.items():
		row = by_name[line_id]
		row.shipped_qty = max(flt(row.shipped_qty) - flt(qty), 0)
	fulfilment.reserve_order(order)
	order.update_fulfilment_status(_("Shipment {0} cancelled").format(voucher[1]))


def deliver(order, lines: dict[str, float], note: str = "") -> None:
	"""Delivered or picked up: the order completes when every shipped line is delivered."""
	by_name = {row.name: row for row in order.items}
	for line_id, qty in lines.items():
		row = by_name[line_id]
		row.delivered_qty = min(flt(row.delivered_qty) + flt(qty), flt(row.shipped_qty))
	order.update_fulfilment_status(note or _("Delivered"))


def new_shipment(order, location: str | None = None):
	"""A new (unsaved) shipment with what is reserved for the order at one location
	(the first location holding a reservation when none is given)."""
	reserved = reservations.open_reservations("OMS Order", order.name)
	if not reserved:
		frappe.throw(
			_("Nothing is reserved for {0} yet").format(frappe.bold(order.name)), title=_("Nothing to Ship")
		)
	location = location or min(row.location for row in reserved)
	shipment = frappe.new_doc("OMS Shipment")
	shipment.order = order.name
	shipment.source_location = location
	shipment.delivery_method = order.delivery_method
	for row in reserved:
		if row.location == location and flt(row.open_qty) > 0:
			shipment.append(
				"items", {"order_item": row.voucher_detail_no, "item": row.item, "qty": row.open_qty}
			)
	return shipment
